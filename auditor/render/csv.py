"""CSV of the findings: UTF-8 with a BOM, so Excel on Windows shows Vietnamese correctly.

A text from the site that starts like a formula (= + - @) gets a leading
apostrophe, the usual defence against CSV formula injection: spreadsheet
programs execute such cells when they open a CSV.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from auditor.errors import UsageError
from auditor.render.files import open_report
from auditor.render.view import Label, Link, ReportView, build_view, vn_date
from auditor.results import AuditReport

COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("no", "STT", "No."),
    ("rule", "Mã quy tắc", "Rule id"),
    ("rule_title", "Nội dung quy định", "Rule"),
    ("basis", "Căn cứ", "Legal basis"),
    ("severity", "Mức độ", "Severity"),
    ("status", "Trạng thái", "Status"),
    ("message", "Nội dung phát hiện", "Finding"),
    ("department", "Tổ chuyên môn", "Department"),
    ("person", "Người phụ trách", "Person"),
    ("date", "Ngày", "Date"),
    ("month", "Tháng", "Month"),
    ("url", "Đường dẫn", "URL"),
    ("post_id", "Mã bài", "Post id"),
    ("source", "Nguồn", "Source"),
    ("evidence", "Bằng chứng", "Evidence"),
    ("waiver", "Lý do miễn trừ", "Waiver reason"),
    ("fingerprint", "Mã phát hiện", "Fingerprint"),
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Columns Excel must keep as text: "2026-10" would become a date, "00123" a number.
TEXT_COLUMNS = {"month", "post_id", "fingerprint", "rule"}
SEPARATORS = (",", ";")


def csv_separator(value: str) -> str:
    """The --csv-sep option checked: ',' (the default) or ';' (Excel, Vietnamese Windows)."""
    if value not in SEPARATORS:
        raise UsageError(f"--csv-sep '{value}': chỉ dùng ',' hoặc ';'.",
                         en=f"--csv-sep '{value}': use ',' or ';'.")
    return value


def excel_text(value: str) -> str:
    """A cell Excel shows as this exact text, whatever the locale: ="…" (quotes doubled)."""
    return '="' + value.replace('"', '""') + '"'


def csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Link):
        return value.url
    if isinstance(value, Label):
        return value.text
    if hasattr(value, "year") and hasattr(value, "day"):
        return vn_date(value)
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_START) else value
    return str(value)


def render_csv(report: AuditReport, target: Path, *, lang: str = "vi",
               view: ReportView | None = None, separator: str = ",") -> Path:
    """Write every finding of the report as one CSV row (atomically).

    With ``separator=";"`` the file is for Excel on a Vietnamese-locale Windows (where the
    list separator is ';'): months and ids are written as Excel text so that none turns
    into a date or a number."""
    if separator not in SEPARATORS:
        raise ValueError(f"CSV separator must be one of {SEPARATORS}")
    view = view or build_view(report, lang)
    for_excel = separator == ";"
    with open_report(Path(target), encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, delimiter=separator, lineterminator="\r\n")
        writer.writerow(en if lang == "en" else vi for _, vi, en in COLUMNS)
        for row in view.findings.rows:
            writer.writerow(_cell(key, row.get(key), for_excel) for key, _, _ in COLUMNS)
    return Path(target)


def _cell(key: str, value: Any, for_excel: bool) -> str:
    text = csv_value(value)
    if for_excel and key in TEXT_COLUMNS and text:
        return excel_text(text.removeprefix("'"))
    return text
