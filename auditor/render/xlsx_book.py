"""The Excel report's workbook and sheet writer (:class:`Book`, :class:`SheetWriter`).

The workbook is written in openpyxl's write-only (streaming) mode so that
tens of thousands of findings fit in little memory. Sheets, columns and
colours come from ``reports/xlsx.toml``; the sheets' content is built in
:mod:`auditor.render.xlsx_sheets`, and :mod:`auditor.render.xlsx` puts the two
together.

Safety: a text from the site or the export is always stored as text
(``data_type = "s"``, with Excel's quote prefix when it starts like a
formula), never as a formula; only http(s) addresses become hyperlinks.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from auditor.render.view import Label, Link, Tone
from auditor.render.xlsx_layout import Column, Layout, Sheet

EXCEL_MAX_TEXT = 32_767  # characters in one cell
EXCEL_MAX_LINKS = 65_530  # hyperlinks in one sheet
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SURROGATES = re.compile("[\ud800-\udfff]")


def clean_text(value: str) -> str:
    """Text Excel can store: no control characters or lone surrogates, within the cell limit."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    value = _SURROGATES.sub("\ufffd", value)
    if len(value) > EXCEL_MAX_TEXT:
        value = value[: EXCEL_MAX_TEXT - 1] + "…"
    return value


class _StyledCell(Cell):
    """A cell whose style was registered once for thousands of cells.

    Big workbooks spend most of their time in per-cell bookkeeping: this
    cell shares a ready style array and knows its style id, and its repr is
    cheap (openpyxl formats it when it streams a row of ready-made cells).
    """

    __slots__ = ("_sid",)

    @property
    def style_id(self) -> int:
        return self._sid

    def __repr__(self) -> str:
        return "<cell>"


class _StreamedSheet(WriteOnlyWorksheet):
    """A write-only sheet fed rows of ready-made cells (or None for an empty cell).

    openpyxl's own row conversion tries each value as a plain value first and
    builds a spare cell per value; with 300,000 cells that doubles the time.
    """

    def _values_to_row(self, values: Iterable[Any], row_idx: int) -> Iterator[Cell]:
        for col_idx, cell in enumerate(values, 1):
            if cell is None:
                continue
            cell.column = col_idx
            cell.row = row_idx
            if cell.hyperlink is not None:
                cell.hyperlink.ref = cell.coordinate
            yield cell


class Book:
    """A write-only workbook with the layout's styles, written atomically on save."""

    def __init__(self, layout: Layout, lang: str = "vi") -> None:
        self.layout = layout
        self.lang = lang
        self.wb = Workbook(write_only=True)
        self._styles: dict[tuple[str, bool], tuple[Any, int]] = {}
        self.sheets: list[SheetWriter] = []
        style = layout.workbook
        thin = Side(style="thin", color="808080")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.font = Font(name=style.font_name, size=style.font_size)
        self.bold = Font(name=style.font_name, size=style.font_size, bold=True)
        self.fills = {t: PatternFill("solid", start_color=getattr(style, f"{t}_fill"),
                                     end_color=getattr(style, f"{t}_fill"))
                      for t in ("fail", "warn", "pass")}
        self.tone_fonts = {t: Font(name=style.font_name, size=style.font_size,
                                   color=getattr(style, f"{t}_font"))
                           for t in ("fail", "warn", "pass")}

    # -- styles ---------------------------------------------------------------

    def _spec(self, key: str) -> dict[str, Any]:
        s = self.layout.workbook
        top = Alignment(vertical="top")
        wrap = Alignment(vertical="top", wrap_text=True)
        centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
        specs: dict[str, dict[str, Any]] = {
            "text": dict(font=self.font, border=self.border, alignment=top),
            "wrap": dict(font=self.font, border=self.border, alignment=wrap),
            "int": dict(font=self.font, border=self.border, alignment=top, number_format="0"),
            "float": dict(font=self.font, border=self.border, alignment=top,
                          number_format="0.0"),
            "percent": dict(font=self.font, border=self.border, alignment=top,
                            number_format="0%"),
            "date": dict(font=self.font, border=self.border, alignment=top,
                         number_format=s.date_format),
            "datetime": dict(font=self.font, border=self.border, alignment=top,
                             number_format=s.datetime_format),
            "link": dict(font=Font(name=s.font_name, size=s.font_size, color=s.link_font,
                                   underline="single"),
                         border=self.border, alignment=wrap),
            "header": dict(font=self.bold, border=self.border, alignment=centre,
                           fill=PatternFill("solid", start_color=s.header_fill,
                                            end_color=s.header_fill)),
            "title": dict(font=Font(name=s.font_name, size=s.title_size, bold=True),
                          alignment=Alignment(horizontal="center", vertical="center",
                                              wrap_text=True)),
            "plain": dict(font=self.font, alignment=Alignment(vertical="top")),
            "plain_wrap": dict(font=self.font, alignment=wrap),
            "plain_date": dict(font=self.font, alignment=Alignment(horizontal="left"),
                               number_format=s.date_format),
            "bold": dict(font=self.bold, alignment=Alignment(vertical="top")),
            "centre": dict(font=self.font, alignment=centre),
            "centre_bold": dict(font=self.bold, alignment=centre),
            "centre_italic": dict(font=Font(name=s.font_name, size=s.font_size, italic=True),
                                  alignment=centre),
        }
        for tone in ("fail", "warn", "pass"):
            specs[f"tone_{tone}"] = dict(font=Font(name=s.font_name, size=s.font_size,
                                                   bold=True, color=getattr(s, f"{tone}_font")),
                                         fill=self.fills[tone], alignment=top)
        return specs[key]

    def _style(self, ws: Any, key: str, quoted: bool) -> tuple[Any, int]:
        """The style array and id for `key`, registered once and shared by every cell
        that uses it (no cell ever changes its style after this)."""
        cached = self._styles.get((key, quoted))
        if cached is None:
            proto = WriteOnlyCell(ws)
            for attr, value in self._spec(key).items():
                setattr(proto, attr, value)
            # Excel's "quote prefix": the cell stays text even after someone edits it.
            proto.quotePrefix = quoted
            cached = self._styles[(key, quoted)] = (proto._style, proto.style_id)
        return cached

    def cell(self, ws: Any, value: Any, key: str = "text") -> Cell:
        """One styled cell; every string is stored as text, never as a formula."""
        if isinstance(value, Label):
            value = value.text
        url = None
        if isinstance(value, Link):
            url, value = value.url, value.text
        if isinstance(value, datetime) and value.tzinfo is not None:
            value = value.replace(tzinfo=None)
        quoted = False
        if isinstance(value, str):
            value = clean_text(value)
            quoted = value.startswith(FORMULA_START)
        cell = _StyledCell(ws, column=1, row=1)
        cell._style, cell._sid = self._style(ws, key, quoted)
        if isinstance(value, str):
            cell._value = value  # assigned directly: the setter would turn "=…" into a formula
            cell.data_type = "s"
        else:
            cell.value = value
        if url:
            counter = getattr(ws, "_auditor_links", 0)
            if counter < EXCEL_MAX_LINKS:
                cell.hyperlink = url
                ws._auditor_links = counter + 1
        return cell

    # -- sheets ---------------------------------------------------------------

    def sheet(self, key: str) -> SheetWriter:
        writer = SheetWriter(self, self.layout.sheets[key], key)
        self.sheets.append(writer)
        return writer

    def save(self, target: Path) -> Path:
        from auditor.render.files import report_path

        for writer in self.sheets:
            writer.set_print_area()
        with report_path(target) as tmp:
            self.wb.save(tmp)
        return target


def value_style(column: Column, value: Any) -> str:
    """The style key of a data cell, from its value's type."""
    if isinstance(value, Link):
        return "link"
    if isinstance(value, bool):
        return "text"
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, date):
        return "date"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "percent" if column.key == "confidence" else "float"
    return "wrap" if column.wrap else "text"


class SheetWriter:
    """Streams one sheet: set-up first (write-only sheets need it before any row), rows next."""

    def __init__(self, book: Book, sheet: Sheet, key: str) -> None:
        self.book = book
        self.layout = sheet
        self.key = key
        self.lang = book.lang
        self.columns = sheet.columns
        self.ws: Any = _StreamedSheet(parent=book.wb, title=sheet.title(book.lang))
        book.wb._add_sheet(self.ws)
        self.row = 0
        self._setup()

    @property
    def width(self) -> int:
        return len(self.columns)

    @property
    def span(self) -> int:
        """Columns a title or note spans: the printed ones (see set_print_area)."""
        printed = max((i for i, c in enumerate(self.columns, 1) if c.print_), default=0)
        return printed or self.width

    def _setup(self) -> None:
        ws = self.ws
        for i, col in enumerate(self.columns, 1):
            ws.column_dimensions[get_column_letter(i)].width = col.width
        # Print set-up: A4, fit to the page's width, page numbers in the footer.
        ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if self.layout.landscape else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        style = self.book.layout.workbook
        ws.oddFooter.center.text = style.footer_en if self.lang == "en" else style.footer
        ws.oddFooter.center.size = 9

    def freeze_below(self, header_row: int) -> None:
        """Freeze the header and repeat it on every printed page; call before any row."""
        self.ws.freeze_panes = f"A{header_row + 1}"
        self.ws.print_title_rows = f"{header_row}:{header_row}"

    def append(self, cells: Iterable[Any]) -> int:
        self.ws.append(list(cells))
        self.row += 1
        return self.row

    def blank(self, count: int = 1) -> None:
        for _ in range(count):
            self.append([])

    def merged(self, first: int, last: int, value: Any, key: str) -> list[Any]:
        """Cells for one row with `value` merged over columns first..last (1-based)."""
        row = self.row + 1
        if last > first:
            self.ws.merged_cells.add(
                f"{get_column_letter(first)}{row}:{get_column_letter(last)}{row}")
        self._fit_height(row, first, last, value, key)
        return [None] * (first - 1) + [self.book.cell(self.ws, value, key)]

    def _fit_height(self, row: int, first: int, last: int, value: Any, key: str) -> None:
        """Excel never grows a row for wrapped text in merged cells: size the row here
        (before it is streamed) so a long title or note is not cut off when printed."""
        if value is None:
            return
        style = self.book.layout.workbook
        size = style.title_size if key == "title" else style.font_size
        width = sum(c.width for c in self.columns[first - 1:last])
        # One width unit holds about one character of 11 pt text; bold runs wider.
        per_line = max(1.0, width * 11 / size * (0.95 if "bold" in key or key == "title"
                                                 else 1.1))
        lines = sum(max(1, math.ceil(len(part) / per_line)) for part in str(value).split("\n"))
        if lines > 1:
            dims = self.ws.row_dimensions[row]
            dims.height = max(dims.height or 0, round(lines * size * 1.4, 1))

    def heading(self, text: str, sub: str | None = None) -> None:
        self.append(self.merged(1, self.span, text, "title"))
        if sub:
            self.append(self.merged(1, self.span, sub, "centre_italic"))

    def header(self) -> int:
        size = self.book.layout.workbook.font_size
        lines = max(math.ceil(len(c.heading(self.lang)) / max(1.0, c.width * 11 / size * 0.95))
                    for c in self.columns)
        if lines > 1:  # header cells wrap; size the row before it is streamed
            self.ws.row_dimensions[self.row + 1].height = round(lines * size * 1.4, 1)
        self.append(self.book.cell(self.ws, c.heading(self.lang), "header") for c in self.columns)
        return self.row

    def data_rows(self, rows: Iterable[Mapping[str, Any]]) -> None:
        ws, cell = self.ws, self.book.cell
        size = self.book.layout.workbook.font_size
        # Characters per line of each wrapped column that prints (see _fit_height); the
        # on-screen-only columns (evidence…) must not make the printed rows tall.
        wrapped = [(c.key, max(1.0, c.width * 11 / size * 1.1)) for c in self.columns
                   if c.wrap and c.print_]
        line = round(size * 1.4, 1)
        for row in rows:
            lines = 1
            for key, per_line in wrapped:
                value = row.get(key)
                if value is not None:
                    text = str(value)
                    need = math.ceil(len(text) / per_line) + text.count("\n")
                    lines = need if need > lines else lines
            if lines > 1:
                # Set before the row is streamed: not every spreadsheet program grows rows
                # with wrapped text by itself, and a printed row must show all its text.
                ws.row_dimensions[self.row + 1].height = min(lines * line, 409)  # Excel's max
            ws.append([cell(ws, row.get(c.key), value_style(c, row.get(c.key)))
                       for c in self.columns])
            self.row += 1

    def note_row(self, text: str) -> None:
        """An explanatory row (e.g. 'Không có dữ liệu…') across the table."""
        self.append(self.merged(1, self.span, text, "plain_wrap"))

    def set_print_area(self) -> None:
        """Leave the layout's `print = false` columns (the last ones) off the printed page."""
        if self.span < self.width and self.row:
            self.ws.print_area = f"A1:{get_column_letter(self.span)}{self.row}"

    def finish_table(self, header_row: int, last_row: int,
                     tones: Mapping[str, Mapping[Tone, list[str]]]) -> None:
        """Autofilter over the table and red/amber/green fills on its status columns."""
        if last_row < header_row:
            return
        end = get_column_letter(self.width)
        self.ws.auto_filter.ref = f"A{header_row}:{end}{max(last_row, header_row + 1)}"

        if last_row == header_row:
            return
        for i, col in enumerate(self.columns, 1):
            by_tone = tones.get(col.key)
            if not by_tone:
                continue
            letter = get_column_letter(i)
            ref = f"{letter}{header_row + 1}:{letter}{last_row}"
            for tone in ("fail", "warn", "pass"):
                for text in by_tone.get(tone, []):
                    literal = '"' + text.replace('"', '""') + '"'
                    self.ws.conditional_formatting.add(ref, CellIsRule(
                        operator="equal", formula=[literal], fill=self.book.fills[tone],
                        font=self.book.tone_fonts[tone]))
