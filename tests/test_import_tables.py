"""Real exports as schools make them: cover sheets, title rows, renamed headers, missing
columns; and inputs that must be refused (FIFOs, devices, zip bombs, huge fields)."""

from __future__ import annotations

import csv
import os
import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook

from auditor.audit import audit_files
from auditor.cli import main
from auditor.cli.options import parse_month
from auditor.config import parse_config
from auditor.errors import InputError, UsageError
from auditor.results import AuditReport, RuleStatus
from auditor.sources.calendar import load_events
from auditor.sources.export import load_export
from auditor.sources.tabular import Limits, open_table
from auditor.sources.textfile import _chunks

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
HEADER = ["Mã", "Tiêu đề", "Chuyên mục", "Tổ", "Trạng thái", "Ngày đăng", "Người duyệt",
          "Ngày duyệt", "Đề xuất PGD"]


def _rows(n: int = 12) -> list[list[Any]]:
    return [[f"{100 + i}", f"Tin số {i}", "Tin tức", "Tổ Toán - Tin", "Đã đăng",
             datetime(2026, 10, 1 + i, 8, 15), "Phạm Minh Tâm", datetime(2026, 10, 1 + i, 7, 0),
             "x" if i < 4 else ""] for i in range(n)]


def _csv(path: Path, header: list[str], rows: list[list[Any]],
         above: list[str] = ()) -> Path:  # type: ignore[assignment]
    with path.open("w", encoding="utf-8", newline="") as f:
        for line in above:
            f.write(line + "\n")
        w = csv.writer(f)
        w.writerow(header)
        for r in rows:
            w.writerow([v.strftime("%d/%m/%Y %H:%M") if isinstance(v, datetime) else v
                        for v in r])
    return path


def _config(**sources: Any) -> Any:
    return parse_config({"school": {"name": "THCS Hòa Phương"},
                         "board": {"head": "Phạm Minh Tâm"}, "sources": sources},
                        "test", Path("."))


def _audit(export: Path, events: Path | None = None, **sources: Any) -> AuditReport:
    return audit_files(export, events, date(2026, 11, 25), _config(**sources))


def _result(report: AuditReport, rule: str) -> Any:
    [found] = [r for r in report.results if r.rule == rule]
    return found


# --- finding the table ------------------------------------------------------------


def test_xlsx_with_a_cover_sheet_title_rows_and_merged_title(tmp_path: Path) -> None:
    wb = Workbook()
    cover = wb.active
    cover.title = "Hướng dẫn"
    cover["A1"] = "HƯỚNG DẪN SỬ DỤNG TỆP XUẤT"
    cover["A3"] = "Cột Tiêu đề: tên bài viết"
    cover["A4"] = "Cột Ngày đăng: ngày giờ xuất bản"
    data = wb.create_sheet("Tin bài")
    data["A1"] = "SỞ GD&ĐT HẢI PHÒNG - TRƯỜNG THCS HÒA PHƯƠNG"
    data.merge_cells("A1:I1")
    data["A2"] = "DANH SÁCH TIN BÀI THÁNG 10/2026"
    data.merge_cells("A2:I2")
    data.append([])
    data.append(HEADER)
    for r in _rows():
        data.append(r)
    path = tmp_path / "xuat.xlsx"
    wb.save(path)
    got = load_export(path, tz=TZ)
    assert [p.post_id for p in got.posts] == [f"{100 + i}" for i in range(12)]
    assert got.posts[0].published_at == datetime(2026, 10, 1, 8, 15, tzinfo=TZ)
    assert got.posts[0].provenance.row == 5  # the row number in the sheet, title rows counted
    assert got.columns is not None
    notice = got.columns.notice()
    assert "trang 'Tin bài', dòng 4" in notice and "Ngày đăng ← 'Ngày đăng'" in notice
    assert "sheet 'Tin bài', row 4" in got.columns.notice("en")
    # The configured sheet still wins: the cover has no header, so that is an error.
    with pytest.raises(InputError, match="không nhận ra dòng tiêu đề"):
        load_export(path, sheet="Hướng dẫn", tz=TZ)


def test_the_sheet_that_maps_most_fields_is_chosen(tmp_path: Path) -> None:
    wb = Workbook()
    small = wb.active
    small.title = "Tóm tắt"
    small.append(["Tiêu đề", "Ngày đăng"])
    small.append(["Tổng", datetime(2026, 10, 1)])
    full = wb.create_sheet("Chi tiết")
    full.append(HEADER)
    for r in _rows(3):
        full.append(r)
    path = tmp_path / "hai-trang.xlsx"
    wb.save(path)
    assert [p.post_id for p in load_export(path, tz=TZ).posts] == ["100", "101", "102"]


def test_csv_with_two_title_lines(tmp_path: Path) -> None:
    path = _csv(tmp_path / "xuat.csv", HEADER, _rows(5),
                above=["TRƯỜNG THCS HÒA PHƯƠNG", "Danh sách tin bài tháng 10/2026,,,"])
    got = load_export(path, tz=TZ)
    assert len(got.posts) == 5 and got.posts[0].title == "Tin số 0"
    assert got.posts[0].provenance.row == 4
    assert got.columns is not None and "dòng 3" in got.columns.notice()


# --- headers renamed ----------------------------------------------------------------


@pytest.mark.parametrize(("renamed", "fieldname"), [
    ("Đề xuất hiển thị trang Phòng", "proposed_to_authority"),
    ("Gửi Phòng", "proposed_to_authority"),
    ("Đề xuất hiển thị trên trang Phòng GD&ĐT (x)", "proposed_to_authority"),
    ("Thời điểm xuất bản", "published_at"),
    ("Ngày giờ đăng", "published_at"),
    ("Tổ/Nhóm", "department"),
    ("Tiêu đề bài", "title"),  # a close spelling of a known name
])
def test_renamed_headers_are_mapped_and_shown(tmp_path: Path, renamed: str,
                                              fieldname: str) -> None:
    original = {"proposed_to_authority": "Đề xuất PGD", "published_at": "Ngày đăng",
                "department": "Tổ", "title": "Tiêu đề"}[fieldname]
    header = [renamed if h == original else h for h in HEADER]
    path = _csv(tmp_path / "xuat.csv", header, _rows())
    got = load_export(path, tz=TZ)
    assert got.columns is not None and got.columns.has(fieldname)
    assert f"← '{renamed}'" in got.columns.notice()
    # A header read by containment or close spelling is marked, so a person can check it.
    exact = renamed in ("Gửi Phòng", "Thời điểm xuất bản", "Ngày giờ đăng", "Tổ/Nhóm",
                        "Đề xuất hiển thị trang Phòng")
    assert (f"← '{renamed}' (đoán)" in got.columns.notice()) is not exact
    if fieldname == "proposed_to_authority":
        assert sum(p.proposed_to_authority for p in got.posts) == 4
    if fieldname == "published_at":
        assert all(p.published_at is not None for p in got.posts)
    report = _audit(path)
    notices = " ".join(report.notices)
    assert "cột đã nhận" in notices and renamed in notices


def test_unused_columns_are_named(tmp_path: Path) -> None:
    path = _csv(tmp_path / "xuat.csv", [*HEADER, "Ghi chú nội bộ"], [[*r, ""] for r in _rows()])
    got = load_export(path, tz=TZ)
    assert got.columns is not None
    assert "cột không dùng: 'Ghi chú nội bộ'" in got.columns.notice()
    assert "columns not used: 'Ghi chú nội bộ'" in got.columns.notice("en")


def test_two_candidates_for_one_field_ask_for_export_columns(tmp_path: Path) -> None:
    header = [("Thời điểm xuất bản trên web" if h == "Ngày đăng" else h) for h in HEADER]
    header.append("Thời điểm xuất bản lần đầu")
    rows = [[*r, r[5]] for r in _rows()]
    path = _csv(tmp_path / "xuat.csv", header, rows)
    got = load_export(path, tz=TZ)
    assert got.columns is not None and not got.columns.has("published_at")
    notice = got.columns.notice()
    assert "'Thời điểm xuất bản trên web', 'Thời điểm xuất bản lần đầu'" in notice
    assert "export_columns" in notice
    result = _result(_audit(path), "posts.monthly-quota")
    assert result.status is RuleStatus.NOT_CHECKED and "export_columns" in result.reason
    # Named in the config: no doubt left, the rule judges.
    mapped = _audit(path, export_columns={"published_at": "Thời điểm xuất bản trên web"})
    assert _result(mapped, "posts.monthly-quota").status is not RuleStatus.NOT_CHECKED


# --- no verdict without evidence -----------------------------------------------------


@pytest.mark.parametrize(("dropped", "rules"), [
    ("Ngày đăng", ("posts.monthly-quota", "posts.pgd-proposals", "posts.event-deadline",
                   "workflow.approval")),
    ("Đề xuất PGD", ("posts.pgd-proposals",)),
    ("Người duyệt", ("workflow.approval",)),
])
def test_a_missing_column_makes_its_rules_not_checked(tmp_path: Path, dropped: str,
                                                      rules: tuple[str, ...]) -> None:
    keep = [i for i, h in enumerate(HEADER) if h != dropped]
    path = _csv(tmp_path / "xuat.csv", [HEADER[i] for i in keep],
                [[r[i] for i in keep] for r in _rows()])
    events = tmp_path / "lich.csv"
    events.write_text("Tên sự kiện,Bắt đầu,Kết thúc\nHọp tổ,20/10/2026 08:00,20/10/2026 10:00\n",
                      encoding="utf-8")
    report = _audit(path, events)
    column = {"Ngày đăng": "Ngày đăng", "Đề xuất PGD": "Đề xuất",
              "Người duyệt": "Người duyệt"}[dropped]
    for rule in rules:
        result = _result(report, rule)
        assert result.status is RuleStatus.NOT_CHECKED, rule
        assert f"không có cột {column}" in result.reason and "export_columns" in result.reason
        assert "export_columns" in result.reason_en
        assert not result.findings
    if dropped != "Ngày đăng":  # the other rules still judge
        assert _result(report, "posts.monthly-quota").status is not RuleStatus.NOT_CHECKED


def test_no_department_column_is_said(tmp_path: Path) -> None:
    keep = [i for i, h in enumerate(HEADER) if h != "Tổ"]
    path = _csv(tmp_path / "xuat.csv", [HEADER[i] for i in keep],
                [[r[i] for i in keep] for r in _rows()])
    report = _audit(path)
    notices = " ".join(report.notices)
    assert "không có cột Tổ" in notices


def test_header_only_export_stops_with_a_reason(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = _csv(tmp_path / "xuat.csv", HEADER, [])
    code = main(["check", "--export", str(path), "--as-of", "2026-11-25",
                 "--history", str(tmp_path / "h.sqlite")])
    err = capsys.readouterr().err
    assert code == 2
    assert "chỉ có dòng tiêu đề, không có tin bài nào" in err and "Traceback" not in err


# --- inputs refused -------------------------------------------------------------------


def test_a_fifo_is_refused_without_hanging(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "xuat.csv"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="FIFO"):
        load_export(fifo, tz=TZ)
    with pytest.raises(InputError, match="FIFO"):
        load_events(tmp_path / "xuat.csv", tz=TZ)
    ics = tmp_path / "lich.ics"
    os.mkfifo(ics)
    with pytest.raises(InputError, match="FIFO"):
        load_events(ics, tz=TZ)
    code = main(["check", "--export", str(fifo), "--as-of", "2026-11-25",
                 "--history", str(tmp_path / "h.sqlite")])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "không phải tệp thường" in err


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_a_device_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "xuat.csv"
    link.symlink_to("/dev/zero")
    with pytest.raises(InputError, match="thiết bị"):
        load_export(link, tz=TZ)
    with pytest.raises(InputError, match="thiết bị"):
        open_table(Path("/dev/zero"), synonyms={"a": "a"})


def _xlsx_bytes(sheet_xml: Iterable[bytes], tmp_path: Path) -> Path:
    """A minimal workbook whose one sheet is the pieces of `sheet_xml`, written as a
    stream (compressed), so that a bomb is made without holding it in memory."""
    path = tmp_path / "bom.xlsx"
    parts = {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.'
        b'openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
        b'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default '
        b'Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+'
        b'xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        b'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxml'
        b'formats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        b'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        b'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxml'
        b'formats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/>'
        b'</sheets></workbook>',
        "xl/_rels/workbook.xml.rels": b'<?xml version="1.0"?><Relationships xmlns="http://'
        b'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        b'Target="worksheets/sheet1.xml"/></Relationships>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for piece in sheet_xml:
                member.write(piece)
    return path


def test_an_xlsx_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    import resource

    # One inline-string cell of 300 MB of "A": about 300 KB compressed (a ratio near 1000).
    block = b"A" * (1 << 20)
    sheet = [b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>',
             *(block for _ in range(300)), b"</t></is></c></row></sheetData></worksheet>"]
    path = _xlsx_bytes(sheet, tmp_path)
    assert path.stat().st_size < 2 << 20
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(InputError, match="bom nén") as caught:
        load_export(path, tz=TZ)
    assert "max_unpacked_mb" in str(caught.value)
    # Nothing was unpacked: the peak (KB) did not grow by anything near the cell's size.
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kb < 100 << 10
    # The total cap too, for an honest but large workbook (a 2 MB sheet, cap 1 MB).
    rows = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c></row>'
                    % (i, i, os.urandom(16).hex().encode()) for i in range(1, 40_000))
    honest = _xlsx_bytes([b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxml'
                          b'formats.org/spreadsheetml/2006/main"><sheetData>', rows,
                          b"</sheetData></worksheet>"], tmp_path)
    with pytest.raises(InputError, match="bom nén"):
        load_export(honest, tz=TZ, limits=Limits(max_unpacked_bytes=1 << 20))


def test_a_huge_field_hits_the_cap_with_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "xuat.csv"
    with path.open("w", encoding="utf-8") as f:
        f.write("Mã,Tiêu đề,Ngày đăng,Nội dung\n1,Tin,01/10/2026,\"")
        f.write("x" * (3 << 20))  # 3 MB in one quoted cell, no newline
        f.write("\"\n")
    limits = Limits(max_field_chars=1 << 20)
    with pytest.raises(InputError, match="max_field_chars"):
        load_export(path, tz=TZ, limits=limits)
    # A field spread over lines (newlines inside the quotes) is capped by the csv reader.
    with path.open("w", encoding="utf-8") as f:
        f.write("Mã,Tiêu đề,Ngày đăng,Nội dung\n1,Tin,01/10/2026,\"")
        f.write(("y" * 1000 + "\n") * 3000)
        f.write("\"\n")
    with pytest.raises(InputError, match="dòng 2: một ô dài hơn"):
        load_export(path, tz=TZ, limits=limits)
    # Under the cap the same file reads, the long cell kept whole up to MAX_CELL.
    got = load_export(path, tz=TZ, limits=Limits(max_field_chars=4 << 20))
    assert len(got.posts) == 1


def test_a_300_mb_field_stops_at_the_default_cap(tmp_path: Path) -> None:
    """Issue 13's file: one 300 MB field. Refused once the cap (10 million characters)
    is passed, without reading the rest or holding it."""
    import resource

    path = tmp_path / "xuat.csv"
    block = "x" * (1 << 20)
    with path.open("w", encoding="utf-8") as f:
        f.write("Mã,Tiêu đề,Ngày đăng,Nội dung\n1,Tin,01/10/2026,")
        for _ in range(300):
            f.write(block)
        f.write("\n")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(InputError, match="max_field_chars"):
        load_export(path, tz=TZ)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200 << 10


def test_a_long_line_is_gathered_whole_across_blocks(tmp_path: Path) -> None:
    """_chunks joins a line longer than its 1 MB blocks once (no re-copying per block)."""
    path = tmp_path / "long.csv"
    line = "a," + "b" * (5 << 20) + "\n"
    path.write_text("x,y\n" + line + "c,d\n", encoding="utf-8")
    chunks = list(_chunks(path, "utf-8", False, 10 << 20))
    assert "".join(chunks) == "x,y\n" + line + "c,d\n"
    assert all(c.endswith("\n") for c in chunks)
    assert any(line in c for c in chunks)  # the long line arrives whole, in one chunk


def test_the_row_cap(tmp_path: Path) -> None:
    path = _csv(tmp_path / "xuat.csv", HEADER, _rows(12))
    with pytest.raises(InputError, match="max_rows"):
        load_export(path, tz=TZ, limits=Limits(max_rows=10))
    assert len(load_export(path, tz=TZ, limits=Limits(max_rows=12)).posts) == 12


def test_caps_are_settable_in_the_config(tmp_path: Path) -> None:
    path = _csv(tmp_path / "xuat.csv", HEADER, _rows(12))
    with pytest.raises(InputError, match="max_rows"):
        _audit(path, max_rows=5)


# --- dates as people write them ---------------------------------------------------------


@pytest.mark.parametrize(("text", "month"), [("11/2026", "2026-11"), ("2026-11", "2026-11"),
                                             ("1/2027", "2027-01"), ("11-2026", "2026-11")])
def test_month_either_way(text: str, month: str) -> None:
    assert parse_month(text) == month


def test_a_bad_month_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(UsageError, match="cần dạng 2026-11 hoặc 11/2026"):
        parse_month("13/2026")
    code = main(["check", "--demo", "--month", "2026/13"])
    assert code == 2 and "không phải là tháng hợp lệ" in capsys.readouterr().err


def test_day_first_dates_in_the_config_with_the_cli_wording() -> None:
    config = parse_config({"school": {"name": "X"}, "audit": {"as_of": "25/11/2026"},
                           "waivers": [{"rule": "posts.monthly-quota", "reason": "Nghỉ lễ",
                                        "until": "31/12/2026"}]}, "t", Path("."))
    assert config.waivers[0].until == date(2026, 12, 31)
    assert config.audit.as_of == date(2026, 11, 25)
    from auditor.errors import ConfigError

    with pytest.raises(ConfigError) as caught:
        parse_config({"school": {"name": "X"}, "waivers": [
            {"rule": "r", "reason": "x", "until": "31/13/2026"}]}, "t", Path("."))
    assert "cần dạng 2026-11-24 hoặc 24/11/2026" in str(caught.value)


def test_no_publication_date_column_leaves_source_attribution_not_checked(
        tmp_path: Path) -> None:
    """Without 'Ngày đăng' no post is known to be published: the rule says which column is
    missing, never "no CMS export" (there is one)."""
    keep = [i for i, h in enumerate(HEADER) if h != "Ngày đăng"]
    path = _csv(tmp_path / "xuat.csv", [HEADER[i] for i in keep],
                [[r[i] for i in keep] for r in _rows()])
    result = _result(_audit(path), "content.source-attribution")
    assert result.status is RuleStatus.NOT_CHECKED
    assert "không có cột Ngày đăng" in result.reason and "export_columns" in result.reason


def test_an_export_without_disclosure_posts_is_no_evidence_of_missing_items(
        tmp_path: Path) -> None:
    """No crawl and no Công khai post in the export: required items are not checked, not
    all reported missing."""
    path = _csv(tmp_path / "xuat.csv", HEADER, _rows())
    result = _result(_audit(path), "disclosure.required-items")
    assert result.status is RuleStatus.NOT_CHECKED
    assert "Công khai" in result.reason and "--site" in result.reason
    assert not result.findings
