"""disclosure.required-items — the items the disclosure circular requires are published."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from auditor.checks.disclosure_catalogue import (
    CALENDAR_COVERS,
    Catalogue,
    RequiredItem,
    calendar_years_in,
    catalogue_for,
    label,
    required_year,
    school_years_in,
)
from auditor.checks.disclosure_checklist import checklist_row
from auditor.checks.disclosure_common import current_state
from auditor.checks.disclosure_menu import judge_menu, judge_month
from auditor.checks.disclosure_unread import unread_items
from auditor.checks.interface import AuditContext, Check, Param
from auditor.errors import NotChecked
from auditor.history.records import DisclosureRecord
from auditor.results import Finding
from auditor.timeutil import school_year_start
from auditor.workdays import WorkCalendar


def _period_name(item: RequiredItem, year: int, lang: str = "vi") -> str:
    if item.covers in CALENDAR_COVERS:
        return f"năm {year}" if lang == "vi" else f"year {year}"
    return f"năm học {label(item.covers, year)}" if lang == "vi" else \
        f"school year {label(item.covers, year)}"


def covered_years(item: RequiredItem, record: DisclosureRecord,
                  year_start: tuple[int, int]) -> set[int]:
    """The periods an item covers: named in its title, else from its publication date."""
    if item.covers in CALENDAR_COVERS:
        years = calendar_years_in(record.title) or {
            y for y in school_years_in(record.title)}  # "2026-2027" spans 2026
    else:
        years = school_years_in(record.title)
    if years or record.updated_at is None:
        return years
    day: date = record.updated_at
    if item.covers == "calendar_year":
        return {day.year}
    if item.covers in CALENDAR_COVERS:  # published in 2026 without a year: about 2025
        return {day.year - 1}
    start = school_year_start(day, *year_start).year
    return {start if item.covers == "school_year" else start - 1}


def _switched_on(item: RequiredItem, ctx: AuditContext) -> bool:
    """An item for a school that serves meals applies only with ``school.meals = true``."""
    return item.only_if != "meals" or ctx.config.school.meals


class DisclosureRequiredItems(Check):
    """Đủ các nội dung công khai bắt buộc (Điều 13.1.c, Điều 14.6, QĐ 111/QĐ-THCS; TT 09/2024).

    The Quy chế requires disclosure "theo Thông tư số 36/2017/TT-BGDĐT"; that
    circular was replaced by TT 09/2024 from 19/7/2024. The catalogue is data
    in ``rules/disclosure/``, chosen by the school year audited (`catalogue =
    "auto"`: TT 09/2024 from 2024-2025, TT 36/2017 before) unless
    ``[disclosure] catalogue`` names one. For the school's kind, each item
    gives its article and clause, the period it must cover (this school year,
    last school year, the fiscal year just ended, the preceding calendar
    year, the coming week's menu) and its due day; items whose clause could
    not be checked against the text are marked unverified (listed below, and
    in each finding's evidence). Items are looked for in the section on the
    site and in the CMS export (category Công khai); a hidden item does not
    count, nor, when the section was crawled, an item found only in the
    export. A change the school records in ``[[disclosure.updates]]`` must be
    published within 10 working days (TT 09/2024, Điều 15.1.a; Vietnam's
    public holidays incl. Tết, plus ``[workdays] days_off``). With
    ``school.meals = true`` the week's menu must be posted before the
    Saturday of the week before.

    Fails: on 26/11/2026 the section has no item on facilities (TT 09/2024,
    Điều 8, khoản 2), or its annual report is still that of 2024.
    Passes: "Công khai tài chính năm 2025" and "Báo cáo thường niên năm 2025",
    both posted on 15/6/2026, with the Điều 4, 8 and 9 items for 2026-2027.
    """

    id = "disclosure.required-items"
    title = "Đủ các nội dung công khai bắt buộc"
    title_en = "Every required disclosure item is published"
    parameters = (
        Param("catalogue", str, "danh mục công khai: auto (theo năm học), tt36-2017, tt09-2024 "
              "hoặc đường dẫn tệp", "disclosure catalogue: auto (by school year), tt36-2017, "
              "tt09-2024 or a file path"),
        Param("categories", list, "chuyên mục của tệp xuất CMS chứa nội dung công khai",
              "CMS export categories that hold disclosure items"),
    )
    needs = ("site", "posts")

    def run(self, ctx: AuditContext, params: Mapping[str, Any]) -> Iterable[Finding]:
        ref = ctx.config.disclosure.catalogue or params["catalogue"]
        catalogue = catalogue_for(ref, ctx.school_year.start.year, ctx.config.base_dir)
        state = current_state(ctx, params["categories"])
        if state is None:
            raise NotChecked("Chưa có dữ liệu chuyên mục Công khai (chưa thu thập trang web, "
                             "chưa có tệp xuất CMS).",
                             "No disclosure data (no crawl and no CMS export).")
        if ctx.site is not None and ctx.site.disclosure is None and ctx.posts is None:
            raise NotChecked("Không tìm thấy chuyên mục Công khai trên trang để đối chiếu.",
                             "No disclosure section was found on the site to compare.")
        section = ctx.site.disclosure if ctx.site is not None else None
        if section is None and not state.items:
            # Neither a crawled section nor one Công khai post in the export: an export
            # without that category is no evidence that the items are missing.
            raise NotChecked("Tệp xuất CMS không có tin bài nào thuộc chuyên mục Công khai và "
                             "chưa thu thập được chuyên mục này trên trang: chưa đối chiếu được "
                             "các nội dung bắt buộc. Thêm --site URL để đọc chuyên mục trên "
                             "trang web.",
                             "The CMS export holds no post of the Công khai category and the "
                             "section was not crawled: the required items cannot be compared. "
                             "Add --site URL to read the section on the website.")
        if section is not None and section.unread:  # items unreadable: none is "missing"
            raise unread_items(section.unread, section.url)
        records = state.items
        if section is not None and section.status is not None and section.status < 400:
            # The public must see it: with the section crawled, an item only in the CMS
            # export (not listed on the site) is not published.
            records = tuple(r for r in state.items if "site" in r.source)
        kind = ctx.config.school.kind
        year_start = ctx.config.school.year_start
        for item in catalogue.items:
            if item.applies_to(kind) and _switched_on(item, ctx):
                found = list(self._judge(ctx, catalogue, item, records, year_start))
                ctx.sections.disclosure_row(checklist_row(ctx, catalogue.document, item,
                                                          records, found))
                yield from found
                yield from self._updates(ctx, catalogue, item, records)

    def _judge(self, ctx: AuditContext, catalogue: Catalogue, item: RequiredItem,
               records: tuple[DisclosureRecord, ...], year_start: tuple[int, int]
               ) -> Iterable[Finding]:
        candidates = [r for r in records if item.matches(r.title)]
        visible = [r for r in candidates if r.visible]
        cite = f"{catalogue.document}, {item.clause}"
        if item.covers in ("week", "month"):
            if visible:
                judge = judge_menu if item.covers == "week" else judge_month
                yield from judge(self, ctx, item, visible, cite, self._source(ctx))
                return
            wanted, still_ok, due = ctx.today.year, ctx.today.year, ctx.today
        else:
            wanted, still_ok, due = required_year(item, ctx.today, ctx.school_year)
        evidence: dict[str, Any] = {
            "item": item.id, "clause": cite, "covers": item.covers, "verified": item.verified,
            "catalogue": catalogue.name,
            "required": None if item.covers in ("any", "week", "month")
            else label(item.covers, wanted),
            "due": due.isoformat(), "found": [r.title for r in visible],
            "hidden": [{"title": r.title, "why": r.hidden} for r in candidates if not r.visible],
        }
        subject = f"item:{item.id}"
        if self._pending(ctx, item, due):
            return  # official information came late: it has its 10 working days still
        if not visible:
            hidden_vi = " (có mục trùng tên nhưng đang bị ẩn)" if candidates else ""
            hidden_en = " (a matching item exists but is hidden)" if candidates else ""
            timeless = item.covers in ("any", "week", "month")
            period_vi = "" if timeless else " " + _period_name(item, wanted)
            period_en = "" if timeless else " for " + _period_name(item, wanted, "en")
            yield self.finding(
                subject,
                f"Thiếu nội dung công khai «{item.title}»{period_vi}{hidden_vi} — {cite}.",
                f"Missing disclosure item “{item.title_en}”{period_en}{hidden_en} — {cite}.",
                source=self._source(ctx), evidence=evidence)
            return
        if item.covers == "any":
            return
        years: set[int] = set()
        for r in visible:
            years |= covered_years(item, r, year_start)
        if wanted in years or (ctx.today <= due and still_ok in years):
            return
        if not years:
            return  # no year in the title and no date: nothing to call outdated
        latest = max(years)
        evidence["latest"] = label(item.covers, latest)
        yield self.finding(
            subject,
            f"Nội dung công khai «{item.title}» chưa cập nhật cho {_period_name(item, wanted)} "
            f"(bản mới nhất: {_period_name(item, latest)}; hạn {due:%d/%m/%Y}) — {cite}.",
            f"Disclosure item “{item.title_en}” is not updated for "
            f"{_period_name(item, wanted, 'en')} (latest: {_period_name(item, latest, 'en')}; "
            f"due {due:%d/%m/%Y}) — {cite}.",
            url=visible[0].url, source=self._source(ctx), evidence=evidence)

    @staticmethod
    def _pending(ctx: AuditContext, item: RequiredItem, due: date) -> bool:
        """An item whose official information came after its due day (a recorded
        ``[[disclosure.updates]]``) is not yet late while its working days last."""
        if item.update_within_days is None:
            return False
        cal = WorkCalendar.of(ctx.config)
        return any(u.item == item.id and u.since >= due - timedelta(days=366)
                   and u.since <= ctx.today <= cal.add(u.since, item.update_within_days)
                   for u in ctx.config.disclosure.updates)

    def _updates(self, ctx: AuditContext, catalogue: Catalogue, item: RequiredItem,
                 records: tuple[DisclosureRecord, ...]) -> Iterable[Finding]:
        """Each change the school recorded for this item ([[disclosure.updates]]) is
        published within `update_within_days` working days (TT 09/2024, Điều 15.1.a)."""
        limit = item.update_within_days
        if limit is None:
            return
        cal = WorkCalendar.of(ctx.config)
        cite = f"{catalogue.document}, Điều 15, khoản 1, điểm a" if catalogue.name == \
            "tt09-2024" else f"{catalogue.document}, {item.clause}"
        for change in ctx.config.disclosure.updates:
            if change.item != item.id or change.since > ctx.today:
                continue
            deadline = cal.add(change.since, limit)
            dated = sorted((r for r in records if r.visible and item.matches(r.title)
                            and r.updated_at is not None and r.updated_at >= change.since),
                           key=lambda r: r.updated_at or change.since)
            evidence: dict[str, Any] = {
                "item": item.id, "clause": cite, "since": change.since.isoformat(),
                "deadline": deadline.isoformat(), "limit_working_days": limit,
                "note": change.note}
            subject = f"update:{item.id}:{change.since.isoformat()}"
            if dated:
                first = dated[0]
                day: date = first.updated_at  # type: ignore[assignment]
                evidence |= {"published": day.isoformat(), "title": first.title,
                             "working_days": cal.between(change.since, day),
                             "calendar_days": (day - change.since).days}
                if day <= deadline:
                    continue
                yield self.finding(
                    subject,
                    f"«{item.title}» được cập nhật ngày {day:%d/%m/%Y}, sau "
                    f"{evidence['working_days']} ngày làm việc kể từ {change.since:%d/%m/%Y} "
                    f"(chậm nhất {limit} ngày làm việc, tức {deadline:%d/%m/%Y}) — {cite}.",
                    f"“{item.title_en}” was updated on {day:%d/%m/%Y}, "
                    f"{evidence['working_days']} working days after {change.since:%d/%m/%Y} "
                    f"(at most {limit} working days, i.e. {deadline:%d/%m/%Y}) — {cite}.",
                    url=first.url, source=self._source(ctx), on=day, evidence=evidence)
            elif ctx.today > deadline:
                yield self.finding(
                    subject,
                    f"«{item.title}» chưa được cập nhật sau thay đổi ngày "
                    f"{change.since:%d/%m/%Y} (hạn {deadline:%d/%m/%Y}, {limit} ngày làm "
                    f"việc) — {cite}.",
                    f"“{item.title_en}” has not been updated since the change of "
                    f"{change.since:%d/%m/%Y} (due {deadline:%d/%m/%Y}, {limit} working "
                    f"days) — {cite}.",
                    source=self._source(ctx), on=deadline, evidence=evidence)

    @staticmethod
    def _source(ctx: AuditContext) -> str:
        parts = [s for s, present in (("site", ctx.site is not None),
                                      ("export", ctx.posts is not None)) if present]
        return "+".join(parts)
