"""The Excel report, re-opened with openpyxl and inspected cell by cell."""

from __future__ import annotations

import dataclasses
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from auditor.errors import ConfigError
from auditor.render.xlsx import render_xlsx
from auditor.render.xlsx_layout import default_layout_path, load_layout
from auditor.results import (
    FindingChange,
    FixedFinding,
    HistoryComparison,
    PreviousRun,
    ReportSections,
)
from tests.report_factory import FORMULA_TITLE, PLUS_TEXT, SCRIPT_TITLE, make_report

SHEETS = ["Tổng hợp", "Tin bài theo tháng", "Sự kiện", "Công khai", "Mã hóa TCVN 6909",
          "Vi phạm", "Thi đua"]


@pytest.fixture(scope="module")
def book_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_xlsx(make_report(), tmp_path_factory.mktemp("xlsx") / "bao-cao.xlsx")


@pytest.fixture(scope="module")
def wb(book_path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(book_path)


def header(ws: Worksheet, row: int = 2) -> list[str]:
    return [c.value for c in ws[row] if c.value is not None]


def find_row(ws: Worksheet, column_title: str, predicate) -> dict[str, object]:
    """The first data row (as {header: cell}) whose cell under `column_title` matches."""
    titles = [c.value for c in ws[2]]
    col = titles.index(column_title)
    for row in ws.iter_rows(min_row=3):
        if predicate(row[col].value):
            return {t: cell for t, cell in zip(titles, row, strict=False) if t}
    raise AssertionError(f"no row in {ws.title} matches under {column_title}")


def test_sheet_names_in_vietnamese_and_in_order(wb):
    assert wb.sheetnames == SHEETS


def test_list_sheets_have_the_layout_headers(wb):
    assert header(wb["Vi phạm"]) == [
        "STT", "Nội dung quy định", "Căn cứ", "Mức độ", "Nội dung phát hiện", "Tổ chuyên môn",
        "Người phụ trách", "Ngày", "Phát hiện từ", "Trạng thái", "Bằng chứng", "Đường dẫn",
        "Mã quy tắc",
        "Mã bài", "Mã phát hiện"]
    assert header(wb["Tin bài theo tháng"])[:6] == ["Tháng", "Số tin bài đã đăng",
                                                     "Mức tối thiểu tin bài",
                                                     "So với tháng trước", "Dự kiến cuối tháng",
                                                     "Tin bài"]
    assert "Hạn đưa tin" in header(wb["Sự kiện"]) and "Chậm (giờ)" in header(wb["Sự kiện"])
    assert header(wb["Mã hóa TCVN 6909"])[3:6] == ["Bảng mã phát hiện", "Độ tin cậy",
                                                   "Sửa thành (Unicode)"]
    assert header(wb["Thi đua"]) == ["Đối tượng", "Tên", "Vi phạm trong kỳ",
                                     "Vi phạm từ đầu năm học", "Trừ điểm thi đua"]
    layout = load_layout()
    for key, sheet in layout.sheets.items():
        if key != "summary":
            assert header(wb[sheet.name]) == [c.title for c in sheet.columns], key


def test_known_finding_with_its_legal_basis(wb):
    row = find_row(wb["Vi phạm"], "Nội dung phát hiện",
                   lambda v: isinstance(v, str) and "Hội thi Giáo viên dạy giỏi" in v)
    assert row["Căn cứ"].value == "Điều 16, khoản 4"
    assert row["Mã quy tắc"].value == "posts.event-deadline"
    assert row["Mức độ"].value == "Vi phạm"
    assert row["Tổ chuyên môn"].value == "Tổ Ngữ văn"
    assert row["Người phụ trách"].value == "Hoàng Thị Mai"
    # Evidence reads as a sentence (the raw structure stays in the JSON).
    assert "chậm (giờ) 57,5" in row["Bằng chứng"].value
    assert "delay_hours" not in row["Bằng chứng"].value


def test_summary_lists_each_rule_status_and_basis(wb):
    ws = wb["Tổng hợp"]
    values = [[c.value for c in r] for r in ws.iter_rows()]
    flat = [v for r in values for v in r if v is not None]
    assert "Trường THCS Hoa Phượng" in flat and "Phòng GD&ĐT" in flat
    assert "Kỳ báo cáo: từ ngày 01/10/2026 đến ngày 31/10/2026 — Năm học 2026-2027" in flat
    # The rule id sits in the last column, left off the printed page (an appendix column).
    rules = {r[6]: r for r in values if r[6] and str(r[6]).count(".") == 1 and r[0]}
    assert rules["posts.monthly-quota"][2:4] == ["Điều 16, khoản 3", "Không đạt"]
    assert rules["disclosure.reachable"][3] == "Chưa kiểm tra"
    assert rules["disclosure.reachable"][5] == "Không có địa chỉ cổng thông tin (--site)."
    assert rules["site.official-domain"][3] == "Đạt"
    assert "Không đạt" in flat  # overall status
    assert "Văn bản căn cứ: Quy chế kèm QĐ 111/QĐ-THCS." in flat


def test_signature_block_of_an_administrative_document(wb):
    for name in ("Tổng hợp", "Thi đua"):
        flat = [c.value for r in wb[name].iter_rows() for c in r if c.value is not None]
        assert "Hải Phòng, ngày 02 tháng 11 năm 2026" in flat
        assert "NGƯỜI LẬP BIỂU" in flat and "HIỆU TRƯỞNG" in flat
        assert "Lê Thị Thanh Bình" in flat and "Đỗ Minh Tuấn" in flat
    flat = [c.value for r in wb["Tổng hợp"].iter_rows() for c in r if c.value is not None]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat
    assert "Độc lập - Tự do - Hạnh phúc" in flat


def test_signature_place_left_blank_for_handwriting(tmp_path):
    report = make_report(signature=None, sections=ReportSections())
    wb = openpyxl.load_workbook(render_xlsx(report, tmp_path / "r.xlsx"))
    flat = [c.value for r in wb["Tổng hợp"].iter_rows() for c in r if c.value is not None]
    assert "……………, ngày 02 tháng 11 năm 2026" in flat


def test_dates_are_real_excel_dates_shown_day_first(wb):
    row = find_row(wb["Vi phạm"], "Nội dung phát hiện",
                   lambda v: isinstance(v, str) and "Hội thi" in v)
    day = row["Ngày"]
    assert day.is_date and day.value == datetime(2026, 10, 9)
    assert day.number_format == "dd/mm/yyyy"
    event = find_row(wb["Sự kiện"], "Mã sự kiện", lambda v: v == "EV-07")
    assert event["Hạn đưa tin"].is_date
    assert event["Hạn đưa tin"].value == datetime(2026, 10, 9, 23, 59)  # local wall clock
    assert event["Hạn đưa tin"].number_format == "dd/mm/yyyy hh:mm"
    assert event["Chậm (giờ)"].value == 57.5
    seen = find_row(wb["Công khai"], "Mục", lambda v: v == "Biểu mẫu 09")["Thấy lần cuối"]
    assert seen.is_date and seen.number_format == "dd/mm/yyyy hh:mm"
    tcvn = find_row(wb["Mã hóa TCVN 6909"], "Bảng mã phát hiện", lambda v: v == "TCVN3")
    assert tcvn["Độ tin cậy"].value == pytest.approx(0.97)
    assert tcvn["Độ tin cậy"].number_format == "0%"
    assert tcvn["Sửa thành (Unicode)"].value == "Trường THCS Hoa Phượng thông báo"


def _fills(ws: Worksheet) -> dict[str, tuple[str, str]]:
    """{label: (range, fill colour)} of the sheet's conditional formatting."""
    out = {}
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            assert rule.type == "cellIs" and rule.operator == "equal"
            out[rule.formula[0].strip('"')] = (str(cf.sqref), rule.dxf.fill.fgColor.rgb[-6:])
    return out


def test_conditional_fills_fail_red_warning_amber_pass_green(wb):
    findings = _fills(wb["Vi phạm"])
    assert findings["Vi phạm"] == ("D3:D9", "F4CCCC")
    assert findings["Cảnh báo"] == ("D3:D9", "FFE699")
    summary = _fills(wb["Tổng hợp"])
    assert summary["Không đạt"][1] == "F4CCCC"
    assert summary["Chưa kiểm tra"][1] == "FFE699"
    assert summary["Đạt"][1] == "C6EFCE"
    events = _fills(wb["Sự kiện"])
    assert events["Đưa tin chậm"][1] == events["Chưa đưa tin"][1] == "F4CCCC"
    assert events["Đúng hạn"] == ("L3:L6", "C6EFCE")
    monthly = _fills(wb["Tin bài theo tháng"])
    assert monthly["Thiếu"][1] == "F4CCCC" and monthly["Chưa hết tháng"][1] == "FFE699"
    # Three people and departments, the row without a department, two persons.
    assert _fills(wb["Thi đua"])["Xem xét trừ điểm"] == ("E3:E8", "F4CCCC")


def test_frozen_headers_autofilter_and_widths(wb):
    for name in SHEETS[1:]:
        ws = wb[name]
        assert ws.freeze_panes == "A3", name
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A2:"), name
    assert wb["Vi phạm"].auto_filter.ref == "A2:O9"
    assert wb["Vi phạm"].column_dimensions["E"].width == 46
    assert wb["Vi phạm"]["E3"].alignment.wrap_text is True
    assert wb["Vi phạm"]["B2"].font.b is True


def test_print_setup(wb):
    for name in SHEETS:
        ws = wb[name]
        assert ws.page_setup.paperSize in (9, "9"), name
        assert ws.page_setup.fitToWidth in (1, "1") and ws.page_setup.fitToHeight in (0, "0")
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert ws.print_title_rows, name
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    assert wb["Vi phạm"].page_setup.orientation == "landscape"
    assert wb["Tổng hợp"].page_setup.orientation == "portrait"
    assert wb["Vi phạm"].print_title_rows == "$2:$2"
    # Evidence, links and ids stay in the file but off the printed A4 page.
    assert wb["Vi phạm"].print_area == "'Vi phạm'!$A$1:$J$9"
    assert not wb["Thi đua"].print_area  # everything prints


def test_rows_with_long_wrapped_text_are_tall_enough_to_print(wb):
    ws = wb["Vi phạm"]
    long_row = find_row(ws, "Mã quy tắc", lambda v: v == "posts.event-deadline")["STT"].row
    assert ws.row_dimensions[long_row].height >= 2 * 12  # at least two lines of 12 pt
    title = ws.row_dimensions[1].height
    assert title is None or title >= 14  # the merged title row, when it needs more than one


def test_monthly_sheet_has_a_bar_chart(wb):
    ws = wb["Tin bài theo tháng"]
    # Posts and proposals per month (bars coloured by status), and violations per department.
    assert len(ws._charts) == 2
    chart = ws._charts[0]
    assert chart.tagname == "barChart"
    posts = chart.series[0]
    fills = {p.idx: p.graphicalProperties.solidFill.srgbClr for p in posts.dPt}
    assert fills[2] == "B00020" and fills[1] == "2E7D32"  # October short, September met
    assert [r[0].value for r in ws.iter_rows(min_row=3, max_row=6)] == [
        "08/2026", "09/2026", "10/2026", "11/2026"]
    assert ws["B5"].value == 5 and ws["F5"].value == "Thiếu" and ws["D5"].value == "-7"


def test_hostile_values_are_stored_as_text_never_formulas(wb, book_path):
    event = find_row(wb["Sự kiện"], "Mã sự kiện", lambda v: v == "EV-09")
    title = event["Sự kiện"]
    assert title.value == FORMULA_TITLE
    assert title.data_type == "s"
    assert title.quotePrefix is True
    person = find_row(wb["Thi đua"], "Tên", lambda v: v == PLUS_TEXT)["Tên"]
    assert person.data_type == "s" and person.quotePrefix is True
    tcvn = find_row(wb["Mã hóa TCVN 6909"], "Bảng mã phát hiện", lambda v: v == "NFD")
    assert tcvn["Vị trí"].value == "@SUM(1+1)" and tcvn["Đoạn văn bản"].value == "-2+3"
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    # And in the file itself: no formula element anywhere.
    with zipfile.ZipFile(book_path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name
    flat = [c.value for r in wb["Vi phạm"].iter_rows() for c in r]
    assert any(isinstance(v, str) and SCRIPT_TITLE in v for v in flat)


def test_only_web_addresses_become_hyperlinks(wb):
    ws = wb["Vi phạm"]
    good = find_row(ws, "Mã quy tắc", lambda v: v == "posts.event-deadline")["Đường dẫn"]
    assert good.hyperlink is not None
    assert good.hyperlink.target == (
        "https://thcshoaphuong.haiphong.edu.vn/tin-tuc/hoi-thi/ct/12/3456")
    bad = find_row(ws, "Đường dẫn", lambda v: v == "javascript:alert(1)")["Đường dẫn"]
    assert bad.hyperlink is None and bad.data_type == "s"


def test_missing_statistics_give_an_explanatory_row(tmp_path):
    report = make_report(signature=None, sections=ReportSections(),
                         results=make_report().results[:3])
    wb = openpyxl.load_workbook(render_xlsx(report, tmp_path / "r.xlsx"))
    assert wb["Tin bài theo tháng"]["A3"].value.startswith("Không có dữ liệu")
    assert wb["Sự kiện"]["A3"].value.startswith("Không có dữ liệu")
    assert wb["Công khai"]["A3"].value.startswith("Không có dữ liệu")
    assert wb["Mã hóa TCVN 6909"]["A3"].value == (
        "Không có dữ liệu: chưa kiểm tra mã hóa văn bản")
    assert wb["Tin bài theo tháng"]._charts == []


def test_control_characters_do_not_break_the_workbook(tmp_path):
    base = make_report()
    first = base.results[0]
    bad = dataclasses.replace(first.findings[0], message="Tiêu đề\x07 có\x00 ký tự \ud800 lạ")
    results = (dataclasses.replace(first, findings=(bad,)),) + base.results[1:]
    wb = openpyxl.load_workbook(render_xlsx(make_report(results=results), tmp_path / "r.xlsx"))
    row = find_row(wb["Vi phạm"], "STT", lambda v: v == 1)
    assert row["Nội dung phát hiện"].value == "Tiêu đề có ký tự \ufffd lạ"


def test_layout_file_renames_reorders_and_drops_columns(tmp_path):
    text = default_layout_path().read_text(encoding="utf-8")
    text = text.replace('title = "Nội dung phát hiện"', 'title = "Sai phạm"')
    line = ('  { key = "fingerprint", title = "Mã phát hiện", title_en = "Fingerprint", '
            'width = 18, print = false },\n')
    assert line in text
    text = text.replace(line, "")
    custom = tmp_path / "xlsx.toml"
    custom.write_text(text, encoding="utf-8")
    out = render_xlsx(make_report(), tmp_path / "r.xlsx", layout=load_layout(custom))
    heads = header(openpyxl.load_workbook(out)["Vi phạm"])
    assert "Sai phạm" in heads and "Mã phát hiện" not in heads


def test_a_bad_layout_file_is_one_clear_error(tmp_path):
    text = default_layout_path().read_text(encoding="utf-8").replace(
        'key = "fingerprint"', 'key = "dau-van-tay"')
    bad = tmp_path / "xlsx.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="cột không biết 'dau-van-tay'"):
        load_layout(bad)


def test_english_workbook(tmp_path):
    wb = openpyxl.load_workbook(render_xlsx(make_report(), tmp_path / "r.xlsx", lang="en"))
    assert wb.sheetnames[0] == "Summary" and "Findings" in wb.sheetnames
    row = find_row(wb["Findings"], "Rule id", lambda v: v == "posts.monthly-quota")
    assert row["Finding"].value == "October 2026 has 5 posts; at least 8 are required."
    assert row["Severity"].value == "Violation"


def test_written_atomically_leaving_no_temporary_file(tmp_path):
    target = tmp_path / "r.xlsx"
    target.write_bytes(b"old")
    render_xlsx(make_report(), target)
    assert zipfile.is_zipfile(target)
    assert [p.name for p in tmp_path.iterdir()] == ["r.xlsx"]


def test_all_day_event_dates_stay_days(tmp_path):
    import dataclasses
    from datetime import date

    sections = make_report().sections
    assert sections.events
    event = dataclasses.replace(sections.events[0], event_id="EV-ALL",
                                start=date(2026, 10, 2), end=date(2026, 10, 2))  # type: ignore[arg-type]
    report = make_report(sections=dataclasses.replace(sections, events=(event,)))
    wb = openpyxl.load_workbook(render_xlsx(report, tmp_path / "r.xlsx"))
    row = find_row(wb["Sự kiện"], "Mã sự kiện", lambda v: v == "EV-ALL")
    assert row["Kết thúc"].value == datetime(2026, 10, 2)
    assert row["Kết thúc"].number_format == "dd/mm/yyyy"


def test_history_comparison_new_still_open_and_fixed(tmp_path):
    base = make_report()
    deadline = base.results[2].findings[0]
    history = HistoryComparison(
        previous_run=PreviousRun(4, datetime.fromisoformat("2026-10-25T08:00:00+07:00")),
        findings={f.fingerprint: FindingChange(date(2026, 11, 2), "new") for f in base.findings}
        | {deadline.fingerprint: FindingChange(date(2026, 10, 10), "open")},
        fixed=(FixedFinding("abc", "site.broken-links", "link:9",
                            "Liên kết hỏng tới tệp kế hoạch năm học.", "x",
                            date(2026, 9, 1), date(2026, 10, 25)),))
    report = make_report(comparison=history)
    wb = openpyxl.load_workbook(render_xlsx(report, tmp_path / "r.xlsx"))
    row = find_row(wb["Vi phạm"], "Mã phát hiện", lambda v: v == deadline.fingerprint)
    assert row["Trạng thái"].value == "Còn tồn tại"
    assert row["Phát hiện từ"].value == datetime(2026, 10, 10)
    assert row["Phát hiện từ"].number_format == "dd/mm/yyyy"
    other = find_row(wb["Vi phạm"], "Mã quy tắc", lambda v: v == "posts.monthly-quota")
    assert other["Trạng thái"].value == "Mới phát hiện"
    waived = find_row(wb["Vi phạm"], "Mã quy tắc", lambda v: v == "posts.pgd-proposals")
    assert waived["Trạng thái"].value == "Miễn trừ"  # a waiver wins over "new"
    flat = [c.value for r in wb["Tổng hợp"].iter_rows() for c in r if c.value is not None]
    assert ("So với lần kiểm tra ngày 25/10/2026: 6 phát hiện mới, 1 còn tồn tại, "
            "1 đã khắc phục.") in flat
