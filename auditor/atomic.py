"""Atomic file writes: a temporary file beside the target, then a rename.

A crash never leaves a half-written report where someone will open it, and
the temporary file is removed on every way out (an error, Ctrl-C, SIGTERM).
Inside :func:`atomic_set` the renames wait for the whole set: a report's
Excel, HTML and CSV files are replaced together or not at all. Temporary
names carry the writer's process id, so a later write can sweep what a
killed one (SIGKILL, power cut) left behind.
"""

from __future__ import annotations

import contextlib
import contextvars
import glob
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

# The (temporary, target) pairs of the set being written, while one is open.
_SET: contextvars.ContextVar[list[tuple[Path, Path]] | None] = contextvars.ContextVar(
    "atomic_set", default=None)


def _readable(path: Path) -> None:
    """mkstemp makes the file 0600; a report is an ordinary file (0666 less the umask)."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(path, 0o666 & ~mask)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def sweep(target: Path) -> list[Path]:
    """Remove the temporaries of `target` that a killed writer left (its process is gone)."""
    removed = []
    with contextlib.suppress(OSError):
        for tmp in Path(target).parent.glob(f".{glob.escape(Path(target).name)}.*.tmp"):
            pid = tmp.name[len(Path(target).name) + 2:].split(".", 1)[0]
            if pid.isdigit() and not _alive(int(pid)):
                with contextlib.suppress(OSError):
                    tmp.unlink()
                    removed.append(tmp)
    return removed


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; rename it over the target on success
    (at the end of the set, inside :func:`atomic_set`)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    sweep(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp",
                                   dir=target.parent)
    except OSError as exc:  # name the file the user asked for, not our temporary
        raise OSError(exc.errno, exc.strerror, str(target)) from None
    os.close(fd)
    tmp_path = Path(tmp)
    pending = _SET.get()
    try:
        yield tmp_path
        _readable(tmp_path)
        if pending is not None:
            pending.append((tmp_path, target))
            return
        os.replace(tmp_path, target)
    except BaseException:
        _unlink(tmp_path)
        raise


@contextlib.contextmanager
def atomic_set() -> Iterator[None]:
    """Every :func:`atomic_path` inside is renamed into place together at the end; on any
    way out before that (an error, Ctrl-C, SIGTERM) every temporary is removed and no
    target changes."""
    pending: list[tuple[Path, Path]] = []
    token = _SET.set(pending)
    try:
        try:
            yield
        finally:
            _SET.reset(token)
        for tmp, target in pending:
            os.replace(tmp, target)
    finally:
        for tmp, _target in pending:
            if tmp.exists():
                _unlink(tmp)


@contextlib.contextmanager
def atomic_open(target: Path, mode: str = "w", encoding: str | None = "utf-8",
                newline: str | None = None) -> Iterator[IO[Any]]:
    with atomic_path(target) as tmp:
        handle: IO[Any]
        if "b" in mode:
            handle = tmp.open(mode)
        else:
            handle = tmp.open(mode, encoding=encoding, newline=newline)
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())


def write_text(target: Path, text: str, encoding: str = "utf-8") -> None:
    with atomic_open(target, "w", encoding=encoding, newline="") as handle:
        handle.write(text)


def write_bytes(target: Path, data: bytes) -> None:
    with atomic_open(target, "wb", encoding=None) as handle:
        handle.write(data)
