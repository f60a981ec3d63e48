"""Items that recur within the school year (TT 09/2024, Điều 15.1.a): the planned
menu of a week — and a preschool's weekly plan — before the Saturday of the week
before; a preschool's monthly plan before the 25th of the month before.

Which week (month) an item is for: a day (a month) named in its title ("Thực đơn
tuần từ 23/11 đến 28/11/2026", "Kế hoạch giáo dục tháng 11/2026"), else the week
(month) after the one it was posted in. Judged for the week (month) of the audit
day; an undated item gives no verdict.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from auditor.checks.disclosure_catalogue import RequiredItem
from auditor.checks.interface import AuditContext, Check
from auditor.history.records import DisclosureRecord
from auditor.people import fold
from auditor.results import Finding, Severity

BREAK_WEEKS = 3  # no menu for longer than this: probably a break (summer, Tết): a warning
_DAY = re.compile(r"\b(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(20\d{2}))?\b")


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_in_title(title: str, around: date) -> date | None:
    """The Monday of the first day the title names (year: the one nearest ``around``)."""
    for d, m, y in _DAY.findall(title):
        try:
            named = date(int(y) if y else around.year, int(m), int(d))
        except ValueError:
            continue
        if not y and abs((named - around).days) > 183:  # "05/01" read in late December
            named = named.replace(year=named.year + (1 if named < around else -1))
        return monday(named)
    return None


def week_of(record: DisclosureRecord) -> date | None:
    posted = record.updated_at
    named = week_in_title(record.title, posted or date.today())
    if named is not None:
        return named
    return monday(posted) + timedelta(days=7) if posted is not None else None


def judge_menu(check: Check, ctx: AuditContext, item: RequiredItem,
               visible: list[DisclosureRecord], cite: str, source: str) -> Iterable[Finding]:
    week = monday(ctx.today)
    saturday = week - timedelta(days=2)  # Saturday of the week before
    dated = [(r, week_of(r)) for r in visible]
    if all(w is None for _, w in dated):
        return  # no day in the titles, no publication date: nothing to judge
    mine = [r for r, w in dated if w == week]
    evidence: dict[str, Any] = {"item": item.id, "clause": cite, "covers": "week",
                                "week": week.isoformat(), "due_before": saturday.isoformat(),
                                "verified": item.verified}
    on_time = [r for r in mine if r.updated_at is None or r.updated_at < saturday]
    if on_time:
        return
    subject = f"{item.id}:{week.isoformat()}"
    if mine:
        late = min(mine, key=lambda r: r.updated_at or saturday)
        posted: date = late.updated_at or saturday
        evidence |= {"found": late.title, "published": posted.isoformat()}
        yield check.finding(
            subject,
            f"«{item.title}» tuần {week:%d/%m/%Y} đăng ngày {posted:%d/%m/%Y}, không trước thứ Bảy "
            f"{saturday:%d/%m/%Y} của tuần trước — {cite}.",
            f"“{item.title_en}” for the week of {week:%d/%m/%Y} was posted on "
            f"{posted:%d/%m/%Y}, not before Saturday {saturday:%d/%m/%Y} of the week before "
            f"— {cite}.",
            url=late.url, source=source, on=posted, evidence=evidence)
        return
    latest = max((w for _, w in dated if w is not None))
    evidence["latest_week"] = latest.isoformat()
    # Weeks without one since the last: a break (summer, Tết) is likely, not proven.
    gap = (week - latest).days // 7 > BREAK_WEEKS
    yield check.finding(
        subject,
        f"Chưa có «{item.title}» tuần {week:%d/%m/%Y} (cần đăng trước thứ Bảy "
        f"{saturday:%d/%m/%Y}; bản mới nhất: tuần {latest:%d/%m/%Y}"
        + ("; đã nhiều tuần không đăng — nếu đang nghỉ, bỏ qua" if gap else "") + f") — {cite}.",
        f"No “{item.title_en}” for the week of {week:%d/%m/%Y} (due before Saturday "
        f"{saturday:%d/%m/%Y}; latest: week of {latest:%d/%m/%Y}"
        + ("; none for weeks — ignore during a break" if gap else "") + f") — {cite}.",
        severity=Severity.WARNING if gap else Severity.VIOLATION,
        source=source, on=ctx.today, evidence=evidence)


_MONTH = re.compile(r"\bthang\s+(\d{1,2})\s*(?:[/.-]|nam)?\s*(20\d{2})?", re.IGNORECASE)


def month_in_title(title: str, around: date) -> date | None:
    """The first day of the month a title names ("Kế hoạch giáo dục tháng 11/2026")."""
    found = _MONTH.search(fold(title))
    if not found or not 1 <= int(found.group(1)) <= 12:
        return None
    year = int(found.group(2)) if found.group(2) else around.year
    named = date(year, int(found.group(1)), 1)
    if not found.group(2) and (named - around).days < -183:
        named = named.replace(year=year + 1)  # "tháng 1" posted in December
    return named


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def month_of(record: DisclosureRecord) -> date | None:
    posted = record.updated_at
    named = month_in_title(record.title, posted or date.today())
    if named is not None:
        return named
    return _next_month(posted) if posted is not None else None


def judge_month(check: Check, ctx: AuditContext, item: RequiredItem,
                visible: list[DisclosureRecord], cite: str, source: str) -> Iterable[Finding]:
    """A preschool's monthly plan: the plan of month M is posted before the 25th of M-1."""
    month = ctx.today.replace(day=1)
    prev = (month - timedelta(days=1)).replace(day=1)
    due = prev.replace(day=25)  # "trước ngày 25 của tháng trước"
    dated = [(r, month_of(r)) for r in visible]
    if all(m is None for _, m in dated):
        return
    mine = [r for r, m in dated if m == month]
    evidence: dict[str, Any] = {"item": item.id, "clause": cite, "covers": "month",
                                "month": f"{month:%Y-%m}", "due_before": due.isoformat(),
                                "verified": item.verified}
    if any(r.updated_at is None or r.updated_at < due for r in mine):
        return
    subject = f"{item.id}:{month:%Y-%m}"
    if mine:
        late = min(mine, key=lambda r: r.updated_at or due)
        posted: date = late.updated_at or due
        evidence |= {"found": late.title, "published": posted.isoformat()}
        yield check.finding(
            subject,
            f"«{item.title}» tháng {month:%m/%Y} đăng ngày {posted:%d/%m/%Y}, không trước ngày "
            f"{due:%d/%m/%Y} — {cite}.",
            f"“{item.title_en}” for {month:%m/%Y} was posted on {posted:%d/%m/%Y}, not before "
            f"{due:%d/%m/%Y} — {cite}.", url=late.url, source=source, on=posted,
            evidence=evidence)
        return
    latest = max(m for _, m in dated if m is not None)
    evidence["latest_month"] = f"{latest:%Y-%m}"
    yield check.finding(
        subject,
        f"Chưa có «{item.title}» tháng {month:%m/%Y} (cần đăng trước ngày {due:%d/%m/%Y}; "
        f"bản mới nhất: tháng {latest:%m/%Y}) — {cite}.",
        f"No “{item.title_en}” for {month:%m/%Y} (due before {due:%d/%m/%Y}; latest: "
        f"{latest:%m/%Y}) — {cite}.", source=source, on=ctx.today, evidence=evidence)
