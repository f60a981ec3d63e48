"""The audit history: runs, findings over time, the Công khai section and link reports."""

from auditor.history.compare import annotate, finding_history, json_fields, trends
from auditor.history.records import (
    DisclosureRecord,
    DisclosureState,
    LinkReport,
    RunInfo,
    RunTrend,
    normalise_url,
    school_key,
)
from auditor.history.store import HistoryStore, default_path, report_school

__all__ = [
    "DisclosureRecord", "DisclosureState", "HistoryStore", "LinkReport", "RunInfo", "RunTrend",
    "annotate", "default_path", "finding_history", "json_fields", "normalise_url", "report_school",
    "school_key", "trends",
]
