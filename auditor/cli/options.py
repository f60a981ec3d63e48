"""The options several commands share, declared once: one flag, one help text, one parser.

A command writes ``config: ConfigOption = None`` instead of spelling ``--config`` out
again; the English help of these options is in :mod:`auditor.cli.help` under the option's
name. ``--format`` offers the names of :data:`auditor.render.formats.PRINTED`.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from auditor.errors import UsageError
from auditor.render.formats import printed_names


class Lang(StrEnum):
    vi = "vi"
    en = "en"


class FailOn(StrEnum):
    violation = "violation"
    warning = "warning"
    never = "never"  # cron: exit 1 never; 2 and 3 still say the run itself went wrong


if TYPE_CHECKING:
    Format = StrEnum
else:
    # text, json: what the registry of printed formats holds (auditor.render.formats)
    Format = StrEnum("Format", {name: name for name in printed_names()})

# `--lang` as every command declares it: validated (only vi or en).
# AUDITOR_LANG=en sets it for every command of a session.
LangOption = Annotated[Lang, typer.Option("--lang", envvar="AUDITOR_LANG",
                                          help="Ngôn ngữ: vi hoặc en")]
ConfigOption = Annotated[Path | None, typer.Option("--config", "-c", help="Tệp auditor.toml")]
FormatOption = Annotated[Format, typer.Option(
    "--format", help=" hoặc ".join(printed_names()))]
_MONTH = "Tháng: 2026-11 hoặc 11/2026"
MonthOption = Annotated[str | None, typer.Option("--month", help=_MONTH)]
RequiredMonthOption = Annotated[str, typer.Option("--month", help=_MONTH)]
AsOfOption = Annotated[str | None, typer.Option("--as-of", help="Coi hôm nay là ngày")]
DemoOption = Annotated[bool, typer.Option("--demo", help="Kiểm tra trường mẫu đi kèm")]
HistoryOption = Annotated[Path | None, typer.Option("--history", help="Tệp lịch sử SQLite")]
CacheOption = Annotated[Path | None, typer.Option("--cache", help="Tệp bộ nhớ đệm thu thập")]
ReportDirOption = Annotated[Path | None, typer.Option("--report-dir", help="Thư mục báo cáo")]
CsvSepOption = Annotated[str, typer.Option(
    "--csv-sep", help="Dấu phân cách CSV: ',' hoặc ';' (Excel tiếng Việt)")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Không in gì trừ lỗi")]
QuickOption = Annotated[bool, typer.Option("--quick", help="Kiểm tra nhanh (Điều 12.2)")]
FailOnOption = Annotated[FailOn, typer.Option("--fail-on")]
OnlyNewOption = Annotated[bool, typer.Option("--only-new",
                                             help="Chỉ gửi thư khi có phát hiện mới")]

TEXT: Format = Format("text")  # the default of every --format


def parse_cli_day(value: str | None, option: str) -> date | None:
    """A date given on the command line: YYYY-MM-DD or day-first dd/mm/yyyy."""
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


def wrote(path: Path, lang: Lang) -> str:
    """The line that names a file written: "Đã ghi …" / "Wrote …"."""
    return ("Wrote " if lang is Lang.en else "Đã ghi ") + str(path)
