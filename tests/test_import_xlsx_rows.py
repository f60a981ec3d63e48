"""xlsx rows: calamine reads a workbook without formulas; one with formulas is read
by openpyxl, values-only until a value could be a formula, then as cells.

Every way must give what reading every row as cells gives: the same row
numbers, the same values, formulas (type f) as :class:`Formula` and a text that
merely starts with "=" (type s) as text. Calamine stores every number as a float
and an empty cell as "": a number is compared as a number, "" as an empty cell.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from auditor.sources.tabular import Formula, _xlsx_rows


def _by_cells(path: Path) -> list[tuple[int, list[Any], list[type]]]:
    """The reference: every row as cells, as the import read them before."""
    wb = load_workbook(path, read_only=True)
    out = []
    for number, cells in enumerate(wb.worksheets[0].iter_rows(), start=1):
        values = [Formula(c.value) if c.data_type == "f" else c.value for c in cells]
        if any(v is not None and v != "" for v in values):
            out.append((number, values, [type(v) for v in values]))
    wb.close()
    return out


def _rows(path: Path) -> list[tuple[int, list[Any], list[type]]]:
    return [(n, list(v), [type(x) for x in v]) for n, v in _xlsx_rows(path, None)]


def _same(rows: list[tuple[int, list[Any], list[type]]]) -> list[tuple[int, list[Any], list[type]]]:
    """An array formula's text is its object's repr: compare it without the address."""
    return [(n, [re.sub(r" at 0x[0-9a-f]+", "", v) if isinstance(v, Formula) else
                 None if v == "" else v for v in values],
             [float if t is int else type(None) if t is str and v == "" else t
              for t, v in zip(types, values, strict=True)])
            for n, values, types in rows]


def _save(path: Path, rows: list[list[Any]], text_cells: set[tuple[int, int]] = frozenset(),
          array: tuple[str, str] | None = None) -> None:
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    for row, col in text_cells:  # text that starts with "=", not a formula
        ws.cell(row, col).data_type = "s"
    if array:
        ws[array[0]] = ArrayFormula(array[0], array[1])
    wb.save(path)


HEADER = ["Mã", "Tiêu đề", "Ngày đăng"]


@pytest.mark.parametrize("case", ["plain", "text-eq", "formula", "both", "array", "blank-rows"])
def test_rows_equal_reading_every_cell(tmp_path: Path, case: str) -> None:
    rows: list[list[Any]] = [HEADER] + [
        [i, f"Tin {i}", datetime(2026, 11, i % 28 + 1, 8, 15)] for i in range(1, 40)]
    text_cells: set[tuple[int, int]] = set()
    array = None
    if case in ("text-eq", "both"):
        rows[5][1] = "=Đây là chữ"
        text_cells.add((6, 2))
    if case in ("formula", "both"):
        rows[20][2] = "=TODAY()"
    if case == "array":
        array = ("C30", "{=A1:A2}")
    if case == "blank-rows":
        rows[10] = [None, None, None]
        rows[25] = ["", None, "=A1"]
    path = tmp_path / f"{case}.xlsx"
    _save(path, rows, text_cells, array)
    got, want = _rows(path), _by_cells(path)
    assert _same(got) == _same(want)
    kinds = {t for _n, _v, types in got for t in types}
    assert (Formula in kinds) == (case in ("formula", "both", "array", "blank-rows"))
    if case in ("text-eq", "both"):
        [(_n, values, types)] = [r for r in got if r[0] == 6]
        assert values[1] == "=Đây là chữ" and types[1] is str
