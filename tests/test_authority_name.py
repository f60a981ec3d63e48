"""The receiving authority comes from the configuration (issue 12, item 4).

Since 1/7/2025 the district Phòng GD&ĐT is gone; a school configured with
``authority.name = "UBND phường Ngọc Hải"``, whose inputs never name the
Phòng, must not see "Phòng GD&ĐT" anywhere in what `auditor` prints or
writes: the console, the JSON, the Excel workbook, the HTML report. The
check runs the real CLI on real files, then reopens what it wrote.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from auditor.cli import main

AUTHORITY = "UBND phường Ngọc Hải"
STALE = ("Phòng GD&ĐT", "Phòng GD", "Phòng Giáo dục")

CONFIG = f"""
[school]
name = "Trường THCS Thử Nghiệm"
url = "https://thcsthunghiem.haiphong.edu.vn"
kind = "THCS"

[authority]
name = "{AUTHORITY}"
kind = "ubnd-xa"

[board]
head = "Lê Văn Hòa"
deputies = ["Trần Thị Hạnh"]
secretary = "Phan Minh Khôi"

[[departments]]
name = "Tổ Toán - Tin"
members = [{{ name = "Phan Minh Khôi", accounts = ["pmkhoi"] }}]

[sources]
export = "xuat.csv"
events = "lich.ics"

[audit]
as_of = 2026-11-26
"""

HEADER = ("Mã bài,Tiêu đề,Chuyên mục,Đường dẫn,Tác giả,Tổ,Trạng thái,Ngày duyệt,Người duyệt,"
          "Ngày đăng,Người đăng,Đề xuất,Nguồn,Tác giả gốc,Nội dung\n")


def _row(i: int, day: str, proposed: bool) -> str:
    return (f"{i},Hoạt động ngoại khóa số {i},Tin tức,"
            f"https://thcsthunghiem.haiphong.edu.vn/tin-tuc/hoat-dong-{i}/ct/1021/{i},"
            f"pmkhoi,Tổ Toán - Tin,Đã đăng,{day} 07:00,Lê Văn Hòa,{day} 08:00,Phan Minh Khôi,"
            f"{'x' if proposed else ''},,,Sáng {day} học sinh tham gia hoạt động ngoại khóa.\n")


ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//THCS Thu Nghiem//Lich//VI
BEGIN:VEVENT
UID:EV-1
SUMMARY:Hội nghị triển khai nhiệm vụ năm học của UBND phường
DTSTART;TZID=Asia/Ho_Chi_Minh:20261020T080000
DTEND;TZID=Asia/Ho_Chi_Minh:20261020T110000
X-AUDITOR-ORGANISER:Sở GD&ĐT
X-AUDITOR-DEPARTMENT:Tổ Toán - Tin
DTSTAMP:20260801T000000Z
END:VEVENT
END:VCALENDAR
"""


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("authority")
    (root / "auditor.toml").write_text(CONFIG, encoding="utf-8")
    # October: 5 posts, 1 proposed — both posting rules fail and name the authority.
    rows = [_row(i, f"{2 + 3 * i:02d}/10/2026", i == 1) for i in range(1, 6)]
    (root / "xuat.csv").write_text(HEADER + "".join(rows), encoding="utf-8")
    (root / "lich.ics").write_text(ICS, encoding="utf-8")
    for path in root.iterdir():  # the inputs themselves never name the Phòng
        assert not any(s in path.read_text(encoding="utf-8") for s in STALE), path
    return root


def _clean(text: str, where: str) -> None:
    for stale in STALE:
        assert stale not in text, f"{stale!r} in the {where}"


def test_no_stale_phong_in_console_json_excel_html(
        school: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = str(school / "auditor.toml")
    reports = school / "bao-cao"

    code = main(["check", "-c", config, "--report-dir", str(reports)])
    console = capsys.readouterr().out
    assert code == 1
    assert AUTHORITY in console  # the posting rules name it…
    _clean(console, "console")

    main(["check", "-c", config, "--format", "json"])
    raw = capsys.readouterr().out
    data = json.loads(raw)
    assert data["school"]["authority"] == AUTHORITY
    titles = {r["id"]: r["title"] for r in data["rules"]}
    assert titles["posts.pgd-proposals"] == f"Tin bài đề xuất lên trang {AUTHORITY}"
    proposals = [f for f in data["findings"] if f["rule"] == "posts.pgd-proposals"]
    assert proposals and all(AUTHORITY in f["message"] for f in proposals)
    event = [f for f in data["findings"] if f["rule"] == "posts.event-deadline"]
    assert event and AUTHORITY in event[0]["message"]  # organised by the authority
    _clean(raw, "JSON")

    books = sorted(reports.glob("*.xlsx"))
    pages = sorted(reports.glob("*.html"))
    assert books and pages, sorted(p.name for p in reports.iterdir())
    for book in books:
        wb = openpyxl.load_workbook(book)
        cells = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row
                 if c.value is not None]
        flat = "\n".join(cells + [ws.title for ws in wb.worksheets])
        assert AUTHORITY in flat or AUTHORITY.upper() in flat, book.name
        _clean(flat, f"workbook {book.name}")
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert AUTHORITY in html, page.name
        _clean(html, f"HTML {page.name}")


def test_rules_list_and_explain_use_the_configured_name(
        school: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "300")  # one line per rule: the table does not wrap titles
    config = str(school / "auditor.toml")
    assert main(["rules", "explain", "posts.pgd-proposals", "-c", config]) == 0
    out = capsys.readouterr().out
    assert AUTHORITY in out
    _clean(out, "rules explain")
    assert main(["rules", "list", "-c", config]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert f"Tin bài đề xuất lên trang {AUTHORITY}" in out
    _clean(out, "rules list")


def test_not_configured_the_wording_is_neutral(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    (tmp_path / "auditor.toml").write_text('[school]\nname = "Trường THCS X"\n',
                                           encoding="utf-8")
    assert main(["rules", "explain", "posts.pgd-proposals", "-c",
                 str(tmp_path / "auditor.toml")]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Tin bài đề xuất lên trang cơ quan quản lý" in out
    _clean(out, "rules explain")


@pytest.mark.parametrize("organiser", ["UBND phường Ngọc Hải", "Ủy ban nhân dân xã An Lư",
                                       "Phòng Văn hóa – Xã hội", "Sở GD&ĐT"])
def test_the_2025_authorities_organise_events_as_the_authority(organiser: str) -> None:
    from auditor.model import Organiser
    from auditor.sources.calendar import parse_organiser

    assert parse_organiser(organiser) is Organiser.AUTHORITY
