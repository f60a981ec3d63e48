"""Text tables (.csv / .txt / .tsv) as Excel and Vietnamese Windows write them.

UTF-8 with or without BOM, UTF-16 ("Unicode text", tab-separated) with or
without BOM, or Windows-1258 (decoded, then composed to NFC: its tone marks are
separate bytes, an artefact of the code page). Unicode files are kept exactly as
written, so decomposed (NFD) text stays visible to ``text.tcvn6909`` (Điều 6.4).
The delimiter (``,`` ``;`` tab ``|``) is sniffed or taken from
Excel's ``sep=`` line. Files are read line by line, so a large export is
never held in memory whole.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import chain, islice
from pathlib import Path
from typing import Any

from auditor.sources.problems import input_error


def decode_bytes(path: Path, data: bytes) -> str:
    """Bytes → text, guessing the encoding the way Excel and Windows write them
    (Windows-1258 composed to NFC, Unicode kept as written)."""
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


_ENCODING_NAMES = {"cp1258": "Windows-1258", "utf-8": "UTF-8", "utf-8-sig": "UTF-8",
                   "utf-16": "UTF-16", "utf-16-le": "UTF-16", "utf-16-be": "UTF-16"}
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


def text_rows(path: Path, *, max_field: int = 10_000_000
              ) -> Iterator[tuple[int, Sequence[Any]]]:
    """(line number, cells) of each non-blank row; InputError for an unusable file.

    A cell (or a line without a newline) longer than `max_field` characters stops
    the read with a clear error before it can take the machine's memory."""
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
    # later with a row warning. Beyond max_field the csv module stops (in C).
    csv.field_size_limit(max_field)
    lines = _lines(path, encoding, skip_first=bool(hint), max_line=max_field)
    reader = csv.reader(lines, delimiter=delimiter)
    return _numbered_csv(path, reader, _ENCODING_NAMES.get(encoding, encoding), max_field)


def _lines(path: Path, encoding: str, *, skip_first: bool, max_line: int) -> Iterator[str]:
    """The file's lines, decoded a megabyte at a time (Windows-1258 composed to NFC).

    Chunks are cut after a newline, so no line (and no letter with its combining
    marks) is split; the lines are then split in C by ``io.StringIO``."""
    return chain.from_iterable(
        io.StringIO(chunk, newline="")
        for chunk in _chunks(path, encoding, skip_first, max_line)
    )


def _chunks(path: Path, encoding: str, skip_first: bool, max_line: int) -> Iterator[str]:
    """Blocks of whole lines. A line longer than a block is gathered as a list of
    pieces and joined once, so reading time stays linear in the file's size."""
    compose = encoding == "cp1258"
    pieces: list[str] = []  # the start of a line that has not ended yet
    held = 0
    with path.open(encoding=encoding, newline="") as f:
        while block := f.read(1 << 20):
            cut = block.rfind("\n") + 1
            if cut == 0:  # no newline yet: keep reading
                pieces.append(block)
                held += len(block)
                if held > max_line:
                    raise input_error(
                        path, f"có một dòng dài hơn {max_line:,} ký tự (giới hạn [sources] "
                        "max_field_chars); tệp hỏng hoặc không phải bảng.",
                        f"a line longer than {max_line} characters (sources.max_field_chars)")
                continue
            text = "".join((*pieces, block[:cut])) if pieces else block[:cut]
            pieces = [block[cut:]] if cut < len(block) else []
            held = len(block) - cut
            if skip_first:  # the sep= line becomes blank, which keeps the line numbers
                text = "\n" + text[text.index("\n") + 1 :]
                skip_first = False
            yield unicodedata.normalize("NFC", text) if compose else text
    if pieces:
        carry = "".join(pieces)
        yield unicodedata.normalize("NFC", carry) if compose else carry


def _numbered_csv(path: Path, reader: Any, encoding: str, max_field: int
                  ) -> Iterator[tuple[int, Sequence[Any]]]:
    prev = 0
    try:
        for cells in reader:
            # The row's number is the line it starts on (a quoted cell may span lines).
            start, prev = prev + 1, reader.line_num
            if cells and any(cells):
                yield start, cells
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise input_error(
                path, f"dòng {prev + 1}: một ô dài hơn {max_field:,} ký tự (giới hạn "
                "[sources] max_field_chars).", f"a field longer than {max_field} characters "
                f"in the row of line {prev + 1} (sources.max_field_chars)") from None
        raise input_error(path, f"lỗi cú pháp CSV ở dòng {reader.line_num}: {exc}.",
                          "CSV syntax error") from None
    except UnicodeDecodeError as exc:
        raise input_error(path, f"có byte không đọc được theo mã hoá {encoding} "
                          "(tệp bị hỏng hoặc trộn nhiều mã hoá).",
                          f"undecodable bytes: {exc.reason}") from None
