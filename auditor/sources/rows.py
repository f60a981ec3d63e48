"""Reading one table row's cells as text, dates and yes/no, collecting warnings.

Shared by the CMS export and the calendar importers: a bad cell becomes a
:class:`RowWarning` naming ``file:row:column`` and the import goes on.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from auditor.sources.dates import BoolError, DateError, fast_when, parse_bool, parse_when
from auditor.sources.tabular import MAX_CELL, Formula, RowWarning, Table


class RowReader:
    """Cells of the current row by field name; problems go to ``warnings``."""

    def __init__(self, table: Table, zone: ZoneInfo) -> None:
        self.table = table
        self.zone = zone
        self.warnings: list[RowWarning] = []
        self.number = 0
        self.cells: Sequence[Any] = ()
        self._columns = table.columns
        self._width = len(table.headers)
        # Exports repeat the same few yes/no words and many equal dates: parse each once.
        self._dates: dict[tuple[type, Any], tuple[datetime, bool]] = {}
        self._flags: dict[Any, bool] = {}
        self._pool: dict[str, str] = {}

    def load(self, number: int, cells: Sequence[Any]) -> None:
        self.number, self.cells = number, cells

    def column_name(self, fieldname: str) -> str:
        idx = self._columns.get(fieldname)
        if idx is not None and idx < self._width and self.table.headers[idx]:
            return self.table.headers[idx]
        return fieldname

    def warn(self, fieldname: str | None, vi: str, en: str) -> None:
        column = self.column_name(fieldname) if fieldname else None
        self.warnings.append(RowWarning(self.table.file, self.number, column, vi, en))

    def _field_at(self, idx: int) -> str | None:
        for fieldname, i in self._columns.items():
            if i == idx:
                return fieldname
        return None

    def warned(self, fieldname: str) -> bool:
        """Whether this row already has a warning about `fieldname` (to say a thing once)."""
        column = self.column_name(fieldname)
        for w in reversed(self.warnings):
            if w.row != self.number:
                return False
            if w.column == column:
                return True
        return False

    def present(self, names: Sequence[str]) -> list[str]:
        """Those of `names` that have a column in this file (the others stay ``None``)."""
        return [n for n in names if n in self._columns]

    def plan(self, names: Sequence[str]) -> list[tuple[str, int]]:
        """(field, cell index) for those of `names` this file has, for the bulk readers."""
        return [(n, self._columns[n]) for n in names if n in self._columns]

    def texts(self, plan: Sequence[tuple[str, int]], into: dict[str, Any],
              *, shared: bool = False) -> None:
        """Text cells of `plan` into `into`; one loop per row instead of a call per cell
        (a 100,000-row export is read in a few seconds).

        `shared`: the columns repeat a few values (department, approver…); keep one
        copy of each instead of one per row."""
        cells = self.cells
        size = len(cells)
        pool = self._pool
        for name, idx in plan:
            value = cells[idx] if idx < size else None
            if value.__class__ is str and len(value) <= MAX_CELL:
                value = value.strip()
                if value:
                    if shared and len(pool) < 100_000:
                        value = pool.setdefault(value, value)
                    into[name] = value
            elif value is not None:
                into[name] = self.text(name)

    def datetimes(self, plan: Sequence[tuple[str, int]], into: dict[str, Any]) -> None:
        """Date cells of `plan` into `into` (unparseable ones are warned about and left out)."""
        cells = self.cells
        size = len(cells)
        cache = self._dates
        zone = self.zone
        for name, idx in plan:
            value = cells[idx] if idx < size else None
            if value is None or value == "":
                continue
            # The two common cells first, as parse_when reads them: an Excel date cell
            # and the text 24/11/2026 08:15 (its day and time parsed once per file).
            cls = value.__class__
            if cls is datetime and value.tzinfo is None:
                into[name] = value.replace(tzinfo=zone)
                continue
            if cls is str:
                fast = fast_when(value, zone)
                if fast is not None:
                    into[name] = fast[0]
                    continue
            key = (cls, value)
            found = cache.get(key)
            if found is None:
                try:
                    found = parse_when(value, self.zone)
                except DateError:
                    found = self.when(name)  # says what is wrong, where
                if found is None:
                    continue
                if len(cache) > 50_000:
                    cache.clear()
                cache[key] = found
            into[name] = found[0]

    def raw(self, fieldname: str) -> Any:
        """The cell's value, ``None`` when empty; long or formula cells are warned about."""
        idx = self._columns.get(fieldname)
        cells = self.cells
        if idx is None or idx >= len(cells):
            return None
        value = cells[idx]
        if value.__class__ is str:  # the common case, kept cheap for 100,000-row files
            value = value.strip()
            if not value:
                return None
            if len(value) > MAX_CELL:
                self.warn(fieldname, f"ô dài {len(value):,} ký tự (tối đa {MAX_CELL:,}); "
                          "chỉ giữ phần đầu.", f"cell of {len(value)} characters truncated")
                value = value[:MAX_CELL]
            return value
        if value.__class__ is Formula:
            self.warn(fieldname, f"ô chứa công thức Excel chưa tính ({value[:40]}); "
                      "bỏ qua giá trị.", "unevaluated formula ignored")
            return None
        if isinstance(value, str):  # some other str subclass
            return self.raw_text(fieldname, str(value))
        return value

    def raw_text(self, fieldname: str, value: str) -> str | None:
        value = value.strip()
        return value[:MAX_CELL] if value else None

    def text(self, fieldname: str) -> str | None:
        value = self.raw(fieldname)
        if value is None or value.__class__ is str:
            return value
        if isinstance(value, float) and value.is_integer():
            return str(int(value))  # Excel stores the id 1023 as 1023.0
        if isinstance(value, datetime):
            return value.isoformat(sep=" ")
        return str(value)

    def when(self, fieldname: str) -> tuple[datetime, bool] | None:
        value = self.raw(fieldname)
        if value is None:
            return None
        cache = self._dates
        key = (value.__class__, value)
        found = cache.get(key)
        if found is not None:
            return found
        try:
            parsed = parse_when(value, self.zone)
        except DateError:
            self.warn(fieldname, f"không hiểu ngày giờ '{str(value)[:60]}' "
                      "(dùng dạng ngày/tháng/năm giờ:phút, ví dụ 24/11/2026 08:15).",
                      f"unparseable date {str(value)[:60]!r}")
            return None
        if parsed is None:
            return None
        if len(cache) > 50_000:
            cache.clear()
        cache[key] = parsed
        return parsed

    def datetime(self, fieldname: str) -> datetime | None:
        parsed = self.when(fieldname)
        return parsed[0] if parsed else None

    def flag(self, fieldname: str) -> bool:
        value = self.raw(fieldname)
        if value is None:
            return False
        found = self._flags.get(value)
        if found is not None:
            return found
        try:
            result = parse_bool(value)
        except BoolError:
            self.warn(fieldname, f"không hiểu giá trị có/không '{str(value)[:40]}' "
                      "(dùng x, có hoặc để trống); coi là không.",
                      f"not a yes/no value {str(value)[:40]!r}; taken as no")
            return False
        if len(self._flags) < 1000:
            self._flags[value] = result
        return result

    def check_shape(self) -> bool:
        """False (with a warning) for a row that cannot be this table's row at all."""
        cells = self.cells
        if self._width > 1 and len(cells) == 1:
            self.warn(None, "dòng chỉ có một ô — có thể sai dấu phân cách; bỏ qua dòng.",
                      "row has a single cell (wrong delimiter?); skipped")
            return False
        if (len(cells) < self._width and cells and isinstance(cells[-1], str)
                and "\n" in cells[-1] and self._width - len(cells) > 1):
            # A quote opened and never closed swallows the rest of the file into one cell.
            self.warn(self._field_at(len(cells) - 1),
                      "dấu ngoặc kép (\") mở mà không đóng; bỏ qua dòng.",
                      "unterminated quote; row skipped")
            return False
        if len(cells) > self._width and any(
            c not in (None, "") for c in cells[self._width :]
        ):
            self.warn(None, f"dòng có {len(cells)} ô, nhiều hơn {self._width} cột tiêu đề; "
                      "bỏ qua các ô thừa.", "more cells than header columns; extras ignored")
        return True
