"""Working days (ngày làm việc) in Vietnam: Monday to Friday, less the public
holidays of the `holidays` package's Vietnam calendar (Tết Nguyên đán
included) and the year's extra days off from ``[workdays]`` in auditor.toml;
a Saturday listed in ``days_worked`` (worked to make up a bridge day) counts.

TT 09/2024/TT-BGDĐT, Điều 15.1.a: an item that changes, or whose official
information comes after 30/6, is updated "chậm nhất sau 10 ngày làm việc".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _public(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("VN", years=year))


@dataclass(frozen=True)
class WorkCalendar:
    days_off: frozenset[date] = frozenset()
    days_worked: frozenset[date] = frozenset()

    @classmethod
    def of(cls, config: object | None) -> WorkCalendar:
        """The calendar of ``config.workdays`` (none configured: public holidays only)."""
        wd = getattr(config, "workdays", None)
        if wd is None:
            return cls()
        return cls(frozenset(wd.days_off), frozenset(wd.days_worked))

    def is_working_day(self, day: date) -> bool:
        if day in self.days_worked:
            return True
        if day.weekday() >= 5 or day in self.days_off:
            return False
        return day not in _public(day.year)

    def holiday_name(self, day: date) -> str | None:
        if day in self.days_off:
            return "ngày nghỉ theo cấu hình"
        name = holidays.country_holidays("VN", years=day.year).get(day)
        return str(name) if name else None

    def add(self, start: date, working_days: int) -> date:
        """The day ``working_days`` working days after ``start`` (``start`` not counted)."""
        day, left = start, working_days
        while left > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day

    def between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
        return sum(1 for d in _days(start + timedelta(days=1), end) if self.is_working_day(d))


def _days(first: date, last: date) -> Iterable[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)
