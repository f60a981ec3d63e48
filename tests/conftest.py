"""One sandbox for the whole test run: data, cache and config directories.

Set before any test module is imported, so that every ``platformdirs`` path
(the history, the crawl cache) and every subprocess the tests start land in a
throw-away folder. The user's own auditor directories are fingerprinted now and
compared at the end of the run: anything written there fails the run
(tests/test_isolation.py checks the same during the run).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import platformdirs
import pytest


def _real_dirs() -> tuple[Path, ...]:
    return (Path(platformdirs.user_data_dir("auditor", appauthor=False)),
            Path(platformdirs.user_cache_dir("auditor")),
            Path(platformdirs.user_config_dir("auditor")))


def fingerprint(dirs: tuple[Path, ...]) -> dict[str, tuple[int, int]]:
    """Every file and folder under `dirs` with its size and modification time."""
    out: dict[str, tuple[int, int]] = {}
    for top in dirs:
        if not top.exists():
            continue
        for path in [top, *top.rglob("*")]:
            try:
                st = path.lstat()
            except OSError:
                continue
            out[str(path)] = (st.st_size, st.st_mtime_ns)
    return out


REAL_DIRS = _real_dirs()
REAL_BEFORE = fingerprint(REAL_DIRS)
SANDBOX = Path(tempfile.mkdtemp(prefix="auditor-tests-"))
for _var, _sub in (("HOME", "home"), ("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache"),
                   ("XDG_CONFIG_HOME", "config"), ("XDG_STATE_HOME", "state"),
                   ("LOCALAPPDATA", "localappdata"), ("APPDATA", "appdata")):
    (SANDBOX / _sub).mkdir(parents=True, exist_ok=True)
    os.environ[_var] = str(SANDBOX / _sub)
os.environ.pop("AUDITOR_LANG", None)  # tests ask for English themselves


def real_dirs_changed() -> list[str]:
    """What changed under the user's own auditor directories since the run began."""
    after = fingerprint(REAL_DIRS)
    return sorted(p for p in set(after) | set(REAL_BEFORE) if after.get(p) != REAL_BEFORE.get(p))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    changed = real_dirs_changed()
    if changed:
        print("\nTests wrote under the user's own directories:\n  " + "\n  ".join(changed))
        session.exitstatus = 1
