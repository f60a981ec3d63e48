"""The history store: schema, one transaction per run, first seen / new / open / fixed."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from auditor.errors import ConfigError
from auditor.history import (
    DisclosureRecord,
    DisclosureState,
    HistoryStore,
    annotate,
    finding_history,
    trends,
)
from auditor.history.migrations import MIGRATIONS_TABLE, migrations
from auditor.history.store import report_school
from tests._history_support import finding, report


def test_open_creates_wal_database_with_every_migration_recorded(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "h.sqlite3"
    with HistoryStore.open(path) as store:
        assert store.journal_mode == "wal"
        assert store.schema_version() == migrations.names
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    names = [r[0] for r in conn.execute(f"SELECT name FROM {MIGRATIONS_TABLE} ORDER BY id")]
    assert names == ["m001_initial", "m002_finding_details", "m003_link_report_source",
                     "m004_run_statistics", "m005_run_disclosure_rows"]
    # Opening again applies nothing twice.
    with HistoryStore.open(path) as store:
        assert migrations.pending(store.conn) == []


def test_run_round_trips_through_a_reopened_file(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    state = DisclosureState(
        url="https://x.edu.vn/cong-khai/c/1025", status=200,
        click_path=(("Công khai", "https://x.edu.vn/cong-khai/c/1025"),),
        items=(DisclosureRecord("15127", "Biểu mẫu 11", "https://x.edu.vn/a/ct/1025/15127",
                                200, None, "site", "15127", date(2026, 9, 12)),
               DisclosureRecord("15128", "Tài chính", None, None, "export:hidden", "export")),
    )
    with HistoryStore.open(path) as store:
        run_id = store.record_run(
            report(date(2026, 11, 2), [finding("posts.monthly-quota", "month:2026-10",
                                               "Tháng 10/2026 có 3/8 tin bài.")]),
            snapshot_disclosure=state,
        )
    with HistoryStore.open(path) as store:
        [run] = store.runs()
        assert run.id == run_id and run.day == date(2026, 11, 2)
        [stored] = store.findings_of(run_id)
        assert stored.message == "Tháng 10/2026 có 3/8 tin bài."
        assert stored.rule == "posts.monthly-quota" and stored.status == "open"
        assert store.disclosure_of(run_id) == state
        assert store.rule_statuses(run_id) == {"posts.monthly-quota": "fail"}


def test_fingerprints_survive_rewording_and_reordering(tmp_path: Path) -> None:
    with HistoryStore.open(tmp_path / "h.sqlite3") as store:
        first = report(date(2026, 10, 5), [
            finding("posts.monthly-quota", "month:2026-09", "Tháng 9 có 3/8 tin bài."),
            finding("posts.event-deadline", "event:EV-1"),
        ])
        store.record_run(first)
        second = report(date(2026, 10, 12), [
            finding("posts.event-deadline", "event:EV-2"),
            finding("posts.monthly-quota", "month:2026-09", "Tháng 9/2026: 4 trên 8 tin bài."),
        ])
        annotated = annotate(store, second)
        by_subject = {f.subject: f for f in annotated.findings}
        assert finding_history(annotated, by_subject["month:2026-09"]) == (
            date(2026, 10, 5), "open")
        assert finding_history(annotated, by_subject["event:EV-2"]) == (date(2026, 10, 12), "new")
        assert annotated.comparison is not None
        [fixed] = annotated.comparison.fixed
        assert fixed.subject == "event:EV-1" and fixed.to_json()["change"] == "fixed"
        assert fixed.last_seen == date(2026, 10, 5)
        # Annotating after recording gives the same answer (the run is not its own past).
        run_id = store.record_run(second)
        again = annotate(store, second, run_id=run_id)
        assert again.comparison is not None
        assert again.comparison.findings == annotated.comparison.findings
        assert again.comparison.previous_run is not None
        assert again.comparison.previous_run.as_of.date() == date(2026, 10, 5)


def test_a_rule_not_checked_does_not_count_as_fixed(tmp_path: Path) -> None:
    with HistoryStore.open(tmp_path / "h.sqlite3") as store:
        store.record_run(report(date(2026, 10, 5), [finding("disclosure.reachable", "section")]))
        later = report(date(2026, 10, 6), [], not_checked=("disclosure.reachable",))
        comparison = annotate(store, later).comparison
        assert comparison is not None and comparison.fixed == ()
        store.record_run(later)
        [_, trend] = trends(store)
        assert [(t.rule, t.new, t.open, t.fixed) for t in trend.rules] == [
            ("disclosure.reachable", 0, 0, 0)]


def test_trends_per_rule(tmp_path: Path) -> None:
    with HistoryStore.open(tmp_path / "h.sqlite3") as store:
        a, b = "a.rule", "b.rule"
        store.record_run(report(date(2026, 10, 5), [finding(a, "x"), finding(a, "y")]))
        store.record_run(report(date(2026, 10, 6), [finding(a, "y"), finding(b, "z")]))
        first, second = trends(store)
        assert [(t.rule, t.new, t.open, t.fixed) for t in first.rules] == [("a.rule", 2, 0, 0)]
        assert [(t.rule, t.new, t.open, t.fixed) for t in second.rules] == [
            ("a.rule", 0, 1, 1), ("b.rule", 1, 0, 0)]
        assert second.total == 2


def test_schools_are_kept_apart(tmp_path: Path) -> None:
    with HistoryStore.open(tmp_path / "h.sqlite3") as store:
        a = report(date(2026, 10, 5), [finding("a.rule", "x")])
        b = report(date(2026, 10, 6), [], school_url="https://other.edu.vn/")
        store.record_run(a)
        store.record_run(b)
        assert report_school(b) == "https://other.edu.vn"
        assert [r.school_name for r in store.runs(report_school(a))] == ["Trường THCS Hoa Phượng"]
        # The other school's empty run does not "fix" the first school's finding.
        later = annotate(store, report(date(2026, 10, 7), [finding("a.rule", "x")]))
        assert later.comparison is not None
        assert later.comparison.findings and later.comparison.fixed == ()
        assert list(later.comparison.findings.values())[0].change == "open"


def test_a_run_that_fails_midway_leaves_nothing_behind(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with HistoryStore.open(path) as store:
        store.record_run(report(date(2026, 10, 5), [finding("a.rule", "x")]))
        # A real SQLite failure after the run and its findings were inserted.
        store.conn.execute(
            "CREATE TRIGGER boom BEFORE INSERT ON disclosure_sections"
            " BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        )
        with pytest.raises(sqlite3.IntegrityError):
            store.record_run(report(date(2026, 10, 6), [finding("a.rule", "x"),
                                                        finding("a.rule", "new")]),
                             snapshot_disclosure=DisclosureState(url="https://x.edu.vn/ck"))
        assert [r.day for r in store.runs()] == [date(2026, 10, 5)]
        school = "https://thcshoaphuong.haiphong.edu.vn"
        seen = store.seen(school, finding("a.rule", "x").fingerprint)
        assert seen is not None and seen.last_seen == date(2026, 10, 5)
        assert store.seen(school, finding("a.rule", "new").fingerprint) is None


def test_link_reports_are_normalised_and_ordered(tmp_path: Path) -> None:
    with HistoryStore.open(tmp_path / "h.sqlite3") as store:
        store.add_link_report("s", "HTTPS://X.edu.vn/cong-khai/c/9/", date(2026, 11, 3), "Mới")
        store.add_link_report("s", "https://x.edu.vn/cong-khai/c/1", date(2026, 9, 1))
        reports = store.link_reports("s")
        assert [(r.url, r.reported_on) for r in reports] == [
            ("https://x.edu.vn/cong-khai/c/1", date(2026, 9, 1)),
            ("https://x.edu.vn/cong-khai/c/9", date(2026, 11, 3)),
        ]
        assert reports[1].note == "Mới" and reports[1].source == "cli"
        assert [r.url for r in store.link_reports("s", until=date(2026, 10, 1))] == [
            "https://x.edu.vn/cong-khai/c/1"]


def test_a_file_that_is_not_sqlite_is_one_clear_error(tmp_path: Path) -> None:
    bogus = tmp_path / "history.sqlite3"
    bogus.write_text("đây không phải CSDL " * 200, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        HistoryStore.open(bogus)
    assert str(bogus) in str(err.value) and "lịch sử" in str(err.value)
