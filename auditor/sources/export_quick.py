"""The common export row, read in one pass: a shortcut beside the cell-by-cell reader.

Most rows of a CMS export are plain: as many cells as header columns, texts, the
date shapes ``24/11/2026 08:15`` or Excel date cells, a known status word. Such a
row becomes a :class:`Post` here, with each column's converter chosen once per
file. A row with anything to warn about (a missing id, a duplicate, an odd date,
an unknown status, a stray cell…) is left to :func:`auditor.sources.export._post`,
which reads it cell by cell and says what is wrong where. The shortcut never
warns, so it cannot say a thing differently; a test compares the two on every
fixture and on generated rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import MISSING, fields
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from auditor.model import Post, PostStatus, Provenance
from auditor.sources.dates import BoolError, DayTimeTexts, parse_bool
from auditor.sources.tabular import MAX_CELL, Table

__all__ = ["QuickRows"]

_Plan = Sequence[tuple[str, int]]


def _defaults(cls: type) -> dict[str, Any]:
    """Every field of a dataclass in declaration order, with its default (None if none)."""
    return {f.name: None if f.default is MISSING else f.default for f in fields(cls)}


_POST = _defaults(Post)


def _frozen(cls: type, values: dict[str, Any]) -> Any:
    """An instance of the frozen dataclass `cls` holding `values` (all its fields).

    The generated ``__init__`` sets each of Post's 23 fields through
    ``object.__setattr__`` (0.4 s for 100,000 rows); the values are checked here
    already, so they are put in place in one step. Model classes with a
    ``__post_init__`` are refused, since it would be skipped."""
    obj: Any = object.__new__(cls)
    # Pair by pair, in field order, so the instance keeps the class's shared keys
    # (updating from the dict itself would copy a whole table: +60 MB per 100,000 posts).
    obj.__dict__.update(values.items())
    return obj


class QuickRows:
    """Posts from plain rows; ``post()`` gives ``None`` for a row to read the slow way."""

    def __init__(self, table: Table, zone: ZoneInfo, texts: _Plan, shared: _Plan,
                 dates: _Plan, seen: set[str],
                 parse_status: Callable[[str], PostStatus | None]) -> None:
        columns = table.columns
        self._file = table.file
        self._width = len(table.headers)
        self._id = columns["post_id"]
        self._title = columns["title"]
        self._status = columns.get("status")
        self._flag = columns.get("proposed_to_authority")
        self._dated = "published_at" in columns
        self._texts, self._shared, self._dates = texts, shared, dates
        self._zone = zone
        self._when = DayTimeTexts(zone).read
        self._seen = seen
        self._parse_status = parse_status
        self._statuses: dict[str, PostStatus | None] = {}
        self._flags: dict[str, bool | None] = {}
        self._pool: dict[str, str] = {}

    def post(self, number: int, cells: Sequence[Any]) -> Post | None:
        if len(cells) != self._width:
            return None
        post_id = _text(cells[self._id])
        title = _text(cells[self._title])
        if not post_id or not title or post_id in self._seen:
            return None
        values = _POST.copy()
        if not (self._read_texts(cells, values) and self._read_dates(cells, values)):
            return None
        status = self._read_status(cells, values["published_at"])
        flag = self._read_flag(cells)
        if status is None or flag is None:
            return None  # the slow path has something to say
        self._seen.add(post_id)
        values["post_id"], values["title"], values["status"] = post_id, title, status
        values["proposed_to_authority"] = flag
        values["provenance"] = self._provenance(number)
        post: Post = _frozen(Post, values)
        return post

    def _provenance(self, number: int) -> Provenance:
        where: Any = object.__new__(Provenance)  # as _frozen, its four fields in order
        held = where.__dict__
        held["source"], held["file"], held["row"], held["url"] = \
            "export", self._file, number, None
        return where

    def _read_texts(self, cells: Sequence[Any], into: dict[str, Any]) -> bool:
        for name, idx in self._texts:
            value = cells[idx]
            if value.__class__ is not str or len(value) > MAX_CELL:
                if value is not None:
                    return False
            elif value := value.strip():
                into[name] = value
        pool = self._pool
        for name, idx in self._shared:  # a few values over thousands of rows: one copy each
            value = cells[idx]
            if value.__class__ is not str or len(value) > MAX_CELL:
                if value is not None:
                    return False
            elif value := value.strip():
                into[name] = pool.setdefault(value, value) if len(pool) < 100_000 else value
        return True

    def _read_dates(self, cells: Sequence[Any], into: dict[str, Any]) -> bool:
        zone, when = self._zone, self._when
        for name, idx in self._dates:
            value = cells[idx]
            cls = value.__class__
            if cls is str:
                if not value:
                    continue
                found = when(value)
                if found is None:
                    return False
                into[name] = found
            elif cls is datetime and value.tzinfo is None:  # an Excel date cell
                into[name] = value.replace(tzinfo=zone)
            elif value is not None:
                return False
        return True

    def _read_status(self, cells: Sequence[Any], published_at: datetime | None
                     ) -> PostStatus | None:
        """The row's status; ``None`` when the slow path would warn about it."""
        text = None if self._status is None else _cell(cells[self._status])
        if text is _OTHER:
            return None
        if text is None:
            return PostStatus.PUBLISHED if published_at is not None else None
        try:
            status = self._statuses[text]
        except KeyError:
            status = self._statuses[text] = self._parse_status(text)
        if status is PostStatus.PUBLISHED and published_at is None and self._dated:
            return None  # "published without a publication date"
        return status

    def _read_flag(self, cells: Sequence[Any]) -> bool | None:
        if self._flag is None:
            return False
        text = _cell(cells[self._flag])
        if text is _OTHER:
            return None
        if text is None:
            return False
        try:
            return self._flags[text]
        except KeyError:
            pass
        try:
            flag: bool | None = parse_bool(text)
        except BoolError:
            flag = None
        if len(self._flags) < 1000:
            self._flags[text] = flag
        return flag


_OTHER = "\x00other"  # a cell that is neither empty nor plain text (a number, a formula…)


def _cell(value: Any) -> str | None:
    """A cell as :func:`_text` reads it, or :data:`_OTHER` for any other kind of cell."""
    if value is None:
        return None
    return _text(value) if value.__class__ is str and len(value) <= MAX_CELL else _OTHER


def _text(value: Any) -> str | None:
    """A plain text cell, stripped; ``None`` for an empty one or any other kind of cell."""
    if value.__class__ is str and len(value) <= MAX_CELL:
        return value.strip() or None
    return None
