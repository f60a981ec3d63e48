"""The HTML report, parsed: self-contained, complete, escaped, accessible."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from auditor.render.html import environment, html_string, render_html
from auditor.results import (
    FindingChange,
    FixedFinding,
    HistoryComparison,
    PreviousRun,
    ReportSections,
)
from tests.report_factory import FORMULA_TITLE, SCRIPT_TITLE, make_report, many_findings

RESOURCE_ATTRS = {"img": "src", "script": "src", "iframe": "src", "embed": "src",
                  "object": "data", "source": "src", "video": "src", "audio": "src",
                  "link": "href", "track": "src", "input": "src"}


@pytest.fixture(scope="module")
def html() -> str:
    return html_string(make_report())


@pytest.fixture(scope="module")
def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "lxml")


def test_no_external_resource(soup: BeautifulSoup, html: str):
    for tag, attr in RESOURCE_ATTRS.items():
        for el in soup.find_all(tag):
            assert not el.get(attr), f"<{tag} {attr}=…> would load a resource"
    assert soup.find("link") is None and soup.find("base") is None
    styles = " ".join(s.get_text() for s in soup.find_all("style"))
    assert "@media print" in styles  # the print stylesheet is inlined
    assert "url(" not in styles and "@import" not in styles
    for el in soup.find_all(style=True):
        assert "url(" not in el["style"]
    csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert csp is not None and "default-src 'none'" in csp["content"]
    # Links to the school's pages are fine (the reader chooses to follow them);
    # nothing else leaves the file.
    for a in soup.find_all("a", href=True):
        assert a["href"].startswith(("#", "https://", "http://")), a["href"]
    scripts = soup.find_all("script")
    assert len(scripts) == 1 and "fetch(" not in scripts[0].get_text()
    assert "XMLHttpRequest" not in scripts[0].get_text()
    assert not re.search(r"""\b(src|href)\s*=\s*["']?//""", html)


def test_every_finding_is_present_grouped_by_rule_and_by_department(soup: BeautifulSoup):
    report = make_report()
    by_rule = soup.find(id="theo-quy-tac")
    by_dept = soup.find(id="theo-to")
    rule_text, dept_text = by_rule.get_text(), by_dept.get_text()
    for f in report.findings:
        assert f.message in rule_text, f.message
        assert f.message in dept_text, f.message
    groups = {d["id"]: d for d in by_rule.find_all("details")}
    assert set(groups) == {f"r-{r.rule}" for r in report.results if r.findings}
    deadline = groups["r-posts.event-deadline"]
    assert "Điều 16, khoản 4" in deadline.summary.get_text()
    assert "Văn bản căn cứ: Quy chế kèm QĐ 111/QĐ-THCS." in soup.find(id="tong-hop").get_text()
    assert len(deadline.find("tbody").find_all("tr")) == 2
    dept_names = [d.summary.h3.get_text() for d in by_dept.find_all("details")]
    assert dept_names[-1] == "(Chưa xác định tổ chuyên môn)"
    assert {"Tổ Ngữ văn", "Tổ Toán - Tin", "Tổ Văn phòng"} <= set(dept_names)


def test_hostile_strings_are_escaped(soup: BeautifulSoup, html: str):
    assert SCRIPT_TITLE not in html  # never raw
    assert "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;" in html
    assert soup.find("img") is None
    assert SCRIPT_TITLE in soup.get_text()  # shown as text
    assert FORMULA_TITLE in soup.get_text()
    assert not soup.find_all(attrs={"onerror": True})
    hrefs = [a["href"] for a in soup.find_all("a", href=True)]
    assert not any(h.lower().startswith("javascript:") for h in hrefs)
    assert "javascript:alert(1)" in soup.find(id="theo-quy-tac").get_text()  # as text only
    assert environment().autoescape is True


def test_accessible_structure(soup: BeautifulSoup):
    assert soup.html["lang"] == "vi"
    assert len(soup.find_all("h1")) == 1
    h2 = [h.get_text() for h in soup.find_all("h2")]
    assert "1. Tổng hợp" in h2 and "6. Phát hiện theo quy định" in h2
    for table in soup.find_all("table"):
        heads = table.find("thead").find_all("th")
        assert heads and all(th.get("scope") == "col" for th in heads)
    svg = soup.find("svg")
    assert svg["role"] == "img" and svg.find("title").get_text()
    assert soup.find("meta", attrs={"name": "viewport"}) is not None
    assert soup.find("a", class_="skip")["href"] == "#noi-dung"
    title = soup.title.get_text()
    assert "Trường THCS Hoa Phượng" in title and "01/10/2026" in title


def test_statuses_are_words_as_well_as_colours(soup: BeautifulSoup):
    summary = soup.find(id="tong-hop")
    fail_cells = [td.get_text() for td in summary.find_all("td", class_="tone-fail")]
    assert fail_cells and set(fail_cells) == {"Không đạt", "Xem xét trừ điểm"}
    assert [td.get_text() for td in summary.find_all("td", class_="tone-pass")] == ["Đạt"]
    events = soup.find(id="su-kien")
    assert "Đưa tin chậm" in [td.get_text() for td in events.find_all("td", class_="tone-fail")]


def test_missing_statistics_are_explained(tmp_path: Path):
    soup = BeautifulSoup(html_string(make_report(sections=ReportSections())), "lxml")
    assert soup.find(id="tin-bai").find("p", class_="empty").get_text().startswith(
        "Không có dữ liệu")
    assert soup.find(id="cong-khai").find("p", class_="empty") is not None
    assert soup.find("svg") is None or soup.find(id="tin-bai").find("svg") is None


def test_english_report():
    soup = BeautifulSoup(html_string(make_report(), lang="en"), "lxml")
    assert soup.html["lang"] == "en"
    assert "October 2026 has 5 posts; at least 8 are required." in soup.get_text()


def test_twenty_thousand_findings_stay_under_15_mb_and_collapsed(tmp_path: Path):
    report = make_report()
    report = make_report(results=report.results + (many_findings(20_000),))
    path = render_html(report, tmp_path / "big.html")
    size = path.stat().st_size
    assert size < 15 * 1024 * 1024, size
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
    big = soup.find(id="r-site.broken-links")
    assert big is not None and not big.has_attr("open")  # long lists start collapsed
    assert len(big.find("tbody").find_all("tr")) == 20_000
    assert soup.find(id="r-posts.event-deadline").has_attr("open")  # short ones open
    # By department, a long list names each finding by a link to its full record.
    by_dept = soup.find(id="theo-to")
    links = {a["href"] for a in by_dept.find_all("a")}
    assert len(links) == len(report.findings)
    assert {f"#{tr['id']}" for tr in soup.find(id="theo-quy-tac").find_all("tr", id=True)} == links


def test_history_comparison_and_fixed_findings():
    base = make_report()
    history = HistoryComparison(
        previous_run=PreviousRun(2, datetime.fromisoformat("2026-10-25T08:00:00+07:00")),
        findings={f.fingerprint: FindingChange(date(2026, 10, 10), "open")
                  for f in base.findings},
        fixed=(FixedFinding("x", "site.broken-links", "s", "Liên kết <b>hỏng</b> cũ.", "m",
                            date(2026, 9, 1), date(2026, 10, 25)),))
    soup = BeautifulSoup(html_string(make_report(comparison=history)), "lxml")
    summary = soup.find(id="tong-hop").get_text()
    assert "So với lần kiểm tra ngày 25/10/2026: 0 phát hiện mới, 7 còn tồn tại" in summary
    fixed = soup.find(id="da-khac-phuc")
    assert "Liên kết <b>hỏng</b> cũ." in fixed.get_text() and fixed.find("b") is None
    assert "Còn tồn tại, từ 10/10/2026" in soup.find(id="f3").get_text()
