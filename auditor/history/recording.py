"""Recording an audit run in the history (called by ``auditor.audit``).

    store = open_history(config)                       # auditor.history.paths
    ctx = dataclasses.replace(ctx, history=store)      # before the checks run
    report = build_report(ctx, run_all(ctx), …)
    run_id, report = record_audit(store, report, disclosure_snapshot(ctx))

The checks read the earlier runs only; the run being audited is written after
its report is complete, so a run killed before that leaves no trace. The
history knows nothing of the checks: the caller hands it the Công khai section
as this run saw it (:func:`auditor.checks.disclosure_common.disclosure_snapshot`).
"""

from __future__ import annotations

from auditor.history.compare import annotate
from auditor.history.records import DisclosureState
from auditor.history.store import HistoryStore
from auditor.results import AuditReport


def record_audit(store: HistoryStore, report: AuditReport,
                 disclosure: DisclosureState | None) -> tuple[int, AuditReport]:
    """Annotate the report (first_seen, new/open/fixed) and write the run with the
    Công khai section it saw; return the run's id and the annotated report."""
    annotated = annotate(store, report)
    run_id = store.record_run(report, snapshot_disclosure=disclosure)
    return run_id, annotated
