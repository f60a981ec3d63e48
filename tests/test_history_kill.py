"""A run killed (SIGKILL) in the middle of writing leaves the history intact.

The child process records a large run; SQLite's progress handler, called
while the INSERTs execute, tells the parent "MID" and blocks, so the kill
lands inside the open transaction with uncommitted pages already spilled
into the WAL file.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

from auditor.history import DisclosureRecord, DisclosureState, HistoryStore
from tests._history_support import finding, report

TESTS = Path(__file__).resolve().parent

CHILD = textwrap.dedent(
    """
    import sys, time
    from datetime import date
    sys.path.insert(0, {tests!r})
    from _history_support import finding, report
    from auditor.history import DisclosureRecord, DisclosureState, HistoryStore

    store = HistoryStore.open({path!r})
    store.conn.execute("PRAGMA cache_size = 5")  # spill dirty pages to the WAL early
    calls = 0

    def progress():
        global calls
        calls += 1
        if calls == 400:  # well inside the run's transaction
            print("MID", flush=True)
            time.sleep(600)
        return 0

    big = report(date(2026, 11, 20),
                 [finding("site.broken-links", f"url:/p/{{i}}", "Liên kết hỏng " + "x" * 200)
                  for i in range(5000)])
    items = tuple(DisclosureRecord(f"k{{i}}", f"Mục {{i}}", None) for i in range(2000))
    store.conn.set_progress_handler(progress, 100)
    store.record_run(big, snapshot_disclosure=DisclosureState(url="https://x/ck", items=items))
    print("DONE", flush=True)
    """
)


def test_sigkill_mid_run_keeps_earlier_runs_and_no_half_run(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    state = DisclosureState(url="https://x/ck", status=200,
                            items=(DisclosureRecord("15127", "Biểu mẫu 11", "https://x/a"),))
    with HistoryStore.open(path) as store:
        first = store.record_run(report(date(2026, 11, 5), [finding("a.rule", "x")]), state)
        second = store.record_run(report(date(2026, 11, 12), [finding("a.rule", "y")]), state)
    wal = Path(str(path) + "-wal")
    wal_before = wal.stat().st_size if wal.exists() else 0

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD.format(tests=str(TESTS), path=str(path))],
        stdout=subprocess.PIPE, text=True, env=env,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "MID"
    wal_during = wal.stat().st_size
    if hasattr(signal, "SIGKILL"):
        os.kill(child.pid, signal.SIGKILL)
    else:  # Windows: TerminateProcess is the equivalent of SIGKILL
        child.kill()
    child.wait()
    assert child.returncode != 0

    # Uncommitted pages of the killed run had reached the WAL file on disk.
    assert wal_during > wal_before

    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    raw.close()
    with HistoryStore.open(path) as store:
        assert store.integrity() == "ok"
        assert [r.id for r in store.runs()] == [first, second]
        assert [f.subject for f in store.findings_of(first)] == ["x"]
        assert [f.subject for f in store.findings_of(second)] == ["y"]
        assert store.disclosure_of(second) == state
        assert store.conn.execute("SELECT count(*) FROM findings").fetchone()[0] == 2
        assert store.conn.execute("SELECT count(*) FROM disclosure_items").fetchone()[0] == 2
        # The store still takes new runs after the crash.
        third = store.record_run(report(date(2026, 11, 21), [finding("a.rule", "z")]))
        assert [r.id for r in store.runs()][-1] == third
