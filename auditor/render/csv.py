"""CSV of the findings: UTF-8 with a BOM, so Excel on Windows shows Vietnamese correctly.

A text from the site that starts like a formula (= + - @) gets a leading
apostrophe, the usual defence against CSV formula injection: spreadsheet
programs execute such cells when they open a CSV.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

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
               view: ReportView | None = None) -> Path:
    """Write every finding of the report as one CSV row (atomically)."""
    view = view or build_view(report, lang)
    with open_report(Path(target), encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(en if lang == "en" else vi for _, vi, en in COLUMNS)
        for row in view.findings.rows:
            writer.writerow(csv_value(row.get(key)) for key, _, _ in COLUMNS)
    return Path(target)
