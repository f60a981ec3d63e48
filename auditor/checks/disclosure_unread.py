"""The Công khai section answered but its items could not be read: "not checked", with why
and what to do — never "missing" (issue 10.4). Shared by the disclosure rules."""

from __future__ import annotations

from auditor.errors import NotChecked


def unread_items(reason: str, url: str) -> NotChecked:
    """The NotChecked a disclosure rule raises when the section's items are unreadable."""
    return NotChecked(
        f"Chưa kiểm tra được các mục của chuyên mục Công khai ({url}): {reason}. Khai báo "
        "bộ chọn [site.selectors] disclosure_items trong auditor.toml (liên kết tới từng mục "
        "trên trang chuyên mục) rồi chạy lại.",
        f"The items of the disclosure section ({url}) could not be read: the page answered "
        "but no item was found (its theme is not recognised). Set [site.selectors] "
        "disclosure_items in auditor.toml (the links to each item on the section page) "
        "and run again.")
