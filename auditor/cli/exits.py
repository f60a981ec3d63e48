"""The one place where a failure becomes what the user sees and the exit code.

Every command of the package raises; :func:`auditor.cli.main` hands what it caught to
:func:`failure`. The words are in the language of the command line (``--lang``,
AUDITOR_LANG); each failure is one line, then a hint where there is one. Exit codes
(DESIGN.md): 2 usage, configuration or input error (also a file that cannot be read or
written); 3 the audit could not complete (also an internal error); 130 stopped (Ctrl-C).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import typer

from auditor.errors import AuditorError, os_reason

STOPPED = 130


@dataclass(frozen=True)
class Failure:
    lines: tuple[str, ...]  # for stderr
    code: int  # the exit code


def failure(exc: BaseException, lang: str) -> Failure:
    """What to print and which exit code, for anything a command raised."""
    for kind, handler in _HANDLERS:
        if isinstance(exc, kind):
            return handler(exc, lang)
    return _internal(exc, lang)


def stopped(lang: str) -> str:
    return "Stopped." if lang == "en" else "Đã dừng."


def _auditor(exc: AuditorError, lang: str) -> Failure:
    return Failure(tuple(exc.lines(lang)), exc.exit_code)


def _stop(_exc: BaseException, lang: str) -> Failure:
    return Failure((stopped(lang),), STOPPED)


def _exit(exc: typer.Exit, _lang: str) -> Failure:
    return Failure((), exc.exit_code)


def _usage(exc: typer.TyperException, lang: str) -> Failure:
    """typer's own usage errors (a bad option, a missing value), in `lang`."""
    from auditor.cli.messages import localise_help, usage_error

    if type(exc).__name__ == "NoArgsIsHelpError":  # a group run bare: its help, no "Lỗi"
        return Failure((localise_help(exc.format_message(), lang),), 2)
    where = _command_path(exc)
    message = usage_error(exc.format_message(), lang)
    if lang == "en":
        return Failure((f"Error: {message}",
                        f"Hint: run '{where} --help' to see how to use it."), 2)
    return Failure((f"Lỗi: {message}", f"Gợi ý: chạy '{where} --help' để xem cách dùng."), 2)


def _command_path(exc: Exception) -> str:
    """'auditor history' for an error in `auditor history …`: its help is the one to read."""
    ctx = getattr(exc, "ctx", None)
    path = getattr(ctx, "command_path", None)
    return path if isinstance(path, str) and path.startswith("auditor") else "auditor"


def _os(exc: OSError, lang: str) -> Failure:
    """A file that cannot be written or read: one line, never a traceback."""
    why, why_en = os_reason(exc)
    where = f"'{exc.filename}': " if exc.filename else ""
    return Failure((f"Error: {where}{why_en}." if lang == "en" else f"Lỗi: {where}{why}.",), 2)


def _internal(exc: BaseException, lang: str) -> Failure:
    """A bug: one line for the user, the traceback on request (AUDITOR_DEBUG=1)."""
    if lang == "en":
        return Failure((f"Internal error, the check did not complete: {exc!r}",
                        "Hint: run again with the environment variable AUDITOR_DEBUG=1 to "
                        "see the details, and report the bug to the developers."), 3)
    return Failure((f"Lỗi nội bộ, kiểm tra không hoàn tất: {exc!r}",
                    "Gợi ý: chạy lại với biến môi trường AUDITOR_DEBUG=1 để xem chi tiết "
                    "và báo lỗi cho nhóm phát triển."), 3)


def is_known(exc: BaseException) -> bool:
    """Whether `exc` is a failure the tool explains (not a bug)."""
    return any(isinstance(exc, kind) for kind, _ in _HANDLERS)


# In order: the first kind `exc` is an instance of decides.
_HANDLERS: tuple[tuple[type[BaseException], Callable[[Any, str], Failure]], ...] = (
    (AuditorError, _auditor),
    (typer.Abort, _stop),
    (typer.Exit, _exit),
    (typer.TyperException, _usage),
    (KeyboardInterrupt, _stop),
    (OSError, _os),
)
