"""CSV of the findings, report file names and atomic writes."""

from __future__ import annotations

import csv
import io
import os
import zipfile
from datetime import date
from pathlib import Path

import pytest

from auditor.errors import AuditorError, UsageError
from auditor.render.csv import render_csv
from auditor.render.files import report_name, school_slug, write_reports
from auditor.render.view import period_slug, safe_url, slug, to_ascii
from auditor.results import SchoolInfo
from tests.report_factory import FORMULA_TITLE, PLUS_TEXT, make_report


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM for Excel"
    return list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))


def test_csv_has_every_finding_in_utf8_with_bom(tmp_path: Path):
    rows = read_csv(render_csv(make_report(), tmp_path / "f.csv"))
    head, body = rows[0], rows[1:]
    assert head[:7] == ["STT", "Mã quy tắc", "Nội dung quy định", "Căn cứ", "Mức độ",
                        "Trạng thái", "Nội dung phát hiện"]
    assert len(body) == len(make_report().findings)
    first = dict(zip(head, body[2], strict=True))
    assert first["Mã quy tắc"] == "posts.event-deadline"
    assert first["Căn cứ"] == "Điều 16, khoản 4"
    assert first["Tổ chuyên môn"] == "Tổ Ngữ văn"
    assert first["Ngày"] == "09/10/2026"
    assert first["Đường dẫn"].startswith("https://thcshoaphuong.haiphong.edu.vn/")
    waived = dict(zip(head, body[1], strict=True))
    assert waived["Trạng thái"] == "Miễn trừ"
    assert waived["Lý do miễn trừ"] == "Ban biên tập chấp thuận: tháng thi giữa kỳ."


def test_csv_neutralises_formulas(tmp_path: Path):
    rows = read_csv(render_csv(make_report(), tmp_path / "f.csv"))
    head = rows[0]
    row = dict(zip(head, rows[4], strict=True))
    assert row["Người phụ trách"] == "'" + PLUS_TEXT
    assert row["Đường dẫn"] == "javascript:alert(1)"
    assert FORMULA_TITLE in row["Nội dung phát hiện"]  # inside the text, not at its start
    for r in rows[1:]:
        for value in r:
            assert not value.startswith(("=", "+", "-", "@")), value


def test_names_are_ascii_from_school_and_period():
    assert to_ascii("Trường THCS Hoa Phượng, Đồ Sơn") == "Truong THCS Hoa Phuong, Do Son"
    assert slug("Trường THCS Hoa Phượng — Đồ Sơn") == "truong-thcs-hoa-phuong-do-son"
    assert school_slug("Trường THCS Hoa Phượng") == "thcs-hoa-phuong"
    assert school_slug("Trường") == "truong"
    assert period_slug(date(2026, 10, 1), date(2026, 10, 31)) == "2026-10"
    assert period_slug(date(2026, 9, 26), date(2026, 10, 25)) == "2026-09-26_2026-10-25"
    assert report_name(make_report(), "xlsx") == "bao-cao_thcs-hoa-phuong-d4ea44aa_2026-10.xlsx"
    odd = make_report(school=SchoolInfo('Trường <THCS> "Ngọc Hải"/..\\ CON', None, "THCS",
                                        "Sở GD&ĐT"))
    name = report_name(odd, "html")
    assert name == "bao-cao_thcs-ngoc-hai-con-35146928_2026-10.html"
    assert name.isascii()


def test_write_reports_writes_three_files_atomically(tmp_path: Path):
    out = tmp_path / "bao-cao"
    paths = write_reports(make_report(), out)
    assert [p.name for p in paths] == [
        "bao-cao_thcs-hoa-phuong-d4ea44aa_2026-10.xlsx",
        "bao-cao_thcs-hoa-phuong-d4ea44aa_2026-10.html",
        "bao-cao_thcs-hoa-phuong-d4ea44aa_2026-10.csv"]
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths)  # no temp
    assert zipfile.is_zipfile(paths[0])
    assert paths[1].read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    umask = os.umask(0)
    os.umask(umask)
    for p in paths:
        assert p.stat().st_mode & 0o777 == 0o666 & ~umask  # readable like any other file


def test_write_reports_twenty_five_th_period(tmp_path: Path):
    report = make_report(period_start=date(2026, 9, 26), period_end=date(2026, 10, 25))
    [path] = write_reports(report, tmp_path, formats=["html"])
    assert path.name == "bao-cao_thcs-hoa-phuong-d4ea44aa_2026-09-26_2026-10-25.html"
    assert "từ ngày 26/09/2026 đến ngày 25/10/2026" in path.read_text(encoding="utf-8")


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch):
    import auditor.render.html as html_mod

    target = tmp_path / "bao-cao_thcs-hoa-phuong-d4ea44aa_2026-10.html"
    target.write_text("old report", encoding="utf-8")

    # The text cannot be encoded past its first kilobyte: the write fails halfway.
    monkeypatch.setattr(html_mod, "html_string", lambda *a, **k: "<p>new" * 200 + "\ud800")
    with pytest.raises(UnicodeEncodeError):
        write_reports(make_report(), tmp_path, formats=["html"])
    assert target.read_text(encoding="utf-8") == "old report"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_unknown_format_and_unwritable_folder_are_clear_errors(tmp_path: Path):
    with pytest.raises(UsageError, match="pdf"):
        write_reports(make_report(), tmp_path, formats=["pdf"])
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(AuditorError, match="Không ghi được tệp báo cáo"):
        write_reports(make_report(), blocker / "sub", formats=["csv"])


def test_only_http_addresses_are_safe_links():
    assert safe_url("https://thcshoaphuong.haiphong.edu.vn/a?b=1") is not None
    for bad in ("javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "file:///etc",
                "https://x.vn/a b", 'https://x.vn/"onmouseover', "//x.vn/a", "https://", None):
        assert safe_url(bad) is None, bad


def test_schools_whose_names_fold_alike_never_share_a_report(tmp_path: Path):
    """Issue 13.8: "THCS Hoà Phương" and "THCS Hoa Phượng" fold to the same ASCII;
    the second school's reports must not overwrite the first's."""
    first = make_report(school=SchoolInfo("THCS Hoà Phương", None, "THCS", "Phòng GD&ĐT"))
    second = make_report(school=SchoolInfo("THCS Hoa Phượng", None, "THCS", "Phòng GD&ĐT"))
    assert school_slug(first.school.name) == school_slug(second.school.name)  # the old clash
    a = write_reports(first, tmp_path)
    b = write_reports(second, tmp_path)
    assert not {p.name for p in a} & {p.name for p in b}
    assert len(list(tmp_path.iterdir())) == 6  # nothing overwritten
    assert "THCS Hoà Phương" in a[1].read_text(encoding="utf-8")
    assert "THCS Hoa Phượng" in b[1].read_text(encoding="utf-8")
    for p in a + b:
        assert p.name.isascii() and p.name.startswith("bao-cao_thcs-hoa-phuong-")
    # The same name written in NFD (a macOS file name, a pasted text) is the same school.
    import unicodedata
    nfd = make_report(school=SchoolInfo(unicodedata.normalize("NFD", "THCS Hoà Phương"), None,
                                        "THCS", "Phòng GD&ĐT"))
    assert report_name(nfd, "xlsx") == a[0].name
