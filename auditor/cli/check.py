"""`auditor check`: the audit of one school, printed, written to files, mailed.

Parsing and printing only (STYLE.md §1): the audit is :func:`auditor.audit.audit_config`,
the report files are :func:`auditor.render.files.write_reports`. Exit codes (DESIGN.md):
0 compliant; 1 findings at or above --fail-on; 2 usage, configuration or input error;
3 the audit could not complete.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from auditor.cli.options import (
    TEXT,
    AsOfOption,
    CacheOption,
    ConfigOption,
    CsvSepOption,
    DemoOption,
    FailOn,
    FailOnOption,
    Format,
    FormatOption,
    HistoryOption,
    Lang,
    LangOption,
    MonthOption,
    OnlyNewOption,
    QuickOption,
    QuietOption,
    ReportDirOption,
    parse_cli_day,
    parse_month,
    wrote,
)
from auditor.render.console import UNWRAPPED
from auditor.results import AuditReport

app = typer.Typer()


@app.command()
def check(
    config: ConfigOption = None,
    demo: DemoOption = False,
    site: Annotated[str | None, typer.Option("--site", help="Địa chỉ trang web")] = None,
    export: Annotated[Path | None, typer.Option("--export", help="Tệp xuất CMS")] = None,
    events: Annotated[Path | None, typer.Option("--events", help="Lịch công tác")] = None,
    month: MonthOption = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Từ ngày")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Đến ngày")] = None,
    as_of: AsOfOption = None,
    offline: Annotated[bool, typer.Option("--offline", help="Dùng lần thu thập trước")] = False,
    fmt: FormatOption = TEXT,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Ghi ra tệp")] = None,
    report_dir: ReportDirOption = None,
    fail_on: FailOnOption = FailOn.violation,
    lang: LangOption = Lang.vi,
    history: HistoryOption = None,
    cache: CacheOption = None,
    only: Annotated[list[str] | None, typer.Option("--only", help="Chỉ chạy quy tắc này")]
    = None,
    csv_sep: CsvSepOption = ",",
    quiet: QuietOption = False,
    quick: QuickOption = False,
    only_new: OnlyNewOption = False,
) -> int:
    """Kiểm tra trang web, tệp xuất CMS và lịch công tác theo bộ quy tắc."""
    from auditor.audit import AuditOptions, audit_config, load_setup
    from auditor.render.csv import csv_separator

    opts = AuditOptions(
        config_path=config, demo=demo, site=site, export=export, events=events,
        month=parse_month(month),
        date_from=parse_cli_day(date_from, "--from"), date_to=parse_cli_day(date_to, "--to"),
        as_of=parse_cli_day(as_of, "--as-of"), offline=offline, progress=not quiet,
        history=history, lang=lang.value, cache=cache, quick=quick,
        only=tuple(r for item in only or () for r in item.split(",") if r.strip()),
    )
    if report_dir is not None:
        csv_separator(csv_sep)  # a bad separator stops before the audit runs
    setup = load_setup(opts)
    report = audit_config(setup, opts)
    show(report, fmt, output, quiet, lang)
    written: list[Path] = []
    if report_dir is not None:
        written = write_files(report, report_dir, lang, csv_separator(csv_sep), quiet)
    if setup.notify.to:
        from auditor.notify import notify_report

        notify_report(setup.notify, report, written, only_new=only_new)
    return exit_code(report, fail_on, lang)


def show(report: AuditReport, fmt: Format, output: Path | None, quiet: bool,
         lang: Lang) -> None:
    """The report on standard output, or into --output, in --format."""
    from auditor.atomic import write_text
    from auditor.render.console import make_console, render_console
    from auditor.render.json import render_json

    if fmt == "json":
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
        render_console(report, make_console(), lang.value)


def write_files(report: AuditReport, report_dir: Path, lang: Lang, separator: str,
                quiet: bool) -> list[Path]:
    """Every registered report format into --report-dir; each file named on stderr."""
    from auditor.render.files import write_reports

    written = write_reports(report, report_dir, lang=lang.value, csv_separator=separator)
    for path in written if not quiet else ():
        typer.echo(wrote(path, lang), err=True)
    return written


def exit_code(report: AuditReport, fail_on: FailOn, lang: Lang) -> int:
    """3 when the audit is partial; else 1 when a finding reaches --fail-on; else 0."""
    from auditor.results import Severity

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
