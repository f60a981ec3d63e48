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

import codecs
import csv
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import Any

from auditor.errors import ConfigError, InputError
from auditor.people import fold

# A cell longer than this is pasted junk (a whole document in one cell).
MAX_CELL = 100_000
# How many leading rows may hold a title block above the real header row.
_HEADER_SCAN = 10
_TEXT_EXT = {".csv", ".txt", ".tsv"}
_XLSX_EXT = {".xlsx", ".xlsm"}


@dataclass(frozen=True)
class RowWarning:
    """A row (or one cell of it) that could not be used as it stands."""

    file: str
    row: int
    column: str | None
    message: str  # Vietnamese
    message_en: str

    def label(self) -> str:
        where = f"{self.file}:{self.row}" + (f":{self.column}" if self.column else "")
        return f"{where} — {self.message}"


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


def input_error(path: Path, vi: str, en: str) -> InputError:
    """One Vietnamese line naming the file; the English reason rides along as a note."""
    err = InputError(f"{path.name}: {vi}")
    err.add_note(f"{path.name}: {en}")
    return err


def one_line(exc: BaseException, limit: int = 80) -> str:
    """An exception's text on one line, short enough for the one-line error message."""
    return " ".join(str(exc).split())[:limit]


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
                f"(các trường: {', '.join(sorted(fields))})."
            )
    if not path.exists():
        raise input_error(path, "không tìm thấy tệp.", "file not found")
    if path.is_dir():
        raise input_error(path, "là một thư mục, không phải tệp.", "is a directory")
    ext = path.suffix.lower()
    if ext in _TEXT_EXT:
        raw_rows = _text_rows(path)
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


def decode_bytes(path: Path, data: bytes) -> str:
    """Bytes → NFC text, guessing the encoding the way Excel and Windows write them."""
    if data.startswith(b"\xef\xbb\xbf"):
        text = _decode(path, data[3:], "utf-8")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decode(path, data, "utf-16")
    elif (guess := _utf16_without_bom(data)) is not None:
        text = _decode(path, data, guess)
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # Vietnamese Windows' ANSI code page; it decodes to base letters plus
            # combining tone marks, so compose afterwards (Điều 6.4, TCVN 6909).
            try:
                text = unicodedata.normalize("NFC", data.decode("cp1258"))
            except UnicodeDecodeError:
                raise input_error(
                    path, "không phải tệp văn bản UTF-8, UTF-16 hay Windows-1258 (dữ liệu "
                    "nhị phân hoặc bị hỏng).", "neither UTF-8, UTF-16 nor Windows-1258 text",
                ) from None
    if _looks_binary(text):
        raise input_error(
            path, "không phải tệp văn bản (dữ liệu nhị phân hoặc bị hỏng).", "binary data"
        )
    # Unicode text is kept as written: decomposed (NFD) titles and bodies are what
    # text.tcvn6909 reports (Điều 6.4); headers and states are matched folded anyway.
    return text


def _decode(path: Path, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise input_error(
            path, f"không đọc được nội dung (mã hoá {encoding}, byte {exc.start}).",
            f"cannot decode as {encoding}",
        ) from None


def _utf16_without_bom(data: bytes) -> str | None:
    """Mostly-ASCII text in UTF-16 has a NUL in every other byte."""
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 4:
        return None
    even = sample[0 : pairs * 2 : 2].count(0)
    odd = sample[1 : pairs * 2 : 2].count(0)
    if odd > pairs * 0.3 and even < pairs * 0.05:
        return "utf-16-le"
    if even > pairs * 0.3 and odd < pairs * 0.05:
        return "utf-16-be"
    return None


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    if "\x00" in sample:
        return True
    controls = sum(1 for c in sample if c < " " and c not in "\t\r\n")
    return controls > max(2, len(sample) // 100)


def sniff_delimiter(lines: Sequence[str]) -> str:
    """The delimiter that splits the first lines into the same number (>1) of cells."""
    best, best_score = ",", (0, 0)
    for delim in (",", ";", "\t", "|"):
        counts = [len(r) for r in csv.reader(lines, delimiter=delim)]
        counts = [n for n in counts if n > 1]
        if not counts:
            continue
        mode, agree = Counter(counts).most_common(1)[0]
        score = (agree, mode)
        if score > best_score:
            best, best_score = delim, score
    return best


_SAMPLE = 1 << 16  # enough of a file to tell its encoding and delimiter


def text_encoding(path: Path, head: bytes) -> str:
    """The encoding of a text file, judged on its first bytes; UTF-8 is confirmed by
    decoding the whole file in chunks, so a big export is never held twice in memory."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    guess = _utf16_without_bom(head)
    if guess is not None:
        return guess
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        # Vietnamese Windows' ANSI code page; it decodes to base letters plus
        # combining tone marks, composed afterwards (Điều 6.4, TCVN 6909).
        return "cp1258"
    return "utf-8"


def _text_rows(path: Path) -> Iterator[tuple[int, Sequence[Any]]]:
    try:
        with path.open("rb") as f:
            head = f.read(_SAMPLE)
    except OSError as exc:
        raise input_error(path, f"không đọc được tệp ({exc.strerror}).", "unreadable") from None
    if head.startswith(b"PK\x03\x04"):
        raise input_error(
            path, "là tệp nén/Excel chứ không phải CSV; hãy đổi đuôi thành .xlsx.",
            "a zip/xlsx file with a text extension",
        )
    encoding = text_encoding(path, head)
    try:
        sample = codecs.getincrementaldecoder(encoding)().decode(head)
    except UnicodeDecodeError:
        raise input_error(
            path, "không phải tệp văn bản UTF-8, UTF-16 hay Windows-1258 (dữ liệu "
            "nhị phân hoặc bị hỏng).", "neither UTF-8, UTF-16 nor Windows-1258 text",
        ) from None
    if _looks_binary(sample):
        raise input_error(
            path, "không phải tệp văn bản (dữ liệu nhị phân hoặc bị hỏng).", "binary data"
        )
    sample = unicodedata.normalize("NFC", sample)
    if not sample.strip():
        raise input_error(path, "tệp rỗng, không có dòng nào.", "empty file")
    # Excel's "sep=;" first line names the delimiter outright.
    hint = re.match(r"sep=(.)\r?\n", sample)
    if hint:
        delimiter = hint[1]
    else:
        first = [ln for ln in islice(sample.splitlines(), 0, 30) if ln.strip()][:20]
        delimiter = sniff_delimiter(first)
    # One cell may legitimately be long (a post body); MAX_CELL is enforced per cell
    # later with a row warning instead of the csv module's exception.
    csv.field_size_limit(2**31 - 1)
    reader = csv.reader(_nfc_lines(path, encoding, skip_first=bool(hint)), delimiter=delimiter)
    return _numbered_csv(path, reader)


def _nfc_lines(path: Path, encoding: str, *, skip_first: bool) -> Iterator[str]:
    """The file's lines, decoded and composed to NFC one at a time."""
    with path.open(encoding=encoding, newline="") as f:
        for number, line in enumerate(f):
            if skip_first and number == 0:
                yield "\n"  # the sep= line; keeps the line numbers right
            else:
                yield unicodedata.normalize("NFC", line)


def _numbered_csv(path: Path, reader: Any) -> Iterator[tuple[int, Sequence[Any]]]:
    prev = 0
    try:
        for cells in reader:
            # The row's number is the line it starts on (a quoted cell may span lines).
            start, prev = prev + 1, reader.line_num
            if cells and any(cells):
                yield start, cells
    except csv.Error as exc:
        raise input_error(path, f"lỗi cú pháp CSV ở dòng {reader.line_num}: {exc}.",
                          "CSV syntax error") from None
    except UnicodeDecodeError as exc:
        raise input_error(path, f"dòng {reader.line_num + 1} có byte không đọc được "
                          f"({exc.encoding}); tệp bị hỏng?", "undecodable bytes") from None


# --- xlsx -----------------------------------------------------------------------


def _xlsx_rows(path: Path, sheet: str | None) -> Iterator[tuple[int, Sequence[Any]]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
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
    # Cells, not values_only: only the cell type tells a formula ("=TODAY()", type f)
    # from a text that merely starts with "=" (type s), and it costs no more to read.
    return _guarded(path, wb, ws.iter_rows())


class Formula(str):
    """An xlsx formula cell read without its computed value, e.g. ``=TODAY()``."""


def _guarded(path: Path, wb: Any, rows: Iterator[tuple[Any, ...]]
             ) -> Iterator[tuple[int, Sequence[Any]]]:
    import zipfile

    try:
        for number, cells in enumerate(rows, start=1):
            values = [Formula(c.value) if c.data_type == "f" else c.value for c in cells]
            if any(v is not None and v != "" for v in values):
                yield number, values
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, SyntaxError) as exc:
        # A truncated archive can open and then fail inside the sheet's XML.
        raise input_error(
            path, "tệp Excel bị hỏng giữa chừng (bị cắt cụt?).", f"corrupt workbook: {exc}"
        ) from None
    finally:
        wb.close()


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

