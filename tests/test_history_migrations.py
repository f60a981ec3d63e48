"""Migrating a history database written by an older version (fixtures/history)."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

from auditor.history import HistoryStore, annotate, trends
from auditor.history.migrations import migrations
from auditor.results import FindingChange
from tests._history_support import finding, report

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "history" / "history-v1.sqlite3"
SCHOOL = "https://thcshoaphuong.haiphong.edu.vn"


def test_fixture_is_at_the_first_schema() -> None:
    conn = sqlite3.connect(f"file:{FIXTURE}?mode=ro", uri=True)
    assert migrations.applied(conn) == ["m001_initial"]
    columns = {r[1] for r in conn.execute("PRAGMA table_info(findings)")}
    assert "message_en" not in columns


def test_old_database_is_migrated_and_keeps_its_runs(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    shutil.copy(FIXTURE, path)
    with HistoryStore.open(path) as store:
        assert store.schema_version() == migrations.names
        assert store.integrity() == "ok"
        assert [(r.id, r.day) for r in store.runs(SCHOOL)] == [
            (1, date(2026, 10, 5)), (2, date(2026, 10, 12))]
        [old] = store.findings_of(2)
        assert old.message == "Tháng 10/2026 mới có 5/8 tin bài." and old.message_en == ""
        # m002 rebuilt first/last seen from the old runs.
        seen = store.seen(SCHOOL, finding("posts.monthly-quota", "month:2026-10").fingerprint)
        assert seen is not None
        assert (seen.first_seen, seen.last_seen) == (date(2026, 10, 5), date(2026, 10, 12))
        state = store.disclosure_of(1)
        assert state is not None and state.items[0].key == "15127"
        assert state.click_path == (("Công khai", "/cong-khai/c/1025"),)
        [link] = store.link_reports(SCHOOL)
        assert link.source == "cli" and link.reported_on == date(2026, 9, 20)

        # A new run after the migration continues the old history.
        now = report(date(2026, 10, 19), [finding("posts.monthly-quota", "month:2026-10")])
        annotated = annotate(store, now)
        assert annotated.comparison is not None
        [entry] = annotated.comparison.findings.values()
        assert entry == FindingChange(date(2026, 10, 5), "open")
        store.record_run(now)
        assert [t.total for t in trends(store, SCHOOL)] == [1, 1, 1]


def test_migrating_twice_is_a_no_op(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    shutil.copy(FIXTURE, path)
    HistoryStore.open(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrations.apply(conn) == []
    assert [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY id")] == \
        migrations.names


def test_a_failing_migration_leaves_the_previous_version(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    shutil.copy(FIXTURE, path)
    conn = sqlite3.connect(path, isolation_level=None)
    # Make m002's CREATE TABLE finding_seen fail halfway through the migration.
    conn.execute("CREATE VIEW finding_seen AS SELECT 1")
    try:
        migrations.apply(conn)
    except sqlite3.OperationalError:
        pass
    else:
        raise AssertionError("the migration should have failed")
    assert migrations.applied(conn) == ["m001_initial"]
    columns = {r[1] for r in conn.execute("PRAGMA table_info(findings)")}
    assert "message_en" not in columns  # the ALTERs before the failure were rolled back



def test_a_step_applied_while_waiting_for_the_lock_is_not_applied_again(tmp_path: Path) -> None:
    """Two first runs on one new history: the second computes its pending steps, then waits
    for the write lock while the first applies them. Under the lock it must look again,
    or it fails with "table … already exists" (seen with four cron jobs at once)."""
    import threading
    import time

    from auditor.history.migrations import Migrations

    steps = Migrations()

    @steps
    def m001_slow_table(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE t (x INTEGER)")
        time.sleep(0.5)  # holds the write lock while the second run starts

    target = tmp_path / "new.sqlite3"
    errors: list[BaseException] = []

    def run() -> None:
        conn = sqlite3.connect(target, isolation_level=None, timeout=30)
        try:
            steps.apply(conn)
        except BaseException as exc:  # the assertion below shows it
            errors.append(exc)
        finally:
            conn.close()

    first = threading.Thread(target=run)
    first.start()
    time.sleep(0.15)  # the first run is inside its step now
    second = threading.Thread(target=run)
    second.start()
    first.join(30)
    second.join(30)
    assert errors == []
    conn = sqlite3.connect(target)
    assert [r[0] for r in conn.execute("SELECT name FROM _migrations")] == ["m001_slow_table"]
    conn.close()
