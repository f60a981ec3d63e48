"""What a principal sees: the demo month's report printed and on a phone (real Chromium),
page 1's decision, period-end tallies, and the JSON arrays against the Excel sheets."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from bs4 import BeautifulSoup

from auditor.audit import AuditOptions, run_audit
from auditor.render.files import write_reports
from auditor.render.html import render_html
from auditor.render.json import report_dict
from auditor.results import Finding
from auditor.tally import department_tallies
from auditor.timeutil import Period
from tests.report_factory import make_report
from tests.test_report_browser import browser, run_browser


@pytest.fixture(scope="module")
def october(tmp_path_factory: pytest.TempPathFactory):
    """The demo audited for October 2026 on 26/11/2026 (a November finding exists)."""
    report = run_audit(AuditOptions(demo=True, month="2026-10", as_of=date(2026, 11, 26)))
    out = tmp_path_factory.mktemp("oct")
    paths = {p.suffix: p for p in write_reports(report, out)}
    return report, paths


def test_a_finding_after_the_period_is_not_counted() -> None:
    year, october_ = Period(date(2026, 8, 1), date(2026, 10, 31)), Period.month("2026-10")
    found = [Finding("r", f"s{i}", "m", "m", department="Tổ Toán - Tin", on=day)
             for i, day in enumerate((date(2026, 9, 3), date(2026, 10, 5), date(2026, 11, 25)))]
    [tally] = department_tallies(found, october_, year, 3)
    assert (tally.violations_in_period, tally.violations_school_year) == (1, 2)
    assert not tally.emulation_deduction


def test_the_october_report_counts_up_to_31_october(october) -> None:
    report, paths = october
    assert report.period_end == date(2026, 10, 31)
    later = [f for f in report.findings if f.on and f.on > report.period_end]
    assert later == []
    wb = openpyxl.load_workbook(paths[".xlsx"])
    flat = " ".join(str(c.value) for r in wb["Thi đua"].iter_rows() for c in r if c.value)
    assert "tính đến ngày 31/10/2026" in flat
    # Every October tally is at most what the whole-year run counts for the same department.
    whole = run_audit(AuditOptions(demo=True, as_of=date(2026, 11, 26)))
    later_year = {t.name: t.violations_school_year for t in whole.departments}
    assert any(t.violations_school_year < later_year[t.name] for t in report.departments)


def test_page_one_lists_what_to_fix_first_and_who_is_at_risk(october) -> None:
    report, paths = october
    soup = BeautifulSoup(paths[".html"].read_text(encoding="utf-8"), "lxml")
    summary = soup.find(id="tong-hop")
    heads = [h.get_text() for h in summary.find_all("h3")]
    assert heads[0] == "Việc cần xử lý trước" and heads[1].startswith("Tổ, cá nhân có nguy cơ")
    actions = summary.find("table", class_="actions").find("tbody").find_all("tr")
    assert 1 <= len(actions) <= 8
    first = actions[0].find_all("td")
    assert "Vi phạm" in first[1].get_text() and first[2].get_text().strip()
    assert re.fullmatch(r"\d\d/\d\d/\d{4}", first[3].get_text().strip())
    at_risk = {r.find("th").get_text(): r.find_all("td")[-1].get_text()
               for r in summary.find_all("table")[1].find("tbody").find_all("tr")}
    for t in report.departments:
        if t.violations_school_year >= 3:
            assert at_risk[t.name] == "Xem xét trừ điểm"
        elif t.violations_school_year == 2:
            assert at_risk[t.name] == "Sắp đến ngưỡng"
        else:
            assert t.name not in at_risk
    # Rule ids are not on page 1's table; they are in the appendix.
    rule_table = summary.find_all("table")[2]
    assert "posts.monthly-quota" not in rule_table.get_text()
    assert "posts.monthly-quota" in soup.find(id="phu-luc").get_text()
    # Excel page 1 holds the same two boxes.
    wb = openpyxl.load_workbook(paths[".xlsx"])
    flat = [str(c.value) for r in wb["Tổng hợp"].iter_rows() for c in r if c.value]
    assert "VIỆC CẦN XỬ LÝ TRƯỚC" in flat
    assert any(v.startswith("TỔ, CÁ NHÂN CÓ NGUY CƠ") for v in flat)


def test_thi_dua_reconciles_with_page_one(october) -> None:
    report, paths = october
    nobody = report.sections.unassigned
    assert nobody is not None and nobody.violations_in_period > 0
    soup = BeautifulSoup(paths[".html"].read_text(encoding="utf-8"), "lxml")
    rows = {r.find("th").get_text(): [td.get_text() for td in r.find_all("td")]
            for r in soup.find(id="thi-dua").find("tbody").find_all("tr")}
    assert rows["(Chưa xác định tổ)"][1] == str(nobody.violations_in_period)


def _pages(pdf: Path) -> int:
    return max(int(n) for n in re.findall(rb"/Count\s+(\d+)", pdf.read_bytes()))


def test_the_demo_month_prints_on_at_most_8_a4_pages(october, tmp_path: Path) -> None:
    _, paths = october
    pdf = tmp_path / "in.pdf"
    run_browser(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                paths[".html"].as_uri())
    assert 1 < _pages(pdf) <= 8


def test_at_390_px_nothing_scrolls_sideways(october, tmp_path: Path) -> None:
    import subprocess

    _, paths = october
    # Headless Chromium will not lay a window out narrower than 500 px: the report goes in
    # a 390 px iframe (srcdoc, so its document can be read) and a probe writes its widths.
    page = tmp_path / "phone.html"
    report = json.dumps(paths[".html"].read_text(encoding="utf-8")).replace("</", "<\\/")
    page.write_text(
        '<!DOCTYPE html><html><body style="margin:0"><iframe id="f" '
        'style="width:390px;height:844px;border:0"></iframe><script>'
        'var f=document.getElementById("f");f.srcdoc=' + report + ';setTimeout(function(){'
        'try{var d=f.contentDocument;document.body.setAttribute("data-widths",'
        'd.documentElement.scrollWidth+" "+f.contentWindow.innerWidth)}catch(e){'
        'document.body.setAttribute("data-widths",String(e))}},2000);</script></body></html>',
        encoding="utf-8")
    cmd = [browser(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--hide-scrollbars", f"--user-data-dir={tmp_path / 'p'}", "--window-size=800,900",
           "--virtual-time-budget=5000", "--dump-dom", page.as_uri()]
    out = subprocess.run(cmd, check=True, capture_output=True, timeout=180).stdout.decode()
    widths = BeautifulSoup(out, "lxml").body["data-widths"]
    scroll, viewport = (int(x) for x in widths.split())
    assert viewport == 390 and scroll == viewport


def _sheet_rows(ws, first: int = 3) -> list[list[object]]:
    return [[c.value for c in r] for r in ws.iter_rows(min_row=first)
            if r[0].value is not None]


def test_json_arrays_equal_the_excel_sheets(october) -> None:
    report, paths = october
    data = report_dict(report)
    wb = openpyxl.load_workbook(paths[".xlsx"])
    ws = wb["Tin bài theo tháng"]
    header = [c.value for c in ws[2]]
    rows = _sheet_rows(ws)[: len(data["monthly"])]
    assert [r[0] for r in rows] == [m["month"] for m in data["monthly"]]
    assert [m["month"] for m in data["monthly"]][0] == "08/2026"  # from the school year's start
    from auditor.render.xlsx_layout import load_layout

    keys = [c.key for c in load_layout().sheets["monthly"].columns]
    assert len(keys) == len(header)
    for row, month in zip(rows, data["monthly"], strict=True):
        # Every column of the sheet is the same value in the JSON (empty cells are null).
        assert row == [month[k] if month[k] != "" else None for k in keys]
    events = _sheet_rows(wb["Sự kiện"])
    assert [r[0] for r in events] == [e["no"] for e in data["events"]]
    assert [r[1] for r in events] == [e["title"] for e in data["events"]]
    disclosure = _sheet_rows(wb["Công khai"])
    assert [r[2] for r in disclosure] == [d["title"] for d in data["disclosure"]]
    assert [r[4] for r in disclosure] == [d["status"] for d in data["disclosure"]]
    # Violations per department per month: the table under the monthly one.
    cells = [[c.value for c in r] for r in ws.iter_rows()]
    at = next(i for i, r in enumerate(cells) if r[0] in ("Tổ chuyên môn",))
    months = cells[at][1:1 + len(data["departments_by_month"][0]["months"])]
    table = [r for r in cells[at + 1:] if r[0] is not None]
    assert [r[0] for r in table] == [d["department"] for d in data["departments_by_month"]]
    for row, dept in zip(table, data["departments_by_month"], strict=True):
        assert row[1:1 + len(months)] == list(dept["months"].values())
        assert row[1 + len(months)] == dept["total"]
    assert months == [f"{m[5:]}/{m[:4]}" for m in data["departments_by_month"][0]["months"]]
    json.dumps(data, default=str)  # serialisable


def test_json_events_keep_the_post_title_and_its_address(october) -> None:
    """The Excel cell is a hyperlink: its text the post's title, its target the address.
    The JSON gives each its own key: post_title the title, post_url the address."""
    report, _ = october
    shown = {e["event_id"]: e for e in report_dict(report)["events"]}
    linked = [e for e in report.sections.events or () if e.event_id in shown and e.post_url]
    assert linked  # the October report has an event with its post
    for event in linked:
        assert shown[event.event_id]["post_title"] == event.post_title != event.post_url
        assert shown[event.event_id]["post_url"] == event.post_url


def test_english_report_files_are_named_report(tmp_path: Path) -> None:
    paths = write_reports(make_report(), tmp_path, lang="en")
    assert {p.name.split("_")[0] for p in paths} == {"report"}
    html = render_html(make_report(), tmp_path / "x.html", lang="en").read_text(encoding="utf-8")
    assert "1 findings" not in html


def test_csv_for_vietnamese_excel_keeps_months_and_ids_as_text(tmp_path: Path) -> None:
    import csv

    from auditor.render.csv import render_csv

    path = render_csv(make_report(), tmp_path / "r.csv", separator=";")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    header = rows[0]
    assert len(header) > 10 and all(len(r) == len(header) for r in rows)
    month = [r[header.index("Tháng")] for r in rows[1:]]
    assert '="2026-10"' in month  # Excel shows the text 2026-10, not a date
    rule = {r[header.index("Mã quy tắc")] for r in rows[1:]}
    assert '="posts.event-deadline"' in rule
    # Evidence is a sentence, not field names.
    evidence = " ".join(r[header.index("Bằng chứng")] for r in rows[1:])
    assert "chậm (giờ) 57,5" in evidence and "delay_hours" not in evidence
    # The comma CSV (for programs) stays plain.
    plain = list(csv.reader(render_csv(make_report(), tmp_path / "p.csv").read_text(
        encoding="utf-8-sig").splitlines()))
    assert "2026-10" in [r[plain[0].index("Tháng")] for r in plain[1:]]


def test_english_signature_date_and_notes_labels(tmp_path: Path) -> None:
    html = render_html(make_report(), tmp_path / "en.html", lang="en").read_text(
        encoding="utf-8")
    assert "Hải Phòng, 2 November 2026" in html
    assert "ngày 02 tháng 11" not in html
