"""Who organised an event and what kind it is, from the words a calendar uses.

Shared by the table calendars (:mod:`auditor.sources.calendar`) and the .ics
reader (:mod:`auditor.sources.ics`), which read the same cells from other places.
"""

from __future__ import annotations

import re

from auditor.model import EventKind, Organiser
from auditor.people import fold

__all__ = ["parse_kind", "parse_organiser", "strip_topic_prefix"]

# Điều 16.4 names the school's own activities and those of Phòng / Sở GD&ĐT.
_AUTHORITY = ("phong gd", "so gd", "pgd", "sgd", "phong giao duc", "so giao duc",
              "bo giao duc", "bo gd", "authority", "district", "cap quan", "cap huyen",
              "cap thanh pho", "cap tinh", "cap so", "cap phong",
              # since 1/7/2025 (NĐ 142/2025): the commune's People's Committee and its office
              "ubnd", "uy ban nhan dan", "phong van hoa", "cap xa", "cap phuong")
_SCHOOL = ("truong", "nha truong", "school", "thcs", "thpt", "tieu hoc", "cap truong")
_TOPIC = ("chuyen de", "topic", "chuyen_de")
_EVENT = ("su kien", "event", "hoat dong", "hoi nghi", "hoi thao", "cuoc thi", "hop")
_BRACKET_PREFIX = re.compile(r"^\s*\[([^\]]{1,40})\]\s*")

def _key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9_]+", " ", fold(text)).split())

def parse_organiser(text: str) -> Organiser | None:
    """ "Phòng GD&ĐT" → AUTHORITY, "Nhà trường" → SCHOOL, ``None`` when unclear."""
    key = f" {_key(text)} "
    if any(f" {w} " in key for w in _AUTHORITY):
        return Organiser.AUTHORITY
    if any(f" {w} " in key for w in _SCHOOL):
        return Organiser.SCHOOL
    return None

def parse_kind(text: str) -> EventKind | None:
    key = f" {_key(text)} "
    if any(f" {w} " in key for w in _TOPIC):
        return EventKind.TOPIC
    if any(f" {w} " in key for w in _EVENT):
        return EventKind.EVENT
    return None

def strip_topic_prefix(title: str) -> tuple[str, bool]:
    """ "[Chuyên đề] Đổi mới…" → ("Đổi mới…", True); accents and case do not matter."""
    m = _BRACKET_PREFIX.match(title)
    if m and parse_kind(m[1]) is EventKind.TOPIC:
        return title[m.end() :], True
    return title, False
