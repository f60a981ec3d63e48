"""text.tcvn6909 reads all visible text of every crawled page (issue 10.6): a TCVN3 block in
a menu the profile does not read, or in a body it cannot locate, is found with its page
and the corrected text. The site is written here in a theme no profile knows, served on
127.0.0.1 and crawled over HTTP."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path

from auditor.checks.interface import AuditContext
from auditor.checks.text_tcvn6909 import visible_text
from auditor.config import parse_config
from auditor.crawl import settings_for
from auditor.engine import run_rule
from auditor.people import Directory
from auditor.results import RuleResult, Severity
from auditor.ruleset import load_ruleset
from auditor.site.demo_server import serve_site
from auditor.site.load import load_site
from auditor.site.snapshot import SiteSnapshot
from auditor.timeutil import Period, school_year, tz
from auditor.vntext.codecs import encode

ZONE = tz("Asia/Ho_Chi_Minh")
MENU_ENTRY = "Lịch công tác tuần"  # typed with a .VnTime font: TCVN3 bytes on the page
BODY_LINE = "Nhà trường thông báo lịch họp cha mẹ học sinh cuối học kỳ I"


def _page(main: str) -> str:
    side = ('<div class="cot-trai"><ul><li><a href="/gioi-thieu/">Giới thiệu</a></li>'
            f'<li><a href="/lich-tuan/">{encode(MENU_ENTRY, "tcvn3")}</a></li>'
            '<li><a href="/lien-he/">Liên hệ</a></li></ul></div>')
    return (f"<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'>"
            f"<title>Trường THCS Hoa Sen</title><style>.x{{color:red}}</style>"
            f"<script>var s = 'Th«ng b¸o';</script></head><body>{side}"
            f"<div class='khung'>{main}</div></body></html>")


def site(root: Path) -> None:
    pages = {
        "/": "<h2>Chào mừng</h2><p>Trang thông tin điện tử của trường.</p>",
        "/gioi-thieu/": "<p>Giới thiệu trường.</p>",
        "/lich-tuan/": "<p>Lịch tuần 12.</p>",
        "/lien-he/": "<p>Số 5 đường Cây Bàng.</p>",
        # A post the generic profile cannot read as a post (no title/date markup it knows).
        "/hop-phu-huynh/": f"<div class='bai'><b>Họp phụ huynh</b>"
                           f"<div class='noi-dung'>{encode(BODY_LINE, 'tcvn3')}</div></div>",
    }
    for path, main in pages.items():
        target = root / path.strip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        body = _page(main).replace("</ul></div>",
                                   '<li><a href="/hop-phu-huynh/">Họp</a></li></ul></div>')
        target.write_text(body, encoding="utf-8")


def crawl(root: Path, tmp: Path) -> SiteSnapshot:
    config = parse_config({"school": {"name": "Trường THCS Hoa Sen"}}, "auditor.toml", tmp)
    with serve_site(root) as running:
        settings = replace(settings_for(config, running.url), polite=False, min_delay=0.0,
                           cache_path=tmp / "cache.sqlite")
        return load_site(config, url=running.url, settings=settings,
                         cache_path=tmp / "cache.sqlite")


def judge(snap: SiteSnapshot, tmp: Path) -> RuleResult:
    config = parse_config({"school": {"name": "Trường THCS Hoa Sen", "url": snap.base_url}},
                          "case", tmp)
    ruleset = load_ruleset()
    today = date(2026, 11, 26)
    year = school_year(today, 8, 1)
    ctx = AuditContext(config=config, ruleset=ruleset, period=Period(year.start, today),
                       span=Period(year.start, today), school_year=year,
                       as_of=datetime.combine(today, time(23, 0), tzinfo=ZONE), tz=ZONE,
                       directory=Directory(config), site=snap, posts=())
    return run_rule(ruleset.rules["text.tcvn6909"], ctx)


def test_a_tcvn3_block_in_a_menu_and_in_an_unread_body_is_found(tmp_path: Path) -> None:
    root = tmp_path / "site"
    site(root)
    snap = crawl(root, tmp_path)
    assert snap.nav == ()  # the profile reads no menu here: only the page text can tell
    result = judge(snap, tmp_path)
    by_fix = {f.evidence["fix"]: f for f in result.findings}
    assert set(by_fix) == {MENU_ENTRY, BODY_LINE}  # not the <script>, once each
    menu = by_fix[MENU_ENTRY]
    assert menu.severity is Severity.VIOLATION and menu.evidence["encoding"] == "tcvn3"
    assert menu.evidence["pages"] == 5  # the side menu is on every page: one finding
    assert menu.url is not None and menu.url.startswith(snap.base_url)
    assert f"→ sửa thành “{MENU_ENTRY}”" in menu.message
    assert encode(MENU_ENTRY, "tcvn3") in menu.message  # the text as the page shows it
    body = by_fix[BODY_LINE]
    assert body.url == snap.base_url.rstrip("/") + "/hop-phu-huynh/"
    assert body.evidence["pages"] == 1


def test_visible_text_keeps_blocks_and_drops_scripts_and_styles() -> None:
    page = ("<html><head><title>Tiêu đề &amp; trang</title><style>p{}</style></head><body>"
            "<ul><li><a href='/'>Trang <b>chủ</b></a></li><li>Giới&nbsp;thiệu</li></ul>"
            "<script>var x = 'ẩn';</script><!-- chú thích --><p>Nội dung</p></body></html>")
    assert visible_text(page).split("\n") == ["Tiêu đề & trang", "Trang chủ", "Giới thiệu",
                                              "Nội dung"]
