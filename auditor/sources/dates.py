"""Dates and yes/no cells as school staff type them (day-first, Vietnamese words).

Accepted (DOMAIN.md, "Calendar"): ``24/11/2026``, ``24-11-2026 08:15``,
``24.11.2026``, ``2026-11-24T08:15+07:00``, ``Thứ Hai, 24/11/2026 08:15``,
``08h15 ngày 24/11/2026``, ``ngày 24 tháng 11 năm 2026``, Excel date cells
(``datetime``/``date`` objects) and Excel serial numbers (``46350.35``).
A naive value is wall-clock time in the school's zone (Asia/Ho_Chi_Minh).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from auditor.people import fold

# Excel's day 0 (the 1900 leap-year bug makes 1899-12-30 the right origin).
_EXCEL_EPOCH = datetime(1899, 12, 30)
# Serial numbers outside this range (1954…2119) are more likely ids than dates.
_SERIAL_MIN, _SERIAL_MAX = 20_000, 80_000


class DateError(ValueError):
    """A cell that should hold a date but does not."""


# The most common shape first, matched on the raw text (no folding): 24/11/2026 08:15.
_FAST = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}.*)?")
_SERIAL = re.compile(r"\d{5}(?:[.,]\d+)?")
_DMY = re.compile(r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})(?!\d)")
_YMD = re.compile(r"(?<!\d)(\d{4})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?!\d)")
_WORDS = re.compile(r"(?<!\d)(\d{1,2})\s+thang\s+(\d{1,2})\s*(?:,\s*)?(?:nam\s+)?(\d{4})(?!\d)")
_TIME = re.compile(
    r"(?<![\d/.\-])(\d{1,2})\s*(?::|h|g|gio)\s*(\d{2})?(?:\s*:\s*(\d{2}))?(?:\s*(?:phut|p))?"
    r"(?:\s*(am|pm|sa|ch|sang|chieu|toi))?(?![\d/.\-])"
)
# Words that may surround a date and carry no information of their own.
_FILLER = re.compile(
    r"\b(?:thu|hai|ba|tu|nam|sau|bay|chu|nhat|cn|t[2-7]|ngay|luc|vao|hoi|gio|mon|tue|wed|thu"
    r"|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday|[2-7])\b"
)


def _local(value: datetime, zone: ZoneInfo) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=zone)
    return value.astimezone(zone)


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _clock(match: re.Match[str]) -> time:
    hour, minute, second = int(match[1]), int(match[2] or 0), int(match[3] or 0)
    suffix = match[4]
    if suffix in ("pm", "ch", "chieu", "toi") and hour < 12:
        hour += 12
    elif suffix in ("am", "sa", "sang") and hour == 12:
        hour = 0
    return time(hour, minute, second)


@lru_cache(maxsize=8192)
def _parse_text(text: str) -> tuple[datetime, bool]:
    """Parse one non-empty string to (naive or aware datetime, has_time)."""
    found = _parse_shaped(text)
    return found if found is not None else _parse_free(text)


def _parse_shaped(text: str) -> tuple[datetime, bool] | None:
    """The exact shapes: 24/11/2026 08:15, ISO 8601, an Excel serial; ``None`` for others."""
    m = _FAST.fullmatch(text)
    if m:
        day = date(int(m[3]), int(m[2]), int(m[1]))
        if m[4] is None:
            return datetime.combine(day, time()), False
        return datetime.combine(day, time(int(m[4]), int(m[5]), int(m[6] or 0))), True
    if _ISO.fullmatch(text):
        try:
            return datetime.fromisoformat(text.replace(" ", "T", 1)), len(text) > 10
        except ValueError:
            pass
    if _SERIAL.fullmatch(text):
        return _from_serial(float(text.replace(",", ".")))
    return None


def _parse_free(text: str) -> tuple[datetime, bool]:
    """A day written among words ("Thứ Hai, 24/11/2026 lúc 8h15"), accents folded."""
    folded = fold(unicodedata.normalize("NFC", text))
    day, m = _find_day(folded, text)
    rest = folded[: m.start()] + " " + folded[m.end() :]
    t = _TIME.search(rest)
    clock = None
    if t:
        clock = _clock(t)
        rest = rest[: t.start()] + " " + rest[t.end() :]
    # Whatever is left must be weekday names and filler words; anything else
    # ("24/11/2026 hoặc 25/11") is ambiguous, so the cell is rejected.
    leftover = _FILLER.sub(" ", rest)
    if re.search(r"[a-z0-9]", leftover):
        raise DateError(text)
    return datetime.combine(day, clock or time()), clock is not None


def _find_day(folded: str, text: str) -> tuple[date, re.Match[str]]:
    """The first day-month-year (in words, year first or day first) in `folded`."""
    for pattern, order in ((_WORDS, "dmy"), (_YMD, "ymd"), (_DMY, "dmy")):
        m = pattern.search(folded)
        if m:
            if order == "ymd":
                return date(int(m[1]), int(m[2]), int(m[3])), m
            return date(_year(m[3]), int(m[2]), int(m[1])), m
    raise DateError(text)


def parse_time(value: Any) -> time:
    """A time-of-day cell: ``08:15``, ``8h15``, ``14g``, ``2:30 CH``, an Excel time cell
    (``datetime.time``) or day fraction (``0.34375``). :class:`DateError` otherwise."""
    if isinstance(value, time):
        return value
    if isinstance(value, datetime):
        return value.time()
    if isinstance(value, float) and 0 <= value < 1:
        seconds = round(value * 86400)
        return time(seconds // 3600, seconds % 3600 // 60, seconds % 60)
    text = fold(str(value))
    m = _TIME.fullmatch(text)
    if m is None:
        raise DateError(str(value))
    try:
        return _clock(m)
    except ValueError as exc:
        raise DateError(str(value)) from exc


def _from_serial(serial: float) -> tuple[datetime, bool]:
    if not _SERIAL_MIN <= serial <= _SERIAL_MAX:
        raise DateError(str(serial))
    value = _EXCEL_EPOCH + timedelta(days=serial)
    # Excel stores times to the millisecond; round to the second it displayed.
    value = (value + timedelta(milliseconds=500)).replace(microsecond=0)
    return value, serial != int(serial)


# The fast path's pieces, parsed once each: "24/11/2026" → (2026, 11, 24) and
# "08:15" → (8, 15, 0); None for a piece the fast path leaves to the regexes.
_DAY_PART = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_CLOCK_PART = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
_T = TypeVar("_T")
_DAYS: dict[str, tuple[int, int, int] | None] = {}
_CLOCKS: dict[str, tuple[int, int, int] | None] = {}
_PIECES_MAX = 50_000


def _day_part(text: str) -> tuple[int, int, int] | None:
    m = _DAY_PART.fullmatch(text)
    if m is None:
        return None
    try:
        day = date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        return None
    return day.year, day.month, day.day


def _clock_part(text: str) -> tuple[int, int, int] | None:
    m = _CLOCK_PART.fullmatch(text)
    if m is None:
        return None
    try:
        clock = time(int(m[1]), int(m[2]), int(m[3] or 0))
    except ValueError:
        return None
    return clock.hour, clock.minute, clock.second


def _piece(cache: dict[str, _T], text: str, parse: Callable[[str], _T]) -> _T:
    """`parse(text)`, kept in `cache` (emptied when it grows past _PIECES_MAX)."""
    try:
        return cache[text]
    except KeyError:
        if len(cache) > _PIECES_MAX:
            cache.clear()
        value = cache[text] = parse(text)
        return value


def fast_when(text: str, zone: ZoneInfo) -> tuple[datetime, bool] | None:
    """``24/11/2026`` or ``24/11/2026 08:15[:30]`` exactly → what :func:`parse_when`
    gives, without a regex per cell: the day and the time of day are parsed once per
    distinct text (a 100,000-row export has a few hundred days and 1,440 minutes).
    ``None`` for any other text (then :func:`parse_when` decides, also on errors)."""
    day_text, _sep, clock_text = text.partition(" ")
    day = _piece(_DAYS, day_text, _day_part)
    if day is None:
        return None
    if not _sep:
        return datetime(day[0], day[1], day[2], tzinfo=zone), False
    clock = _piece(_CLOCKS, clock_text, _clock_part)
    if clock is None:
        return None
    return datetime(day[0], day[1], day[2], clock[0], clock[1], clock[2], tzinfo=zone), True


class DayTimeTexts:
    """:func:`fast_when` for one file: the same texts, the same datetimes, but the
    day's midnight (in `zone`) and the time of day are kept per distinct text, so a
    cell costs two look-ups and an addition."""

    def __init__(self, zone: ZoneInfo) -> None:
        self._zone = zone
        self._days: dict[str, datetime | None] = {}
        self._clocks: dict[str, timedelta | None] = {}

    def read(self, text: str) -> datetime | None:
        """The aware datetime of ``24/11/2026`` or ``24/11/2026 08:15[:30]``, else ``None``."""
        day_text, sep, clock_text = text.partition(" ")
        try:
            midnight = self._days[day_text]
        except KeyError:
            midnight = self._learn_day(day_text)
        if midnight is None or not sep:
            return midnight
        try:
            clock = self._clocks[clock_text]
        except KeyError:
            clock = self._learn_clock(clock_text)
        return None if clock is None else midnight + clock

    def _learn_day(self, text: str) -> datetime | None:
        if len(self._days) > _PIECES_MAX:
            self._days.clear()
        day = _day_part(text)
        found = self._days[text] = None if day is None else datetime(*day, tzinfo=self._zone)
        return found

    def _learn_clock(self, text: str) -> timedelta | None:
        if len(self._clocks) > _PIECES_MAX:
            self._clocks.clear()
        found = self._clocks[text] = _clock_delta(text)
        return found


def _clock_delta(text: str) -> timedelta | None:
    clock = _clock_part(text)
    return None if clock is None else timedelta(hours=clock[0], minutes=clock[1],
                                                seconds=clock[2])


def parse_when(value: Any, zone: ZoneInfo) -> tuple[datetime, bool] | None:
    """A cell → (aware datetime in `zone`, whether a time of day was given).

    ``None`` for an empty cell; :class:`DateError` for one that is not a date.
    """
    if value is None:
        return None
    if isinstance(value, str):
        return _when_text(value, zone)
    return _when_cell(value, zone)


def _when_text(value: str, zone: ZoneInfo) -> tuple[datetime, bool] | None:
    text = value.strip()
    if not text:
        return None
    found = fast_when(text, zone)
    if found is not None:
        return found
    try:
        m = _FAST.fullmatch(text)
        if m:  # 24/11/2026 08:15, straight to an aware datetime
            if m[4] is None:
                return datetime(int(m[3]), int(m[2]), int(m[1]), tzinfo=zone), False
            return datetime(int(m[3]), int(m[2]), int(m[1]), int(m[4]), int(m[5]),
                            int(m[6] or 0), tzinfo=zone), True
        naive, has_time = _parse_text(text)
    except ValueError as exc:  # also date(2026, 13, 1) and the like
        raise DateError(text) from exc
    return _local(naive, zone), has_time


def _when_cell(value: Any, zone: ZoneInfo) -> tuple[datetime, bool]:
    """An Excel cell that is not text: a date, a datetime or a serial number."""
    if isinstance(value, datetime):
        # An Excel date cell without a time part is a date, not midnight.
        has_time = value.time() != time() or value.tzinfo is not None
        return _local(value, zone), has_time
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=zone), False
    if isinstance(value, bool):
        raise DateError(str(value))
    if isinstance(value, int | float):
        naive, has_time = _from_serial(float(value))
        return naive.replace(tzinfo=zone), has_time
    raise DateError(str(value))


def parse_datetime(value: Any, zone: ZoneInfo) -> datetime | None:
    """A cell → aware datetime (midnight when only a day was given), or ``None``."""
    parsed = parse_when(value, zone)
    return parsed[0] if parsed else None


_TRUE = frozenset({"x", "co", "yes", "y", "1", "true", "dung", "v", "✓", "✔", "☑", "ok"})
_FALSE = frozenset({"", "khong", "k", "no", "n", "0", "false", "sai", "-", "✗", "☐"})


class BoolError(ValueError):
    """A cell that should be yes/no but is neither."""


def parse_bool(value: Any) -> bool:
    """``x / có / yes / 1 / true / ✓`` → True; ``không / no / 0 / false`` or empty → False."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
        raise BoolError(str(value))
    key = fold(str(value))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise BoolError(str(value))
