"""The command line: parses, calls the library, maps errors to exit codes.

No business logic lives here (STYLE.md §1). Exit codes (DESIGN.md): 0
compliant; 1 findings at or above --fail-on; 2 usage, configuration or input
error; 3 the audit could not complete.
"""

from __future__ import annotations

import io
import os
import sys
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from auditor import __version__
from auditor.cli_messages import Lang, LangOption
from auditor.errors import AuditorError, UsageError, error_lang, speaking
from auditor.render.console import UNWRAPPED
from auditor.results import AuditReport

app = typer.Typer(
    name="auditor", no_args_is_help=True, add_completion=True, rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="Kiểm tra Cổng thông tin điện tử trường học theo Quy chế hoạt động "
         "(QĐ 111/QĐ-THCS). In English: AUDITOR_LANG=en.",
)
rules_app = typer.Typer(no_args_is_help=True, help="Bộ quy tắc: liệt kê và giải thích.")
app.add_typer(rules_app, name="rules")


class Format(StrEnum):
    text = "text"
    json = "json"


class FailOn(StrEnum):
    violation = "violation"
    warning = "warning"
    never = "never"  # cron: exit 1 never; 2 and 3 still say the run itself went wrong


def parse_day(value: str | None, option: str) -> date | None:
    """YYYY-MM-DD or day-first dd/mm/yyyy."""
    if value is None:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    raise UsageError(f"{option} '{value}' không phải là ngày hợp lệ; cần dạng 2026-11-24 "
                     "hoặc 24/11/2026.",
                     en=f"{option} '{value}' is not a valid date; expected 2026-11-24 "
                        "or 24/11/2026.")


def parse_month(value: str | None, option: str = "--month") -> str | None:
    """2026-11 or month-first 11/2026 (also 11-2026) → "2026-11"."""
    if value is None:
        return None
    text = value.strip()
    for fmt in ("%Y-%m", "%m/%Y", "%m-%Y"):
        try:
            return datetime.strptime(text, fmt).strftime("%Y-%m")
        except ValueError:
            continue
    raise UsageError(f"{option} '{value}' không phải là tháng hợp lệ; cần dạng 2026-11 "
                     "hoặc 11/2026.",
                     en=f"{option} '{value}' is not a valid month; expected 2026-11 or 11/2026.")


def out_console() -> Console:
    from auditor.render.console import make_console

    return make_console()


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"auditor {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", help="In phiên bản rồi thoát.",
                                          callback=_print_version, is_eager=True)] = False,
) -> None:
    """Kiểm tra Cổng thông tin điện tử trường học theo Quy chế hoạt động (QĐ 111/QĐ-THCS).
    In English: AUDITOR_LANG=en."""


@app.command()
def check(
    config: Annotated[Path | None, typer.Option("--config", "-c", help="Tệp auditor.toml")] = None,
    demo: Annotated[bool, typer.Option("--demo", help="Kiểm tra trường mẫu đi kèm")] = False,
    site: Annotated[str | None, typer.Option("--site", help="Địa chỉ trang web")] = None,
    export: Annotated[Path | None, typer.Option("--export", help="Tệp xuất CMS")] = None,
    events: Annotated[Path | None, typer.Option("--events", help="Lịch công tác")] = None,
    month: Annotated[str | None, typer.Option("--month", help="Tháng: 2026-11 hoặc 11/2026")]
    = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Từ ngày")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Đến ngày")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Coi hôm nay là ngày")] = None,
    offline: Annotated[bool, typer.Option("--offline", help="Dùng lần thu thập trước")] = False,
    fmt: Annotated[Format, typer.Option("--format", help="text hoặc json")] = Format.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Ghi ra tệp")] = None,
    report_dir: Annotated[Path | None, typer.Option("--report-dir", help="Thư mục báo cáo")] = None,
    fail_on: Annotated[FailOn, typer.Option("--fail-on")] = FailOn.violation,
    lang: LangOption = Lang.vi,
    history: Annotated[Path | None, typer.Option("--history", help="Tệp lịch sử")] = None,
    cache: Annotated[Path | None, typer.Option("--cache", help="Tệp bộ nhớ đệm thu thập")]
    = None,
    only: Annotated[list[str] | None, typer.Option("--only", help="Chỉ chạy quy tắc này")]
    = None,
    csv_sep: Annotated[str, typer.Option(
        "--csv-sep", help="Dấu phân cách CSV: ',' hoặc ';' (Excel tiếng Việt)")] = ",",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Không in gì trừ lỗi")] = False,
    quick: Annotated[bool, typer.Option("--quick", help="Kiểm tra nhanh (Điều 12.2)")] = False,
    only_new: Annotated[bool, typer.Option("--only-new",
                                           help="Chỉ gửi thư khi có phát hiện mới")] = False,
) -> int:
    """Kiểm tra trang web, tệp xuất CMS và lịch công tác theo bộ quy tắc."""
    from auditor.atomic import write_text
    from auditor.audit import AuditOptions, audit_config, load_setup
    from auditor.render.console import render_console
    from auditor.render.json import render_json
    from auditor.results import Severity

    opts = AuditOptions(
        config_path=config, demo=demo, site=site, export=export, events=events,
        month=parse_month(month),
        date_from=parse_day(date_from, "--from"), date_to=parse_day(date_to, "--to"),
        as_of=parse_day(as_of, "--as-of"), offline=offline, progress=not quiet,
        history=history, lang=lang.value, cache=cache, quick=quick,
        only=tuple(r for item in only or () for r in item.split(",") if r.strip()),
    )
    from auditor.render.csv import csv_separator

    if report_dir is not None:
        csv_separator(csv_sep)  # a bad separator stops before the audit runs
    setup = load_setup(opts)
    report = audit_config(setup, opts)
    if fmt is Format.json:
        rendered = render_json(report, lang.value)
        if output:
            write_text(output, rendered)
        else:
            sys.stdout.write(rendered)
    elif output:
        buffer = io.StringIO()
        render_console(report, Console(file=buffer, width=UNWRAPPED, no_color=True), lang.value)
        write_text(output, buffer.getvalue())
    elif not quiet:
        render_console(report, out_console(), lang.value)
    written: list[Path] = []
    if report_dir is not None:
        from auditor.render.files import write_reports

        written = write_reports(report, report_dir, lang=lang.value,
                                csv_separator=csv_separator(csv_sep))
        for path in written if not quiet else ():
            typer.echo(("Đã ghi " if lang is Lang.vi else "Wrote ") + str(path), err=True)
    if setup.notify.to:
        from auditor.notify import notify_report

        notify_report(setup.notify, report, written, only_new=only_new)
    if incomplete(report, lang.value):
        return 3
    if fail_on is FailOn.never:
        return 0
    worst = report.worst()
    threshold = Severity(fail_on.value).rank
    return 1 if worst is not None and worst.rank >= threshold else 0


def incomplete(report: AuditReport, lang: str) -> bool:
    """One line on stderr per kind of gap (a source failed; the run was not recorded):
    the audit is partial, exit 3."""
    gaps = report.incomplete
    if not gaps:
        return False
    names = {"posts": ("tệp xuất CMS", "the CMS export"),
             "events": ("lịch công tác", "the calendar"), "site": ("trang web", "the site")}
    sources = [g for g in gaps if g.source != "history"]
    if sources:
        parts = [names.get(g.source, (g.source, g.source))[lang == "en"] for g in sources]
        if lang == "en":
            typer.echo(f"Incomplete audit: {', '.join(parts)} could not be used; the rules "
                       "that need it are marked \"not checked\".", err=True)
        else:
            typer.echo(f"Kiểm tra chưa đầy đủ: không dùng được {', '.join(parts)}; các quy tắc "
                       "cần nguồn này được ghi là \"Chưa kiểm tra\".", err=True)
    for gap in gaps:
        if gap.source == "history":
            typer.echo(gap.reason_en if lang == "en" else gap.reason, err=True)
    return True


@rules_app.command("list")
def rules_list(
    config: Annotated[Path | None, typer.Option("--config", "-c")] = None,
    ruleset: Annotated[str | None, typer.Option("--ruleset", help="Bộ quy tắc")] = None,
    lang: LangOption = Lang.vi,
) -> int:
    """Liệt kê các quy tắc của bộ quy tắc đang dùng."""
    from auditor.rules_doc import list_rules

    list_rules(out_console(), config, ruleset, lang.value)
    return 0


@rules_app.command("explain")
def rules_explain(
    rule_id: Annotated[str, typer.Argument(help="Mã quy tắc, ví dụ posts.monthly-quota")],
    config: Annotated[Path | None, typer.Option("--config", "-c")] = None,
    ruleset: Annotated[str | None, typer.Option("--ruleset")] = None,
    lang: LangOption = Lang.vi,
) -> int:
    """Giải thích một quy tắc: nội dung, căn cứ, tham số, ví dụ."""
    from auditor.rules_doc import explain_rule

    explain_rule(out_console(), rule_id, config, ruleset, lang.value)
    return 0


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Tệp sẽ ghi")] = Path("auditor.toml"),
    force: Annotated[bool, typer.Option("--force", help="Ghi đè nếu đã có")] = False,
    lang: LangOption = Lang.vi,
) -> int:
    """Tạo tệp cấu hình auditor.toml mẫu có chú thích."""
    from auditor.atomic import write_text

    if path.exists() and not force:
        raise UsageError(f"Tệp '{path}' đã tồn tại; không ghi đè.",
                         hint="Dùng --force để ghi đè (tệp cũ sẽ mất).",
                         en=f"File '{path}' already exists; not overwriting it.",
                         hint_en="Use --force to overwrite it (the old file will be lost).")
    template = Path(__file__).with_name("init_template.toml")
    write_text(path, template.read_text(encoding="utf-8"))
    if lang is Lang.en:
        typer.echo(f"Wrote {path}. Edit the school's name, address and departments, then run "
                   f"'auditor check{_config_arg(path)}'.")
    else:
        typer.echo(f"Đã tạo {path}. Sửa tên trường, địa chỉ, các tổ chuyên môn rồi chạy "
                   f"'auditor check{_config_arg(path)}'.")
    return 0


def _config_arg(path: Path) -> str:
    """' --config FILE' unless FILE is the ./auditor.toml `check` reads by itself."""
    return "" if path.resolve() == Path("auditor.toml").resolve() else f" --config {path}"


@app.command()
def version(lang: LangOption = Lang.vi) -> int:
    """In phiên bản."""
    typer.echo(f"auditor {__version__}")
    return 0


# Sub-commands contributed by other modules (each a typer.Typer named `app`).
def _mount() -> None:
    import importlib

    for module, name in (("auditor.cli_text", "text"), ("auditor.cli_history", "history"),
                         ("auditor.cli_disclosure", "disclosure"), ("auditor.cli_site", "site")):
        try:
            sub = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        app.add_typer(sub.app, name=name)
    for module in ("auditor.cli_report", "auditor.cli_batch"):
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
        else:
            mod.register(app)


_mount()


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
        typer.echo("Stopped." if error_lang(argv) == "en" else "Đã dừng.", err=True)
        return 143 if _STOPPED[0] == signal.SIGTERM else 130
    return code


def _command_path(exc: Exception) -> str:
    """'auditor history' for an error in `auditor history …`: its help is the one to read."""
    ctx = getattr(exc, "ctx", None)
    path = getattr(ctx, "command_path", None)
    return path if isinstance(path, str) and path.startswith("auditor") else "auditor"


def _main(argv: list[str] | None = None) -> int:
    _ensure_utf8()
    lang = error_lang(argv)
    en = lang == "en"
    stopped = "Stopped." if en else "Đã dừng."
    from auditor.cli_messages import help_in

    args = list(sys.argv[1:] if argv is None else argv)
    try:
        with help_in(lang), speaking(lang):
            # Bare `auditor` prints the help and succeeds (it is not a usage error).
            result = app(args=args or ["--help"], prog_name="auditor", standalone_mode=False)
    except AuditorError as exc:
        for line in exc.lines(lang):
            typer.echo(line, err=True)
        return exc.exit_code
    except typer.Abort:
        if not _STOPPED:
            typer.echo(stopped, err=True)
        return 130
    except typer.Exit as exc:
        return exc.exit_code
    except typer.TyperException as exc:  # typer's own usage errors (bad option, missing value)
        from auditor.cli_messages import localise_help, usage_error

        if type(exc).__name__ == "NoArgsIsHelpError":  # a group run bare: its help, no "Lỗi"
            typer.echo(localise_help(exc.format_message(), lang), err=True)
            return 2
        where = _command_path(exc)
        if en:
            typer.echo(f"Error: {usage_error(exc.format_message(), lang)}", err=True)
            typer.echo(f"Hint: run '{where} --help' to see how to use it.", err=True)
        else:
            typer.echo(f"Lỗi: {usage_error(exc.format_message(), lang)}", err=True)
            typer.echo(f"Gợi ý: chạy '{where} --help' để xem cách dùng.", err=True)
        return 2
    except KeyboardInterrupt:
        if not _STOPPED:
            typer.echo(stopped, err=True)
        return 130
    except OSError as exc:  # a file that cannot be written or read: one line, never a traceback
        from auditor.errors import os_reason

        why, why_en = os_reason(exc)
        where = f"'{exc.filename}': " if exc.filename else ""
        typer.echo(f"Error: {where}{why_en}." if en else f"Lỗi: {where}{why}.", err=True)
        return 2
    except Exception as exc:  # a bug: one line for the user, the traceback on request
        if os.environ.get("AUDITOR_DEBUG"):
            raise
        if en:
            typer.echo(f"Internal error, the check did not complete: {exc!r}", err=True)
            typer.echo("Hint: run again with the environment variable AUDITOR_DEBUG=1 to see "
                       "the details, and report the bug to the developers.", err=True)
        else:
            typer.echo(f"Lỗi nội bộ, kiểm tra không hoàn tất: {exc!r}", err=True)
            typer.echo("Gợi ý: chạy lại với biến môi trường AUDITOR_DEBUG=1 để xem chi tiết "
                       "và báo lỗi cho nhóm phát triển.", err=True)
        return 3
    return result if isinstance(result, int) else 0
