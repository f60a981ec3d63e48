"""Catalogues of required disclosure items (danh mục nội dung công khai).

A catalogue is data in ``rules/disclosure/<name>.toml`` (TT 36/2017, TT 09/2024);
a school may point ``[disclosure] catalogue`` at its own copy. Loaded and
validated here, so a typo is one Vietnamese line naming the file and the key.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from auditor.errors import ConfigError
from auditor.people import fold
from auditor.resources import rules_dir
from auditor.timeutil import Period

COVERS = ("school_year", "previous_school_year", "calendar_year", "any")


@dataclass(frozen=True)
class RequiredItem:
    id: str
    title: str
    title_en: str
    kinds: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]
    clause: str
    covers: str
    due: tuple[int, int]  # (month, day)
    update_within_days: int | None = None

    def matches(self, title: str) -> bool:
        folded = fold(title)
        return any(p.search(folded) for p in self.patterns)

    def applies_to(self, kind: str) -> bool:
        """A combined school ("TH-THCS") publishes what each of its levels must."""
        parts = {kind, *kind.split("-")}
        return bool(parts & set(self.kinds))


@dataclass(frozen=True)
class Catalogue:
    name: str
    document: str
    title: str
    title_en: str
    items: tuple[RequiredItem, ...]
    path: Path


def builtin_catalogues() -> list[str]:
    return sorted(p.stem for p in (rules_dir() / "disclosure").glob("*.toml"))


def _path(ref: str, base: Path | None) -> Path:
    builtin = rules_dir() / "disclosure" / f"{ref}.toml"
    if not ref.endswith(".toml") and builtin.is_file():
        return builtin
    candidate = Path(ref).expanduser()
    if not candidate.is_absolute() and base is not None:
        candidate = base / candidate
    if candidate.is_file():
        return candidate
    raise ConfigError(f"Không tìm thấy danh mục công khai '{ref}'.",
                      hint="Danh mục có sẵn: " + ", ".join(builtin_catalogues()),
                      en=f"Disclosure catalogue '{ref}' not found.",
                      hint_en="Built-in catalogues: " + ", ".join(builtin_catalogues()))


def _item(raw: Any, where: str) -> RequiredItem:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: mỗi [[items]] phải là một bảng.",
                          en=f"{where}: every [[items]] entry must be a table.")
    for key in ("id", "title", "clause", "covers", "due"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise ConfigError(f"{where}: mục '{raw.get('id', '?')}' thiếu khoá '{key}'.",
                              en=f"{where}: item '{raw.get('id', '?')}' lacks key '{key}'.")
    item_where = f"{where}: mục '{raw['id']}'"
    item_en = f"{where}: item '{raw['id']}'"
    if raw["covers"] not in COVERS:
        raise ConfigError(f"{item_where}: covers = '{raw['covers']}' không hợp lệ; cần một "
                          "trong: " + ", ".join(COVERS) + ".",
                          en=f"{item_en}: covers = '{raw['covers']}' is not valid; expected one "
                             "of: " + ", ".join(COVERS) + ".")
    match = re.fullmatch(r"(\d{2})-(\d{2})", raw["due"])
    try:
        if not match:
            raise ValueError
        date(2001, int(match[1]), int(match[2]))
    except ValueError:
        raise ConfigError(f"{item_where}: due = '{raw['due']}' cần dạng MM-DD.",
                          en=f"{item_en}: due = '{raw['due']}' must be MM-DD.") from None
    patterns = raw.get("patterns")
    kinds = raw.get("kinds")
    if not isinstance(patterns, list) or not patterns or not isinstance(kinds, list) or not kinds:
        raise ConfigError(f"{item_where}: cần danh sách 'patterns' và 'kinds' không rỗng.",
                          en=f"{item_en}: needs non-empty 'patterns' and 'kinds' lists.")
    compiled = []
    for p in patterns:
        try:
            compiled.append(re.compile(fold(str(p))))
        except re.error as exc:
            raise ConfigError(f"{item_where}: mẫu '{p}' sai cú pháp ({exc}).",
                              en=f"{item_en}: pattern '{p}' has a syntax error ({exc})."
                              ) from None
    update = raw.get("update_within_days")
    return RequiredItem(
        id=raw["id"], title=raw["title"], title_en=str(raw.get("title_en", raw["title"])),
        kinds=tuple(str(k) for k in kinds), patterns=tuple(compiled), clause=raw["clause"],
        covers=raw["covers"], due=(int(match[1]), int(match[2])),
        update_within_days=int(update) if isinstance(update, int) else None,
    )


@cache
def _load(path: Path) -> Catalogue:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: không đọc được danh mục công khai ({exc}).",
                          en=f"{path}: could not read the disclosure catalogue ({exc})."
                          ) from None
    meta = raw.get("catalogue", {})
    if not isinstance(meta, dict) or not meta.get("document"):
        raise ConfigError(f"{path}: cần bảng [catalogue] có khoá 'document'.",
                          en=f"{path}: needs a [catalogue] table with a 'document' key.")
    items = tuple(_item(i, str(path)) for i in raw.get("items", []))
    if not items:
        raise ConfigError(f"{path}: danh mục không có mục nào ([[items]]).",
                          en=f"{path}: the catalogue has no items ([[items]]).")
    return Catalogue(name=str(meta.get("name", path.stem)), document=str(meta["document"]),
                     title=str(meta.get("title", meta["document"])),
                     title_en=str(meta.get("title_en", meta.get("title", ""))),
                     items=items, path=path)


def load_catalogue(ref: str, base: Path | None = None) -> Catalogue:
    """A catalogue by built-in name ("tt36-2017") or path (relative to ``base``)."""
    return _load(_path(ref, base).resolve())


# -- which period an item must cover --------------------------------------------

_SCHOOL_YEAR = re.compile(r"(20\d{2})\s*[-–—/]\s*(20\d{2})")
_CALENDAR_YEAR = re.compile(r"\bnam (?:tai chinh |ngan sach )?(20\d{2})\b(?!\s*[-–—/]\s*20\d{2})")


def school_years_in(title: str) -> set[int]:
    """Start years of the school years a title names ("2026-2027" → 2026)."""
    return {int(a) for a, b in _SCHOOL_YEAR.findall(fold(title)) if int(b) == int(a) + 1}


def calendar_years_in(title: str) -> set[int]:
    return {int(y) for y in _CALENDAR_YEAR.findall(fold(title))}


def label(covers: str, year: int) -> str:
    return f"{year}-{year + 1}" if covers != "calendar_year" else str(year)


def required_year(item: RequiredItem, today: date, school_year: Period) -> tuple[int, int, date]:
    """(the period's year, the year still accepted before the due day, the due day).

    A school-year period is named by its first calendar year (2026 for 2026-2027).
    """
    if item.covers == "calendar_year":
        due = date(today.year, *item.due)
        return today.year, today.year - 1, due
    start = school_year.start.year
    wanted = start if item.covers == "school_year" else start - 1
    return wanted, wanted - 1, date(start, *item.due)
