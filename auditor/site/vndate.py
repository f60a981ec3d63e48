"""Dates as web pages print them, Vietnamese first.

Unlike a spreadsheet cell, a page's date sits among words ("Đăng lúc: Thứ Hai,
24/11/2026 08:15 | Lượt xem: 120"), so these functions *find* a date in text
rather than parse a whole string. Day-first always (DOMAIN.md, "Calendar"):
``24/11/2026``, ``Thứ 3, 09/03/2021 | 21:37``, ``08h15 ngày 24/11/2026``,
``ngày 24 tháng 11 năm 2026``. Machine dates (meta, JSON-LD, ``<time
datetime>``) are ISO 8601. A value without an offset is wall-clock time in the
school's zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from auditor.people import fold

_DMY = re.compile(r"(?<![\d/.\-])(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4})(?![\d/.\-])")
_WORDS = re.compile(r"(?<!\d)(\d{1,2})\s+thang\s+(\d{1,2})\s*,?\s+nam\s+(\d{4})(?!\d)")
_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?)?"
)
# PHP's date('Y-m-dTH:i:s') (NukeViet's article:published_time): "T" prints the zone's
# abbreviation, so 08:15 in Asia/Ho_Chi_Minh comes out as "2026-11-24+0708:15:00".
_PHP_T = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?P<zone>[+-]\d{2}(?:\d{2}(?=\d{2}:))?|[A-Z]{1,5})"
    r"(\d{2}):(\d{2}):(\d{2})$"
)
_TIME = re.compile(r"(?<![\d/.\-])(\d{1,2})\s*(?::|h|g)\s*(\d{2})(?:\s*:\s*(\d{2}))?(?![\d/.\-])")
# How far from the date a time of day may sit and still belong to it.
_TIME_WINDOW = 24


@dataclass(frozen=True)
class FoundDate:
    value: datetime  # aware
    has_time: bool
    text: str  # the matched text as printed (for evidence)


def _clock(m: re.Match[str]) -> time | None:
    hour, minute, second = int(m[1]), int(m[2]), int(m[3] or 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def _near_time(text: str, start: int, end: int) -> tuple[time, int, int] | None:
    """A time of day just after the date, else just before it."""
    after = text[end : end + _TIME_WINDOW]
    m = _TIME.search(after)
    if m and re.fullmatch(r"[\s,|\-–—lucvao()]*", after[: m.start()]):
        clock = _clock(m)
        if clock:
            return clock, end + m.start(), end + m.end()
    before_start = max(0, start - _TIME_WINDOW)
    before = text[before_start:start]
    for m in reversed(list(_TIME.finditer(before))):
        if re.fullmatch(r"[\s,|\-–—ngaythuhbaiscnt0-9]*", before[m.end() :]):
            clock = _clock(m)
            if clock:
                return clock, before_start + m.start(), before_start + m.end()
        break
    return None


def find_vietnamese_date(text: str, zone: ZoneInfo) -> FoundDate | None:
    """The first day-first date in `text`, with the time of day printed next to it."""
    if not text:
        return None
    folded = fold(text)
    # fold() collapses whitespace; matching on the folded text keeps offsets
    # consistent with what we slice for evidence.
    candidates: list[tuple[int, int, date]] = []
    for m in _WORDS.finditer(folded):
        try:
            candidates.append((m.start(), m.end(), date(int(m[3]), int(m[2]), int(m[1]))))
        except ValueError:
            continue
    for m in _DMY.finditer(folded):
        try:
            candidates.append((m.start(), m.end(), date(int(m[4]), int(m[3]), int(m[1]))))
        except ValueError:
            continue
    if not candidates:
        iso = parse_iso(folded, zone, search=True)
        return iso
    start, end, day = min(candidates)
    near = _near_time(folded, start, end)
    if near:
        clock, t_start, t_end = near
        lo, hi = min(start, t_start), max(end, t_end)
        value = datetime.combine(day, clock, tzinfo=zone)
        return FoundDate(value, True, _original_span(text, folded, lo, hi))
    return FoundDate(datetime.combine(day, time(), tzinfo=zone), False,
                     _original_span(text, folded, start, end))


def _original_span(text: str, folded: str, lo: int, hi: int) -> str:
    """The printed text of a folded span (same characters, only accents differ)."""
    collapsed = " ".join(text.split())
    if len(collapsed) == len(folded):
        return collapsed[lo:hi]
    return folded[lo:hi]


def parse_iso(text: str, zone: ZoneInfo, *, search: bool = False) -> FoundDate | None:
    """An ISO 8601 date or date-time (meta, JSON-LD, ``<time datetime>``)."""
    if not text:
        return None
    raw = text.strip()
    php = None if search else _php_date(raw, zone)
    if php is not None:
        return php
    m = _ISO.search(raw) if search else _ISO.match(raw)
    if not m:
        return None
    try:
        day = date(int(m[1]), int(m[2]), int(m[3]))
        if m[4] is None:
            return FoundDate(datetime.combine(day, time(), tzinfo=zone), False, m[0])
        clock = time(int(m[4]), int(m[5]), int(m[6] or 0))
    except ValueError:
        return None
    value = datetime.combine(day, clock)
    offset = m[7]
    if offset:
        iso_offset = "+00:00" if offset == "Z" else offset
        if ":" not in iso_offset:
            iso_offset = iso_offset[:3] + ":" + iso_offset[3:]
        aware = datetime.fromisoformat(value.isoformat() + iso_offset)
        return FoundDate(aware.astimezone(zone), True, m[0])
    return FoundDate(value.replace(tzinfo=zone), True, m[0])


def _php_date(raw: str, zone: ZoneInfo) -> FoundDate | None:
    """A PHP ``Y-m-dTH:i:s`` stamp with the zone abbreviation in place of ``T``."""
    m = _PHP_T.match(raw)
    if not m:
        return None
    try:
        value = datetime(int(m[1]), int(m[2]), int(m[3]), int(m[5]), int(m[6]), int(m[7]))
    except ValueError:
        return None
    abbr = m["zone"]
    if abbr[0] in "+-":
        hours, minutes = int(abbr[1:3]), int(abbr[3:5] or 0)
        sign = 1 if abbr[0] == "+" else -1
        offset = timezone(sign * timedelta(hours=hours, minutes=minutes))
        return FoundDate(value.replace(tzinfo=offset).astimezone(zone), True, m[0])
    if abbr in ("UTC", "GMT", "Z"):
        return FoundDate(value.replace(tzinfo=UTC).astimezone(zone), True, m[0])
    return FoundDate(value.replace(tzinfo=zone), True, m[0])  # ICT and the like: local time
