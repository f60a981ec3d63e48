"""The weekly menu of a school that serves meals (TT 09/2024, Điều 15.1.a): the
planned menu of a week is posted before the Saturday of the week before.

Which week a menu is for: a day named in its title ("Thực đơn tuần từ 23/11 đến
28/11/2026"), else the week after the one it was posted in. Judged for the
week of the audit day; an undated menu gives no verdict.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from auditor.checks.disclosure_catalogue import RequiredItem
from auditor.checks.interface import AuditContext, Check
from auditor.history.records import DisclosureRecord
from auditor.results import Finding

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
    subject = f"menu:{week.isoformat()}"
    if mine:
        late = min(mine, key=lambda r: r.updated_at or saturday)
        posted: date = late.updated_at or saturday
        evidence |= {"found": late.title, "published": posted.isoformat()}
        yield check.finding(
            subject,
            f"Thực đơn tuần {week:%d/%m/%Y} đăng ngày {posted:%d/%m/%Y}, không trước thứ Bảy "
            f"{saturday:%d/%m/%Y} của tuần trước — {cite}.",
            f"The menu for the week of {week:%d/%m/%Y} was posted on {posted:%d/%m/%Y}, not "
            f"before Saturday {saturday:%d/%m/%Y} of the week before — {cite}.",
            url=late.url, source=source, on=posted, evidence=evidence)
        return
    latest = max((w for _, w in dated if w is not None))
    evidence["latest_week"] = latest.isoformat()
    yield check.finding(
        subject,
        f"Chưa có thực đơn tuần {week:%d/%m/%Y} (cần đăng trước thứ Bảy {saturday:%d/%m/%Y}; "
        f"thực đơn mới nhất: tuần {latest:%d/%m/%Y}) — {cite}.",
        f"No menu for the week of {week:%d/%m/%Y} (due before Saturday {saturday:%d/%m/%Y}; "
        f"latest: week of {latest:%d/%m/%Y}) — {cite}.",
        source=source, on=ctx.today, evidence=evidence)
