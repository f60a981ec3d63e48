"""disclosure.link-reported — the section's address, and each change of it, is reported."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

from auditor.checks.disclosure_common import earlier_states, history_school, official, refetch
from auditor.checks.interface import AuditContext, Check, Param
from auditor.errors import NotChecked
from auditor.history.records import normalise_url, school_key
from auditor.results import Finding, Severity


@dataclass(frozen=True)
class _Report:
    url: str
    reported_on: date
    source: str


def _reports(ctx: AuditContext) -> list[_Report]:
    """Reports from the history (``auditor disclosure report-link``) and the registry file."""
    school = history_school(ctx)
    out = [_Report(r.url, r.reported_on, r.source)
           for r in ctx.history.link_reports(school, until=ctx.today)] if ctx.history else []
    registry = ctx.config.resolve(ctx.config.disclosure.registry)
    if registry is not None:
        from auditor.history.link_registry import load_link_registry

        for row in load_link_registry(registry):
            if (school_key(row.school_url, row.school_name) == school
                    and row.reported_on <= ctx.today):
                out.append(_Report(normalise_url(row.section_url), row.reported_on,
                                   f"registry:{registry.name}:{row.row}"))
    return sorted(out, key=lambda r: r.reported_on)


def _latest(reports: list[_Report], day: date) -> _Report | None:
    known = [r for r in reports if r.reported_on <= day]
    return known[-1] if known else None


class DisclosureLinkReported(Check):
    """Báo cáo địa chỉ chuyên mục Công khai cho cơ quan quản lý (Điều 13.1.c, QĐ 111/QĐ-THCS).

    "Cung cấp cho Phòng Giáo dục và Đào tạo địa chỉ liên kết đến chuyên mục về
    Công khai … và khi có sự thay đổi về địa chỉ liên kết nói trên sau 05
    ngày." The history remembers the section's address in every run; when the
    menu's address is first seen on day X, the authority must know it by
    X + `report_within_days` (a report recorded with ``auditor disclosure
    report-link`` or a line of the inspector's registry file). A report made
    after that day is a violation on the day it was made; no report at all is
    a violation. The address last reported must still answer: when it differs
    from the current one and fails (twice), a warning says so.

    Fails: the section moved to /cong-khai-2026/c/2040 first seen 02/11/2026
    and was reported on 08/11/2026 (day 6), or never.
    Passes: reported on 05/11/2026 (day 3).
    """

    id = "disclosure.link-reported"
    title = "Báo cáo địa chỉ chuyên mục Công khai khi thay đổi"
    title_en = "A change of the disclosure section's address is reported"
    parameters = (
        Param("report_within_days", int, "số ngày phải báo cáo địa chỉ mới sau khi thay đổi",
              "days allowed to report a new address"),
        Param("refetch_timeout", (int, float), "thời gian chờ (giây) khi tải lại để xác nhận",
              "seconds to wait for a confirming second fetch"),
    )
    needs = ("site", "history")

    def run(self, ctx: AuditContext, params: Mapping[str, Any]) -> Iterable[Finding]:
        if ctx.history is None and not ctx.config.disclosure.registry:
            raise NotChecked("Không có lịch sử các lần kiểm tra: không biết địa chỉ đổi khi nào "
                             "và đã báo cáo chưa.",
                             "No history: when the address changed and whether it was "
                             "reported is unknown.")
        site = ctx.site
        unseen = ("Chưa thấy chuyên mục Công khai trên trang trong lần này.",
                  "The disclosure section was not seen on the site in this run.")
        if site is None:
            raise ctx.no_site(*unseen)
        if site.disclosure is None:
            raise NotChecked(*unseen)
        current = official(site.disclosure.url, ctx) or normalise_url(site.disclosure.url)
        since, previous = self._first_seen(ctx, current)
        deadline = since + timedelta(days=params["report_within_days"])
        reports = _reports(ctx)
        authority = ctx.config.authority.name
        evidence: dict[str, Any] = {
            "address": current, "first_seen": since.isoformat(), "previous": previous,
            "due": deadline.isoformat(),
            "reports": [{"url": r.url, "on": r.reported_on.isoformat(), "source": r.source}
                        for r in reports],
        }
        subject = "address:" + (urlsplit(current).path or "/")
        change_vi = f" (đổi từ {previous})" if previous else ""
        change_en = f" (changed from {previous})" if previous else ""
        by_deadline = _latest(reports, deadline)
        latest = _latest(reports, ctx.today)
        if not (by_deadline and by_deadline.url == current) and ctx.today > deadline:
            if latest and latest.url == current:
                yield self.finding(
                    subject,
                    f"Địa chỉ chuyên mục Công khai {current}{change_vi}, thấy từ ngày "
                    f"{since:%d/%m/%Y}, báo cáo {authority} muộn: ngày "
                    f"{latest.reported_on:%d/%m/%Y} (hạn {deadline:%d/%m/%Y}).",
                    f"The disclosure address {current}{change_en}, seen since "
                    f"{since:%d/%m/%Y}, was reported to {authority} late: on "
                    f"{latest.reported_on:%d/%m/%Y} (due {deadline:%d/%m/%Y}).",
                    on=latest.reported_on, url=current, source="history",
                    evidence={**evidence, "reported_on": latest.reported_on.isoformat()})
            else:
                yield self.finding(
                    subject,
                    f"Địa chỉ chuyên mục Công khai {current}{change_vi}, thấy từ ngày "
                    f"{since:%d/%m/%Y}, chưa được báo cáo {authority} (hạn "
                    f"{deadline:%d/%m/%Y}).",
                    f"The disclosure address {current}{change_en}, seen since "
                    f"{since:%d/%m/%Y}, has not been reported to {authority} (due "
                    f"{deadline:%d/%m/%Y}).",
                    url=current, source="history", evidence=evidence)
        if latest and latest.url != current:
            yield from self._still_answers(ctx, latest, float(params["refetch_timeout"]))

    @staticmethod
    def _first_seen(ctx: AuditContext, current: str) -> tuple[date, str | None]:
        """The first day of the current run of sightings of ``current``, and the address before."""
        since = ctx.today
        for run, state in reversed(earlier_states(ctx)):
            if state.url is None:
                continue
            if normalise_url(state.url) != current:
                return since, state.url
            since = run.day
        return since, None

    def _still_answers(self, ctx: AuditContext, latest: _Report, timeout: float
                       ) -> Iterable[Finding]:
        first = refetch(latest.url, ctx, timeout)
        status = first if first is not None and first < 500 else refetch(latest.url, ctx,
                                                                          timeout)
        if status is not None and status < 400:
            return
        shown = f"HTTP {status}" if status is not None else "không phản hồi"
        yield self.finding(
            "reported-address:" + (urlsplit(latest.url).path or "/"),
            f"Địa chỉ đã báo cáo {ctx.config.authority.name} ngày "
            f"{latest.reported_on:%d/%m/%Y} ({latest.url}) không còn truy cập được ({shown}).",
            f"The address reported to {ctx.config.authority.name} on "
            f"{latest.reported_on:%d/%m/%Y} ({latest.url}) no longer answers "
            f"({'HTTP ' + str(status) if status is not None else 'no answer'}).",
            severity=Severity.WARNING, url=latest.url, source="history",
            evidence={"url": latest.url, "status": status})
