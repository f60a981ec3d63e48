"""A finding's evidence in words a person reads: one sentence, no field names.

The raw structure stays in the JSON report; Excel, HTML and CSV show this
sentence. Nothing here knows a rule: known evidence keys have a phrase
("published" → "đã đăng"), technical keys (how a match was made, the source
of the data) are left to the JSON, values are written the Vietnamese way
(dates day-first, true/false as có/không, lists joined).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

# key → (Vietnamese, English) phrase put before the value.
PHRASES: dict[str, tuple[str, str]] = {
    "month": ("tháng", "month"),
    "posts": ("số tin bài", "posts"), "published": ("đã đăng", "published"),
    "proposed": ("đã đề xuất", "proposed"), "proposals": ("số tin đề xuất", "proposals"),
    "min_posts": ("mức tối thiểu", "minimum"),
    "min_proposals": ("mức tối thiểu", "minimum"),
    "site_not_counted": ("không tính trên trang", "not counted on the site"),
    "hidden": ("bị ẩn", "hidden"), "broken": ("lỗi", "broken"), "missing": ("thiếu", "missing"),
    "event_title": ("sự kiện", "event"), "event": ("sự kiện", "event"),
    "event_id": ("mã sự kiện", "event id"),
    "end": ("kết thúc", "ended"), "deadline": ("hạn đưa tin", "deadline"),
    "post_title": ("bài viết", "post"), "published_at": ("đăng lúc", "published at"),
    "delay_hours": ("chậm (giờ)", "late (hours)"),
    "item": ("mục", "item"), "clause": ("căn cứ", "basis"), "due": ("hạn", "due"),
    "found": ("tìm thấy", "found"), "latest": ("mới nhất", "latest"),
    "title": ("tiêu đề", "title"), "title_now": ("tiêu đề hiện tại", "title now"),
    "last_seen": ("thấy lần cuối", "last seen"), "reason": ("lý do", "reason"),
    "taken_down_at": ("gỡ lúc", "taken down at"), "taken_down_by": ("người gỡ", "taken down by"),
    "excerpt": ("đoạn văn bản", "excerpt"), "where": ("vị trí", "where"),
    "encoding_name": ("bảng mã", "encoding"), "fix": ("sửa thành", "fix"),
    "terms": ("từ khóa", "terms"), "hidden_by": ("ẩn bằng", "hidden by"),
    "pages": ("trang", "pages"), "page_count": ("số trang", "pages"),
    "links": ("liên kết", "links"), "address": ("địa chỉ", "address"),
    "site_status": ("mã trả về", "HTTP status"), "status": ("mã trả về", "HTTP status"),
    "site_state": ("trên trang", "on the site"),
    "export_published_at": ("ngày đăng theo tệp xuất", "published per the export"),
    "site_visible_date": ("ngày hiển thị trên trang", "date shown on the site"),
    "linked_from": ("được dẫn từ", "linked from"),
    "linked_from_count": ("số trang dẫn tới", "pages linking"),
    "error": ("lỗi", "error"), "author": ("người đăng", "author"),
    "occurrences": ("số lần", "occurrences"), "why": ("lý do", "why"),
    "required": ("cần", "required"),
}
# Technical keys: kept in the JSON, not shown to a reader.
SKIP = {"source", "matched_by", "fits_platform", "signals", "signal", "line", "lines", "field",
        "encoding", "confidence", "covers", "kind", "organiser", "site_url", "url",
        "site_meta_date", "text", "required_label"}
LIST_LIMIT = 3
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)?)?$")


def _pick(lang: str, vi: str, en: str) -> str:
    return en if lang == "en" else vi


def _day(value: date) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def _value(value: Any, lang: str) -> str:
    if isinstance(value, datetime):
        return f"{_day(value)} {value.hour:02d}:{value.minute:02d}"
    if isinstance(value, date):
        return _day(value)
    if isinstance(value, bool):
        return _pick(lang, "có", "yes") if value else _pick(lang, "không", "no")
    if isinstance(value, float):
        text = f"{value:g}"
        return text.replace(".", ",") if lang != "en" else text
    if isinstance(value, str):
        return _text_value(value, lang)
    if isinstance(value, Mapping):
        return "; ".join(_phrase(k, v, lang) for k, v in value.items() if _shown(k, v))
    if isinstance(value, list | tuple | set):
        return _list_value(value, lang)
    return str(value)


def _text_value(value: str, lang: str) -> str:
    """An ISO date or time as a reader writes it (24/11/2026), a month as 11/2026."""
    if _ISO.match(value):
        try:
            return _value(datetime.fromisoformat(value.replace("Z", "+00:00")), lang) \
                if "T" in value else _day(date.fromisoformat(value))
        except ValueError:
            return value
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return f"{value[5:]}/{value[:4]}"
    return value


def _list_value(values: list[Any] | tuple[Any, ...] | set[Any], lang: str) -> str:
    """The first LIST_LIMIT items and how many more there are."""
    items = [_value(v, lang) for v in values if v not in (None, "")]
    more = len(items) - LIST_LIMIT
    text = ", ".join(items[:LIST_LIMIT])
    return text + (_pick(lang, f" và {more} mục khác", f" and {more} more")
                   if more > 0 else "")


def _shown(key: str, value: Any) -> bool:
    return key not in SKIP and value not in (None, "", [], {}, ())


def _phrase(key: str, value: Any, lang: str) -> str:
    vi, en = PHRASES.get(key, (key.replace("_", " "), key.replace("_", " ")))
    return f"{_pick(lang, vi, en)} {_value(value, lang)}"


def evidence_sentence(evidence: Mapping[str, Any], lang: str = "vi") -> str:
    """'Tháng 10/2026, đã đăng 6, cần 8, không tính trên trang bị ẩn 15099.'"""
    parts = [_phrase(k, v, lang) for k, v in evidence.items() if _shown(k, v)]
    if not parts:
        return ""
    text = ", ".join(parts)
    return text[0].upper() + text[1:] + "."
