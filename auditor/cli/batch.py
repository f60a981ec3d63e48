"""`auditor batch SCHOOLS.(csv|xlsx|toml)` and `auditor batch merge ROLLUP.json …`.

Parsing and printing only:
the audits run in :mod:`auditor.batch.runner`, the roll-up is written by
:mod:`auditor.batch.rollup_files`.
"""

from __future__ import annotations

import json
import sys
import tomllib
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from auditor.cli.options import (
    TEXT,
    AsOfOption,
    FailOn,
    FailOnOption,
    Format,
    FormatOption,
    Lang,
    LangOption,
    MonthOption,
    OnlyNewOption,
    QuickOption,
    QuietOption,
    parse_cli_day,
    parse_month,
    wrote,
)
from auditor.errors import ConfigError, UsageError

app = typer.Typer()


def _notify_table(raw: dict[str, Any] | None, where: str) -> Any:
    from pydantic import ValidationError

    from auditor.config import NotifyConfig

    try:
        return NotifyConfig.model_validate(raw or {})
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{where}: [notify] {loc}: {first['msg']}.",
                          en=f"{where}: [notify] {loc}: {first['msg']}.") from None


def _notify_from(path: Path) -> Any:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: không đọc được ({exc}).",
                          en=f"{path}: could not read it ({exc}).") from None
    return _notify_table(raw.get("notify"), str(path))


def _now() -> str:
    from auditor.timeutil import tz

    return datetime.now(tz("Asia/Ho_Chi_Minh")).replace(microsecond=0).isoformat()


def _exit_code(rows: list[Any], fail_on: FailOn) -> int:
    """3 when a school could not be audited, or only in part; else 1 when findings reach
    --fail-on."""
    if any(not r.audited or r.incomplete for r in rows):
        return 3
    if fail_on is FailOn.never:
        return 0
    if any(r.violations for r in rows):
        return 1
    return 1 if fail_on is FailOn.warning and any(r.warnings for r in rows) else 0


def _merge(inputs: list[Path], report_dir: Path | None, fmt: Format, lang: Lang,
           quiet: bool) -> int:
    from auditor.batch.rollup import merge
    from auditor.batch.rollup_files import write_rollup
    from auditor.batch.rollup_labels import t

    if not inputs:
        raise UsageError("'auditor batch merge' cần ít nhất một tệp tong-hop.json.",
                         en="'auditor batch merge' needs at least one tong-hop.json file.")
    out_dir = report_dir or Path("tong-hop")
    rollup = merge(inputs, out_dir, t(lang.value, "title"), _now())
    paths = write_rollup(rollup, out_dir, lang.value)
    if fmt == "json":
        sys.stdout.write(json.dumps(rollup.to_json(), ensure_ascii=False, indent=2) + "\n")
    elif not quiet:
        for p in paths:
            typer.echo(wrote(p, lang))
    return 0


@app.command("batch")
def batch_command(
    paths: Annotated[list[Path], typer.Argument(
        help="Danh sách trường (.csv, .xlsx, .toml); hoặc 'merge' rồi các tệp tong-hop.json",
        metavar="SCHOOLS", show_default=False)],
    report_dir: Annotated[Path | None, typer.Option(
        "--report-dir", help="Thư mục báo cáo (mặc định: bao-cao cạnh danh sách)")] = None,
    month: MonthOption = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = TEXT,
    concurrency: Annotated[int | None, typer.Option(
        "--concurrency", min=1, help="Số trang web kiểm tra cùng lúc (mặc định 8)")] = None,
    history_dir: Annotated[Path | None, typer.Option(
        "--history-dir", help="Mỗi trường một tệp lịch sử trong thư mục này")] = None,
    cache_dir: Annotated[Path | None, typer.Option(
        "--cache-dir", help="Mỗi trường một bộ nhớ đệm thu thập trong thư mục này")] = None,
    quick: QuickOption = False,
    quiet: QuietOption = False,
    fail_on: FailOnOption = FailOn.violation,
    notify_config: Annotated[Path | None, typer.Option(
        "--notify-config", help="Tệp .toml có bảng [notify] (gửi thư)")] = None,
    only_new: OnlyNewOption = False,
    lang: LangOption = Lang.vi,
) -> int:
    """Kiểm tra nhiều trường theo danh sách; lập bảng tổng hợp (Excel, HTML, JSON).

    'auditor batch merge A/tong-hop.json B/tong-hop.json --report-dir OUT' gộp các
    bảng tổng hợp của nhiều máy.
    """
    from auditor.batch.rollup import STREAM, build_rollup, read_stream
    from auditor.batch.rollup_files import write_rollup
    from auditor.batch.rollup_labels import t
    from auditor.batch.runner import DEFAULT_CONCURRENCY, BatchOptions, run_batch
    from auditor.batch.schools import read_registry
    from auditor.batch.summary import progress_line, rollup_subject, rollup_text

    if paths and str(paths[0]) == "merge":
        return _merge(paths[1:], report_dir, fmt, lang, quiet)
    if len(paths) != 1:
        raise UsageError("'auditor batch' nhận đúng một danh sách trường.",
                         en="'auditor batch' takes exactly one school registry.")
    registry = read_registry(paths[0])
    notify = (_notify_from(notify_config) if notify_config is not None
              else _notify_table(registry.notify, str(registry.path)))
    out_dir = report_dir or registry.path.resolve().parent / "bao-cao"
    opts = BatchOptions(
        out_dir=out_dir, month=parse_month(month), as_of=parse_cli_day(as_of, "--as-of"),
        concurrency=concurrency or registry.concurrency or DEFAULT_CONCURRENCY,
        history_dir=history_dir, cache_dir=cache_dir, lang=lang.value, quick=quick)

    def on_row(row: Any, done: int, total: int) -> None:
        if not quiet:
            typer.echo(progress_line(row, done, total, lang.value), err=True)

    try:
        stream = run_batch(registry, opts, on_row)
    except KeyboardInterrupt:  # the schools that finished still get their roll-up
        write_rollup(build_rollup(read_stream(out_dir / STREAM), t(lang.value, "title"),
                                  _now()), out_dir, lang.value)
        raise
    rollup = build_rollup(read_stream(stream), t(lang.value, "title"), _now())
    written = write_rollup(rollup, out_dir, lang.value)
    if fmt == "json":
        sys.stdout.write(json.dumps(rollup.to_json(), ensure_ascii=False, indent=2) + "\n")
    elif not quiet:
        typer.echo(rollup_text(rollup, lang.value), nl=False)
        for p in written:
            typer.echo(wrote(p, lang), err=True)
    new = sum(r.new_findings for r in rollup.rows)
    if notify.to and not (only_new and new == 0):
        from auditor.notify import build_message, send

        send(notify, build_message(notify, rollup_subject(rollup),
                                   rollup_text(rollup, "vi"), written[:2]))
    return _exit_code(list(rollup.rows), fail_on)
