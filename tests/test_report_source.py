"""Where `auditor report` takes the monthly report from (auditor.report_source): the
history when it holds a run for the month's period, else a new audit; `rerun` always
audits again. Real demo audits, a real SQLite history."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from auditor.audit import AuditOptions
from auditor.history import HistoryStore
from auditor.report_source import monthly_report


def _options(db: Path, month: str = "2026-10") -> AuditOptions:
    return AuditOptions(demo=True, month=month, as_of=date(2026, 11, 26), history=db)


def _runs(db: Path) -> list[tuple[str, str]]:
    with HistoryStore.open(db) as store:
        return [(r.period_start.isoformat(), r.period_end.isoformat()) for r in store.runs()]


def test_no_history_file_means_a_new_audit_which_is_recorded(tmp_path: Path) -> None:
    db = tmp_path / "lich-su.sqlite3"
    made = monthly_report(_options(db))
    assert made.history is None  # a new audit, not the history
    assert made.setup.school.name == "Trường THCS Hoa Phượng"
    assert made.report.results  # the rules ran
    assert _runs(db) == [("2026-10-01", "2026-10-31")]  # recorded like `auditor check`


def test_a_recorded_run_for_the_period_is_reused_and_rerun_audits_again(
        tmp_path: Path) -> None:
    db = tmp_path / "lich-su.sqlite3"
    first = monthly_report(_options(db))
    again = monthly_report(_options(db))
    assert again.history == db  # rebuilt from the history: no second run recorded
    assert _runs(db) == [("2026-10-01", "2026-10-31")]
    assert again.report.as_of == first.report.as_of
    assert ({r.rule: r.status for r in again.report.results}
            == {r.rule: r.status for r in first.report.results})
    fresh = monthly_report(_options(db), rerun=True)
    assert fresh.history is None
    assert len(_runs(db)) == 2  # the new audit was recorded too


def test_a_history_without_the_month_means_a_new_audit(tmp_path: Path) -> None:
    db = tmp_path / "lich-su.sqlite3"
    monthly_report(_options(db, "2026-10"))
    september = monthly_report(_options(db, "2026-09"))
    assert september.history is None
    assert ("2026-09-01", "2026-09-30") in _runs(db)
