"""Calendar import: .ics details (all-day, TZID, UTC, DURATION, extras) and csv/xlsx columns."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from auditor.errors import InputError
from auditor.model import EventKind, Organiser
from auditor.sources.calendar import load_events, parse_kind, parse_organiser

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "import"


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=TZ)


def test_corpus_calendar_details() -> None:
    data = load_events(CORPUS / "events" / "events.ics", tz=TZ)
    ev = {e.event_id: e for e in data.events}
    # All-day over three days; DTEND (21/11) is exclusive, so the event ends on 20/11.
    hkpd = ev["ev-hkpd"]
    assert hkpd.all_day
    assert hkpd.start == at(2026, 11, 18)
    assert hkpd.end == at(2026, 11, 20, 23, 59, 59)
    assert hkpd.department == "Tổ Thể dục - Nghệ thuật"  # X-AUDITOR-DEPARTMENT
    # All-day, no DTEND: the same day.
    assert ev["ev-20-11"].end == at(2026, 11, 20, 23, 59, 59)
    assert ev["ev-20-11"].department == "Tổ Ngữ văn"  # from "Tổ: …" in DESCRIPTION
    assert ev["ev-20-11"].post_id == "108"
    # Written in UTC ("Z"): 01:00Z is 08:00 in Hà Nội.
    assert ev["ev-hop-pgd"].start == at(2026, 9, 20, 8, 0)
    assert ev["ev-hop-pgd"].end == at(2026, 9, 20, 11, 0)
    assert ev["ev-hop-pgd"].organiser is Organiser.AUTHORITY  # ORGANIZER;CN=Phòng GD&ĐT
    # DURATION instead of DTEND.
    assert ev["ev-kh-kt"].end == at(2026, 11, 27, 11, 0)
    # "[Chuyên đề]" prefix → kind, stripped from the title; X-AUDITOR-ORGANISER.
    topic = ev["cd-toan-10"]
    assert topic.kind is EventKind.TOPIC
    assert topic.title == "Đổi mới phương pháp dạy học môn Toán"
    assert topic.organiser is Organiser.AUTHORITY
    assert topic.info_received_at == at(2026, 10, 15, 9, 0)
    school = ev["ev-khai-giang"]
    assert (school.organiser, school.kind, school.all_day) == (
        Organiser.SCHOOL, EventKind.EVENT, False)
    assert (school.person, school.location) == ("Lê Thị Hoa", "Sân trường")
    # Row = the line of BEGIN:VEVENT.
    lines = (CORPUS / "events" / "events.ics").read_text(encoding="utf-8").splitlines()
    assert lines[school.provenance.row - 1] == "BEGIN:VEVENT"  # type: ignore[operator]


def _ics(tmp_path: Path, *events: list[str]) -> Path:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//VI"]
    for props in events:
        lines += ["BEGIN:VEVENT", *props, "END:VEVENT"]
    lines.append("END:VCALENDAR")
    path = tmp_path / "lich.ics"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8", newline="")
    return path


def test_other_zones_categories_recurrence_and_all_day_duration(tmp_path: Path) -> None:
    path = _ics(
        tmp_path,
        ["UID:a", "SUMMARY:Hội thảo trực tuyến", "DTSTART;TZID=Europe/Paris:20261124T090000",
         "DTEND;TZID=Europe/Paris:20261124T100000", "CATEGORIES:Họp,Chuyên đề"],
        ["UID:b", "SUMMARY:Trại hè", "DTSTART;VALUE=DATE:20261201", "DURATION:P3D",
         "RRULE:FREQ=YEARLY", "ORGANIZER;CN=Sở Giáo dục và Đào tạo:mailto:so@example.vn"],
        ["UID:c", "SUMMARY:Họp tổ", "DTSTART:20261203T140000",
         "DESCRIPTION:Tổ: Tổ Toán - Tin\\nNgười phụ trách: Trần Quốc Bảo"],
    )
    data = load_events(path, tz=TZ)
    a, b, c = data.events
    assert (a.start, a.end) == (at(2026, 11, 24, 15, 0), at(2026, 11, 24, 16, 0))
    assert a.kind is EventKind.TOPIC
    assert b.all_day and b.end == at(2026, 12, 3, 23, 59, 59)
    assert b.organiser is Organiser.AUTHORITY
    assert c.start == c.end == at(2026, 12, 3, 14, 0)  # floating time, no end
    assert (c.department, c.person) == ("Tổ Toán - Tin", "Trần Quốc Bảo")
    assert [(w.column, w.row) for w in data.warnings] == [("RRULE", 11)]


def test_csv_calendar_all_day_and_explicit_columns(tmp_path: Path) -> None:
    path = tmp_path / "lich.csv"
    path.write_text(
        "Số,Việc,Từ,Tới,Cấp,Cả ngày\n"
        "1,Tham quan,24/11/2026,25/11/2026,Nhà trường,\n"
        "2,Họp,24/11/2026 14:00,24/11/2026 16:00,PGD,\n"
        "3,Trực,26/11/2026 00:00,,trường,x\n",
        encoding="utf-8",
    )
    data = load_events(path, tz=TZ, columns={"event_id": "Số", "title": "Việc",
                                             "end": "Tới"})
    one, two, three = data.events
    assert one.all_day and one.end == at(2026, 11, 25, 23, 59, 59)
    assert not two.all_day and two.end == at(2026, 11, 24, 16, 0)
    assert two.organiser is Organiser.AUTHORITY
    assert three.all_day and three.end == at(2026, 11, 26, 23, 59, 59)
    assert data.warnings == ()


def test_calendar_xlsx_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_events(tmp_path / "lich.xlsx", tz=TZ)
    assert str(caught.value).startswith("lich.xlsx:")


@pytest.mark.parametrize(
    ("text", "organiser"),
    [("Nhà trường", Organiser.SCHOOL), ("trường", Organiser.SCHOOL),
     ("School", Organiser.SCHOOL), ("Trường THCS Ngọc Hải", Organiser.SCHOOL),
     ("Phòng GD&ĐT", Organiser.AUTHORITY), ("PGD", Organiser.AUTHORITY),
     ("Sở GD&ĐT", Organiser.AUTHORITY), ("Phòng Giáo dục và Đào tạo", Organiser.AUTHORITY),
     ("authority", Organiser.AUTHORITY), ("Hội cha mẹ học sinh", None)],
)
def test_organisers(text: str, organiser: Organiser | None) -> None:
    assert parse_organiser(text) is organiser


@pytest.mark.parametrize(
    ("text", "kind"),
    [("Chuyên đề", EventKind.TOPIC), ("chuyen de", EventKind.TOPIC), ("topic", EventKind.TOPIC),
     ("sự kiện", EventKind.EVENT), ("Event", EventKind.EVENT), ("Hội nghị", EventKind.EVENT),
     ("khác", None)],
)
def test_kinds(text: str, kind: EventKind | None) -> None:
    assert parse_kind(text) is kind


def test_weekly_schedule_with_day_and_hour_in_separate_columns(tmp_path: Path) -> None:
    path = tmp_path / "lich-tuan.csv"
    path.write_text(
        "Thứ/Ngày,Giờ,Nội dung công việc,Chủ trì,Địa điểm\n"
        "\"Thứ Hai, 23/11/2026\",7h00,Chào cờ đầu tuần,Phạm Minh Tâm,Sân trường\n"
        "\"Thứ Tư, 25/11/2026\",14:30,Họp hội đồng,Phạm Minh Tâm,Phòng họp\n"
        "\"Thứ Sáu, 27/11/2026\",,Tổng vệ sinh,,\n"
        "\"Thứ Bảy, 28/11/2026\",chiều,Sinh hoạt CLB,,\n",
        encoding="utf-8",
    )
    data = load_events(path, tz=TZ)
    a, b, c, d = data.events
    assert (a.start, a.all_day, a.person) == (at(2026, 11, 23, 7, 0), False, "Phạm Minh Tâm")
    assert (b.start, b.end, b.location) == (at(2026, 11, 25, 14, 30), at(2026, 11, 25, 14, 30),
                                             "Phòng họp")
    assert c.all_day and c.end == at(2026, 11, 27, 23, 59, 59)
    assert d.all_day  # "chiều" is no hour: warned, the day is kept
    assert [w.label().split(" — ")[0] for w in data.warnings] == ["lich-tuan.csv:5:Giờ"]
