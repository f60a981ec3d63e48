"""Cloaking over real HTTP: a loopback server that shows Googlebot (and visitors from
Google) something else than the crawler saw."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from auditor.checks.interface import AuditContext
from auditor.config import parse_config
from auditor.engine import run_rule
from auditor.people import Directory
from auditor.results import RuleStatus, Severity
from auditor.ruleset import load_ruleset
from auditor.site.snapshot import CrawlSummary, Page, SiteSnapshot
from auditor.spam import fetch_as
from auditor.timeutil import Period, school_year, tz
from tests.loopback import LoopbackServer, Reply, Request

ZONE = tz("Asia/Ho_Chi_Minh")
PARAMS = load_ruleset().rules["security.spam-injection"].params
GOOGLEBOT = PARAMS["cloaking_user_agent"]
CLEAN = "<html><body><p>Chào mừng đến với Trường THCS Thử Nghiệm.</p></body></html>"
SPAM = ("<html><body><p>Chào mừng đến với Trường THCS Thử Nghiệm.</p>"
        '<p>Nhà cái <a href="https://kuwin.example/">KUWIN</a> nổ hũ đổi thưởng</p></body></html>')
ARTICLE = "<html><body><p>Lịch thi học kỳ I.</p></body></html>"


def cloaking_server() -> LoopbackServer:
    """Googlebot gets gambling text on "/"; a browser arriving from Google on the article
    is redirected to a game site; everyone else gets the clean pages."""

    def home(request: Request) -> Reply:
        if "googlebot" in request.headers.get("user-agent", "").lower():
            return Reply(200, SPAM)
        return Reply(200, CLEAN)

    def article(request: Request) -> Reply:
        agent = request.headers.get("user-agent", "").lower()
        from_google = "google." in request.headers.get("referer", "")
        if from_google and "googlebot" not in agent:
            return Reply(302, b"", headers={"Location": "https://vao-game.example/?src=edu"})
        return Reply(200, ARTICLE)

    return LoopbackServer({"/": home, "/tin-tuc/lich-thi/ct/1002/7": article})


def context(tmp_path: Path, site: SiteSnapshot, official: str, **params: Any) -> AuditContext:
    config = parse_config({"school": {"name": "Trường THCS Thử Nghiệm", "url": official}},
                          "case", tmp_path)
    ruleset = load_ruleset()
    spec = ruleset.rules["security.spam-injection"]
    ruleset.rules[spec.id] = replace(spec, params={**spec.params, **params})
    today = date(2026, 11, 26)
    year = school_year(today, 8, 1)
    return AuditContext(config=config, ruleset=ruleset, period=Period(year.start, today),
                        span=Period(year.start, today), school_year=year,
                        as_of=datetime.combine(today, time(23, 0), tzinfo=ZONE), tz=ZONE,
                        directory=Directory(config), site=site)


def snapshot(base: str, *, offline: bool = False) -> SiteSnapshot:
    """What the crawl saw: the clean pages, fetched with the crawler's own User-Agent."""
    home, article = base + "/", base + "/tin-tuc/lich-thi/ct/1002/7"
    pages = {home: Page(home, 200, home, content_type="text/html", kind="home", text=CLEAN),
             article: Page(article, 200, article, content_type="text/html", kind="article",
                           text=ARTICLE)}
    return SiteSnapshot(base_url=home, profile="generic", pages=pages,
                        stats=CrawlSummary(pages=2, offline=offline))


def test_fetch_as_sends_the_user_agent_and_referer_and_stops_at_other_hosts() -> None:
    with cloaking_server() as server:
        got = fetch_as([server.url("/"), server.url("/tin-tuc/lich-thi/ct/1002/7")],
                       user_agent=GOOGLEBOT, referer="https://www.google.com/", timeout=5)
        browser = fetch_as([server.url("/tin-tuc/lich-thi/ct/1002/7")],
                           user_agent="Mozilla/5.0 Chrome/124.0",
                           referer="https://www.google.com/", timeout=5)
        log = [r for r in server.log if r.path != "/robots.txt"]
        robots = server.requests("/robots.txt")
    assert len(robots) == 2  # one client per call here: robots.txt is asked by each
    assert got[server.url("/")].text == SPAM
    assert got[server.url("/tin-tuc/lich-thi/ct/1002/7")].text == ARTICLE
    redirected = browser[server.url("/tin-tuc/lich-thi/ct/1002/7")]
    assert (redirected.status, redirected.final_url) == (302, "https://vao-game.example/?src=edu")
    assert redirected.text is None
    assert all(r.headers["referer"] == "https://www.google.com/" for r in log)
    assert len(log) == 3  # the game site was never requested


def test_check_reports_content_only_for_googlebot_and_redirect_only_from_google(
        tmp_path: Path) -> None:
    with cloaking_server() as server:
        ctx = context(tmp_path, snapshot(server.base), server.base)
        result = run_rule(ctx.ruleset.rules["security.spam-injection"], ctx)
        agents = sorted({r.headers["user-agent"] for r in server.log
                         if r.path != "/robots.txt"})
    assert result.status is RuleStatus.FAIL
    by_subject = {f.subject: f for f in result.findings}
    assert set(by_subject) == {"cloaking:/", "cloaking:/tin-tuc/lich-thi/ct/1002/7"}
    home = by_subject["cloaking:/"]
    assert home.severity is Severity.VIOLATION
    assert home.evidence["seen_by"] == "Googlebot"
    assert home.evidence["terms_only_for_bot"] == ["nhà cái", "kuwin", "nổ hũ", "đổi thưởng"]
    article = by_subject["cloaking:/tin-tuc/lich-thi/ct/1002/7"]
    assert article.evidence["redirect_chain"][-1] == "https://vao-game.example/?src=edu"
    assert article.evidence["seen_by"] == "trình duyệt từ Google"
    assert agents == sorted([GOOGLEBOT, PARAMS["cloaking_browser_user_agent"]])


def test_no_fetch_when_offline_or_disabled(tmp_path: Path) -> None:
    with cloaking_server() as server:
        offline = context(tmp_path, snapshot(server.base, offline=True), server.base)
        disabled = context(tmp_path, snapshot(server.base), server.base, cloaking_check=False)
        for ctx in (offline, disabled):
            result = run_rule(ctx.ruleset.rules["security.spam-injection"], ctx)
            assert result.status is RuleStatus.PASS and result.findings == ()
        assert server.log == []


def test_a_site_that_shows_everyone_the_same_passes(tmp_path: Path) -> None:
    routes = {"/": Reply(200, CLEAN), "/tin-tuc/lich-thi/ct/1002/7": Reply(200, ARTICLE)}
    with LoopbackServer(dict(routes)) as server:
        ctx = context(tmp_path, snapshot(server.base), server.base, cloaking_sample=1)
        result = run_rule(ctx.ruleset.rules["security.spam-injection"], ctx)
        requested = [r.path for r in server.log]
    assert result.status is RuleStatus.PASS and result.findings == ()
    assert sorted(requested) == ["/", "/", "/robots.txt", "/tin-tuc/lich-thi/ct/1002/7",
                                 "/tin-tuc/lich-thi/ct/1002/7"]  # robots.txt once per audit


def test_unreachable_site_gives_an_info_notice_not_a_pass_in_silence(tmp_path: Path) -> None:
    base = "http://127.0.0.1:9"  # nothing listens on the discard port: an immediate failure
    ctx = context(tmp_path, snapshot(base), base, cloaking_timeout=2)
    result = run_rule(ctx.ruleset.rules["security.spam-injection"], ctx)
    [notice] = result.findings
    assert notice.subject == "cloaking:not-checked" and notice.severity is Severity.INFO
    assert result.status is RuleStatus.PASS
