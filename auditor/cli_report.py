"""`auditor report --month YYYY-MM`: the monthly report a principal signs (Điều 18.1).

Mounted by ``auditor.cli`` through :func:`register`. Parsing and printing
only: the report comes from the history when a run for the period is on
record (:mod:`auditor.render.from_history`), else from a fresh audit
(:func:`auditor.audit.run_audit`); the files from :mod:`auditor.render.files`.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer

from auditor.cli_messages import Lang, LangOption
from auditor.config import Config
from auditor.results import AuditReport, Signatories
from auditor.timeutil import tz


def _parse_day(value: str | None) -> date | None:
    if value is None:
        return None
    from auditor.cli import parse_day

    return parse_day(value, "--as-of")


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


def report_command(
    month: Annotated[str, typer.Option("--month", help="Tháng báo cáo YYYY-MM")],
    config: Annotated[Path | None, typer.Option("--config", "-c", help="Tệp auditor.toml")] = None,
    demo: Annotated[bool, typer.Option("--demo", help="Trường mẫu đi kèm")] = False,
    history: Annotated[Path | None, typer.Option("--history", help="Tệp lịch sử SQLite")] = None,
    rerun: Annotated[bool, typer.Option("--rerun", help="Kiểm tra lại, không dùng lịch sử")]
    = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Coi hôm nay là ngày")] = None,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Ghi tệp Excel vào đây")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Ghi tệp HTML vào đây")] = None,
    csv: Annotated[Path | None, typer.Option("--csv", help="Ghi tệp CSV vào đây")] = None,
    report_dir: Annotated[Path | None, typer.Option("--report-dir", help="Thư mục báo cáo")]
    = None,
    lang: LangOption = Lang.vi,
    cache: Annotated[Path | None, typer.Option("--cache", help="Tệp bộ nhớ đệm thu thập")]
    = None,
    csv_sep: Annotated[str, typer.Option(
        "--csv-sep", help="Dấu phân cách CSV: ',' hoặc ';' (Excel tiếng Việt)")] = ",",
) -> int:
    """Lập báo cáo tháng (Excel, HTML, CSV) từ lịch sử, hoặc kiểm tra lại khi chưa có."""
    from auditor.audit import AuditOptions, load_setup, period_for_month, run_audit
    from auditor.history import HistoryStore
    from auditor.history.paths import history_path
    from auditor.render.csv import csv_separator
    from auditor.render.files import write_reports, write_set
    from auditor.render.from_history import report_from_history
    from auditor.ruleset import load_ruleset

    vi = lang is Lang.vi
    from auditor.cli import parse_month

    month = parse_month(month) or month
    sep = csv_separator(csv_sep)
    opts = AuditOptions(config_path=config, demo=demo, month=month, as_of=_parse_day(as_of),
                        history=history, cache=cache, lang=lang.value)
    setup = load_setup(opts)
    zone = tz(setup.school.timezone)  # every time printed is the school's
    period = period_for_month(month, setup.output.period)
    report = None
    db = history_path(setup, history)
    if not rerun and db.is_file():
        with HistoryStore.open(db) as store:
            ruleset = load_ruleset(setup.rules.set, setup.base_dir)
            report = report_from_history(store, setup, ruleset, period)
    if report is not None:
        ran = report.as_of.astimezone(zone)
        source = (f"Nguồn: lịch sử ({db}), lần kiểm tra ngày {ran:%d/%m/%Y %H:%M}."
                  if vi else f"Source: the history ({db}), run of {ran:%Y-%m-%d %H:%M}.")
    else:
        report = run_audit(opts)
        stamp = datetime.now(zone)
        source = ((f"Nguồn: kiểm tra mới lúc {stamp:%d/%m/%Y %H:%M}"
                   + ("" if rerun else " (lịch sử chưa có lần kiểm tra cho kỳ này).")) if vi
                  else f"Source: a new audit at {stamp:%Y-%m-%d %H:%M}.")
    report = with_signatories(report, setup)
    typer.echo(source)
    chosen = {fmt: path for fmt, path in (("xlsx", xlsx), ("html", html), ("csv", csv)) if path}
    if chosen:
        paths = write_set(report, list(chosen.items()), lang=lang.value,
                          csv_separator=sep)
    else:
        paths = write_reports(report, report_dir or default_dir(setup, demo), lang=lang.value,
                              csv_separator=sep)
    for path in paths:
        typer.echo(("Đã ghi " if vi else "Wrote ") + str(path))
    from auditor.cli import incomplete

    return 3 if incomplete(report, lang.value) else 0


def register(app: typer.Typer) -> None:
    """Add `auditor report` to the main command line."""
    app.command("report")(report_command)
