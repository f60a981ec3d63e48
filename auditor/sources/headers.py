"""A header row mapped onto model fields, tolerantly, and the mapping said aloud.

Exports and calendars are made by many CMSs and retouched by hand, so a header
is matched in four steps, the strongest first: the school's own
``[sources] export_columns`` / ``events_columns``; a known name (accents, case,
spacing and notes in brackets ignored); a header that contains a known name
("Đề xuất hiển thị trang Phòng" holds "đề xuất hiển thị"); a close spelling
(rapidfuzz). Two columns equally good for one field are an ambiguity the
school resolves in its config; the mapping, the unused columns and the
ambiguities are shown in one notice, so nothing is dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from auditor.errors import NotChecked
from auditor.people import fold

# How strong each kind of match is (only their order matters).
_EXPLICIT, _EXACT, _CONTAINS = 3000, 2000, 1000
# A known name found inside a longer header must be at least this long (folded, no
# spaces), so that "tổ" or "id" never claims a header by accident.
_CONTAINS_MIN = 5
# A close spelling: rapidfuzz ratio of the folded names, for headers of 6+ letters.
_FUZZY_MIN = 88
_FUZZY_LEN = 6

# The fields as people call them, for the mapping notice and not-checked reasons.
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "post_id": ("Mã", "Id"), "title": ("Tiêu đề", "Title"),
    "category": ("Chuyên mục", "Category"), "url": ("Đường dẫn", "URL"),
    "body": ("Nội dung", "Body"), "author": ("Tác giả", "Author"),
    "department": ("Tổ", "Department"), "status": ("Trạng thái", "Status"),
    "created_at": ("Ngày tạo", "Created"), "submitted_at": ("Ngày gửi", "Submitted"),
    "submitted_by": ("Người gửi", "Submitted by"), "edited_at": ("Ngày biên tập", "Edited"),
    "edited_by": ("Người biên tập", "Edited by"), "approved_at": ("Ngày duyệt", "Approved"),
    "approved_by": ("Người duyệt", "Approved by"), "published_at": ("Ngày đăng", "Published"),
    "published_by": ("Người đăng", "Published by"),
    "taken_down_at": ("Ngày gỡ", "Taken down"), "taken_down_by": ("Người gỡ", "Taken down by"),
    "proposed_to_authority": ("Đề xuất", "Proposed"), "event_id": ("Mã sự kiện", "Event id"),
    "source_name": ("Nguồn", "Source"), "source_author": ("Tác giả gốc", "Original author"),
    "start": ("Bắt đầu", "Start"), "end": ("Kết thúc", "End"),
    "start_time": ("Giờ bắt đầu", "Start time"), "end_time": ("Giờ kết thúc", "End time"),
    "all_day": ("Cả ngày", "All day"), "organiser": ("Đơn vị tổ chức", "Organiser"),
    "person": ("Người phụ trách", "Person"), "kind": ("Loại", "Kind"),
    "info_received_at": ("Ngày nhận thông tin", "Info received"),
    "location": ("Địa điểm", "Location"),
}


def label(fieldname: str, lang: str = "vi") -> str:
    pair = FIELD_LABELS.get(fieldname)
    return fieldname if pair is None else pair[1 if lang == "en" else 0]


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


@dataclass(frozen=True)
class HeaderMap:
    """One row read as a header: ``columns[field]`` = cell index, and how it was read."""

    columns: dict[str, int]
    headers: list[str]
    how: dict[str, str]  # field → "config", "name", "contains" or "close"
    ambiguous: dict[str, tuple[str, ...]]  # field → the headers that could all be it

    @property
    def strength(self) -> int:
        return len(self.columns)


def map_header(cells: Sequence[Any], synonyms: Mapping[str, str],
               wanted: Mapping[str, str]) -> HeaderMap:
    """Map one row. `wanted` is the config's {header_key: field}; it wins over the rest."""
    headers = ["" if c is None else str(c).strip() for c in cells]
    taken_by_config = set(wanted.values())
    offers: list[tuple[int, int, str, str]] = []  # (strength, cell, field, how)
    for idx, cell in enumerate(cells):
        if not isinstance(cell, str):
            continue
        key = header_key(cell)
        if not key:
            continue
        offer = _best(key, synonyms, wanted, taken_by_config)
        if offer is not None:
            offers.append((offer[0], idx, offer[1], offer[2]))
    columns: dict[str, int] = {}
    how: dict[str, str] = {}
    ambiguous: dict[str, tuple[str, ...]] = {}
    by_field: dict[str, list[tuple[int, int, str]]] = {}
    for strength, idx, fieldname, kind in offers:
        by_field.setdefault(fieldname, []).append((strength, idx, kind))
    for fieldname, cands in by_field.items():
        cands.sort(key=lambda t: (-(t[0] // 1000), -t[0], t[1]))
        top = cands[0]
        rivals = [c for c in cands[1:] if c[0] // 1000 == top[0] // 1000]
        if rivals and top[0] < _EXPLICIT:
            ambiguous[fieldname] = tuple(headers[i] for _s, i, _k in (top, *rivals))
            if top[0] < _EXACT:  # two guesses: use neither
                continue
        columns[fieldname] = top[1]
        how[fieldname] = top[2]
    return HeaderMap(columns, headers, how, ambiguous)


def _best(key: str, synonyms: Mapping[str, str], wanted: Mapping[str, str],
          taken: set[str]) -> tuple[int, str, str] | None:
    fieldname = wanted.get(key)
    if fieldname is not None:
        return _EXPLICIT, fieldname, "config"
    fieldname = synonyms.get(key)
    if fieldname is not None:
        return (_EXACT, fieldname, "name") if fieldname not in taken else None
    best: tuple[int, str, str] | None = None
    for name, candidate in synonyms.items():
        if len(name) >= _CONTAINS_MIN and name in key and candidate not in taken:
            score = _CONTAINS + len(name)
            if best is None or score > best[0]:
                best = (score, candidate, "contains")
    if best is not None or len(key) < _FUZZY_LEN:
        return best
    close = process.extractOne(key, list(synonyms), scorer=fuzz.ratio, score_cutoff=_FUZZY_MIN)
    if close is not None and synonyms[close[0]] not in taken:
        return int(close[1]), synonyms[close[0]], "close"
    return None


@dataclass(frozen=True)
class ColumnReport:
    """Which fields a file gave and from which headers, for notices and not-checked reasons."""

    file: str
    config_key: str  # "sources.export_columns" or "sources.events_columns"
    mapped: tuple[tuple[str, str], ...]  # (field, header) in the file's order

    unused: tuple[str, ...]
    ambiguous: tuple[tuple[str, tuple[str, ...]], ...]
    where: str = ""  # "trang 'Tin bài', dòng 3" when not the first row of the first sheet
    where_en: str = ""
    fields: frozenset[str] = frozenset()
    guessed: frozenset[str] = frozenset()  # read from a header that contains or resembles a name

    def has(self, fieldname: str) -> bool:
        return fieldname in self.fields

    def notice(self, lang: str = "vi") -> str:
        en = lang == "en"
        mark = " (guessed)" if en else " (đoán)"
        got = "; ".join(f"{label(f, lang)} ← '{h}'" + (mark if f in self.guessed else "")
                        for f, h in self.mapped)
        parts = [(f"{self.file}: columns read" if en else f"{self.file}: cột đã nhận")
                 + (f" ({self.where_en if en else self.where})" if self.where else "")
                 + f": {got}"]
        if self.unused:
            parts.append(("columns not used: " if en else "cột không dùng: ")
                         + ", ".join(f"'{h}'" for h in self.unused))
        if "department" not in self.fields:  # the tallies of Điều 19.2 go by department
            key = self.config_key.split(".")[-1]
            parts.append(
                "no Department column: findings go to a department only through the "
                f"[departments] lists of auditor.toml (or map the column in [sources] {key})"
                if en else
                "không có cột Tổ: vi phạm chỉ được tính cho tổ qua danh sách [departments] "
                f"trong auditor.toml (hoặc khai báo cột trong [sources] {key})")
        for f, headers in self.ambiguous:
            cols = ", ".join(f"'{h}'" for h in headers)
            parts.append(
                f"{cols} could all be {label(f, 'en')}; name the right one in "
                f"[sources] {self.config_key.split('.')[-1]} ({f} = \"…\")" if en else
                f"{cols} đều có thể là cột {label(f)}; hãy chỉ rõ trong [sources] "
                f"{self.config_key.split('.')[-1]} ({f} = \"…\")")
        return "; ".join(parts) + "."

    def require(self, fieldname: str, rule_vi: str, rule_en: str) -> None:
        """NotChecked naming the missing (or ambiguous) column and the key that maps it."""
        if fieldname in self.fields:
            return
        key = self.config_key.split(".")[-1]
        name, name_en = label(fieldname), label(fieldname, "en")
        headers = dict(self.ambiguous).get(fieldname)
        if headers:
            cols = ", ".join(f"'{h}'" for h in headers)
            raise NotChecked(
                f"Tệp {self.file}: {cols} đều có thể là cột {name}, không rõ cột nào; "
                f"{rule_vi}. Hãy chỉ rõ trong [sources] {key}: {fieldname} = \"tên cột\".",
                f"{self.file}: {cols} could each be the {name_en} column; {rule_en}. "
                f"Name it in [sources] {key}: {fieldname} = \"header\".")
        raise NotChecked(
            f"Tệp {self.file} không có cột {name} ({fieldname}); {rule_vi}. Nếu cột có tên "
            f"khác, khai báo trong [sources] {key}: {fieldname} = \"tên cột\".",
            f"{self.file} has no {name_en} column ({fieldname}); {rule_en}. If the column has "
            f"another name, map it in [sources] {key}: {fieldname} = \"header\".")


def report(file: str, config_key: str, header: HeaderMap, where: str = "",
           where_en: str = "") -> ColumnReport:
    by_index = {i: f for f, i in header.columns.items()}
    mapped = tuple((by_index[i], header.headers[i]) for i in sorted(by_index))
    unused = tuple(h for i, h in enumerate(header.headers) if h and i not in by_index)
    guessed = frozenset(f for f, how in header.how.items() if how in ("contains", "close"))
    return ColumnReport(file, config_key, mapped, unused, tuple(header.ambiguous.items()),
                        where, where_en, frozenset(header.columns), guessed)
