"""WordPress eXtended RSS (WXR, Tools → Export) → :class:`Post` s.

Only ``wp:post_type = post`` items are posts; pages and attachments are not
news (Điều 16.3 counts tin bài). A warning's row is the ``<item>``'s line.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from lxml import etree

from auditor.model import Post, PostStatus, Provenance
from auditor.sources.dates import DateError, parse_datetime
from auditor.sources.export_data import ExportData
from auditor.sources.tabular import (
    MAX_CELL,
    RowWarning,
    input_error,
    one_line,
    require_regular_file,
)

_Warn = Callable[[str | None, str, str], None]  # (column, Vietnamese, English)

_WP_STATUS = {
    "publish": PostStatus.PUBLISHED, "future": PostStatus.PENDING,
    "pending": PostStatus.PENDING, "draft": PostStatus.DRAFT, "auto-draft": PostStatus.DRAFT,
    "private": PostStatus.HIDDEN, "trash": PostStatus.DELETED,
}


def _child(item: Any, local: str) -> str | None:
    for child in item:
        if isinstance(child.tag, str) and etree.QName(child).localname == local:
            text = (child.text or "").strip()
            return text or None
    return None


def load_wxr(path: Path, *, tz: ZoneInfo) -> ExportData:
    items = _items(path)
    posts: list[Post] = []
    warnings: list[RowWarning] = []
    seen: set[str] = set()
    for item in items:
        line = item.sourceline or 0

        def warn(col: str | None, vi: str, en: str, line: int = line) -> None:
            warnings.append(RowWarning(path.name, line, col, vi, en))

        where = Provenance("export", file=path.name, row=line)
        post = _item_post(item, tz, seen, warn, where)
        if post is not None:
            posts.append(post)
    return ExportData(tuple(posts), tuple(warnings), path)


def _items(path: Path) -> list[Any]:
    """The ``<item>`` s of a WordPress export; InputError for anything else."""
    require_regular_file(path)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.parse(str(path), parser).getroot()
    except (etree.XMLSyntaxError, OSError) as exc:
        raise input_error(path, f"XML không hợp lệ ({one_line(exc)}).", "invalid XML") from None
    items: list[Any] = root.findall("./channel/item")
    if root.tag != "rss" or not items:
        raise input_error(path, "không phải tệp xuất WordPress (WXR) có bài viết.",
                          "not a WordPress WXR export")
    return items


def _item_post(item: Any, tz: ZoneInfo, seen: set[str], warn: _Warn,
               where: Provenance) -> Post | None:
    """One item as a post; ``None`` for a page or attachment, or one that cannot be used."""
    if (_child(item, "post_type") or "post") != "post":
        return None
    post_id, title = _child(item, "post_id"), _child(item, "title")
    if not post_id or not title:
        warn("wp:post_id" if not post_id else "title", "thiếu mã hoặc tiêu đề; bỏ qua.",
             "missing id or title; skipped")
        return None
    if post_id in seen:
        warn("wp:post_id", f"mã bài viết '{post_id}' bị trùng; bỏ qua.", "duplicate id")
        return None
    seen.add(post_id)
    raw_status = _child(item, "status") or ""
    status = _WP_STATUS.get(raw_status, PostStatus.UNKNOWN)
    if status is PostStatus.UNKNOWN:
        warn("wp:status", f"trạng thái '{raw_status}' không rõ.", "unknown status")
    published = None
    if status is not PostStatus.DRAFT:
        published = _date(item, tz, warn)
    body = _child(item, "encoded")
    if body and len(body) > MAX_CELL:
        warn("content:encoded", f"nội dung dài {len(body):,} ký tự; chỉ giữ phần đầu.",
             "body truncated")
        body = body[:MAX_CELL]
    cats = [c.text.strip() for c in item.findall("category")
            if c.get("domain") == "category" and c.text and c.text.strip()]
    return Post(
        post_id=post_id, title=title, status=status, url=_child(item, "link"),
        category=", ".join(cats) or None, body=body, author=_child(item, "creator"),
        published_at=published, provenance=where,
    )


def _date(item: Any, tz: ZoneInfo, warn: _Warn) -> datetime | None:
    gmt = _child(item, "post_date_gmt")
    local = _child(item, "post_date")
    try:
        if gmt and not gmt.startswith("0000"):
            return datetime.fromisoformat(gmt.replace(" ", "T") + "+00:00").astimezone(tz)
        if local and not local.startswith("0000"):
            return parse_datetime(local, tz)
    except (ValueError, DateError):
        warn("wp:post_date", f"không hiểu ngày đăng '{gmt or local}'.", "unparseable date")
    return None
