"""A home page that redirects to another host (Điều 2), through the real command line.

The school's portal is served on 127.0.0.1; its home page answers 301/302 with
a Location on another host name (``localhost`` or ``127.0.0.2``), which the
crawler treats as outside the site. The audit must not stop with exit 3: the
redirect is a site.official-domain violation (exit 1), the rules that read the
crawled content are ``not_checked`` with the reason, and the posting rules run
from the CMS export exactly as they do when no site is given.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from auditor.cli import main
from auditor.config import parse_config
from auditor.crawl import settings_for
from auditor.site.load import HomeRedirectedOffSite, load_site
from tests.loopback import LoopbackServer, Reply

DEMO = Path(__file__).resolve().parent.parent / "fixtures" / "demo"
AS_OF = "2026-11-25"
HOME = """<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>Trang chủ - Trường THCS Thử Nghiệm</title></head><body>
<nav class="main-menu"><ul><li><a href="/">Trang chủ</a></li>
<li><a href="/gioi-thieu">Giới thiệu</a></li><li><a href="/tin-tuc">Tin tức</a></li></ul></nav>
<main><p>Chào mừng</p></main></body></html>"""
PAGE = '<html><head><meta charset="utf-8"><title>Giới thiệu</title></head><body></body></html>'

# Rules that read the crawled content: not checked when the home page leaves the site.
CONTENT_RULES = ("site.required-sections", "site.broken-links", "security.spam-injection",
                 "disclosure.reachable", "disclosure.link-reported")
REASON = "chuyển hướng sang tên miền khác"


def content(routes: dict[str, Reply] | None = None) -> dict[str, Reply]:
    return {"/": Reply(200, HOME), "/gioi-thieu": Reply(200, PAGE),
            "/tin-tuc": Reply(200, PAGE), **(routes or {})}


def write_config(tmp_path: Path, school: str, allowed_hosts: list[str] | None = None) -> Path:
    """auditor.toml for a school at `school` (no [sources] site: --site asks for the crawl)."""
    rules = ""
    if allowed_hosts is not None:
        (tmp_path / "rules.toml").write_text(
            '[ruleset]\nextends = "qd111-thcs"\n\n[rules."site.official-domain".params]\n'
            f"allowed_hosts = {json.dumps(allowed_hosts)}\n", encoding="utf-8")
        rules = '[rules]\nset = "rules.toml"\n'
    path = tmp_path / "auditor.toml"
    path.write_text(f"""[school]
name = "Trường THCS Thử Nghiệm"
url = "{school}"
{rules}
[sources]
export = "{(DEMO / 'cms-export.csv').as_posix()}"
events = "{(DEMO / 'lich-cong-tac.ics').as_posix()}"

[crawl]
min_delay = 0
retries = 0
timeout = 5
max_documents = 0
cache = "{(tmp_path / 'crawl.sqlite').as_posix()}"
""", encoding="utf-8")
    return path


def check(capsys: pytest.CaptureFixture[str], config: Path, history: Path,
          *args: str) -> tuple[int, dict[str, Any], str]:
    out = history.with_suffix(".json")
    code = main(["check", "--config", str(config), "--as-of", AS_OF, "--format", "json",
                 "--output", str(out), "--history", str(history), *args])
    _, err = capsys.readouterr()
    assert "Traceback" not in err and "Lỗi" not in err, err
    return code, json.loads(out.read_text(encoding="utf-8")), err


def rules(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in report["rules"]}


def findings(report: dict[str, Any], rule: str) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["rule"] == rule]


@pytest.fixture
def elsewhere() -> Iterator[LoopbackServer]:
    """The other host the school's home page points to (it must never be crawled)."""
    with LoopbackServer(content()) as server:
        yield server


@pytest.mark.parametrize(("status", "target", "hops"), [
    (302, "http://localhost:{port}/", ()),
    (301, "http://127.0.0.2:{port}/trang-chu", ()),
    (302, "http://localhost:{port}/", ("/index.php",)),  # within the host first, then away
])
def test_home_redirected_to_another_host_is_a_violation_not_an_abort(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], elsewhere: LoopbackServer,
        status: int, target: str, hops: tuple[str, ...]) -> None:
    away = target.format(port=elsewhere.port)
    steps = [*hops, away]
    routes = {"/": Reply(status, b"", headers={"Location": steps[0]})}
    for here, there in zip(hops, steps[1:], strict=True):
        routes[here] = Reply(status, b"", headers={"Location": there})
    with LoopbackServer(content(routes)) as school:
        config = write_config(tmp_path, school.base)
        code, report, err = check(capsys, config, tmp_path / "site.sqlite",
                                  "--site", school.url("/"))
        _, plain, _ = check(capsys, config, tmp_path / "plain.sqlite")  # no site at all
    assert code == 1
    assert elsewhere.requests() == []  # the foreign host is not crawled

    by_id = rules(report)
    assert by_id["site.official-domain"]["status"] == "fail"
    [redirect] = [f for f in findings(report, "site.official-domain")
                  if f["subject"].startswith("redirect:")]
    chain = [school.url("/"), *(school.url(h) for h in hops), away]
    assert redirect["severity"] == "violation"
    assert redirect["evidence"]["redirect_chain"] == chain
    assert redirect["evidence"]["home"] is True
    assert redirect["url"] == school.url("/")
    assert " → ".join(chain) in redirect["message"]
    assert redirect["subject"] == "redirect:" + away.split("/")[2].split(":")[0]

    for rule in CONTENT_RULES:
        assert by_id[rule]["status"] == "not_checked", rule
        assert REASON in by_id[rule]["reason"] and away in by_id[rule]["reason"], rule
        assert findings(report, rule) == [], rule
    assert any(REASON in n and away in n for n in report["notices"])

    # Everything else is judged as without a site: from the export and the calendar.
    plain_by_id = rules(plain)
    for rule, result in by_id.items():
        if rule in (*CONTENT_RULES, "site.official-domain"):
            continue
        assert (result["status"], result["findings"]) == (
            plain_by_id[rule]["status"], plain_by_id[rule]["findings"]), rule
    quota = findings(report, "posts.monthly-quota")
    assert quota and all(f["source"] == "export" for f in quota)
    assert all(REASON in f["evidence"]["site_not_crawled"] for f in quota)


def test_the_reason_is_english_with_lang_en(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], elsewhere: LoopbackServer) -> None:
    away = elsewhere.url("/").replace("127.0.0.1", "localhost")
    with LoopbackServer(content({"/": Reply(302, b"", headers={"Location": away})})) as school:
        config = write_config(tmp_path, school.base)
        code, report, _ = check(capsys, config, tmp_path / "h.sqlite", "--site",
                                school.url("/"), "--lang", "en")
    assert code == 1
    reason = rules(report)["site.required-sections"]["reason"]
    assert reason.startswith(f"The home page {school.url('/')} redirects to another host")
    [redirect] = [f for f in findings(report, "site.official-domain")
                  if f["subject"].startswith("redirect:")]
    assert redirect["message"].startswith(f"The home page {school.url('/')} redirects to")


def test_home_redirected_within_the_official_host_is_audited_normally(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    routes = {"/": Reply(302, b"", headers={"Location": "/trang-chu"}),
              "/trang-chu": Reply(200, HOME)}
    with LoopbackServer(content(routes)) as school:
        config = write_config(tmp_path, school.base)
        code, report, _ = check(capsys, config, tmp_path / "h.sqlite",
                                "--site", school.url("/"))
        assert school.requests("/trang-chu") and school.requests("/gioi-thieu")
    assert code == 1  # the demo export's own months are short, and the address is http
    by_id = rules(report)
    for rule in ("site.required-sections", "site.broken-links", "security.spam-injection"):
        assert by_id[rule]["status"] != "not_checked", (rule, by_id[rule].get("reason"))
    assert not [f for f in findings(report, "site.official-domain")
                if f["subject"].startswith("redirect:")]
    assert not any(REASON in n for n in report["notices"])


def test_home_redirected_to_an_allowed_host_is_crawled_there(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], elsewhere: LoopbackServer) -> None:
    """allowed_hosts of site.official-domain (say the authority's hosting) is part of the
    portal: the home page's redirect there is followed and is no violation."""
    away = elsewhere.url("/").replace("127.0.0.1", "localhost")
    with LoopbackServer(content({"/": Reply(302, b"", headers={"Location": away})})) as school:
        config = write_config(tmp_path, school.base, allowed_hosts=["localhost"])
        code, report, _ = check(capsys, config, tmp_path / "h.sqlite",
                                "--site", school.url("/"))
    assert code == 1  # the export's short months, not the redirect
    assert elsewhere.requests("/") and elsewhere.requests("/gioi-thieu")
    by_id = rules(report)
    for rule in ("site.required-sections", "site.broken-links", "security.spam-injection"):
        assert by_id[rule]["status"] != "not_checked", (rule, by_id[rule].get("reason"))
    assert not [f for f in findings(report, "site.official-domain")
                if f["subject"].startswith("redirect:")]
    assert not any(REASON in n for n in report["notices"])


def test_other_callers_of_load_site_still_get_exit_3(tmp_path: Path) -> None:
    """Only the audit turns the redirect into findings; for anyone else the crawl did
    not give the portal (AuditIncomplete, exit 3), with the chain attached."""
    with LoopbackServer(content({"/": Reply(301, b"", headers={
            "Location": "http://127.0.0.2:9/"})})) as school:
        config = parse_config({"school": {"name": "Trường THCS Thử Nghiệm",
                                          "url": school.base}}, "case", tmp_path)
        settings = replace(settings_for(config, school.url("/")), polite=False, min_delay=0.0,
                           retries=0, cache_path=tmp_path / "c.sqlite")
        with pytest.raises(HomeRedirectedOffSite) as caught:
            load_site(config, url=school.url("/"), settings=settings,
                      cache_path=tmp_path / "c.sqlite")
    assert caught.value.exit_code == 3
    assert caught.value.info.redirect_chain == (school.url("/"), "http://127.0.0.2:9/")


def test_offline_rerun_of_a_redirected_home_gives_the_same_answer(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], elsewhere: LoopbackServer) -> None:
    away = elsewhere.url("/").replace("127.0.0.1", "localhost")
    with LoopbackServer(content({"/": Reply(302, b"", headers={"Location": away})})) as school:
        config = write_config(tmp_path, school.base)
        code, online, _ = check(capsys, config, tmp_path / "a.sqlite", "--site",
                                school.url("/"))
        url = school.url("/")
    code_off, offline, _ = check(capsys, config, tmp_path / "b.sqlite", "--site", url,
                                 "--offline")
    assert (code, code_off) == (1, 1)
    assert [(r["id"], r["status"], r["findings"]) for r in online["rules"]] == [
        (r["id"], r["status"], r["findings"]) for r in offline["rules"]]


def test_site_alone_without_a_config_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`auditor check --site URL` with nothing else: no posts at all, and every rule that
    is not checked says the home page left the site."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with LoopbackServer(content({"/": Reply(302, b"", headers={
            "Location": "http://127.0.0.2:9/"})})) as school:
        code = main(["check", "--site", school.url("/"), "--as-of", AS_OF, "--format", "json",
                     "--output", "out.json", "--history", "h.sqlite"])
    _, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in err and "Lỗi" not in err
    report = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    by_id = rules(report)
    assert by_id["site.official-domain"]["status"] == "fail"
    for rule in (*CONTENT_RULES, "posts.monthly-quota", "text.tcvn6909"):
        assert by_id[rule]["status"] == "not_checked", rule
        assert REASON in by_id[rule]["reason"], rule
    assert report["notices"] == [
        f"Trang chủ {school.url('/')} chuyển hướng sang tên miền khác (http://127.0.0.2:9/): "
        "không thu thập được nội dung cổng. Các quy tắc cần nội dung trang được ghi là chưa "
        "kiểm tra."]
