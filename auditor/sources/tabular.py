"""Tables from .csv / .txt / .tsv, .xlsx and .json, with their header mapped to model fields.

Schools export from many CMSs and often retouch the file in Excel, so the
reader accepts what Excel and Vietnamese Windows produce: UTF-8 with or
without BOM, UTF-16 ("Unicode text", tab-separated) with or without BOM,
Windows-1258 (decoded, then composed to NFC as TCVN 6909 / Điều 6.4 expects),
``,`` ``;`` or tab as the delimiter, and headers in Vietnamese or English, with
or without diacritics. Broken rows become :class:`RowWarning` s; an unusable file
raises :class:`~auditor.errors.InputError` with one Vietnamese line.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import chain, islice
from pathlib import Path
from typing import Any

from auditor.errors import ConfigError
from auditor.people import fold
from auditor.sources.problems import RowWarning, input_error, one_line
from auditor.sources.textfile import decode_bytes, sniff_delimiter, text_rows

__all__ = ["MAX_CELL", "Formula", "RowWarning", "Table", "build_synonyms", "decode_bytes",
           "header_key", "input_error", "one_line", "open_table", "sniff_delimiter"]

# A cell longer than this is pasted junk (a whole document in one cell).
MAX_CELL = 100_000
# How many leading rows may hold a title block above the real header row.
_HEADER_SCAN = 10
_TEXT_EXT = {".csv", ".txt", ".tsv"}
_XLSX_EXT = {".xlsx", ".xlsm"}


def header_key(text: object) -> str:
    """ "Ngày đăng (dd/mm/yyyy)*" → "ngaydang": accents, case, spacing and notes dropped."""
    folded = fold(re.sub(r"\(.*?\)|\[.*?\]", " ", str(text)))
    return re.sub(r"[^a-z0-9]+", "", folded)


def build_synonyms(table: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """{field: [header, …]} → {header_key: field} (the field's own name included)."""
    out: dict[str, str] = {}
    for fieldname, names in table.items():
        for name in (fieldname, *names):
            out.setdefault(header_key(name), fieldname)
    return out


@dataclass
class Table:
    """A file's rows with the header already mapped: ``columns[field]`` = cell index."""

    file: str  # the name used in messages
    columns: dict[str, int]
    headers: list[str]
    rows: Iterator[tuple[int, Sequence[Any]]]  # (1-based row number in the file, cells)


def open_table(
    path: Path,
    *,
    synonyms: Mapping[str, str],
    explicit: Mapping[str, str] | None = None,
    sheet: str | None = None,
    json_keys: Sequence[str] = (),
) -> Table:
    """Open `path` and map its header row onto fields.

    `explicit` maps field → header as the school's config names it; it wins over
    the synonyms. Raises :class:`InputError` for an unusable file.
    """
    fields = set(synonyms.values())
    for fieldname in explicit or {}:
        if fieldname not in fields:
            raise ConfigError(
                f"Cấu hình cột: trường '{fieldname}' không tồn tại "
                f"(các trường: {', '.join(sorted(fields))}).",
                en=f"Column settings: there is no field '{fieldname}' "
                   f"(fields: {', '.join(sorted(fields))}).")
    if not path.exists():
        raise input_error(path, "không tìm thấy tệp.", "file not found")
    if path.is_dir():
        raise input_error(path, "là một thư mục, không phải tệp.", "is a directory")
    ext = path.suffix.lower()
    if ext in _TEXT_EXT:
        raw_rows = text_rows(path)
    elif ext in _XLSX_EXT:
        raw_rows = _xlsx_rows(path, sheet)
    elif ext == ".json":
        raw_rows = _json_rows(path, json_keys)
    elif ext == ".xls":
        raise input_error(
            path, "định dạng Excel 97-2003 (.xls) không được hỗ trợ; hãy lưu lại thành .xlsx.",
            "old .xls format; save as .xlsx",
        )
    else:
        raise input_error(
            path, f"định dạng '{ext or '(không có đuôi)'}' không được hỗ trợ "
            "(dùng .csv, .xlsx hoặc .json).", "unsupported format",
        )
    return _map_header(path, raw_rows, synonyms, explicit or {})


def _map_header(
    path: Path,
    rows: Iterator[tuple[int, Sequence[Any]]],
    synonyms: Mapping[str, str],
    explicit: Mapping[str, str],
) -> Table:
    head = list(islice(rows, _HEADER_SCAN))
    if not head:
        raise input_error(path, "tệp rỗng, không có dòng nào.", "empty file")
    wanted = {header_key(h): f for f, h in explicit.items()}
    best: tuple[int, dict[str, int], list[str]] | None = None
    for pos, (_, cells) in enumerate(head):
        columns = _match(cells, synonyms, wanted)
        if len(columns) >= 2 and (best is None or len(columns) > len(best[1])):
            best = (pos, columns, [_cell_text(c) for c in cells])
            if len(columns) >= 3:
                break
    if best is None:
        raise input_error(
            path, "không nhận ra dòng tiêu đề cột (ví dụ: Mã, Tiêu đề, Ngày đăng).",
            "no recognisable header row",
        )
    pos, columns, headers = best
    for fieldname, header in explicit.items():
        if fieldname not in columns:
            raise input_error(
                path, f"không có cột '{header}' (cấu hình cho trường '{fieldname}').",
                f"column '{header}' not found",
            )
    rest = chain(head[pos + 1 :], rows)
    return Table(path.name, columns, headers, rest)


def _cell_text(cell: Any) -> str:
    return "" if cell is None else str(cell).strip()


def _match(cells: Sequence[Any], synonyms: Mapping[str, str], wanted: Mapping[str, str]
           ) -> dict[str, int]:
    columns: dict[str, int] = {}
    taken = set(wanted.values())
    for idx, cell in enumerate(cells):
        if cell is None or not isinstance(cell, str):
            continue
        key = header_key(cell)
        if not key:
            continue
        fieldname = wanted.get(key)
        if fieldname is None:
            fieldname = synonyms.get(key)
            if fieldname in taken:  # the config maps this field to another column
                fieldname = None
        if fieldname and fieldname not in columns:
            columns[fieldname] = idx
    return columns


# --- text files -------------------------------------------------------------------


# --- xlsx -----------------------------------------------------------------------


def _xlsx_rows(path: Path, sheet: str | None) -> Iterator[tuple[int, Sequence[Any]]]:

    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            # "Workbook contains no default style…": noise for the user, not a problem.
            warnings.simplefilter("ignore")
            wb = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl and zipfile fail in many ways on a
        # damaged archive (BadZipFile, zlib.error, KeyError, NotImplementedError…): all mean
        # the same thing to the user.
        raise input_error(
            path, "không mở được tệp Excel (.xlsx hỏng, bị cắt cụt hoặc không phải Excel).",
            f"cannot open workbook: {exc}",
        ) from None
    if sheet is not None and sheet not in wb.sheetnames:
        wb.close()
        raise input_error(
            path, f"không có trang tính '{sheet}' (có: {', '.join(wb.sheetnames)}).",
            "sheet not found",
        )
    ws = wb[sheet] if sheet is not None else wb.worksheets[0]
    return _guarded(path, wb, ws)


class Formula(str):
    """An xlsx formula cell read without its computed value, e.g. ``=TODAY()``."""


# What iter_rows(values_only=True) gives for a cell that is surely not a formula (a str
# is one unless it starts with "=").
_PLAIN = frozenset({type(None), int, float, bool, datetime, date, time, timedelta})


def _guarded(path: Path, wb: Any, ws: Any) -> Iterator[tuple[int, Sequence[Any]]]:
    """The sheet's non-empty rows as (row number, values).

    Values only, openpyxl's cheapest way to read (no cell object per cell), as long
    as no value can be a formula. Only the cell type tells a formula ("=TODAY()",
    type f) from a text that merely starts with "=" (type s): from the first row
    holding such a value on, the rows are read as cells."""
    try:
        fast = ws.iter_rows(values_only=True)
        first = 0
        for number, row in enumerate(fast, start=1):
            if not _plain(row):
                first = number
                break
            if any(v is not None and v != "" for v in row):
                yield number, row
        fast.close()
        if not first:
            return
        for number, cells in enumerate(ws.iter_rows(min_row=first), start=first):
            values = [Formula(c.value) if c.data_type == "f" else c.value for c in cells]
            if any(v is not None and v != "" for v in values):
                yield number, values
    except Exception as exc:  # as in _xlsx_rows: a damaged archive
        # can open and then fail inside the sheet's XML or its compressed stream.
        raise input_error(
            path, "tệp Excel bị hỏng giữa chừng (bị cắt cụt?).", f"corrupt workbook: {exc}"
        ) from None
    finally:
        wb.close()


def _plain(values: Sequence[Any]) -> bool:
    """Whether none of a values-only row can be a formula."""
    for v in values:
        if v.__class__ is str:
            if v[:1] == "=":
                return False
        elif v.__class__ not in _PLAIN:
            return False
    return True


# --- json -----------------------------------------------------------------------


def _json_rows(path: Path, keys: Sequence[str]) -> Iterator[tuple[int, Sequence[Any]]]:
    try:
        data = json.loads(decode_bytes(path, path.read_bytes()))
    except json.JSONDecodeError as exc:
        raise input_error(path, f"JSON không hợp lệ (dòng {exc.lineno}, cột {exc.colno}).",
                          "invalid JSON") from None
    if isinstance(data, dict):
        for key in keys:
            if isinstance(data.get(key), list):
                data = data[key]
                break
    if not isinstance(data, list) or not all(isinstance(o, dict) for o in data):
        raise input_error(
            path, f"JSON phải là một danh sách đối tượng hoặc {{\"{keys[0]}\": [...]}}.",
            "JSON must be a list of objects",
        )
    if not data:
        raise input_error(path, "danh sách rỗng, không có bản ghi nào.", "empty list")
    header: dict[str, None] = {}
    for obj in data:
        header.update(dict.fromkeys(obj))
    names = list(header)
    out: list[tuple[int, Sequence[Any]]] = [(0, names)]
    for number, obj in enumerate(data, start=1):
        out.append((number, [_json_cell(obj.get(k)) for k in names]))
    return iter(out)


def _json_cell(value: Any) -> Any:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value

