"""`auditor report --month YYYY-MM`: the monthly report a principal signs (Điều 18.1).

Parsing and printing only: where the report comes from (the history, or a new audit) is
decided by :func:`auditor.report_source.monthly_report`; the files are written by
:mod:`auditor.render.files`. ``--NAME FILE`` is offered for every format of the registry
(:data:`auditor.render.formats.FORMATS`): ``--xlsx``, ``--html``, ``--csv`` …
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from auditor.cli.options import (
    AsOfOption,
    CacheOption,
    ConfigOption,
    CsvSepOption,
    DemoOption,
    HistoryOption,
    Lang,
    LangOption,
    ReportDirOption,
    RequiredMonthOption,
    parse_cli_day,
    parse_month,
    wrote,
)
from auditor.config import Config
from auditor.render.formats import FORMATS, ReportFormat
from auditor.results import AuditReport, Signatories
from auditor.timeutil import tz

app = typer.Typer()


def with_signatories(report: AuditReport, config: Config) -> AuditReport:
    """Names under the signature block: the board's secretary and its head (Điều 8)."""
    if report.signature is not None:
        return report
    signature = Signatories(preparer=config.board.secretary, principal=config.board.head)
    return dataclasses.replace(report, signature=signature)


def default_dir(config: Config, demo: bool) -> Path:
    """``[output] dir`` beside auditor.toml; for the bundled demo, under the current folder."""
    if demo:
        return Path(config.output.dir)
    return config.resolve(config.output.dir) or Path(config.output.dir)


def file_option(fmt: ReportFormat) -> inspect.Parameter:
    """`--NAME FILE`: write the report in format NAME to FILE."""
    option = typer.Option(f"--{fmt.name}", help=f"Ghi {fmt.description} vào đây")
    return inspect.Parameter(fmt.name, inspect.Parameter.KEYWORD_ONLY, default=None,
                             annotation=Annotated[Path | None, option])


class with_file_options:  # noqa: N801 - used as a decorator
    """`command` (which takes **files) with one `--NAME FILE` option per format of the
    registry, in its order. The registry is read each time the command line is built, so
    a format added to FORMATS is offered without touching this module."""

    def __init__(self, command: Callable[..., int]) -> None:
        functools.update_wrapper(self, command)
        self._command = command

    @property
    def __signature__(self) -> inspect.Signature:
        signature = inspect.signature(self._command, eval_str=True)
        params = [p for p in signature.parameters.values() if p.kind is not p.VAR_KEYWORD]
        return signature.replace(
            parameters=[*params, *(file_option(f) for f in FORMATS.values())])

    def __call__(self, **options: Any) -> int:
        return self._command(**options)


@app.command("report")
@with_file_options
def report_command(
    month: RequiredMonthOption,
    config: ConfigOption = None,
    demo: DemoOption = False,
    history: HistoryOption = None,
    rerun: Annotated[bool, typer.Option("--rerun", help="Kiểm tra lại, không dùng lịch sử")]
    = False,
    as_of: AsOfOption = None,
    report_dir: ReportDirOption = None,
    lang: LangOption = Lang.vi,
    cache: CacheOption = None,
    csv_sep: CsvSepOption = ",",
    **files: Path | None,
) -> int:
    """Lập báo cáo tháng (Excel, HTML, CSV) từ lịch sử, hoặc kiểm tra lại khi chưa có."""
    from auditor.audit import AuditOptions
    from auditor.cli.check import incomplete
    from auditor.render.csv import csv_separator
    from auditor.report_source import monthly_report

    month = parse_month(month) or month
    sep = csv_separator(csv_sep)
    opts = AuditOptions(config_path=config, demo=demo, month=month,
                        as_of=parse_cli_day(as_of, "--as-of"), history=history, cache=cache,
                        lang=lang.value)
    made = monthly_report(opts, rerun=rerun)
    typer.echo(_source_line(made.setup, made.report, made.history, rerun, lang))
    report = with_signatories(made.report, made.setup)
    for path in _write(report, files, report_dir or default_dir(made.setup, demo), lang, sep):
        typer.echo(wrote(path, lang))
    return 3 if incomplete(report, lang.value) else 0


def _source_line(setup: Config, report: AuditReport, history: Path | None, rerun: bool,
                 lang: Lang) -> str:
    """Where the report came from, with the time in the school's time zone."""
    zone = tz(setup.school.timezone)
    vi = lang is Lang.vi
    if history is not None:
        ran = report.as_of.astimezone(zone)
        return (f"Nguồn: lịch sử ({history}), lần kiểm tra ngày {ran:%d/%m/%Y %H:%M}." if vi
                else f"Source: the history ({history}), run of {ran:%Y-%m-%d %H:%M}.")
    stamp = datetime.now(zone)
    if not vi:
        return f"Source: a new audit at {stamp:%Y-%m-%d %H:%M}."
    return (f"Nguồn: kiểm tra mới lúc {stamp:%d/%m/%Y %H:%M}"
            + ("" if rerun else " (lịch sử chưa có lần kiểm tra cho kỳ này)."))


def _write(report: AuditReport, files: dict[str, Any], out_dir: Path, lang: Lang,
           sep: str) -> list[Path]:
    """The files named by --NAME FILE, all or none; without any, every format in `out_dir`."""
    from auditor.render.files import write_reports, write_set

    chosen = [(name, Path(path)) for name, path in files.items() if path]
    if chosen:
        return write_set(report, chosen, lang=lang.value, csv_separator=sep)
    return write_reports(report, out_dir, lang=lang.value, csv_separator=sep)
