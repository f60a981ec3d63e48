"""`auditor` as a program: runs the root command, maps what it raised to one line and an
exit code (:mod:`auditor.cli.exits`), stops cleanly on Ctrl-C and SIGTERM."""

from __future__ import annotations

import os
import sys

import typer

from auditor.cli.exits import STOPPED, failure, is_known, stopped
from auditor.cli.messages import help_in
from auditor.cli.root import app
from auditor.errors import error_lang, speaking


def _ensure_utf8() -> None:
    """Vietnamese must survive a Windows console or a redirect to a file."""
    for stream in (sys.stdout, sys.stderr):
        enc = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if enc != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every `finally` (temporary files) runs."""


# Which signal stopped the run: typer turns Ctrl-C into a silent exit code 130, so the
# handlers note it here and main() says so in one line.
_STOPPED: list[int] = []


def _on_signal(signum: int, _frame: object) -> None:
    import signal

    _STOPPED.append(signum)
    raise Terminated if signum == signal.SIGTERM else KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Run the command line; Ctrl-C (exit 130) and SIGTERM (exit 143) stop it cleanly, in
    one line, with every temporary file removed."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return _main(argv)
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    ours = [sig for sig, handler in previous.items()
            if handler in (signal.SIG_DFL, signal.default_int_handler)]
    for sig in ours:
        signal.signal(sig, _on_signal)
    _STOPPED.clear()
    try:
        code = _main(argv)
    finally:
        for sig in ours:
            signal.signal(sig, previous[sig])
    if _STOPPED:
        typer.echo(stopped(error_lang(argv)), err=True)
        return 143 if _STOPPED[0] == signal.SIGTERM else STOPPED
    return code


def _main(argv: list[str] | None = None) -> int:
    _ensure_utf8()
    lang = error_lang(argv)
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        with help_in(lang), speaking(lang):
            # Bare `auditor` prints the help and succeeds (it is not a usage error).
            result = app(args=args or ["--help"], prog_name="auditor", standalone_mode=False)
    except (Exception, KeyboardInterrupt) as exc:
        if os.environ.get("AUDITOR_DEBUG") and not is_known(exc):
            raise
        return _report(exc, lang)
    return result if isinstance(result, int) else 0


def _report(exc: BaseException, lang: str) -> int:
    """`exc` on stderr, in `lang`; its exit code. A stop by a signal is said once, by main."""
    said = failure(exc, lang)
    if not (said.code == STOPPED and _STOPPED):
        for line in said.lines:
            typer.echo(line, err=True)
    return said.code
