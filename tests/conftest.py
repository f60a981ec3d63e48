"""One sandbox for the whole test run: data, cache and config directories.

Set before any test module is imported, so that every ``platformdirs`` path
(the history, the crawl cache) and every subprocess the tests start land in a
throw-away folder. An audit hook (PEP 578) watches this process: opening a file for
writing, making a folder, renaming or connecting SQLite under the user's own auditor
directories is recorded, and fails the run at its end (tests/test_isolation.py checks
the same during the run). Subprocesses inherit the sandbox's environment.
"""

from __future__ import annotations

import os
import sys
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


_REAL = tuple(os.path.realpath(d) for d in REAL_DIRS)
WRITES_TO_REAL: list[str] = []  # "event path" for each write this process aimed there
_WRITE_EVENTS = {"os.mkdir", "os.rename", "os.replace", "os.remove", "os.rmdir",
                 "shutil.copyfile", "shutil.move", "sqlite3.connect"}


def _under_real(path: object) -> bool:
    if not isinstance(path, (str, bytes, os.PathLike)) or isinstance(path, int):
        return False
    try:
        full = os.path.realpath(os.fsdecode(path))
    except (TypeError, ValueError):
        return False
    return any(full == d or full.startswith(d + os.sep) for d in _REAL)


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event == "open":
        path, mode, flags = (tuple(args) + (None, None, None))[:3]
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))
        if writing and _under_real(path):
            WRITES_TO_REAL.append(f"open {path}")
    elif event in _WRITE_EVENTS and args and any(_under_real(a) for a in args[:2]):
        WRITES_TO_REAL.append(f"{event} {args[0]}")


sys.addaudithook(_audit)


def real_dirs_changed() -> list[str]:
    """What changed under the user's own auditor directories since the run began (by any
    process on this machine: a hint, not proof that the tests wrote it)."""
    after = fingerprint(REAL_DIRS)
    return sorted(p for p in set(after) | set(REAL_BEFORE) if after.get(p) != REAL_BEFORE.get(p))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if WRITES_TO_REAL:
        print("\nTests wrote under the user's own directories:\n  "
              + "\n  ".join(sorted(set(WRITES_TO_REAL))))
        session.exitstatus = 1
    changed = real_dirs_changed()
    if changed and not WRITES_TO_REAL:
        print("\nNote: files under the user's auditor directories changed during the run "
              "(another process; this run wrote nothing there):\n  " + "\n  ".join(changed))
