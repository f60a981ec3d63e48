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
import zipfile
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import chain, islice
from pathlib import Path
from typing import Any

from auditor.errors import ConfigError
from auditor.sources.headers import (
    ColumnReport,
    HeaderMap,
    build_synonyms,
    header_key,
    map_header,
    report,
)
from auditor.sources.problems import RowWarning, input_error, one_line, require_regular_file
from auditor.sources.textfile import decode_bytes, sniff_delimiter, text_rows

__all__ = ["MAX_CELL", "Formula", "Limits", "RowWarning", "Table", "build_synonyms",
           "decode_bytes", "header_key", "input_error", "one_line", "open_table",
           "require_regular_file", "sniff_delimiter"]

# A cell longer than this is pasted junk (a whole document in one cell).
MAX_CELL = 100_000
# How many leading rows may hold a title block above the real header row.
_HEADER_SCAN = 20
_TEXT_EXT = {".csv", ".txt", ".tsv"}
_XLSX_EXT = {".xlsx", ".xlsm"}


@dataclass(frozen=True)
class Limits:
    """What an input may hold before it is refused (``[sources] max_*`` in auditor.toml)."""

    max_rows: int = 2_000_000
    max_field_chars: int = 10_000_000
    max_unpacked_bytes: int = 1 << 30  # an xlsx, all its members decompressed
    max_ratio: int = 200  # an xlsx member's decompressed size / its compressed size
    ratio_floor: int = 1 << 20  # members smaller than this are not held to max_ratio


@dataclass
class Table:
    """A file's rows with the header already mapped: ``columns[field]`` = cell index."""

    file: str  # the name used in messages
    columns: dict[str, int]
    headers: list[str]
    rows: Iterator[tuple[int, Sequence[Any]]]  # (1-based row number in the file, cells)
    report: ColumnReport | None = None


def open_table(
    path: Path,
    *,
    synonyms: Mapping[str, str],
    explicit: Mapping[str, str] | None = None,
    sheet: str | None = None,
    json_keys: Sequence[str] = (),
    limits: Limits | None = None,
    config_key: str = "sources.export_columns",
) -> Table:
    """Open `path`, find its header row (on any sheet, below any title rows) and map it.

    `explicit` maps field → header as the school's config names it; it wins over
    the synonyms. Raises :class:`InputError` for an unusable file.
    """
    limits = limits or Limits()
    fields = set(synonyms.values())
    for fieldname in explicit or {}:
        if fieldname not in fields:
            raise ConfigError(
                f"Cấu hình cột: trường '{fieldname}' không tồn tại "
                f"(các trường: {', '.join(sorted(fields))}).",
                en=f"Column mapping: there is no field '{fieldname}' "
                   f"(fields: {', '.join(sorted(fields))}).",
            )
    require_regular_file(path)
    ext = path.suffix.lower()
    sheets: list[tuple[str | None, Iterator[tuple[int, Sequence[Any]]]]]
    if ext in _TEXT_EXT:
        sheets = [(None, text_rows(path, max_field=limits.max_field_chars))]
    elif ext in _XLSX_EXT:
        sheets = _xlsx_sheets(path, sheet, limits)
    elif ext == ".json":
        sheets = [(None, _json_rows(path, json_keys))]
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
    table = _find_header(path, sheets, synonyms, explicit or {}, config_key)
    table.rows = _capped(path, table.rows, limits.max_rows)
    return table


def _find_header(
    path: Path,
    sheets: Sequence[tuple[str | None, Iterator[tuple[int, Sequence[Any]]]]],
    synonyms: Mapping[str, str],
    explicit: Mapping[str, str],
    config_key: str,
) -> Table:
    """The header row that maps the most fields, on whichever sheet has it."""
    wanted = {header_key(h): f for f, h in explicit.items()}
    best: tuple[HeaderMap, int, str | None, list[tuple[int, Sequence[Any]]], Any] | None = None
    seen_rows = False
    for name, rows in sheets:
        head = list(islice(rows, _HEADER_SCAN))
        seen_rows = seen_rows or bool(head)
        for pos, (_, cells) in enumerate(head):
            found = map_header(cells, synonyms, wanted)
            if found.strength >= 2 and (best is None or found.strength > best[0].strength):
                best = (found, pos, name, head, rows)
    if not seen_rows:
        raise input_error(path, "tệp rỗng, không có dòng nào.", "empty file")
    if best is None:
        raise input_error(
            path, "không nhận ra dòng tiêu đề cột (ví dụ: Mã, Tiêu đề, Ngày đăng) trong "
            f"{_HEADER_SCAN} dòng đầu của trang tính nào.", "no recognisable header row",
        )
    found, pos, name, head, rows = best
    for fieldname, header in explicit.items():
        if fieldname not in found.columns:
            raise input_error(
                path, f"không có cột '{header}' (cấu hình cho trường '{fieldname}').",
                f"column '{header}' not found",
            )
    number = head[pos][0]
    where = where_en = ""
    if name is not None and len(sheets) > 1:
        where, where_en = f"trang '{name}', dòng {number}", f"sheet '{name}', row {number}"
    elif number > 1:
        where, where_en = f"dòng {number}", f"row {number}"
    columns_report = report(path.name, config_key, found, where, where_en)
    return Table(path.name, dict(found.columns), found.headers,
                 chain(head[pos + 1 :], rows), columns_report)


def _capped(path: Path, rows: Iterator[tuple[int, Sequence[Any]]], limit: int
            ) -> Iterator[tuple[int, Sequence[Any]]]:
    """`rows`, refused past `limit` (counted in C: no Python step per row)."""
    return chain(islice(rows, limit), _refuse_more(path, rows, limit))


def _refuse_more(path: Path, rows: Iterator[tuple[int, Sequence[Any]]], limit: int
                 ) -> Iterator[tuple[int, Sequence[Any]]]:
    if next(rows, None) is not None:
        raise input_error(
            path, f"có hơn {limit:,} dòng dữ liệu (giới hạn [sources] max_rows); hãy xuất "
            "theo năm học hoặc tăng giới hạn.", f"more than {limit} rows (sources.max_rows)")
    yield from ()


# --- xlsx -----------------------------------------------------------------------


def _xlsx_rows(path: Path, sheet: str | None) -> Iterator[tuple[int, Sequence[Any]]]:
    """The rows of one sheet (`sheet`, else the first), as the import reads them."""
    return _xlsx_sheets(path, sheet, Limits())[0][1]


def _xlsx_sheets(path: Path, sheet: str | None, limits: Limits
                 ) -> list[tuple[str | None, Iterator[tuple[int, Sequence[Any]]]]]:
    """(name, rows) of `sheet`, else of every worksheet, for the header search.

    Values are read with calamine (Rust, about ten times openpyxl's speed); a
    workbook holding formulas is read with openpyxl instead, which tells an
    uncomputed formula from a value (calamine shows only the cached result)."""
    formulas = _inspect_zip(path, limits)
    if formulas:
        return _openpyxl_sheets(path, sheet)
    import python_calamine as calamine

    try:
        wb = calamine.CalamineWorkbook.from_path(str(path))
        names = [m.name for m in wb.sheets_metadata
                 if m.typ == calamine.SheetTypeEnum.WorkSheet]
    except Exception as exc:  # calamine's errors (zip, XML, password) all mean one thing
        raise input_error(
            path, "không mở được tệp Excel (.xlsx hỏng, bị cắt cụt hoặc không phải Excel).",
            f"cannot open workbook: {one_line(exc)}",
        ) from None
    if sheet is not None:
        _sheet_exists(path, sheet, wb.sheet_names)
        names = [sheet]
    if not names:
        raise input_error(path, "tệp Excel không có trang tính nào.", "no worksheet")
    return [(name, _calamine_rows(path, wb, name)) for name in names]


def _sheet_exists(path: Path, sheet: str, names: Sequence[str]) -> None:
    if sheet not in names:
        raise input_error(
            path, f"không có trang tính '{sheet}' (có: {', '.join(names)}).", "sheet not found",
        )


def _calamine_rows(path: Path, wb: Any, name: str) -> Iterator[tuple[int, Sequence[Any]]]:
    """The sheet's non-empty rows; calamine starts every sheet at row 1 and gives ""
    for an empty cell."""
    try:
        for number, row in enumerate(wb.get_sheet_by_name(name).iter_rows(), start=1):
            if row.count("") != len(row):
                yield number, row
    except Exception as exc:  # a damaged archive can open and fail inside a sheet
        raise input_error(
            path, "tệp Excel bị hỏng giữa chừng (bị cắt cụt?).",
            f"corrupt workbook: {one_line(exc)}",
        ) from None


_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")
_CHUNK = 1 << 20


def _inspect_zip(path: Path, limits: Limits) -> bool:
    """Refuse a zip bomb before any reader decompresses it; say whether a sheet holds
    formulas. The members are decompressed once here, as a stream: the sizes the
    archive declares are proven (zipfile stops at the declared size and checks the
    CRC), so a reader that trusts them cannot be fooled."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            declared = sum(i.file_size for i in infos)
            if declared > limits.max_unpacked_bytes:
                raise _bomb(path, f"giải nén ra {declared:,} byte", declared)
            formulas = False
            for info in infos:
                if (info.file_size > limits.ratio_floor
                        and info.file_size > limits.max_ratio * max(info.compress_size, 1)):
                    ratio = info.file_size // max(info.compress_size, 1)
                    raise _bomb(path, f"phần '{info.filename}' nén {ratio:,} lần",
                                info.file_size)
                sheet = info.filename.startswith("xl/worksheets/")
                with archive.open(info) as member:
                    tail = b""
                    while chunk := member.read(_CHUNK):
                        if sheet and not formulas:
                            both = tail + chunk
                            # A cheap look for "<f" (or a prefixed ":f") before the regex.
                            if b"<f" in both or b":f" in both:
                                formulas = _FORMULA.search(both) is not None
                            tail = chunk[-16:]
            return formulas
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError,
            KeyError, ValueError) as exc:
        raise input_error(
            path, "không mở được tệp Excel (.xlsx hỏng, bị cắt cụt hoặc không phải Excel).",
            f"cannot open workbook: {one_line(exc)}",
        ) from None


def _bomb(path: Path, what: str, size: int) -> Exception:
    return input_error(
        path, f"tệp Excel bất thường ({what}; giới hạn [sources] max_unpacked_mb); "
        "có thể là tệp 'bom nén', không đọc.", f"zip bomb suspected ({size} bytes unpacked)")


def _openpyxl_sheets(path: Path, sheet: str | None
                     ) -> list[tuple[str | None, Iterator[tuple[int, Sequence[Any]]]]]:
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
    if sheet is not None:
        if sheet not in wb.sheetnames:
            wb.close()
        _sheet_exists(path, sheet, wb.sheetnames)
        return [(sheet, _guarded(path, wb, wb[sheet]))]
    # The archive stays open while any sheet's rows are read (closed with the workbook).
    return [(ws.title, _guarded(path, wb, ws, close=False)) for ws in wb.worksheets]


class Formula(str):
    """An xlsx formula cell read without its computed value, e.g. ``=TODAY()``."""


# What iter_rows(values_only=True) gives for a cell that is surely not a formula (a str
# is one unless it starts with "=").
_PLAIN = frozenset({type(None), int, float, bool, datetime, date, time, timedelta})


def _guarded(path: Path, wb: Any, ws: Any, *, close: bool = True
             ) -> Iterator[tuple[int, Sequence[Any]]]:
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
        if close:
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

