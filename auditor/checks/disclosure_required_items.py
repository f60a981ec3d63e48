"""disclosure.required-items — the items the disclosure circular requires are published."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from auditor.checks.disclosure_catalogue import (
    RequiredItem,
    calendar_years_in,
    label,
    load_catalogue,
    required_year,
    school_years_in,
)
from auditor.checks.disclosure_checklist import checklist_row
from auditor.checks.disclosure_common import current_state
from auditor.checks.interface import AuditContext, Check, Param
from auditor.errors import NotChecked
from auditor.history.records import DisclosureRecord
from auditor.results import Finding
from auditor.timeutil import school_year_start


def _period_name(item: RequiredItem, year: int, lang: str = "vi") -> str:
    if item.covers == "calendar_year":
        return f"năm {year}" if lang == "vi" else f"year {year}"
    return f"năm học {label(item.covers, year)}" if lang == "vi" else \
        f"school year {label(item.covers, year)}"


def covered_years(item: RequiredItem, record: DisclosureRecord,
                  year_start: tuple[int, int]) -> set[int]:
    """The periods an item covers: named in its title, else from its publication date."""
    if item.covers == "calendar_year":
        years = calendar_years_in(record.title) or {
            y for y in school_years_in(record.title)}  # "2026-2027" spans 2026
    else:
        years = school_years_in(record.title)
    if years or record.updated_at is None:
        return years
    day: date = record.updated_at
    if item.covers == "calendar_year":
        return {day.year}
    start = school_year_start(day, *year_start).year
    return {start if item.covers == "school_year" else start - 1}


class DisclosureRequiredItems(Check):
    """Đủ các nội dung công khai bắt buộc (Điều 13.1.c, Điều 14.6, QĐ 111/QĐ-THCS; TT 36/2017
    → TT 09/2024).

    The Quy chế requires disclosure "theo Thông tư số 36/2017/TT-BGDĐT"; that
    circular was replaced by TT 09/2024. The catalogue of required items is
    data in ``rules/disclosure/`` (chosen with ``[disclosure] catalogue`` or the
    rule's `catalogue` parameter): for the school's kind (THCS by default),
    each item's title patterns (Vietnamese, accent-insensitive), the period it
    must cover (this school year, last school year, the financial year) and
    the day the new period's version is due. Items are looked for in the
    section on the site and in the CMS export (category Công khai); a hidden
    item does not count, nor, when the section was crawled, an item found
    only in the export (the public cannot see it). Each missing or outdated
    item is one finding naming the item and the clause.

    Fails: on 26/11/2026 the section has no "Biểu mẫu 12" (đội ngũ), or its
    "Biểu mẫu 11" still says năm học 2025-2026 (due 30/09/2026).
    Passes: forms 09, 11, 12 for 2026-2027, form 10 for 2025-2026 and the
    financial disclosure for 2026 are all listed and visible.
    """

    id = "disclosure.required-items"
    title = "Đủ các nội dung công khai bắt buộc"
    title_en = "Every required disclosure item is published"
    parameters = (
        Param("catalogue", str, "danh mục công khai (tt36-2017, tt09-2024 hoặc đường dẫn tệp)",
              "disclosure catalogue (tt36-2017, tt09-2024 or a file path)"),
        Param("categories", list, "chuyên mục của tệp xuất CMS chứa nội dung công khai",
              "CMS export categories that hold disclosure items"),
    )
    needs = ("site", "posts")

    def run(self, ctx: AuditContext, params: Mapping[str, Any]) -> Iterable[Finding]:
        ref = ctx.config.disclosure.catalogue or params["catalogue"]
        catalogue = load_catalogue(ref, ctx.config.base_dir)
        state = current_state(ctx, params["categories"])
        if state is None:
            raise NotChecked("Chưa có dữ liệu chuyên mục Công khai (chưa thu thập trang web, "
                             "chưa có tệp xuất CMS).",
                             "No disclosure data (no crawl and no CMS export).")
        if ctx.site is not None and ctx.site.disclosure is None and ctx.posts is None:
            raise NotChecked("Không tìm thấy chuyên mục Công khai trên trang để đối chiếu.",
                             "No disclosure section was found on the site to compare.")
        section = ctx.site.disclosure if ctx.site is not None else None
        records = state.items
        if section is not None and section.status is not None and section.status < 400:
            # The public must see it: with the section crawled, an item only in the CMS
            # export (not listed on the site) is not published.
            records = tuple(r for r in state.items if "site" in r.source)
        kind = ctx.config.school.kind
        year_start = ctx.config.school.year_start
        for item in catalogue.items:
            if item.applies_to(kind):
                found = list(self._judge(ctx, catalogue.document, item, records, year_start))
                ctx.sections.disclosure_row(checklist_row(ctx, catalogue.document, item,
                                                          records, found))
                yield from found

    def _judge(self, ctx: AuditContext, document: str, item: RequiredItem,
               records: tuple[DisclosureRecord, ...], year_start: tuple[int, int]
               ) -> Iterable[Finding]:
        candidates = [r for r in records if item.matches(r.title)]
        visible = [r for r in candidates if r.visible]
        wanted, still_ok, due = required_year(item, ctx.today, ctx.school_year)
        cite = f"{document}, {item.clause}"
        evidence: dict[str, Any] = {
            "item": item.id, "clause": cite, "covers": item.covers,
            "required": label(item.covers, wanted) if item.covers != "any" else None,
            "due": due.isoformat(), "found": [r.title for r in visible],
            "hidden": [{"title": r.title, "why": r.hidden} for r in candidates if not r.visible],
        }
        subject = f"item:{item.id}"
        if not visible:
            hidden_vi = " (có mục trùng tên nhưng đang bị ẩn)" if candidates else ""
            hidden_en = " (a matching item exists but is hidden)" if candidates else ""
            period_vi = "" if item.covers == "any" else " " + _period_name(item, wanted)
            period_en = "" if item.covers == "any" else " for " + _period_name(item, wanted, "en")
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
    def _source(ctx: AuditContext) -> str:
        parts = [s for s, present in (("site", ctx.site is not None),
                                      ("export", ctx.posts is not None)) if present]
        return "+".join(parts)
