"""Dates and time: Asia/Ho_Chi_Minh wall clock, months, school years."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_TZ = "Asia/Ho_Chi_Minh"


def tz(name: str = DEFAULT_TZ) -> ZoneInfo:
    return ZoneInfo(name)


def localize(value: datetime, zone: ZoneInfo) -> datetime:
    """A naive datetime is wall-clock time in `zone`; an aware one is converted."""
    if value.tzinfo is None:
        return value.replace(tzinfo=zone)
    return value.astimezone(zone)


def end_of_day(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=zone)


def start_of_day(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=zone)


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_bounds(key: str) -> tuple[date, date]:
    year, month = (int(p) for p in key.split("-"))
    last = calendar.monthrange(year, month)[1]
    return date(year, month, 1), date(year, month, last)


def months_between(start: date, end: date) -> list[str]:
    """Every month key from the month of `start` to the month of `end`."""
    keys = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        keys.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return keys


@dataclass(frozen=True)
class Period:
    """An inclusive range of calendar days (kỳ báo cáo)."""

    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    @classmethod
    def month(cls, key: str) -> Period:
        return cls(*month_bounds(key))

    def days(self) -> int:
        return (self.end - self.start).days + 1


def school_year_start(day: date, start_month: int, start_day: int) -> date:
    """The first day of the school year (năm học) that contains `day`."""
    candidate = date(day.year, start_month, start_day)
    return candidate if day >= candidate else date(day.year - 1, start_month, start_day)


def school_year(day: date, start_month: int, start_day: int) -> Period:
    begin = school_year_start(day, start_month, start_day)
    nxt = date(begin.year + 1, start_month, start_day)
    return Period(begin, nxt - timedelta(days=1))


def school_year_label(period: Period) -> str:
    return f"{period.start.year}-{period.start.year + 1}"
