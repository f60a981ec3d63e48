"""The .ics reader leaves out VEVENT properties it never reads before icalendar
parses the file: the events and warnings must be exactly those of parsing it all."""

from __future__ import annotations

import random
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from auditor.errors import InputError
from auditor.sources import ics

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(ROOT.glob("fixtures/**/*.ics"))


def _load(path: Path, monkeypatch: pytest.MonkeyPatch, *, filtered: bool) -> object:
    with monkeypatch.context() as m:
        m.setattr(ics, "plain_events", lambda text, read: None)  # icalendar reads them all
        if not filtered:
            m.setattr(ics, "_read_lines_only", lambda text: text)
        try:
            events, warnings = ics.load_ics(path, TZ)
        except InputError as exc:
            return ("InputError", str(exc))
    return ([(e, e.provenance) for e in events], [w.label() for w in warnings],
            [(w.message, w.message_en) for w in warnings])


def test_every_property_read_is_kept() -> None:
    source = (ROOT / "auditor" / "sources" / "ics.py").read_text(encoding="utf-8")
    body = source.split("class _Entry", 1)[1]
    # Every quoted property name passed to a call (CN is a parameter, VEVENT a component).
    used = set(re.findall(r"\((?:\w+, )?\"([A-Z][A-Z-]+)\"", body)) - {"VEVENT", "CN"}
    assert used and used <= ics._READ, used - ics._READ


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_fixtures_read_the_same(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _load(path, monkeypatch, filtered=True) == _load(path, monkeypatch, filtered=False)


EXTRA = [
    "DTSTAMP:20261101T000000Z", "CREATED:20261101T000000Z", "SEQUENCE:3", "STATUS:CONFIRMED",
    "TRANSP:OPAQUE", 'ATTENDEE;CN="Lê: Hoa";ROLE=REQ-PARTICIPANT:mailto:hoa@example.org',
    "LAST-MODIFIED:bad-date", "X-GOOGLE-CONFERENCE:https://meet.example.org/abc",
    "dtstamp:20261101T000000Z", "CLASS:PUBLIC\r\n  continued",
    "GEO:broken", "URL;VALUE=URI:https://example.org/a:b", "PRIORITY:x",
]


def _calendar(rnd: random.Random) -> str:
    out = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//VI"]
    if rnd.random() < 0.3:
        out += ["BEGIN:VTIMEZONE", "TZID:Asia/Ho_Chi_Minh", "BEGIN:STANDARD",
                "DTSTART:19700101T000000", "TZOFFSETFROM:+0700", "TZOFFSETTO:+0700",
                "END:STANDARD", "END:VTIMEZONE"]
    for i in range(rnd.randrange(1, 8)):
        props = [f"UID:e{i % 5}", f"SUMMARY:Hoạt động {i}\r\n  tiếp",
                 f"DTSTART;TZID=Asia/Ho_Chi_Minh:202611{i + 10:02d}T080000",
                 f"DTEND;TZID=Asia/Ho_Chi_Minh:202611{i + 10:02d}T100000",
                 "X-AUDITOR-DEPARTMENT:Tổ Toán", "DESCRIPTION:Tổ: Ngữ văn\\nPhụ trách: An",
                 "CATEGORIES:Chuyên đề,Họp", "ORGANIZER;CN=Phòng GD&ĐT:mailto:p@example.org"]
        props = [p for p in props if rnd.random() < 0.85]
        props += rnd.sample(EXTRA, rnd.randrange(0, 6))
        if rnd.random() < 0.05:
            props.append("X-WEIRD_NAME:1")  # not a plain name: the file is read untouched
        rnd.shuffle(props)
        if rnd.random() < 0.2:
            props += ["BEGIN:VALARM", "ACTION:DISPLAY", "DTSTAMP:x", "TRIGGER:-PT15M",
                      "END:VALARM"]
        out += ["BEGIN:VEVENT", *props, "END:VEVENT"]
    if rnd.random() < 0.1:
        out.insert(rnd.randrange(1, len(out)), "")  # a blank line: read untouched
    if rnd.random() < 0.1:
        out.insert(3, "DTSTAMP:20261101T000000Z")  # outside a VEVENT: kept
    out.append("END:VCALENDAR")
    return rnd.choice(["\r\n", "\n"]).join(out) + "\r\n"


@pytest.mark.parametrize("seed", range(60))
def test_random_calendars_read_the_same(seed: int, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "lich.ics"
    path.write_text(_calendar(random.Random(seed)), encoding="utf-8", newline="")
    assert _load(path, monkeypatch, filtered=True) == _load(path, monkeypatch, filtered=False)


def test_unused_lines_are_left_out_and_odd_files_untouched() -> None:
    text = ("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20261101T000000Z\r\n"
            " 0Z\r\nSUMMARY:A\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    assert ics._read_lines_only(text) == (
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:A\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    for odd in (text.replace("SUMMARY:A", "SUMMARY A"), text.replace("UID:a", "UID:a\r\n"),
                text.replace("END:VEVENT", "END:VTODO"),
                text.replace("BEGIN:VEVENT", "BEGIN;X=1:VEVENT")):
        assert ics._read_lines_only(odd) == odd
