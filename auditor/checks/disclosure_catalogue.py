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

COVERS = ("school_year", "previous_school_year", "calendar_year", "fiscal_year_ended",
          "preceding_year", "week", "month", "any")
COVERS_VI = {
    "school_year": "năm học hiện tại",
    "previous_school_year": "kết quả năm học trước",
    "calendar_year": "năm dương lịch hiện tại",
    "fiscal_year_ended": "năm tài chính vừa kết thúc",
    "preceding_year": "năm (dương lịch) trước liền kề",
    "week": "của tuần, đăng trước thứ Bảy của tuần trước",
    "month": "của tháng, đăng trước ngày 25 của tháng trước",
    "any": "không gắn với kỳ nào",
}
CONDITIONS = {"meals": "school.meals = true"}  # only_if → the configuration that turns it on


@dataclass(frozen=True)
class RequiredItem:
    id: str
    title: str
    title_en: str
    kinds: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]
    clause: str
    covers: str
    due: tuple[int, int]  # (month, day); unused for covers = "week"
    update_within_days: int | None = None  # working days (TT 09/2024 Điều 15.1.a)
    verified: bool = True  # article/clause checked against the text we have
    note: str = ""  # what is not verified, and why
    only_if: str | None = None  # "meals": only a school that serves meals

    def due_text(self) -> str:
        if self.covers == "week":
            return "trước thứ Bảy của tuần trước"
        if self.covers == "month":
            return "trước ngày 25 của tháng trước"
        return f"{self.due[1]:02d}/{self.due[0]:02d}"

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
    from_year: int | None = None  # first school year (its start year) it applies to
    until_year: int | None = None  # last school year it applies to

    def applies_to_year(self, start: int) -> bool:
        return ((self.from_year is None or start >= self.from_year)
                and (self.until_year is None or start <= self.until_year))

    def years_label(self) -> str:
        if self.from_year is not None and self.until_year is None:
            return f" (từ năm học {self.from_year}-{self.from_year + 1})"
        if self.until_year is not None:
            return f" (đến năm học {self.until_year}-{self.until_year + 1})"
        return ""


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
    _require_keys(raw, where)
    item_where = f"{where}: mục '{raw['id']}'"
    item_en = f"{where}: item '{raw['id']}'"
    if raw["covers"] not in COVERS:
        raise ConfigError(f"{item_where}: covers = '{raw['covers']}' không hợp lệ; cần một "
                          "trong: " + ", ".join(COVERS) + ".",
                          en=f"{item_en}: covers = '{raw['covers']}' is not valid; expected one "
                             "of: " + ", ".join(COVERS) + ".")
    due = _due(raw["due"], item_where, item_en)
    patterns = raw.get("patterns")
    kinds = raw.get("kinds")
    if not isinstance(patterns, list) or not patterns or not isinstance(kinds, list) or not kinds:
        raise ConfigError(f"{item_where}: cần danh sách 'patterns' và 'kinds' không rỗng.",
                          en=f"{item_en}: needs non-empty 'patterns' and 'kinds' lists.")
    compiled = _compile(patterns, item_where, item_en)
    update = raw.get("update_within_days")
    only_if = raw.get("only_if")
    if only_if is not None and only_if not in CONDITIONS:
        raise ConfigError(f"{item_where}: only_if = '{only_if}' không hợp lệ; cần một trong: "
                          + ", ".join(CONDITIONS) + ".",
                          en=f"{item_en}: only_if = '{only_if}' is not valid; expected one of: "
                             + ", ".join(CONDITIONS) + ".")
    verified = raw.get("verified", True)
    if not isinstance(verified, bool):
        raise ConfigError(f"{item_where}: verified phải là true hoặc false.",
                          en=f"{item_en}: verified must be true or false.")
    return RequiredItem(
        id=raw["id"], title=raw["title"], title_en=str(raw.get("title_en", raw["title"])),
        kinds=tuple(str(k) for k in kinds), patterns=compiled, clause=raw["clause"],
        covers=raw["covers"], due=due,
        update_within_days=int(update) if isinstance(update, int) else None,
        verified=verified, note=str(raw.get("note", "")), only_if=only_if,
    )


def _require_keys(raw: Any, where: str) -> None:
    """An [[items]] entry is a table with every text key it needs."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: mỗi [[items]] phải là một bảng.",
                          en=f"{where}: every [[items]] entry must be a table.")
    for key in ("id", "title", "clause", "covers", "due"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise ConfigError(f"{where}: mục '{raw.get('id', '?')}' thiếu khoá '{key}'.",
                              en=f"{where}: item '{raw.get('id', '?')}' lacks key '{key}'.")


def _due(text: str, item_where: str, item_en: str) -> tuple[int, int]:
    """The (month, day) of a `due = "MM-DD"`, checked to be a real day of the year."""
    match = re.fullmatch(r"(\d{2})-(\d{2})", text)
    try:
        if not match:
            raise ValueError
        date(2001, int(match[1]), int(match[2]))
    except ValueError:
        raise ConfigError(f"{item_where}: due = '{text}' cần dạng MM-DD.",
                          en=f"{item_en}: due = '{text}' must be MM-DD.") from None
    return int(match[1]), int(match[2])


def _compile(patterns: list[Any], item_where: str, item_en: str) -> tuple[re.Pattern[str], ...]:
    """An item's title patterns, folded and compiled; a bad one is a config error."""
    compiled = []
    for p in patterns:
        try:
            compiled.append(re.compile(fold(str(p))))
        except re.error as exc:
            raise ConfigError(f"{item_where}: mẫu '{p}' sai cú pháp ({exc}).",
                              en=f"{item_en}: pattern '{p}' has a syntax error ({exc})."
                              ) from None
    return tuple(compiled)


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
                     items=items, path=path,
                     from_year=_year(meta.get("from_school_year"), path, "from_school_year"),
                     until_year=_year(meta.get("until_school_year"), path, "until_school_year"))


def _year(value: Any, path: Path, key: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ConfigError(f"{path}: [catalogue] {key} cần năm bắt đầu của năm học, ví dụ 2024.",
                          en=f"{path}: [catalogue] {key} needs a school year's first year, "
                             "e.g. 2024.")
    return value


def load_catalogue(ref: str, base: Path | None = None) -> Catalogue:
    """A catalogue by built-in name ("tt36-2017") or path (relative to ``base``)."""
    return _load(_path(ref, base).resolve())


def catalogue_for(ref: str, school_year_start: int, base: Path | None = None) -> Catalogue:
    """``ref`` itself, or with ``"auto"`` the built-in catalogue in force for the school
    year audited: TT 09/2024 from 2024-2025 (in force 19/7/2024), TT 36/2017 before."""
    if ref != "auto":
        return load_catalogue(ref, base)
    for name in builtin_catalogues():
        cat = load_catalogue(name)
        if cat.applies_to_year(school_year_start):
            return cat
    raise ConfigError(f"Không có danh mục công khai có sẵn cho năm học {school_year_start}-"
                      f"{school_year_start + 1}.",
                      hint="Đặt [disclosure] catalogue trong auditor.toml.",
                      en=f"No built-in disclosure catalogue for school year {school_year_start}-"
                         f"{school_year_start + 1}.",
                      hint_en="Set [disclosure] catalogue in auditor.toml.")


# -- which period an item must cover --------------------------------------------

_SCHOOL_YEAR = re.compile(r"(20\d{2})\s*[-–—/]\s*(20\d{2})")
_CALENDAR_YEAR = re.compile(r"\bnam (?:tai chinh |ngan sach )?(20\d{2})\b(?!\s*[-–—/]\s*20\d{2})")


def school_years_in(title: str) -> set[int]:
    """Start years of the school years a title names ("2026-2027" → 2026)."""
    return {int(a) for a, b in _SCHOOL_YEAR.findall(fold(title)) if int(b) == int(a) + 1}


def calendar_years_in(title: str) -> set[int]:
    return {int(y) for y in _CALENDAR_YEAR.findall(fold(title))}


CALENDAR_COVERS = ("calendar_year", "fiscal_year_ended", "preceding_year")


def label(covers: str, year: int) -> str:
    return str(year) if covers in CALENDAR_COVERS else f"{year}-{year + 1}"


def required_year(item: RequiredItem, today: date, school_year: Period) -> tuple[int, int, date]:
    """(the period's year, the year still accepted before the due day, the due day).

    A school-year period is named by its first calendar year (2026 for 2026-2027).
    """
    if item.covers == "calendar_year":
        due = date(today.year, *item.due)
        return today.year, today.year - 1, due
    if item.covers in ("fiscal_year_ended", "preceding_year"):
        # By 30/6 of year Y: the fiscal year / the year just ended (Y-1); before the
        # due day the one before (Y-2) is still the latest required.
        due = date(today.year, *item.due)
        return today.year - 1, today.year - 2, due
    start = school_year.start.year
    wanted = start if item.covers == "school_year" else start - 1
    return wanted, wanted - 1, date(start, *item.due)
