"""Wiring the history into an audit run (called by ``auditor.audit``).

    store = open_history(config)                 # auditor.history.paths
    ctx = with_history(ctx, store)               # before the checks run
    report = build_report(ctx, run_all(ctx), …)
    run_id, report = record_audit(store, ctx, report)   # one transaction

The checks read the earlier runs only; the run being audited is written after
its report is complete, so a run killed before that leaves no trace.
"""

from __future__ import annotations

import dataclasses

from auditor.checks.disclosure_common import current_state
from auditor.checks.interface import AuditContext
from auditor.history.compare import annotate
from auditor.history.records import DisclosureState
from auditor.history.store import HistoryStore
from auditor.results import AuditReport

DEFAULT_CATEGORIES = ("Công khai",)
_RULES_WITH_CATEGORIES = ("disclosure.always-visible", "disclosure.required-items")


def with_history(ctx: AuditContext, store: HistoryStore | None) -> AuditContext:
    return dataclasses.replace(ctx, history=store)


def disclosure_snapshot(ctx: AuditContext) -> DisclosureState | None:
    """The Công khai section as this run saw it (site and export), for the next runs."""
    categories: list[str] = list(DEFAULT_CATEGORIES)
    for rule_id in _RULES_WITH_CATEGORIES:
        rule = ctx.ruleset.rules.get(rule_id)
        if rule is not None and isinstance(rule.params.get("categories"), list):
            categories = [str(c) for c in rule.params["categories"]]
            break
    return current_state(ctx, categories)


def record_audit(store: HistoryStore, ctx: AuditContext,
                 report: AuditReport) -> tuple[int, AuditReport]:
    """Annotate the report (first_seen, new/open/fixed) and write the run; return both."""
    annotated = annotate(store, report)
    run_id = store.record_run(report, snapshot_disclosure=disclosure_snapshot(ctx))
    return run_id, annotated
