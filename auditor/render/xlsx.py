"""Excel report: the workbook a principal opens, prints and signs (Điều 11, 18.1).

The workbook and its sheet writer are in :mod:`auditor.render.xlsx_book`, the
sheets' content in :mod:`auditor.render.xlsx_sheets`, the layout (sheets,
columns, colours) in ``reports/xlsx.toml`` (:mod:`auditor.render.xlsx_layout`).
"""

from __future__ import annotations

from pathlib import Path

from auditor.render.view import ReportView, build_view
from auditor.render.xlsx_book import Book
from auditor.render.xlsx_layout import Layout, load_layout
from auditor.render.xlsx_sheets import write_workbook
from auditor.results import AuditReport


def render_xlsx(report: AuditReport, target: Path, *, lang: str = "vi",
                layout: Layout | None = None, view: ReportView | None = None) -> Path:
    """Write the Excel report to `target` (atomically) and return the path.

    `view` is the report's :func:`build_view` when the caller already has it."""
    book = Book(layout or load_layout(), lang)
    write_workbook(book, view or build_view(report, lang))
    return book.save(Path(target))
