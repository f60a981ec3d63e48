"""`auditor disclosure`: reports of the Công khai section's address to the authority.

Điều 13.1.c: the school gives the authority (`[authority]` in auditor.toml) the
address of its Công khai section, and reports a change of that address within
5 days. ``report-link`` records such a report in the history; the rule
``disclosure.link-reported`` reads them. Inspectors may load a whole registry
(CSV/Excel) of schools instead.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from auditor.cli.options import ConfigOption, HistoryOption, Lang, LangOption
from auditor.errors import InputError, UsageError
from auditor.history.link_registry import day_of_cell, read_link_registry
from auditor.history.paths import config_school, open_history, optional_config
from auditor.history.records import normalise_url, school_key
from auditor.render.console import printable
from auditor.textfmt import plural
from auditor.timeutil import tz

app = typer.Typer(no_args_is_help=True, add_completion=False, rich_markup_mode=None,
                  help="Chuyên mục Công khai: ghi nhận địa chỉ đã báo cáo cơ quan quản lý.")

SchoolOption = Annotated[str | None, typer.Option("--school", help="Địa chỉ trang của trường")]


def _school(config_path: Path | None, school: str | None) -> tuple[str, str]:
    """(history key, time zone name) of the school the command is about."""
    cfg = optional_config(config_path)
    if school:
        if not re.match(r"^https?://[^/\s]+", school):
            raise UsageError(f"--school '{school}' không phải là địa chỉ http(s).",
                             en=f"--school '{school}' is not an http(s) address.")
        return school_key(school, school), cfg.school.timezone if cfg else "Asia/Ho_Chi_Minh"
    if cfg is None:
        raise UsageError("Không biết trường nào: chưa có auditor.toml.",
                         hint="Dùng --config auditor.toml hoặc --school https://….",
                         en="Which school? There is no auditor.toml.",
                         hint_en="Use --config auditor.toml or --school https://….")
    return config_school(cfg), cfg.school.timezone


@app.command("report-link")
def report_link(
    url: Annotated[str, typer.Argument(help="Địa chỉ chuyên mục Công khai đã báo cáo")],
    when: Annotated[str | None, typer.Option("--date", help="Ngày báo cáo (mặc định hôm nay)")]
    = None,
    note: Annotated[str | None, typer.Option("--note", help="Ghi chú: số công văn, email…")]
    = None,
    config: ConfigOption = None,
    db: HistoryOption = None,
    school: SchoolOption = None,
    lang: LangOption = Lang.vi,
) -> int:
    """Ghi nhận đã cung cấp địa chỉ chuyên mục Công khai cho cơ quan quản lý (Điều 13.1.c)."""
    if not re.match(r"^https?://[^/\s]+", url):
        raise UsageError(f"'{url}' không phải là địa chỉ http(s) của chuyên mục Công khai.",
                         en=f"'{url}' is not an http(s) address of the disclosure section "
                            "('Công khai').")
    key, zone = _school(config, school)
    day = day_of_cell(when) if when else datetime.now(tz(zone)).date()
    if day is None:
        raise UsageError(f"--date '{when}' không phải là ngày hợp lệ; cần dạng 24/11/2026 "
                         "hoặc 2026-11-24.",
                         en=f"--date '{when}' is not a valid date; expected 24/11/2026 "
                            "or 2026-11-24.")
    cfg = optional_config(config)
    with open_history(cfg, db) as store:
        store.add_link_report(key, url, day, note)
        path = store.path
    if lang is Lang.en:
        typer.echo(f"Recorded: the address {normalise_url(url)} reported on {day:%d/%m/%Y} "
                   f"({path}).")
    else:
        typer.echo(f"Đã ghi nhận: địa chỉ {normalise_url(url)} báo cáo ngày {day:%d/%m/%Y} "
                   f"({path}).")
    return 0


@app.command("links")
def links(config: ConfigOption = None, db: HistoryOption = None, school: SchoolOption = None,
          lang: LangOption = Lang.vi) -> int:
    """Liệt kê các lần báo cáo địa chỉ chuyên mục Công khai."""
    key, _ = _school(config, school)
    with open_history(optional_config(config), db) as store:
        reports = store.link_reports(key)
    if not reports:
        typer.echo(f"No report of the disclosure section's address for {key} yet."
                   if lang is Lang.en else
                   f"Chưa có báo cáo địa chỉ chuyên mục Công khai nào cho {key}.")
    for r in reports:
        extra = f" — {r.note}" if r.note else ""
        # From a registry file: no terminal escapes reach the screen (issue 13.6).
        typer.echo(printable(f"{r.reported_on:%d/%m/%Y}  {r.url}  [{r.source}]{extra}"))
    return 0


@app.command("import-registry")
def import_registry(
    registry: Annotated[Path, typer.Argument(help="Sổ theo dõi .csv hoặc .xlsx")],
    config: ConfigOption = None,
    db: HistoryOption = None,
    lang: LangOption = Lang.vi,
) -> int:
    """Nạp sổ theo dõi của cơ quan quản lý: trường, địa chỉ Công khai, ngày báo cáo.

    Dòng hỏng (ngày không hợp lệ, địa chỉ không phải http(s)) được cảnh báo kèm tên tệp
    và số dòng rồi bỏ qua; các dòng khác vẫn được nạp.
    """
    en = lang is Lang.en
    rows, skipped = read_link_registry(registry)
    for bad in skipped:
        typer.echo(printable(f"Warning: {bad.message_en} Row skipped." if en
                             else f"Cảnh báo: {bad.message} Đã bỏ qua dòng này."), err=True)
    if skipped and not rows:
        raise InputError(f"{registry}: không có dòng nào dùng được ({len(skipped)} dòng lỗi).",
                         en=f"{registry}: no usable row ({plural(len(skipped), 'bad row')}).")
    added = 0
    with open_history(optional_config(config), db) as store:
        for row in rows:
            key = school_key(row.school_url, row.school_name)
            known = {(r.url, r.reported_on) for r in store.link_reports(key)}
            if (normalise_url(row.section_url), row.reported_on) in known:
                continue  # loading the same registry twice adds nothing
            store.add_link_report(key, row.section_url, row.reported_on, row.note,
                                  source=f"registry:{registry.name}")
            added += 1
    if en:
        typer.echo(f"Loaded {plural(added, 'new report')} from {plural(len(rows), 'row')} of "
                   f"{registry}" + (f"; {plural(len(skipped), 'row')} skipped." if skipped
                                    else "."))
    else:
        typer.echo(f"Đã nạp {added} báo cáo mới từ {len(rows)} dòng của {registry}"
                   + (f"; bỏ qua {len(skipped)} dòng lỗi." if skipped else "."))
    return 0
