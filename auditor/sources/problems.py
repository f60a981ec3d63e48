"""Problems found while reading an input: row warnings and the one-line file error."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from auditor.errors import InputError


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


def input_error(path: Path, vi: str, en: str) -> InputError:
    """One line naming the file, in Vietnamese and in English (``--lang en``)."""
    err = InputError(f"{path.name}: {vi}", en=f"{path.name}: {en.rstrip('.')}.")
    err.add_note(f"{path.name}: {en}")
    return err


def one_line(exc: BaseException, limit: int = 80) -> str:
    """An exception's text on one line, short enough for the one-line error message."""
    return " ".join(str(exc).split())[:limit]


def require_regular_file(path: Path) -> None:
    """A FIFO, a device or a socket would hang the read or never end: refuse them."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise input_error(path, "không tìm thấy tệp.", "file not found") from None
    except OSError as exc:
        raise input_error(path, f"không đọc được tệp ({exc.strerror}).", "unreadable") from None
    if stat.S_ISDIR(mode):
        raise input_error(path, "là một thư mục, không phải tệp.", "is a directory")
    if not stat.S_ISREG(mode):
        kind = ("FIFO (ống dẫn)", "a FIFO") if stat.S_ISFIFO(mode) else \
            ("thiết bị", "a device") if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else \
            ("socket", "a socket") if stat.S_ISSOCK(mode) else ("tệp đặc biệt", "a special file")
        raise input_error(path, f"là {kind[0]}, không phải tệp thường; hãy lưu dữ liệu ra một "
                          "tệp rồi chỉ đến tệp đó.", f"{kind[1]}, not a regular file")
