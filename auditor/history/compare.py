"""Findings over time: first seen, new / still open / fixed, per-rule trends.

A finding is matched across runs by its fingerprint (rule + subject), so a
reworded message or a different order does not make it "new".
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from auditor.history.records import RuleTrend, RunInfo, RunTrend
from auditor.history.store import HistoryStore, report_school
from auditor.results import AuditReport, Finding, RuleStatus

NEW, OPEN, FIXED = "new", "open", "fixed"


def _not_checked(report: AuditReport) -> set[str]:
    return {r.rule for r in report.results if r.status is RuleStatus.NOT_CHECKED}


def annotate(store: HistoryStore, report: AuditReport, run_id: int | None = None) -> AuditReport:
    """The report with ``extras["history"]``: first_seen and change of each finding.

    Call it before or after :meth:`HistoryStore.record_run` (pass the run id
    when after, so the run is not compared with itself). Shape::

        {"previous_run": {"id": 3, "as_of": "…"} | None,
         "findings": {fingerprint: {"first_seen": "YYYY-MM-DD", "change": "new|open"}},
         "fixed": [{"fingerprint", "rule", "subject", "message", "message_en",
                    "first_seen", "last_seen", "change": "fixed"}]}

    A finding of a rule that was not checked this time is not "fixed".
    """
    school = report_school(report)
    today = report.as_of.date()
    prev = store.previous_run(school, report.as_of, exclude_run=run_id)
    before = {f.fingerprint: f for f in store.findings_of(prev.id)} if prev else {}
    entries: dict[str, dict[str, str]] = {}
    for f in report.findings:
        seen = store.seen(school, f.fingerprint)
        first = min(seen.first_seen, today) if seen else today
        entries[f.fingerprint] = {"first_seen": first.isoformat(),
                                  "change": OPEN if f.fingerprint in before else NEW}
    skipped = _not_checked(report)
    fixed: list[dict[str, Any]] = []
    for fp, old in before.items():
        if fp in entries or old.rule in skipped:
            continue
        seen = store.seen(school, fp)
        fixed.append({
            "fingerprint": fp, "rule": old.rule, "subject": old.subject,
            "message": old.message, "message_en": old.message_en,
            "first_seen": (seen.first_seen if seen else prev.day).isoformat() if prev else None,
            "last_seen": prev.day.isoformat() if prev else None,
            "change": FIXED,
        })
    history = {
        "previous_run": {"id": prev.id, "as_of": prev.as_of.isoformat()} if prev else None,
        "findings": entries,
        "fixed": fixed,
    }
    return dataclasses.replace(report, extras={**report.extras, "history": history})


def finding_history(report: AuditReport, finding: Finding) -> tuple[date | None, str | None]:
    """(first_seen, change) of a finding in an annotated report; (None, None) otherwise."""
    entry = report.extras.get("history", {}).get("findings", {}).get(finding.fingerprint)
    if not entry:
        return None, None
    return date.fromisoformat(entry["first_seen"]), entry["change"]


def json_fields(report: AuditReport, finding: Finding) -> dict[str, str | None]:
    """The JSON report's per-finding history: ``{"first_seen": …, "change": …}``."""
    first, change = finding_history(report, finding)
    return {"first_seen": first.isoformat() if first else None, "change": change}


def trends(store: HistoryStore, school: str | None = None) -> list[RunTrend]:
    """For each run, per rule: findings new since the school's previous run, still open, fixed."""
    out: list[RunTrend] = []
    last: dict[str, RunInfo] = {}
    by_run: dict[int, set[tuple[str, str]]] = {}
    for run in store.runs(school):
        current = {(f.rule, f.fingerprint) for f in store.findings_of(run.id)}
        by_run[run.id] = current
        statuses = store.rule_statuses(run.id)
        prev = last.get(run.school)
        before = by_run[prev.id] if prev else set()
        rules = sorted({r for r, _ in current | before} | set(statuses))
        rows = []
        for rule in rules:
            now = {fp for r, fp in current if r == rule}
            then = {fp for r, fp in before if r == rule}
            checked = statuses.get(rule) != str(RuleStatus.NOT_CHECKED)
            rows.append(RuleTrend(rule=rule, new=len(now - then), open=len(now & then),
                                  fixed=len(then - now) if checked else 0))
        out.append(RunTrend(run=run, total=len(current), rules=tuple(rows)))
        last[run.school] = run
    return out
