"""The inspector's registry of schools: one row per school (.csv, .xlsx or .toml).

Columns (Vietnamese headers too): ``name`` (Tên trường), ``kind`` (Cấp học),
``site`` (Trang web), ``export`` (Tệp xuất), ``events`` (Lịch), ``config``
(Cấu hình). Only ``name`` is required; paths are relative to the registry file.

A .toml registry lists ``[[school]]`` tables with the same keys, and may carry
what applies to every school: ``[batch] concurrency``, a ``[crawl]`` table for
schools without their own auditor.toml, and ``[notify]`` for the e-mail.
"""

from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditor.errors import InputError, UsageError
from auditor.sources.tabular import build_synonyms, open_table

FIELDS = ("name", "kind", "site", "export", "events", "config")
SYNONYMS = build_synonyms({
    "name": ["Tên trường", "Tên", "Trường", "school"],
    "kind": ["Cấp học", "Cấp", "Loại trường"],
    "site": ["Trang web", "Địa chỉ", "Website", "url"],
    "export": ["Tệp xuất", "Tệp xuất CMS", "Xuất CMS"],
    "events": ["Lịch", "Lịch công tác", "calendar"],
    "config": ["Cấu hình", "Tệp cấu hình", "auditor.toml"],
})
KINDS = ("MN", "TH", "THCS", "THPT", "TH-THCS", "THCS-THPT", "GDTX")


@dataclass(frozen=True)
class SchoolEntry:
    """One school of the registry; paths already resolved against the registry's folder."""

    row: int  # the row (or [[school]] number) in the registry, for messages
    name: str
    kind: str | None = None
    site: str | None = None
    export: Path | None = None
    events: Path | None = None
    config: Path | None = None


@dataclass(frozen=True)
class Registry:
    path: Path
    schools: tuple[SchoolEntry, ...]
    concurrency: int | None = None  # [batch] concurrency of a .toml registry
    crawl: dict[str, Any] = field(default_factory=dict)  # [crawl] for schools without config
    notify: dict[str, Any] | None = None  # [notify]


def _bad(path: Path, row: int, vi: str, en: str) -> InputError:
    return InputError(f"{path.name}, dòng {row}: {vi}", en=f"{path.name}, row {row}: {en}")


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = unicodedata.normalize("NFC", str(value)).strip()
    return text or None


def _entry(path: Path, row: int, cells: dict[str, object]) -> SchoolEntry:
    base = path.resolve().parent
    name = _text(cells.get("name"))
    if name is None:
        raise _bad(path, row, "thiếu tên trường (cột 'Tên trường' để trống).",
                   "the school's name is missing (the 'name' cell is empty).")
    kind = _text(cells.get("kind"))
    if kind is not None:
        kind = kind.upper()
        if kind not in KINDS:
            raise _bad(path, row, f"cấp học '{kind}' không hợp lệ (có: {', '.join(KINDS)}).",
                       f"school kind '{kind}' is not valid (one of: {', '.join(KINDS)}).")
    site = _text(cells.get("site"))
    if site is not None and "://" not in site:
        site = "https://" + site  # a registry often lists bare host names

    def resolved(key: str) -> Path | None:
        value = _text(cells.get(key))
        if value is None:
            return None
        p = Path(value).expanduser()
        return p if p.is_absolute() else base / p

    return SchoolEntry(row, name, kind, site, resolved("export"), resolved("events"),
                       resolved("config"))


def _table_rows(path: Path) -> list[SchoolEntry]:
    table = open_table(path, synonyms=SYNONYMS)
    if "name" not in table.columns:
        raise InputError(f"{path.name}: không có cột 'Tên trường' (name).",
                         en=f"{path.name}: there is no 'name' (Tên trường) column.")
    out = []
    for number, cells in table.rows:
        values = {f: cells[i] if i < len(cells) else None for f, i in table.columns.items()}
        if all(_text(v) is None for v in values.values()):
            continue
        out.append(_entry(path, number, values))
    return out


def _toml(path: Path) -> tuple[list[SchoolEntry], dict[str, Any]]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path.name}: sai cú pháp TOML ({exc}).",
                         en=f"{path.name}: TOML syntax error ({exc}).") from None
    schools = raw.get("school", [])
    if not isinstance(schools, list):
        raise InputError(f"{path.name}: cần các bảng [[school]].",
                         en=f"{path.name}: expected [[school]] tables.")
    out = []
    for number, item in enumerate(schools, start=1):
        if not isinstance(item, dict):
            raise _bad(path, number, "cần một bảng [[school]].", "expected a [[school]] table.")
        unknown = sorted(set(item) - set(FIELDS))
        if unknown:
            raise _bad(path, number, f"khoá không được hỗ trợ: {', '.join(unknown)} "
                       f"(có: {', '.join(FIELDS)}).",
                       f"unsupported key: {', '.join(unknown)} (known: {', '.join(FIELDS)}).")
        out.append(_entry(path, number, item))
    return out, raw


def read_registry(path: Path) -> Registry:
    """Read and check the registry: every school named once; InputError (exit 2) otherwise."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"Không tìm thấy danh sách trường '{path}'.",
                         en=f"School registry '{path}' not found.")
    raw: dict[str, Any] = {}
    if path.suffix.lower() == ".toml":
        schools, raw = _toml(path)
    else:
        schools = _table_rows(path)
    if not schools:
        raise InputError(f"{path.name}: danh sách không có trường nào.",
                         en=f"{path.name}: the registry lists no school.")
    seen: dict[str, int] = {}
    for s in schools:
        if s.name in seen:
            raise _bad(path, s.row, f"trường '{s.name}' đã có ở dòng {seen[s.name]}.",
                       f"school '{s.name}' is already listed on row {seen[s.name]}.")
        seen[s.name] = s.row
    batch = raw.get("batch", {})
    concurrency = batch.get("concurrency") if isinstance(batch, dict) else None
    if concurrency is not None and (not isinstance(concurrency, int) or concurrency < 1):
        raise InputError(f"{path.name}: [batch] concurrency = {concurrency!r}: cần số nguyên ≥ 1.",
                         en=f"{path.name}: [batch] concurrency = {concurrency!r}: expected an "
                            "integer ≥ 1.")
    crawl = raw.get("crawl", {})
    notify = raw.get("notify")
    return Registry(path, tuple(schools), concurrency,
                    crawl if isinstance(crawl, dict) else {},
                    notify if isinstance(notify, dict) else None)
