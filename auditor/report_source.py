"""Where the monthly report (Điều 18.1) comes from: the history, or a new audit.

``auditor report --month`` signs off what was recorded: when the history holds a run
for the month's period, the report is rebuilt from it (:mod:`auditor.from_history`);
otherwise — or when a new check is asked for (``rerun``) — the audit runs now and is
recorded like any ``auditor check``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from auditor.audit import AuditOptions, audit_config, load_setup, period_for_month
from auditor.config import Config
from auditor.results import AuditReport
from auditor.timeutil import Period


@dataclass(frozen=True)
class MonthlyReport:
    report: AuditReport
    setup: Config  # the school's configuration the report was made with
    history: Path | None  # the history file it was rebuilt from; None: a new audit


def monthly_report(opts: AuditOptions, *, rerun: bool = False) -> MonthlyReport:
    """The report of `opts.month` (required): from the history when a run for its period
    is on record and `rerun` is false, else from a new audit."""
    if not opts.month:
        raise ValueError("monthly_report needs AuditOptions.month")
    setup = load_setup(opts)
    if not rerun:
        recorded = recorded_report(setup, opts, period_for_month(opts.month, setup.output.period))
        if recorded is not None:
            return recorded
    return MonthlyReport(audit_config(setup, opts), setup, None)


def recorded_report(setup: Config, opts: AuditOptions, period: Period) -> MonthlyReport | None:
    """The report of the latest recorded run for `period`, or None (no history file, or no
    run for that period in it)."""
    from auditor.from_history import report_from_history
    from auditor.history import HistoryStore
    from auditor.history.paths import history_path
    from auditor.ruleset import load_ruleset

    db = history_path(setup, opts.history)
    if not db.is_file():
        return None
    with HistoryStore.open(db) as store:
        ruleset = load_ruleset(setup.rules.set, setup.base_dir)
        report = report_from_history(store, setup, ruleset, period)
    return None if report is None else MonthlyReport(report, setup, db)
