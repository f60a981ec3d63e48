"""Shared by the two monthly posting rules (Điều 16.3): counting posts per
calendar month and judging closed months and the month in progress."""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from auditor.checks.interface import AuditContext
from auditor.model import Post
from auditor.people import fold
from auditor.timeutil import month_bounds, month_key, months_between


def require_columns(ctx: AuditContext, fields: Iterable[str], why_vi: str, why_en: str,
                    *, site_fills: bool = True) -> None:
    """NotChecked when the export's header lacks a field the rule reads: a missing column
    is no evidence, never a count of zero. `site_fills`: a crawl supplies the field too
    (publication dates do; the CMS-only ticks and approvals do not)."""
    columns = ctx.export_columns
    if columns is None or ctx.posts_source is None:
        return
    if ctx.posts_source != "export" and (site_fills or "export" not in ctx.posts_source):
        return
    for name in fields:
        columns.require(name, why_vi, why_en)


def countable(posts: Iterable[Post], exclude_categories: Iterable[str]) -> list[Post]:
    """Published news posts (tin bài); documents and disclosure items are not news."""
    excluded = {fold(c) for c in exclude_categories}
    return [p for p in posts
            if p.is_published and not (p.category and fold(p.category) in excluded)]


@dataclass(frozen=True)
class MonthVerdict:
    month: str
    count: int
    minimum: int
    in_progress: bool
    projection: float | None  # expected count at the month's end, for the month in progress

    @property
    def short(self) -> bool:
        """A closed month below the minimum; a month in progress not on course to reach it."""
        if self.in_progress:
            return (self.projection or 0) < self.minimum
        return self.count < self.minimum


def judge_months(ctx: AuditContext, posts: list[Post], minimum: int,
                 select: Callable[[Post], bool]) -> Iterator[MonthVerdict]:
    """One verdict per month of the audited span, up to the month of `as_of`."""
    counts: Counter[str] = Counter(
        month_key(p.published_at.astimezone(ctx.tz).date())
        for p in posts if p.published_at is not None and select(p)
    )
    today = ctx.today
    current = month_key(today)
    last = min(ctx.span.end, today)
    for key in months_between(ctx.span.start, last):
        count = counts[key]
        if key == current:
            days = calendar.monthrange(today.year, today.month)[1]
            projection = round(count / today.day * days, 1)
            yield MonthVerdict(key, count, minimum, True, projection)
        else:
            yield MonthVerdict(key, count, minimum, False, None)


def record_stat(ctx: AuditContext, verdict: MonthVerdict, count_key: str, min_key: str) -> None:
    """Statistics for the report's monthly sheet (numbers, not verdicts)."""
    ctx.sections.month(verdict.month, verdict.in_progress,
                       **{count_key: verdict.count, min_key: verdict.minimum,
                          f"{count_key}_forecast": verdict.projection})


def site_evidence(ctx: AuditContext, month: str,
                  exclude_categories: Iterable[str]) -> dict[str, Any]:
    """Which posts the crawl changed in this month's count (hidden, broken, site-only,
    dates that disagree), so a finding says what it relied on; empty without a crawl,
    or only why the site could not be crawled when a crawl was asked for."""
    if ctx.site is None:
        gone = ctx.site_unavailable
        return {"site_not_crawled": gone.reason_vi} if gone is not None else {}
    from auditor.site.inputs import month_evidence

    return month_evidence(ctx.reconciliation, month, ctx.tz, tuple(exclude_categories))


def month_end(key: str) -> date:
    return month_bounds(key)[1]
