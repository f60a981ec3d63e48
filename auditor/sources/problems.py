"""Problems found while reading an input: row warnings and the one-line file error."""

from __future__ import annotations

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
