"""The roll-up workbook: one row per school, worst first, a column per rule, links."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from auditor.batch.rollup import Rollup
from auditor.batch.rollup_html import report_link
from auditor.batch.rollup_labels import outcome, rule_status, t

_FILL = {"bad": PatternFill("solid", fgColor="FDE2E1"),
         "warn": PatternFill("solid", fgColor="FFF3CD"),
         "ok": PatternFill("solid", fgColor="E3F5E1")}
_TONE = {"failed": "bad", "incomplete": "bad", "violation": "bad", "warning": "warn",
         "pass": "ok", "fail": "bad", "not_checked": "warn", "waived": "ok"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_WIDTHS = {1: 5, 2: 28, 3: 7, 4: 24, 5: 13, 6: 7, 7: 7, 8: 8, 9: 6}  # column → characters
_WHY_WIDTH = 40


def _lines(text: str, width: int) -> int:
    """Lines `text` takes when wrapped in a column `width` characters wide (an estimate)."""
    return max(1, -(-len(text) * 11 // (10 * max(width - 1, 1))))


def _put(ws: Any, row: int, col: int, value: object) -> Any:
    """A cell; a string is always stored as text (a school's name is never a formula)."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell._value = value  # the setter would read "=…" as a formula
        cell.data_type = "s"
        if value.startswith(_FORMULA_START):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def render_rollup_xlsx(rollup: Rollup, target: Path, lang: str = "vi") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = t(lang, "sheet")
    rules = rollup.rule_ids
    _put(ws, 1, 1, rollup.title or t(lang, "title")).font = Font(bold=True, size=14)
    _put(ws, 2, 1, f"{t(lang, 'generated')}: {rollup.generated_at} · "
                   f"{t(lang, 'schools')}: {len(rollup.rows)} · {t(lang, 'legend')}")
    heads = [t(lang, k) for k in ("no", "name", "kind", "site", "outcome", "violations",
                                  "warnings", "not_checked", "new")]
    heads += [t(lang, "why"), t(lang, "report"), *rules]
    for col, head in enumerate(heads, start=1):
        cell = _put(ws, 4, col, head)
        cell.font = Font(bold=True)
        upright = head in rules
        cell.alignment = Alignment(wrap_text=not upright, vertical="bottom" if upright else "top",
                                   text_rotation=90 if upright else 0)
    why_col, link_col, first_rule = 10, 11, 12
    for i, row in enumerate(rollup.rows, start=1):
        r = 4 + i
        counts: list[object] = ([row.violations, row.warnings, row.not_checked,
                                 row.new_findings] if row.audited else ["—"] * 4)
        values: list[object] = [i, row.name, row.kind or "", row.site or "",
                                outcome(lang, row.outcome), *counts]
        for col, value in enumerate(values, start=1):
            _put(ws, r, col, value).alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(row=r, column=5).fill = _FILL[_TONE[row.outcome]]
        for j, rule in enumerate(rules):
            status = row.rules.get(rule)
            cell = _put(ws, r, first_rule + j, rule_status(lang, status) if status else "—")
            cell.alignment = Alignment(vertical="top")
            if status:
                cell.fill = _FILL[_TONE[status]]
        why = row.error_en if lang == "en" and row.error_en else row.error
        _put(ws, r, why_col, why or "").alignment = Alignment(wrap_text=True, vertical="top")
        # Excel and LibreOffice keep a stored row height: give wrapped text its lines.
        lines = max(_lines(row.name, _WIDTHS[2]), _lines(why or "", _WHY_WIDTH),
                    _lines(outcome(lang, row.outcome), _WIDTHS[5]))
        ws.row_dimensions[r].height = 15 * lines
        href = report_link(row)
        if href:
            cell = _put(ws, r, link_col, t(lang, "open"))
            cell.alignment = Alignment(vertical="top")
            cell.hyperlink = href  # relative to the workbook: the school's own folder
            cell.font = Font(color="0563C1", underline="single")
    for col, width in _WIDTHS.items():
        ws.column_dimensions[get_column_letter(col)].width = width
    for j in range(len(rules)):
        ws.column_dimensions[get_column_letter(first_rule + j)].width = 7
    ws.column_dimensions[get_column_letter(why_col)].width = _WHY_WIDTH
    ws.column_dimensions[get_column_letter(link_col)].width = 10
    ws.row_dimensions[4].height = 150  # the rule ids, turned upright
    ws.freeze_panes = "C5"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "4:4"
    wb.save(target)
    return target
