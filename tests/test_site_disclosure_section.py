"""The Công khai section under its real names, its items read from a plain list of links
and its sub-menu, and each item's hidden state from markup and stylesheets (issue 10.7).

Sites in a theme no profile knows are written here, served on 127.0.0.1 and
crawled over HTTP; the real haiphong-edu menu is read from ../shared/realworld.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path

import pytest

from auditor.checks.interface import AuditContext
from auditor.config import parse_config
from auditor.crawl import settings_for
from auditor.engine import run_rule
from auditor.people import Directory
from auditor.profiles import load_profile
from auditor.results import RuleResult, RuleStatus
from auditor.ruleset import load_ruleset
from auditor.site.demo_server import serve_site
from auditor.site.disclosure import find_in_menu
from auditor.site.extract import navigation, parse_html
from auditor.site.load import load_site
from auditor.site.snapshot import SiteSnapshot
from auditor.site.visibility import Visibility, hiding_selectors
from auditor.timeutil import Period, school_year, tz

ZONE = tz("Asia/Ho_Chi_Minh")
REALWORLD = Path(__file__).resolve().parents[1].parent / "shared" / "realworld"


def _menu(title: str, href: str) -> str:
    return ('<div class="thanh-menu"><ul>'
            '<li><a href="/">Trang chủ</a></li>'
            '<li><a href="/gioi-thieu/">Giới thiệu</a></li>'
            '<li><a href="/bang-tin/">Tin tức</a></li>'
            f'<li><a href="{href}">{title}</a>'
            '<ul><li><a href="/cong-khai/ke-hoach/">Kế hoạch năm học</a></li></ul></li>'
            '</ul></div>')


SIDEBAR = ('<div class="cot-phai"><h3>Liên kết</h3><ul>'
           '<li><a href="/bang-tin/">Tin mới</a></li><li><a href="/lien-he/">Liên hệ</a></li>'
           '<li><a href="/gioi-thieu/">Giới thiệu trường</a></li></ul></div>')
FOOT = '<div class="chan-trang"><a href="/lien-he/">Liên hệ</a> © Trường THCS Hoa Sen</div>'


def _page(body: str, menu: str, head: str = "") -> str:
    return (f"<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'>"
            f"<title>Trường THCS Hoa Sen</title>{head}</head><body>{menu}"
            f"<div class='khung'>{body}</div>{SIDEBAR}{FOOT}</body></html>")


def _write(root: Path, path: str, text: str) -> None:
    target = root / path.strip("/") / "index.html" if path.endswith("/") else root / \
        path.strip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


SECTION_BODY = """
<h1>Công khai</h1>
<p>Các nội dung công khai năm học 2026-2027:</p>
<ul>
  <li><a href="/cong-khai/bieu-mau-1/">Biểu mẫu 1: Cam kết chất lượng giáo dục</a></li>
  <li class="an-di"><a href="/cong-khai/bieu-mau-2/">Biểu mẫu 2: Chất lượng thực tế</a></li>
  <li><a href="/cong-khai/bieu-mau-3/" class="tam-an">Biểu mẫu 3: Cơ sở vật chất</a></li>
  <li><a href="/cong-khai/bieu-mau-4/" aria-hidden="true">Biểu mẫu 4: Đội ngũ</a></li>
  <li hidden><a href="/cong-khai/bieu-mau-5/">Biểu mẫu 5: Tài chính</a></li>
  <li><a href="/cong-khai/bieu-mau-6/" style="display: none">Biểu mẫu 6: Thu chi</a></li>
  <li class="khong-in"><a href="/cong-khai/bieu-mau-7/">Biểu mẫu 7: Tuyển sinh</a></li>
  <li><a href="/cong-khai/bieu-mau-8/" class="doi-mau">Biểu mẫu 8: Kiểm định</a></li>
</ul>
"""
CSS = """/* site.css */
.an-di { color: red; display : none !important; }
@media print { .khong-in { display: none } }
.thanh-menu a:hover, .doi-mau:hover { display: none }
.hien { display: block }
"""
HEAD = ('<link rel="stylesheet" href="/css/site.css">'
        '<style>.tam-an{visibility:hidden}</style>')


def school_site(root: Path, title: str = "Công khai", href: str = "/cong-khai/",
                section_body: str = SECTION_BODY) -> None:
    menu = _menu(title, href)
    _write(root, "/", _page("<h2><a href='/bang-tin/bai-1/'>Khai giảng năm học mới</a></h2>",
                            menu))
    for path in ("/gioi-thieu/", "/bang-tin/", "/bang-tin/bai-1/", "/lien-he/",
                 "/cong-khai/ke-hoach/"):
        _write(root, path, _page("<p>Nội dung.</p>", menu))
    _write(root, href if href.endswith("/") else href + "/", _page(section_body, menu, HEAD))
    for n in range(1, 9):
        _write(root, f"/cong-khai/bieu-mau-{n}/", _page(f"<h1>Biểu mẫu {n}</h1>", menu))
    _write(root, "/css/site.css", CSS)


def crawl(root: Path, tmp: Path) -> SiteSnapshot:
    config = parse_config({"school": {"name": "Trường THCS Hoa Sen"}}, "auditor.toml", tmp)
    with serve_site(root) as running:
        settings = replace(settings_for(config, running.url), polite=False, min_delay=0.0,
                           cache_path=tmp / "cache.sqlite")
        return load_site(config, url=running.url, settings=settings,
                         cache_path=tmp / "cache.sqlite")


@pytest.mark.parametrize("title, href", [
    ("Công khai", "/cong-khai/"),
    ("Ba công khai", "/ba-cong-khai/"),
    ("3 công khai", "/3-cong-khai/"),
    ("Thông tin công khai", "/thong-tin-cong-khai/"),
    ("Công khai giáo dục", "/cong-khai-giao-duc/"),
    ("CÔNG KHAI", "/muc/77684/"),
    ("Minh bạch", "/cong-khai/"),  # named otherwise, found by its address
])
def test_the_section_is_found_under_its_real_names(tmp_path: Path, title: str,
                                                   href: str) -> None:
    root = tmp_path / "site"
    school_site(root, title, href)
    snap = crawl(root, tmp_path)
    assert snap.profile == "generic"
    section = snap.disclosure
    assert section is not None
    assert section.menu_title == title and section.url.endswith(href)
    assert section.status == 200 and section.unread is None


def test_a_plain_list_of_links_gives_the_items_and_their_hidden_state(tmp_path: Path) -> None:
    root = tmp_path / "site"
    school_site(root)
    snap = crawl(root, tmp_path)
    section = snap.disclosure
    assert section is not None
    by_title = {i.title.split(":")[0]: i for i in section.items}
    # The eight forms of the list and the sub-menu's entry; not the menu, the side bar
    # or the footer (links on every page of the site).
    assert sorted(by_title) == [*(f"Biểu mẫu {n}" for n in range(1, 9)), "Kế hoạch năm học"]
    hidden = {t for t, i in by_title.items() if i.hidden_by_css}
    assert hidden == {"Biểu mẫu 2",  # a class the linked stylesheet hides
                      "Biểu mẫu 3",  # a class a <style> block hides (visibility:hidden)
                      "Biểu mẫu 4",  # aria-hidden
                      "Biểu mẫu 5",  # the hidden attribute
                      "Biểu mẫu 6"}  # inline style
    # Not hidden: a print-only rule, a :hover rule.
    assert not by_title["Biểu mẫu 7"].hidden_by_css and not by_title["Biểu mẫu 8"].hidden_by_css
    assert all(i.status == 200 for i in section.items)


def test_without_the_stylesheet_its_class_hides_nothing(tmp_path: Path) -> None:
    root = tmp_path / "site"
    school_site(root)
    (root / "css" / "site.css").write_text(".hien { display: block }", encoding="utf-8")
    snap = crawl(root, tmp_path)
    assert snap.disclosure is not None
    by_title = {i.title.split(":")[0]: i for i in snap.disclosure.items}
    assert not by_title["Biểu mẫu 2"].hidden_by_css  # the stylesheet is what hid it


def test_a_section_page_with_no_readable_item_says_so(tmp_path: Path) -> None:
    root = tmp_path / "site"
    school_site(root, section_body="<h1>Công khai</h1><p>Đang cập nhật.</p>")
    # The sub-menu has an entry: take it away, so nothing at all can be read.
    for page in root.rglob("index.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace(
            '<ul><li><a href="/cong-khai/ke-hoach/">Kế hoạch năm học</a></li></ul>', ""),
            encoding="utf-8")
    snap = crawl(root, tmp_path)
    section = snap.disclosure
    assert section is not None and section.status == 200
    assert section.items == () and section.unread is not None


def test_hiding_selectors_read_rules_as_a_browser_without_scripts_would() -> None:
    assert hiding_selectors(CSS) == [".an-di"]
    css = "a{color:red} .x, .y > li {visibility: hidden} @supports (x:y) {.z{display:none}}"
    assert hiding_selectors(css) == [".x", ".y > li"]
    root = parse_html("<html><body><div class='y'><ul><li><a id='a'>a</a></li></ul></div>"
                      "<ul class='y'><li><a id='b'>b</a></li></ul></body></html>")
    seen = Visibility(root, [css])
    a, b = root.get_element_by_id("a"), root.get_element_by_id("b")
    assert seen.why(a) is None and seen.why(b) == "stylesheet"


def test_the_real_haiphong_edu_menu_has_a_seven_item_cong_khai_submenu() -> None:
    page = REALWORLD / "haiphong-edu" / "hcm_mn11bbinhthanh_post_ct_891308_excerpt.html"
    if not page.exists():
        pytest.skip(f"real pages not available ({page}); CI has ../shared/realworld")
    root = parse_html(page.read_text(encoding="utf-8"))
    profile = load_profile("generic").with_overrides({"menu": ["#main_nav99 > ul.navbar-nav"]})
    nav = navigation(root, "https://mn11bbinhthanh.hcm.edu.vn/", profile)
    found = find_in_menu(nav, profile.disclosure_titles)
    assert found is not None
    path, entry = found
    assert path == ("CÔNG KHAI",)
    assert entry.url == "https://mn11bbinhthanh.hcm.edu.vn/cong-khai/c/77684"
    assert [c.title for c in entry.children] == [
        "Công khai các khoản thu", "Công khai chất lượng hoạt động giáo dục",
        "Công khai cải tiến chất lượng", "Công khai dự toán và quyết toán",
        "Công khai đấu thầu", "Công khai sửa chữa", "Xếp loại viên chức, người lao động"]


def judge(site: SiteSnapshot, tmp: Path, *rules: str) -> dict[str, RuleResult]:
    config = parse_config({"school": {"name": "Trường THCS Hoa Sen", "url": site.base_url}},
                          "case", tmp)
    ruleset = load_ruleset()
    today = date(2026, 11, 26)
    year = school_year(today, 8, 1)
    ctx = AuditContext(config=config, ruleset=ruleset, period=Period(year.start, today),
                       span=Period(year.start, today), school_year=year,
                       as_of=datetime.combine(today, time(23, 0), tzinfo=ZONE), tz=ZONE,
                       directory=Directory(config), site=site)
    return {rule: run_rule(ruleset.rules[rule], ctx) for rule in rules}


RULES = ("disclosure.reachable", "disclosure.always-visible", "disclosure.required-items")


def test_unreadable_items_make_the_disclosure_rules_not_checked(tmp_path: Path) -> None:
    root = tmp_path / "site"
    school_site(root, section_body="<h1>Công khai</h1><p>Đang cập nhật.</p>")
    for page in root.rglob("index.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace(
            '<ul><li><a href="/cong-khai/ke-hoach/">Kế hoạch năm học</a></li></ul>', ""),
            encoding="utf-8")
    results = judge(crawl(root, tmp_path), tmp_path, *RULES)
    for rule in RULES:
        result = results[rule]
        assert result.status is RuleStatus.NOT_CHECKED, (rule, result.findings)
        assert result.reason and "Chưa kiểm tra được các mục" in result.reason
        assert "[site.selectors] disclosure_items" in result.reason
        assert result.reason_en and "could not be read" in result.reason_en


def test_readable_items_are_judged(tmp_path: Path) -> None:
    root = tmp_path / "site"
    school_site(root)
    results = judge(crawl(root, tmp_path), tmp_path, *RULES)
    assert results["disclosure.reachable"].status is RuleStatus.PASS
    assert results["disclosure.required-items"].status is not RuleStatus.NOT_CHECKED
    hidden = results["disclosure.always-visible"]
    assert hidden.status is RuleStatus.FAIL  # five items hidden, each a violation
    assert len(hidden.findings) == 5


def test_a_collapsed_accordion_or_drop_down_is_not_hidden() -> None:
    """Bootstrap hides .collapse:not(.show) and .dropdown-menu until a click: one click
    away is not "để ở chế độ ẩn" — no violation from it."""
    css = (".collapse:not(.show){display:none} .dropdown-menu{display:none}"
           ".tab-content>.tab-pane{display:none} .d-none{display:none!important}")
    assert hiding_selectors(css) == [".d-none"]
    root = parse_html("<html><body><div class='collapse'><a id='a'>Biểu mẫu</a></div>"
                      "<ul class='dropdown-menu'><li><a id='b'>Báo cáo</a></li></ul>"
                      "</body></html>")
    seen = Visibility(root, [css])
    assert seen.why(root.get_element_by_id("a")) is None
    assert seen.why(root.get_element_by_id("b")) is None
