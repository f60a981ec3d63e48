"""The test run has its own data, cache and config directories (tests/conftest.py):
an audit with no --history writes its history there, and nothing lands under the
user's own directories."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import platformdirs

from auditor.crawl.settings import default_cache_path
from auditor.history.store import HistoryStore, default_path
from tests.conftest import REAL_DIRS, SANDBOX, WRITES_TO_REAL, _audit

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "fixtures" / "demo"


def test_default_paths_point_into_the_sandbox() -> None:
    for path in (default_path(), default_cache_path(),
                 Path(platformdirs.user_config_dir("auditor"))):
        assert SANDBOX in path.parents, path
    for real in REAL_DIRS:
        assert SANDBOX not in real.parents  # the fingerprinted ones are the user's own


def _runs() -> int:
    if not default_path().is_file():
        return 0
    with HistoryStore.open(default_path()) as store:
        return len(store.runs())


def test_an_audit_without_history_option_writes_into_the_sandbox(tmp_path: Path) -> None:
    """A subprocess inherits the sandbox: its default history file is the sandbox's."""
    before = _runs()
    proc = subprocess.run(
        [sys.executable, "-m", "auditor", "check", "--export", str(DEMO / "cms-export.csv"),
         "--as-of", "2026-10-31", "--format", "json"],
        cwd=tmp_path, capture_output=True, text=True, env=os.environ.copy(), timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    assert _runs() == before + 1  # the run was recorded in the sandbox's history
    assert WRITES_TO_REAL == []


def test_nothing_written_under_the_users_directories_so_far() -> None:
    assert WRITES_TO_REAL == [], "tests wrote under the user's own auditor directories"


def test_the_watch_sees_a_write_to_the_users_directory() -> None:
    """The hook is live and would catch the history opened at the user's own default
    place (the event is fed to it directly; nothing is written)."""
    real_history = str(REAL_DIRS[0] / "history.sqlite3")
    count = len(WRITES_TO_REAL)
    _audit("sqlite3.connect", (real_history,))
    _audit("open", (real_history, "r", os.O_RDONLY))  # reading is allowed
    _audit("open", (str(SANDBOX / "data" / "x"), "w", os.O_WRONLY))  # the sandbox is ours
    assert WRITES_TO_REAL[count:] == [f"sqlite3.connect {real_history}"]
    del WRITES_TO_REAL[count:]
