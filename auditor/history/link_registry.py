"""An inspector's registry (sổ theo dõi) of schools and the Công khai addresses
they reported to the authority (Điều 13.1.c), as CSV or Excel.

Columns (headers matched without accents or case; order is free):
``Trường`` (school name), ``Địa chỉ trang`` (the school's official address),
``Địa chỉ Công khai`` (the section's address as reported), ``Ngày báo cáo``
(day-first or ISO date), optionally ``Ghi chú``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from auditor.errors import InputError
from auditor.people import fold

HEADERS: dict[str, tuple[str, ...]] = {
    "school_name": ("truong", "ten truong", "don vi", "school"),
    "school_url": ("dia chi trang", "website", "trang web", "dia chi website", "school url"),
    "section_url": ("dia chi cong khai", "dia chi chuyen muc cong khai", "lien ket cong khai",
                    "chuyen muc cong khai", "disclosure url"),
    "reported_on": ("ngay bao cao", "ngay gui", "ngay cung cap", "reported on", "date"),
    "note": ("ghi chu", "note"),
}
REQUIRED = ("school_url", "section_url", "reported_on")


@dataclass(frozen=True)
class LinkRegistryRow:
    row: int  # 1-based, the header is row 1
    school_name: str
    school_url: str
    section_url: str
    reported_on: date
    note: str | None


def day_of_cell(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _rows(path: Path) -> list[list[Any]]:
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as handle:
                return [list(r) for r in csv.reader(handle)]
        if suffix in {".xlsx", ".xlsm"}:
            from openpyxl import load_workbook

            book = load_workbook(path, read_only=True, data_only=True)
            try:
                return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
            finally:
                book.close()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: không đọc được sổ theo dõi ({exc}).",
                         en=f"{path}: could not read the registry ({exc}).") from None
    except Exception as exc:  # openpyxl raises several kinds for a damaged workbook
        raise InputError(f"{path}: tệp Excel hỏng hoặc không đúng định dạng ({exc}).",
                         en=f"{path}: the Excel file is damaged or not in Excel format ({exc})."
                         ) from None
    raise InputError(f"{path}: sổ theo dõi phải là tệp .csv hoặc .xlsx.",
                     en=f"{path}: the registry must be a .csv or .xlsx file.")


@dataclass(frozen=True)
class LinkRegistrySkip:
    """A row left out of the registry, and why (Vietnamese, English), like a bad export row."""

    row: int
    message: str
    message_en: str


def load_link_registry(path: Path) -> list[LinkRegistryRow]:
    """Every filled row; a bad row is one InputError naming the file and row."""
    rows, skipped = read_link_registry(path)
    if skipped:
        raise InputError(skipped[0].message, en=skipped[0].message_en)
    return rows


def read_link_registry(path: Path) -> tuple[list[LinkRegistryRow], list[LinkRegistrySkip]]:
    """The good rows, and the bad ones named (file:row, column, value) and left out."""
    if not path.is_file():
        raise InputError(f"Không tìm thấy sổ theo dõi '{path}'.",
                         en=f"Registry '{path}' not found.")
    rows = _rows(path)
    if not rows:
        raise InputError(f"{path}: tệp rỗng.", en=f"{path}: the file is empty.")
    where = _columns(path, rows[0])
    out: list[LinkRegistryRow] = []
    skipped: list[LinkRegistrySkip] = []
    for number, raw in enumerate(rows[1:], start=2):
        if not any(str(c or "").strip() for c in raw):
            continue
        row = _registry_row(path, number, raw, where)
        if isinstance(row, LinkRegistrySkip):
            skipped.append(row)
        else:
            out.append(row)
    return out, skipped


def _columns(path: Path, header_row: list[Any]) -> dict[str, int]:
    """Each field's column (the first whose header names it); a required one missing is
    an InputError naming the columns."""
    header = [fold(str(h or "")) for h in header_row]
    where: dict[str, int] = {}
    for field, names in HEADERS.items():
        for i, h in enumerate(header):
            if h in names:
                where.setdefault(field, i)
    missing = [f for f in REQUIRED if f not in where]
    if missing:
        wanted = {"school_url": "Địa chỉ trang", "section_url": "Địa chỉ Công khai",
                  "reported_on": "Ngày báo cáo"}
        columns = ", ".join(f"'{wanted[m]}'" for m in missing)
        raise InputError(f"{path}: thiếu cột {columns}.",
                         en=f"{path}: missing column{'s' if len(missing) > 1 else ''} {columns}.")
    return where


def _registry_row(path: Path, number: int, raw: list[Any], where: Mapping[str, int]
                  ) -> LinkRegistryRow | LinkRegistrySkip:
    """One filled row of the registry, or why it is left out."""
    def cell(field: str) -> Any:
        i = where.get(field)
        return raw[i] if i is not None and i < len(raw) else None

    school_url, section_url = (str(cell("school_url") or "").strip(),
                               str(cell("section_url") or "").strip())
    bad = [(label, value) for label, value in (("Địa chỉ trang", school_url),
                                               ("Địa chỉ Công khai", section_url))
           if not re.match(r"^https?://[^/\s]+", value)]
    if bad:
        label, value = bad[0]
        return LinkRegistrySkip(
            number, f"{path}:{number}: cột '{label}' = '{value}' không phải là địa chỉ "
                    "http(s).",
            f"{path}:{number}: column '{label}' = '{value}' is not an http(s) address.")
    day = day_of_cell(cell("reported_on"))
    if day is None:
        return LinkRegistrySkip(
            number, f"{path}:{number}: 'Ngày báo cáo' = '{cell('reported_on')}' không phải "
                    "là ngày (cần dạng 24/11/2026).",
            f"{path}:{number}: 'Ngày báo cáo' = '{cell('reported_on')}' is not a date "
            "(expected e.g. 24/11/2026).")
    note = str(cell("note")).strip() if cell("note") else None
    return LinkRegistryRow(number, str(cell("school_name") or "").strip(), school_url,
                       section_url, day, note)
