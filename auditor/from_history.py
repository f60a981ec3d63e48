"""A report rebuilt from the history (``auditor report --month``), when a run for the
period is on record.

The history keeps each run's rule statuses, findings, statistics and Công khai
checklist (as the run's report showed them); runs recorded before it kept those
say so in a notice (statistics) or fall back to the section's items (Công khai),
and the sheets that need what they lack show "không có dữ liệu". Tallies for
Điều 19.2 are recounted from every run of the school year up to this period.

It sits beside :mod:`auditor.audit` (the other way to get an ``AuditReport``), not in
``auditor.render``: it asks the engine which sheet each rule's check details its
findings on, and the renderers never reach the checks.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import datetime
from typing import Any, TypeVar

from auditor import __version__
from auditor.config import Config
from auditor.engine import available_checks
from auditor.history import HistoryStore, RunInfo
from auditor.history.paths import config_school
from auditor.people import Directory
from auditor.results import (
    AuditReport,
    DisclosureRow,
    EventRow,
    Finding,
    FindingStatus,
    LegalBasis,
    MonthlyStat,
    ReportSections,
    RuleResult,
    RuleStatus,
    SchoolInfo,
    Severity,
)
from auditor.ruleset import RuleSet
from auditor.tally import (
    department_months,
    department_tallies,
    person_tallies,
    unassigned_tally,
)
from auditor.timeutil import Period, months_between, school_year, tz

_Row = TypeVar("_Row", MonthlyStat, EventRow, DisclosureRow)


def latest_run(store: HistoryStore, school: str, period: Period) -> RunInfo | None:
    """The most recent run of the school for exactly this period."""
    runs = [r for r in store.runs(school)
            if r.period_start == period.start and r.period_end == period.end]
    return max(runs, key=lambda r: (r.as_of, r.id)) if runs else None


def _finding(stored: Any) -> Finding:
    return Finding(
        rule=stored.rule, subject=stored.subject, message=stored.message,
        message_en=stored.message_en or stored.message, severity=Severity(stored.severity),
        status=FindingStatus(stored.status), department=stored.department,
        person=stored.person, on=stored.on, url=stored.url, evidence=dict(stored.evidence),
        source="history")


def _reasons(store: HistoryStore, run_id: int) -> dict[str, str]:
    """Why a rule was not checked, as the run recorded it (older files may lack it)."""
    try:
        rows = store.conn.execute(
            "SELECT rule, reason FROM rule_results WHERE run_id = ? AND reason IS NOT NULL",
            (run_id,)).fetchall()
    except sqlite3.Error:
        return {}
    return {rule: reason for rule, reason in rows}


def _year_findings(store: HistoryStore, school: str, year: Period,
                   upto: RunInfo) -> list[Finding]:
    """Every finding of the school year on record up to `upto`, once per fingerprint."""
    seen: dict[str, Finding] = {}
    runs = sorted((r for r in store.runs(school)
                   if r.period_end >= year.start and r.period_start <= year.end
                   and (r.as_of, r.id) <= (upto.as_of, upto.id)),
                  key=lambda r: (r.as_of, r.id))
    for run in runs:
        for stored in store.findings_of(run.id):
            seen[stored.fingerprint] = _finding(stored)
    return list(seen.values())


def _sheet(rule_id: str) -> str | None:
    """The report sheet a rule details its findings on (its check's report_sheet)."""
    check = available_checks().get(rule_id)
    return check.report_sheet if check is not None else None


def _disclosure_rows(store: HistoryStore, run: RunInfo,
                     stored: list[dict[str, Any]] | None) -> tuple[DisclosureRow, ...] | None:
    """The Công khai sheet as the run's report showed it (the catalogue's checklist);
    a run recorded before the history kept those rows falls back to the section's items."""
    if stored is not None:
        return _typed(DisclosureRow, stored)
    state = store.disclosure_of(run.id)
    if state is None or not state.items:
        return None
    return tuple(DisclosureRow(**row) for row in state.report_rows(run.as_of))


def _typed(cls: type[_Row], rows: list[dict[str, Any]] | None) -> tuple[_Row, ...] | None:
    """Stored statistics (JSON objects) back into the report's types; unknown keys dropped."""
    if rows is None:
        return None
    names = {f.name for f in dataclasses.fields(cls)}
    return tuple(cls(**{k: v for k, v in row.items() if k in names}) for row in rows)


def _sections(store: HistoryStore, run: RunInfo, findings: list[Finding], period: Period,
              year_to_date: Period, threshold: int) -> ReportSections:
    stats = store.statistics(run.id)  # posts per month, events, the Công khai checklist
    months = months_between(min(year_to_date.start, period.start), period.end)
    return ReportSections(monthly=_typed(MonthlyStat, stats.get("monthly")),
                          events=_typed(EventRow, stats.get("events")),
                          disclosure=_disclosure_rows(store, run, stats.get("disclosure")),
                          departments_by_month=department_months(findings, months),
                          unassigned=unassigned_tally(findings, period, year_to_date, threshold))


def report_from_history(store: HistoryStore, config: Config, ruleset: RuleSet,
                        period: Period) -> AuditReport | None:
    """The report of the latest recorded run for `period`, or None when there is none."""
    school = config_school(config)
    run = latest_run(store, school, period)
    if run is None:
        return None
    statuses = store.rule_statuses(run.id)
    reasons = _reasons(store, run.id)
    findings: dict[str, list[Finding]] = {}
    for stored in store.findings_of(run.id):
        findings.setdefault(stored.rule, []).append(_finding(stored))
    order = [r for r in ruleset.rules if r in statuses] + sorted(
        r for r in statuses if r not in ruleset.rules)
    results = []
    for rule_id in order:
        meta = ruleset.rules.get(rule_id)
        results.append(RuleResult(
            rule=rule_id, title=meta.title if meta else rule_id,
            title_en=meta.title_en if meta else rule_id,
            basis=meta.basis if meta else LegalBasis("", rule_id),
            status=RuleStatus(statuses[rule_id]),
            findings=tuple(sorted(findings.get(rule_id, []),
                                  key=lambda f: (f.on or period.start, f.subject))),
            reason=reasons.get(rule_id), sheet=_sheet(rule_id)))
    m, d = config.school.year_start
    year = school_year(period.end, m, d)
    everything = _year_findings(store, school, year, run)
    threshold = ruleset.emulation_threshold
    zone = tz(config.school.timezone)
    # Tallies count findings up to the end of the period, not after it.
    year_to_date = Period(year.start, min(period.end, year.end))
    sections = _sections(store, run, everything, period, year_to_date, threshold)
    notice = (f"Báo cáo lập lại từ lịch sử: lần kiểm tra số {run.id} ngày "
              f"{run.as_of:%d/%m/%Y %H:%M}.")
    if sections.monthly is None:  # a run recorded before the history kept statistics
        notice += (" Lần kiểm tra này chưa lưu thống kê tin bài theo tháng và sự kiện; chạy "
                   "'auditor report --rerun' để kiểm tra lại và có đủ số liệu.")
    return AuditReport(
        tool_version=__version__,
        school=SchoolInfo(config.school.name, config.school.url, config.school.kind,
                          config.authority.name),
        period_start=period.start, period_end=period.end, as_of=run.as_of,
        generated_at=datetime.now(zone).replace(microsecond=0),
        school_year_start=year.start, school_year_end=year.end, ruleset=run.ruleset,
        results=tuple(results),
        departments=department_tallies(everything, period, year_to_date, threshold,
                                       known=Directory(config).departments),
        persons=person_tallies(everything, period, year_to_date, threshold),
        emulation_threshold=threshold, notices=(notice,), sections=sections)
