"""The three site rules over a real crawl: a small portal served on 127.0.0.1, crawled by
the tool's own crawler and site loader, then judged by official-domain,
required-sections and spam-injection."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path

import pytest

from auditor.checks.interface import AuditContext
from auditor.config import parse_config
from auditor.crawl import settings_for
from auditor.engine import run_rule
from auditor.people import Directory
from auditor.results import RuleResult, RuleStatus, Severity
from auditor.ruleset import load_ruleset
from auditor.site.load import load_site
from auditor.site.snapshot import SiteSnapshot
from auditor.timeutil import Period, school_year, tz
from tests.loopback import LoopbackServer, Reply

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "site-rules"
ZONE = tz("Asia/Ho_Chi_Minh")
ARTICLE = "/tin-tuc/hoi-khoe-phu-dong/ct/1002/120"
SPAM_PAGE = "/nha-cai-kuwin-uy-tin/"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def home(with_services: bool) -> str:
    services = ('<li><a href="/thu-tuc-hanh-chinh/c/1004">Thủ tục hành chính</a></li>'
                if with_services else "")
    return f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>Trang chủ - Trường THCS Thử Nghiệm</title></head><body>
<nav class="main-menu"><ul>
<li><a href="/">Trang chủ</a></li>
<li><a href="/gioi-thieu/c/1001">Giới thiệu</a></li>
<li><a href="/tin-tuc/c/1002">Tin tức - Sự kiện</a></li>
<li><a href="/van-ban/c/1003">Văn bản</a></li>{services}
<li><a href="/cong-khai/c/1005">Công khai</a></li>
<li><a href="/hoi-dap/c/1006">Hỏi đáp</a></li>
<li><a href="https://tuyensinh.haiphong.example/">Tuyển sinh trực tuyến</a></li>
<li><a href="/chuyen-trang">Chuyên trang</a></li>
</ul></nav>
<main><div class="list-news"><div class="news-item"><h3><a href="{ARTICLE}">Hội khỏe Phù Đổng</a>
</h3></div></div></main>
<footer>Số 5 đường Cây Bàng, phường Thử Nghiệm, thành phố Hải Phòng. Điện thoại: 0225 3 700 111.
Thư điện tử: lienhe@thcsthunghiem.haiphong.edu.vn</footer></body></html>"""


def listing(title: str) -> str:
    return (f'<html><head><meta charset="utf-8"><title>{title}</title></head><body>'
            f'<h2>{title}</h2><div class="list-news"></div></body></html>')


def portal(clean: bool) -> dict[str, Reply]:
    """The portal's routes; unless `clean`, it is infected and redirects one page away."""
    routes = {
        "/": Reply(200, home(with_services=clean)),
        "/gioi-thieu/c/1001": Reply(200, fixture("sections/leaders-complete.html")),
        "/hoi-dap/c/1006": Reply(200, listing("Hỏi đáp")),
        "/tin-tuc/c/1002": Reply(200, listing("Tin tức - Sự kiện")),
        "/van-ban/c/1003": Reply(200, listing("Văn bản")),
        "/thu-tuc-hanh-chinh/c/1004": Reply(200, listing("Thủ tục hành chính")),
        "/cong-khai/c/1005": Reply(200, listing("Công khai")),
        ARTICLE: Reply(200, fixture("spam/propaganda.html" if clean else "spam/hidden-block.html")),
        "/robots.txt": Reply(200, "User-agent: *\nDisallow: /Timkiem\n", "text/plain"),
    }
    if clean:
        routes["/chuyen-trang"] = Reply(200, listing("Chuyên trang"))
    else:
        routes["/chuyen-trang"] = Reply(301, b"", headers={
            "Location": "https://thcsthunghiem.hosting-vn.example/chuyen-trang"})
        routes[SPAM_PAGE] = Reply(200, fixture("spam/gambling-page.html"))
    return routes


def crawl(server: LoopbackServer, tmp_path: Path, clean: bool) -> tuple[SiteSnapshot, str]:
    base = server.base
    sitemap = "".join(f"<url><loc>{base}{p}</loc></url>" for p in ("/", ARTICLE) + (
        () if clean else (SPAM_PAGE,)))
    server.routes["/sitemap.xml"] = Reply(
        200, '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/'
             f'schemas/sitemap/0.9">{sitemap}</urlset>', "application/xml")
    config = parse_config({"school": {"name": "Trường THCS Thử Nghiệm", "url": base},
                           "site": {"profile": "haiphong-edu"}}, "case", tmp_path)
    cache = tmp_path / "crawl.sqlite"
    settings = replace(settings_for(config, server.url("/")), polite=False, min_delay=0.0,
                       cache_path=cache)
    return load_site(config, url=server.url("/"), settings=settings, cache_path=cache), base


def judge(site: SiteSnapshot, base: str, tmp_path: Path) -> dict[str, RuleResult]:
    config = parse_config({"school": {"name": "Trường THCS Thử Nghiệm", "url": base}},
                          "case", tmp_path)
    ruleset = load_ruleset()
    for rule_id, extra in (("site.official-domain", {"require_https": False}),
                           ("security.spam-injection", {"cloaking_check": False})):
        spec = ruleset.rules[rule_id]
        ruleset.rules[rule_id] = replace(spec, params={**spec.params, **extra})
    today = date(2026, 11, 26)
    year = school_year(today, 8, 1)
    ctx = AuditContext(config=config, ruleset=ruleset, period=Period(year.start, today),
                       span=Period(year.start, today), school_year=year,
                       as_of=datetime.combine(today, time(23, 0), tzinfo=ZONE), tz=ZONE,
                       directory=Directory(config), site=site)
    return {rule: run_rule(ruleset.rules[rule], ctx) for rule in
            ("site.official-domain", "site.required-sections", "security.spam-injection")}


@pytest.fixture
def infected(tmp_path: Path) -> Iterator[dict[str, RuleResult]]:
    with LoopbackServer(portal(clean=False)) as server:
        site, base = crawl(server, tmp_path, clean=False)
        yield judge(site, base, tmp_path)


def test_a_clean_portal_passes_all_three(tmp_path: Path) -> None:
    with LoopbackServer(portal(clean=True)) as server:
        site, base = crawl(server, tmp_path, clean=True)
    results = judge(site, base, tmp_path)
    for rule, result in results.items():
        assert result.status is RuleStatus.PASS, (rule, result.findings, result.reason)
        assert result.findings == (), rule


def test_redirect_to_a_hosting_address_is_caught_from_the_crawl(
        infected: dict[str, RuleResult]) -> None:
    result = infected["site.official-domain"]
    [finding] = result.findings
    assert finding.subject == "redirect:thcsthunghiem.hosting-vn.example"
    assert finding.evidence["redirect_chain"][-1] == (
        "https://thcsthunghiem.hosting-vn.example/chuyen-trang")
    assert finding.evidence["redirect_chain"][0].endswith("/chuyen-trang")


def test_missing_services_section_is_caught_from_the_crawled_menu(
        infected: dict[str, RuleResult]) -> None:
    result = infected["site.required-sections"]
    assert [f.subject for f in result.findings] == ["section:services"]


def test_injected_block_and_gambling_page_are_caught_from_the_crawl(
        infected: dict[str, RuleResult]) -> None:
    result = infected["security.spam-injection"]
    assert result.status is RuleStatus.FAIL
    subjects = {f.subject: f for f in result.findings}
    hidden = subjects["hidden_link:game-bai.example,nohu-doithuong.example,vuanhacai.example"]
    assert hidden.url is not None and hidden.url.endswith(ARTICLE)
    assert hidden.severity is Severity.VIOLATION
    assert f"brand:{SPAM_PAGE}" in subjects
    assert f"spam_url:{SPAM_PAGE}" in subjects
