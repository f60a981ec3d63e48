"""Findings over time: first seen, new / still open / fixed, per-rule trends.

A finding is matched across runs by its fingerprint (rule + subject), so a
reworded message or a different order does not make it "new".
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime

from auditor.history.records import RuleTrend, RunInfo, RunTrend
from auditor.history.store import HistoryStore, report_school
from auditor.results import (
    AuditReport,
    Finding,
    FindingChange,
    FixedFinding,
    HistoryComparison,
    PreviousRun,
    RuleStatus,
)

NEW, OPEN, FIXED = "new", "open", "fixed"


@dataclass(frozen=True)
class Scope:
    """What a run looked at: the rules it checked and its period.

    A run covers a finding when it checked the finding's rule and the finding's
    day falls in its period (a finding about no day, site-wide, is covered by any
    period). Only a run that covers a finding can say it is gone.
    """

    checked: frozenset[str] | None  # None: an old run that kept no rule statuses (all)
    start: date
    end: date

    def covers(self, rule: str, on: date | None) -> bool:
        if self.checked is not None and rule not in self.checked:
            return False
        return on is None or self.start <= on <= self.end


@dataclass(frozen=True)
class Known:
    """A finding as the newest run that covered it left it: open, with its details."""

    rule: str
    on: date | None
    subject: str
    message: str
    message_en: str
    run: RunInfo


def report_scope(report: AuditReport) -> Scope:
    checked = frozenset(r.rule for r in report.results if r.status is not RuleStatus.NOT_CHECKED)
    return Scope(checked, report.period_start, report.period_end)


def run_scope(store: HistoryStore, run: RunInfo) -> Scope:
    statuses = store.rule_statuses(run.id)
    checked = (frozenset(r for r, st in statuses.items() if st != str(RuleStatus.NOT_CHECKED))
               if statuses else None)
    return Scope(checked, run.period_start, run.period_end)


def step(state: dict[str, Known], scope: Scope, found: dict[str, Known]
         ) -> tuple[set[str], set[str], set[str]]:
    """Move `state` (the open findings) past one run; return (new, still open, fixed).

    A finding the run covers and did not find is fixed; one it did not cover keeps
    its state (a --month or --only run says nothing about it).
    """
    new = {fp for fp in found if fp not in state}
    still = {fp for fp in found if fp in state}
    fixed = {fp for fp, k in state.items() if fp not in found and scope.covers(k.rule, k.on)}
    for fp in fixed:
        del state[fp]
    state.update(found)
    return new, still, fixed


def _stored(store: HistoryStore, run: RunInfo) -> dict[str, Known]:
    return {f.fingerprint: Known(f.rule, f.on, f.subject, f.message, f.message_en, run)
            for f in store.findings_of(run.id)}


def open_before(store: HistoryStore, school: str, as_of: datetime,
                exclude_run: int | None = None) -> tuple[dict[str, Known], RunInfo | None]:
    """The findings open after the school's earlier runs (scoped), and the latest run."""
    state: dict[str, Known] = {}
    earlier = store.runs_before(school, as_of, exclude_run)
    for run in earlier:
        step(state, run_scope(store, run), _stored(store, run))
    return state, (earlier[-1] if earlier else None)


def annotate(store: HistoryStore, report: AuditReport, run_id: int | None = None) -> AuditReport:
    """The report with its :class:`~auditor.results.HistoryComparison`: the first_seen
    and change ("new" or "open") of each finding, the previous run, and the findings
    fixed since.

    Call it before or after :meth:`HistoryStore.record_run` (pass the run id
    when after, so the run is not compared with itself).

    Comparisons are scoped (:class:`Scope`): a finding is "fixed" only when this
    run checked its rule over a period that holds its day and did not find it; a
    finding a narrower earlier run (--month, --only) did not cover stays open.
    """
    school = report_school(report)
    today = report.as_of.date()
    state, prev = open_before(store, school, report.as_of, exclude_run=run_id)
    entries: dict[str, FindingChange] = {}
    for f in report.findings:
        seen = store.seen(school, f.fingerprint)
        first = min(seen.first_seen, today) if seen else today
        entries[f.fingerprint] = FindingChange(first, OPEN if f.fingerprint in state else NEW)
    scope = report_scope(report)
    fixed: list[FixedFinding] = []
    for fp, old in sorted(state.items(), key=lambda kv: (kv[1].rule, kv[1].subject)):
        if fp in entries or not scope.covers(old.rule, old.on):
            continue
        seen = store.seen(school, fp)
        fixed.append(FixedFinding(
            fingerprint=fp, rule=old.rule, subject=old.subject, message=old.message,
            message_en=old.message_en, first_seen=seen.first_seen if seen else old.run.day,
            last_seen=old.run.day))
    comparison = HistoryComparison(
        previous_run=PreviousRun(prev.id, prev.as_of) if prev else None,
        findings=entries, fixed=tuple(fixed))
    return dataclasses.replace(report, comparison=comparison)


def finding_history(report: AuditReport, finding: Finding) -> tuple[date | None, str | None]:
    """(first_seen, change) of a finding in an annotated report; (None, None) otherwise."""
    entry = report.comparison.change_of(finding) if report.comparison else None
    if entry is None:
        return None, None
    return entry.first_seen, entry.change


def json_fields(report: AuditReport, finding: Finding) -> dict[str, str | None]:
    """The JSON report's per-finding history: ``{"first_seen": …, "change": …}``."""
    first, change = finding_history(report, finding)
    return {"first_seen": first.isoformat() if first else None, "change": change}


def trends(store: HistoryStore, school: str | None = None) -> list[RunTrend]:
    """For each run, per rule: findings new since the school's earlier runs, still open,
    fixed — scoped as in :func:`annotate` (a --month run fixes nothing outside its month)."""
    out: list[RunTrend] = []
    state: dict[str, dict[str, Known]] = {}
    for run in store.runs(school):
        found = _stored(store, run)
        statuses = store.rule_statuses(run.id)
        school_state = state.setdefault(run.school, {})
        before = dict(school_state)
        new, still, fixed = step(school_state, run_scope(store, run), found)
        rule_of = {fp: k.rule for fp, k in {**before, **found}.items()}
        rules = sorted({rule_of[fp] for fp in new | still | fixed} | set(statuses))
        rows = [RuleTrend(rule=rule, new=sum(rule_of[fp] == rule for fp in new),
                          open=sum(rule_of[fp] == rule for fp in still),
                          fixed=sum(rule_of[fp] == rule for fp in fixed))
                for rule in rules]
        out.append(RunTrend(run=run, total=len(found), rules=tuple(rows)))
    return out
