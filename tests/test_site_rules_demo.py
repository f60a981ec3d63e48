"""The three site rules on the demo school, served on 127.0.0.1 and crawled over HTTP.

The demo's menu and footer are complete and it is served only at its official
https address (the snapshot names it), so site.required-sections and
site.official-domain pass; one old article carries an off-screen block of
gambling links and the site holds the injected gambling page
(``site-differences.json``, key ``spam_injection``), so security.spam-injection
fails — and ``auditor check --demo`` says so.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, time

import pytest

from auditor.checks.interface import AuditContext
from auditor.cli import main
from auditor.config import Config, load_config
from auditor.crawl import settings_for
from auditor.engine import run_rule
from auditor.people import Directory
from auditor.resources import demo_dir
from auditor.results import RuleResult, RuleStatus, Severity
from auditor.ruleset import load_ruleset
from auditor.site.demo_server import serve_site
from auditor.site.load import demo_site_dir, load_site
from auditor.timeutil import Period, school_year, tz

OFFICIAL = "https://thcshoaphuong.haiphong.edu.vn"
SPAM = json.loads((demo_dir() / "site-differences.json").read_text(encoding="utf-8"))[
    "spam_injection"]
RULES = ("site.official-domain", "site.required-sections", "security.spam-injection")


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, RuleResult]:
    config: Config = load_config(demo_dir() / "auditor.toml")
    cache = tmp_path_factory.mktemp("crawl") / "cache.sqlite"
    with serve_site(demo_site_dir(), OFFICIAL) as demo:
        settings = replace(settings_for(config, demo.url), polite=False, min_delay=0.0,
                           per_host_concurrency=4, cache_path=cache)
        site = load_site(config, url=demo.url, settings=settings, cache_path=cache,
                         shown_origin=OFFICIAL)
    ruleset = load_ruleset()
    today = date(2026, 11, 26)
    year = school_year(today, 8, 1)
    zone = config.school.timezone
    ctx = AuditContext(config=config, ruleset=ruleset, period=Period(year.start, today),
                       span=Period(year.start, today), school_year=year,
                       as_of=datetime.combine(today, time(23, 0), tzinfo=tz(zone)), tz=tz(zone),
                       directory=Directory(config), site=site)
    return {rule: run_rule(ruleset.rules[rule], ctx) for rule in RULES}


def test_demo_sections_are_complete(results: dict[str, RuleResult]) -> None:
    result = results["site.required-sections"]
    assert result.status is RuleStatus.PASS and result.findings == ()


def test_demo_is_served_from_its_official_address_only(results: dict[str, RuleResult]) -> None:
    result = results["site.official-domain"]
    assert result.status is RuleStatus.PASS and result.findings == ()


def test_demo_spam_is_found_where_it_was_injected(results: dict[str, RuleResult]) -> None:
    result = results["security.spam-injection"]
    assert result.status is RuleStatus.FAIL
    by_subject = {f.subject: f for f in result.findings}
    assert set(by_subject) == {f"hidden_link:{SPAM['hidden_link_host']}",
                               f"brand:{SPAM['page']}", f"spam_url:{SPAM['page']}"}
    hidden = by_subject[f"hidden_link:{SPAM['hidden_link_host']}"]
    assert hidden.url == OFFICIAL + SPAM["article"]
    assert hidden.evidence["hidden_by"] == "off-screen (left:-9999px)"
    assert OFFICIAL + SPAM["page"] in hidden.evidence["links"]
    assert all(f.severity is Severity.VIOLATION for f in result.findings)


def test_auditor_check_demo_shows_the_spam_rule_failing(
        capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", "--demo", "--as-of", "2026-11-26", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    status = {r["id"]: r["status"] for r in report["rules"]}
    assert code == 1
    assert status["security.spam-injection"] == "fail"
    assert status["site.required-sections"] == "pass"
    assert status["site.official-domain"] == "pass"
