"""The plain .ics reader (ics_plain) gives exactly what icalendar gives: the same
events and warnings on every fixture and on generated calendars, and it steps
aside (icalendar reads the file) for anything it does not read itself."""

from __future__ import annotations

import random
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from auditor.errors import InputError
from auditor.sources import ics, ics_plain
from auditor.sources.ics_plain import plain_events

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(ROOT.glob("fixtures/**/*.ics"))


def _load(path: Path, monkeypatch: pytest.MonkeyPatch, *, plain: bool) -> object:
    with monkeypatch.context() as m:
        if not plain:
            m.setattr(ics, "plain_events", lambda text, read: None)
        try:
            events, warnings = ics.load_ics(path, TZ)
        except InputError as exc:
            return ("InputError", str(exc))
    return ([(e, e.provenance, e.start.tzinfo, e.end.tzinfo) for e in events],
            [(w.label(), w.message_en) for w in warnings])


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_fixtures_read_the_same(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _load(path, monkeypatch, plain=True) == _load(path, monkeypatch, plain=False)


SUMMARIES = ["Họp tổ", "Lễ khai giảng\\, năm học mới", "A\\; B\\nC", "Dấu \\\\ ngược \\x",
             "Có: hai chấm", "[Chuyên đề] Đổi mới", "", " ", "a\\:b"]
# Values the plain reader reads itself …
STARTS = ["DTSTART;TZID=Asia/Ho_Chi_Minh:20261124T080000", "DTSTART:20261124T080000",
          "DTSTART:20261124T010000Z", "DTSTART;VALUE=DATE:20261124", "DTSTART:20261124",
          "DTSTART;TZID=Europe/Berlin:20261124T080000", "dtstart:20261124", ""]
ENDS = ["DTEND;TZID=Asia/Ho_Chi_Minh:20261124T100000", "DTEND:20261124T070000",
        "DTEND;VALUE=DATE:20261126", "DTEND:20261123", "DTEND:20261125T000000Z", ""]
OTHER = ["X-AUDITOR-DEPARTMENT:Tổ Toán\\, Tin", "X-AUDITOR-ORGANISER:Phòng GD&ĐT",
         "X-AUDITOR-ORGANISER:ai đó", "X-AUDITOR-KIND:chuyên đề", "X-AUDITOR-KIND:lạ",
         "X-AUDITOR-POST-ID:1023", "X-AUDITOR-INFO-RECEIVED:20/11/2026",
         "X-AUDITOR-INFO-RECEIVED:20261120T080000", "X-AUDITOR-INFO-RECEIVED:hôm qua",
         "DESCRIPTION:Tổ: Ngữ văn\\nPhụ trách: An\\nĐơn vị tổ chức: Sở GD", "SEQUENCE:2",
         "LOCATION;LANGUAGE=vi:Hội trường", "DTSTAMP:20261101T000000Z", "LOCATION:Phòng\r\n  họp",
         "ATTENDEE;CN=\"A: B\":mailto:a@example.org", "X-AUDITOR-PERSON:Cô\r\n\tLan"]
# … and those it leaves to icalendar.
ODD = ["DTSTART;TZID=Nowhere/City:20261124T080000", "DTSTART:20261131T080000",
       "DTSTART:2026-11-24", "DTSTART;VALUE=DATE:20261124T080000",
       "DTSTART;TZID=Asia/Ho_Chi_Minh:20261124", "DTSTART;X-P=1:20261124T080000",
       "DTSTART;TZID=\"Asia/Ho_Chi_Minh\":20261124T080000", "DTEND:bad",
       "X-AUDITOR-PERSON;VALUE=TEXT:An", "SUMMARY;VALUE=TEXT:x", "RRULE:FREQ=WEEKLY",
       "DURATION:PT2H", "CATEGORIES:Chuyên đề", "ORGANIZER;CN=Sở GD:mailto:a@example.org",
       "BEGIN:VALARM\r\nTRIGGER:-PT5M\r\nEND:VALARM", "DTSTART;TZID= Asia/Ho_Chi_Minh:20261124T08"
       "0000", "UID:dup"]


def _calendar(rnd: random.Random) -> str:
    out = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//VI", "X-WR-CALNAME:Lịch"]
    for i in range(rnd.randrange(1, 12)):
        props = [f"UID:e{i % 7}", f"SUMMARY:{rnd.choice(SUMMARIES)}", rnd.choice(STARTS),
                 rnd.choice(ENDS), *rnd.sample(OTHER, rnd.randrange(0, 5))]
        if rnd.random() < 0.04:
            props.append(rnd.choice(ODD))
        props = [p for p in props if p and rnd.random() < 0.95]
        rnd.shuffle(props)
        out += ["BEGIN:VEVENT", *props, "END:VEVENT"]
    if rnd.random() < 0.05:
        out.insert(1, "BEGIN:VTIMEZONE\r\nTZID:Asia/Ho_Chi_Minh\r\nBEGIN:STANDARD\r\nDTSTART:"
                      "19700101T000000\r\nTZOFFSETFROM:+0700\r\nTZOFFSETTO:+0700\r\nEND:STANDARD"
                      "\r\nEND:VTIMEZONE")
    out.append("END:VCALENDAR")
    return rnd.choice(["\r\n", "\n"]).join(out) + "\r\n"


@pytest.mark.parametrize("seed", range(150))
def test_random_calendars_read_the_same(seed: int, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "lich.ics"
    path.write_text(_calendar(random.Random(seed)), encoding="utf-8", newline="")
    assert _load(path, monkeypatch, plain=True) == _load(path, monkeypatch, plain=False)


def test_most_generated_calendars_are_read_plainly() -> None:
    """So that the comparison above tests the plain reader, not icalendar twice."""
    assert ics_plain._SAME_RULES, "another icalendar major version: check ics_plain against it"
    plain = [plain_events(_calendar(random.Random(seed)), ics._READ) is not None
             for seed in range(150)]
    assert 60 <= sum(plain) <= 140


def test_the_plain_reader_reads_plain_files_and_steps_aside_for_others() -> None:
    plain = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:A\\, b\r\n"
             "DTSTAMP:20261101T000000Z\r\nDTSTART;TZID=Asia/Ho_Chi_Minh:20261124T080000\r\n"
             "X-AUDITOR-DEPARTMENT:T\\, x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    read = ics._READ
    events = plain_events(plain, read)
    assert events is not None and len(events) == 1
    assert events[0].get("SUMMARY") == "A, b" and events[0].get("DTSTAMP") is None
    assert events[0].get("X-AUDITOR-DEPARTMENT") == "T\\, x"
    assert events[0].decoded("DTSTART").utcoffset().total_seconds() == 7 * 3600
    for odd in (plain.replace("UID:a", "RRULE:FREQ=DAILY"),
                plain.replace("UID:a", "BEGIN:VALARM\r\nEND:VALARM"),
                plain.replace("VERSION:2.0", "BEGIN:VTIMEZONE\r\nEND:VTIMEZONE"),
                plain.replace("UID:a", "UID:a\r\nUID:b"),
                plain.replace("UID:a", "UID:a\r\n"),
                plain.replace("SUMMARY:", 'SUMMARY;ALTREP="x:y":'),
                plain.replace("20261124T080000", "20261324T080000"),
                plain.replace("\r\nEND:VCALENDAR", "\r\nEND:VCALENDAR\r\nX-COMMENT:x")):
        assert plain_events(odd, read) is None, odd


def test_the_benchmark_calendar_shape_is_plain() -> None:
    """The shape bench/export_audit.py writes (and many exports share) is read plainly."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//VI"]
    for i in range(3):
        lines += ["BEGIN:VEVENT", f"UID:ev-{i}", f"SUMMARY:Hoạt động {i}",
                  "DTSTAMP:20261101T000000Z",
                  "DTSTART;TZID=Asia/Ho_Chi_Minh:20261124T080000" if i else
                  "DTSTART;VALUE=DATE:20261124", "X-AUDITOR-ORGANISER:Phòng GD&ĐT",
                  "X-AUDITOR-DEPARTMENT:Tổ Toán", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    assert plain_events("\r\n".join(lines) + "\r\n", ics._READ) is not None
