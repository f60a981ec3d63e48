"""Contact details of site.required-sections: the rule set's patterns on real-looking text."""

from __future__ import annotations

import re

import pytest

from auditor.checks.site_required_sections import _matches, _plain
from auditor.ruleset import load_ruleset

PATTERNS = load_ruleset().rules["site.required-sections"].params["contact_patterns"]


def found(field: str, html: str) -> bool:
    text = _plain(f"<html><body>{html}</body></html>")
    return any(re.search(p, text) for p in PATTERNS[field])


@pytest.mark.parametrize("text", [
    "Điện thoại: 0225 3 812 345", "ĐT: 0225.3812.345", "(0225) 3812345", "+84 225 3812 345",
    "Hotline 0912 345 678", "Liên hệ: +84912345678", '<a href="tel:02253812345">Gọi</a>',
])
def test_phone_formats(text: str) -> None:
    assert found("phone", text)


@pytest.mark.parametrize("text", [
    "Ngày 05/10/2020", "Năm học 2026-2027", "Mã trường 31012", "Quyết định số 111/QĐ-THCS",
    "Tổng số 1.250 học sinh",
])
def test_dates_and_numbers_are_not_phones(text: str) -> None:
    assert not found("phone", text)


@pytest.mark.parametrize(("text", "ok"), [
    ("Thư điện tử: lienhe@thcsthunghiem.haiphong.edu.vn", True),
    ('<a href="mailto:c2thunghiem@haiphong.edu.vn">Gửi thư</a>', True),
    ("Email: chưa cập nhật", False),
])
def test_email(text: str, ok: bool) -> None:
    assert found("email", text) is ok


@pytest.mark.parametrize(("text", "ok"), [
    ("Địa chỉ: số 5 đường Cây Bàng, phường Thử Nghiệm, TP Hải Phòng", True),
    ("Số 12 phố Lê Lợi", True),
    ("Phường Thử Nghiệm, quận Lê Chân, thành phố Hải Phòng", True),
    ("Địa chỉ thư điện tử: lienhe@x.edu.vn", False),
    ("Nhà trường có 24 lớp.", False),
])
def test_address(text: str, ok: bool) -> None:
    assert found("address", text) is ok


@pytest.mark.parametrize(("title", "wanted", "ok"), [
    ("TIN TỨC - SỰ KIỆN", ["Tin tức"], True),
    ("Tin tuc", ["Tin tức"], True),
    ("Thông tin chung", ["Tin tức"], False),  # "tin" alone is not "tin tức"
    ("Ba công khai", ["Công khai"], True),
    ("Công khai hoá", ["Công khai"], True),
    ("Văn bản mới", ["Văn bản"], True),
])
def test_section_titles_match_whole_words_without_accents(
        title: str, wanted: list[str], ok: bool) -> None:
    assert _matches(title, wanted) is ok
