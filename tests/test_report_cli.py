"""`auditor report --month` and `auditor check --report-dir` on the demo school."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import openpyxl
import pytest

from auditor.audit import AuditOptions, run_audit
from auditor.cli import main
from auditor.history import HistoryStore
from auditor.resources import demo_dir

NAME = "bao-cao_thcs-hoa-phuong_2026-10"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def rows(path: Path, sheet: str) -> list[list[object]]:
    ws = openpyxl.load_workbook(path)[sheet]
    return [[c.value for c in r] for r in ws.iter_rows()]


def row_with(table: list[list[object]], text: str) -> list[object]:
    for r in table:
        if any(isinstance(v, str) and text in v for v in r):
            return r
    raise AssertionError(f"no row contains {text!r}")


def test_report_runs_the_demo_audit_when_the_history_has_no_run(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    db = tmp_path / "lich-su.sqlite3"
    code, out, _ = run(capsys, "report", "--demo", "--month", "2026-10", "--history", str(db),
                       "--report-dir", str(tmp_path / "out"))
    assert code == 0
    assert "kiểm tra mới" in out
    # The new audit is recorded in the --history file it was given (issue 15.2), nowhere else.
    from auditor.history import HistoryStore

    with HistoryStore.open(db) as store:
        [recorded] = store.runs()
    assert (recorded.period_start.isoformat(), recorded.period_end.isoformat()) == (
        "2026-10-01", "2026-10-31")
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == [f"{NAME}.csv", f"{NAME}.html", f"{NAME}.xlsx"]
    book = tmp_path / "out" / f"{NAME}.xlsx"
    # A known demo finding, with its legal basis (Điều 16.4).
    finding = row_with(rows(book, "Vi phạm"), "Hội nghị cha mẹ học sinh đầu năm")
    assert "Điều 16, khoản 4" in finding and "posts.event-deadline" in finding
    assert "Tổ Ngữ văn" in finding
    # The monthly sheet shows the audit's own statistics for October.
    monthly = run_audit(AuditOptions(demo=True, month="2026-10")).sections.monthly
    assert monthly
    [stats] = [m for m in monthly if m.month == "2026-10"]
    assert stats.posts is not None
    [month] = [r for r in rows(book, "Tin bài theo tháng") if r[0] == "10/2026"]
    assert month[1:3] == [stats.posts, stats.min_posts] == [month[1], 8]
    assert month[5] == ("Đủ" if stats.posts >= 8 else "Thiếu")
    tcvn = row_with(rows(book, "Mã hóa TCVN 6909"), "TCVN3 (ABC, .VnTime)")
    assert "Thông báo lịch ôn tập và kiểm tra học kỳ I" in tcvn
    summary = [v for r in rows(book, "Tổng hợp") for v in r if v is not None]
    assert "Lê Thị Thanh Bình" in summary and "Đỗ Minh Tuấn" in summary  # board head, secretary
    html = (tmp_path / "out" / f"{NAME}.html").read_text(encoding="utf-8")
    assert "Hội nghị cha mẹ học sinh đầu năm" in html


def test_report_is_rebuilt_from_the_history_when_a_run_is_on_record(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    db = tmp_path / "lich-su.sqlite3"
    audited = run_audit(AuditOptions(demo=True, month="2026-10"))
    # Mark one finding so that the report can only have come from the history.
    first = audited.results[0]
    marked = dataclasses.replace(first.findings[0], message="Ghi trong lịch sử: thiếu tin bài.")
    recorded = dataclasses.replace(audited, results=(
        dataclasses.replace(first, findings=(marked,) + first.findings[1:]),
    ) + audited.results[1:])
    with HistoryStore.open(db) as store:
        store.record_run(recorded)
    out_dir = tmp_path / "out"
    code, out, _ = run(capsys, "report", "--demo", "--month", "2026-10", "--history", str(db),
                       "--report-dir", str(out_dir))
    assert code == 0 and "Nguồn: lịch sử" in out
    book = out_dir / f"{NAME}.xlsx"
    row = row_with(rows(book, "Vi phạm"), "Ghi trong lịch sử")
    assert "Điều 16, khoản 3" in row
    still = row_with(rows(book, "Vi phạm"), "Hội nghị cha mẹ học sinh đầu năm")
    assert "Điều 16, khoản 4" in still
    summary = [v for r in rows(book, "Tổng hợp") for v in r if v is not None]
    assert any(isinstance(v, str) and v.startswith("- Báo cáo lập lại từ lịch sử") for v in summary)
    # The history keeps the run's statistics: the monthly and event sheets are complete.
    monthly = rows(book, "Tin bài theo tháng")
    october = next(r for r in monthly if r[0] == "10/2026")
    assert list(october[1:3]) == [6, 8]  # October's visible posts against 8, as the audit counted
    events = [v for r in rows(book, "Sự kiện") for v in r if isinstance(v, str)]
    assert any("Hội nghị cha mẹ học sinh đầu năm" in v for v in events)
    depts = {r[1]: r for r in rows(book, "Thi đua")[2:] if r[0] == "Tổ chuyên môn"}
    assert depts["Tổ Ngữ văn"][2] >= 1  # tallies recounted from the history
    # --rerun ignores the history and audits again.
    code, out, _ = run(capsys, "report", "--demo", "--month", "2026-10", "--history", str(db),
                       "--report-dir", str(out_dir), "--rerun")
    assert code == 0 and "kiểm tra mới" in out
    table = rows(book, "Vi phạm")
    assert not any(isinstance(v, str) and "Ghi trong lịch sử" in v for r in table for v in r)


def test_single_files_where_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    target = tmp_path / "thang-10.xlsx"
    code, out, _ = run(capsys, "report", "--demo", "--month", "2026-10", "--history",
                       str(tmp_path / "h.sqlite3"), "--xlsx", str(target), "--lang", "en")
    assert code == 0
    # Only the file asked for, beside the history the new audit was recorded in.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h.sqlite3", "thang-10.xlsx"]
    assert openpyxl.load_workbook(target).sheetnames[0] == "Summary"
    assert f"Wrote {target}" in out


def test_period_from_the_26th_to_the_25th(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    school = tmp_path / "truong"
    school.mkdir()
    for name in ("auditor.toml", "cms-export.csv", "lich-cong-tac.ics"):
        shutil.copy(demo_dir() / name, school / name)
    config = school / "auditor.toml"
    text = config.read_text(encoding="utf-8").replace('period = "calendar"', 'period = "25th"')
    assert 'period = "25th"' in text
    config.write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, "report", "--config", str(config), "--month", "2026-10",
                       "--history", str(tmp_path / "h.sqlite3"), "--as-of", "2026-11-26")
    assert code == 0
    name = "bao-cao_thcs-hoa-phuong_2026-09-26_2026-10-25"
    out_dir = school / "bao-cao"  # [output] dir, beside auditor.toml
    assert sorted(p.name for p in out_dir.iterdir()) == [f"{name}.csv", f"{name}.html",
                                                         f"{name}.xlsx"]
    html = (out_dir / f"{name}.html").read_text(encoding="utf-8")
    assert "từ ngày 26/09/2026 đến ngày 25/10/2026" in html


def test_bad_month_is_a_usage_error(capsys: pytest.CaptureFixture[str]):
    code, _, err = run(capsys, "report", "--demo", "--month", "10/2026")
    assert code == 2
    assert "Tháng '10/2026' không hợp lệ" in err and "Traceback" not in err


def test_check_writes_the_reports_into_report_dir(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]):
    code, _, err = run(capsys, "check", "--demo", "--month", "2026-10", "--report-dir",
                       str(tmp_path))
    assert code == 1  # the demo school has violations
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{NAME}.csv", f"{NAME}.html",
                                                          f"{NAME}.xlsx"]
    assert "Đã ghi" in err
