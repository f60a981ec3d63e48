"""A hacked or hostile site cannot hang, blind or exhaust the audit (issue 13).

Each test serves the demo school's portal on 127.0.0.1 with some answers made
hostile and runs the whole ``auditor check``: the run ends (with its own
outcome, not a timing), memory stays under 500 MB, the other rules judge as
usual, and the report says what was refused and why.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from auditor.crawl.client import SiteClient
from auditor.crawl.settings import CrawlSettings
from tests.hostile_site import (
    DOCX,
    MEMORY_CAP,
    HackedSite,
    drip,
    findings,
    gzip_bomb,
    peak_memory,
    rules,
    run_check,
    write_config,
)
from tests.loopback import LoopbackServer, Reply, Request

ONE_SECOND = "[rules.\"disclosure.reachable\".params]\nrefetch_timeout = 1\n" \
             "[rules.\"security.spam-injection\".params]\ncloaking_timeout = 1\n"
SECTION = "/cong-khai/c/1025"
GOOD_DOCX = "/uploads/van-ban/ke-hoach-on-tap-hoc-ky-1.docx"  # typed in TCVN3: one finding
OTHER_DOCX = ("/uploads/van-ban/ke-hoach-giao-duc-nha-truong-nam-hoc-2026-2027.docx",
              "/uploads/van-ban/ke-hoach-nam-hoc-2026-2027.docx",
              "/uploads/van-ban/quy-dinh-ve-trang-phuc-cua-hoc-sinh.docx")
SPAM_PAGE = "/nha-cai-kuwin-uy-tin-2026.html"
# What the demo's rules find with nothing hostile (checked by the first test).
BASELINE = {"posts.monthly-quota": "fail", "posts.event-deadline": "fail",
            "workflow.approval": "fail", "text.tcvn6909": "fail",
            "security.spam-injection": "fail", "site.broken-links": "fail"}


def first_then(first: Reply, then: Reply) -> object:
    """A route answering `first` to the crawl's request and `then` to every later one."""
    seen: list[Request] = []

    def route(request: Request) -> Reply:
        seen.append(request)
        return first if len(seen) == 1 else then

    return route


def judged_as_usual(report: dict[str, object], skip: tuple[str, ...] = ()) -> None:
    by_id = rules(report)  # type: ignore[arg-type]
    for rule, status in BASELINE.items():
        if rule not in skip:
            assert by_id[rule]["status"] == status, (rule, by_id[rule])


# -- 1. one deadline after the crawl ---------------------------------------------------

def test_dripped_documents_refetch_and_googlebot_page_cannot_hold_the_run(
        tmp_path: Path) -> None:
    """Every .docx and the page served to Googlebot drip one byte every half second, and
    the Công khai re-fetch gets no answer for 30 s; the crawl's client cuts each at its
    wall-clock limit and stops asking once total_time + tail_time is spent."""
    slow = Reply(200, content_type=DOCX, chunks=drip(0.5, b"PK" * 200))

    def home(request: Request) -> Reply:
        if "googlebot" in request.headers.get("user-agent", "").lower():
            return Reply(200, chunks=drip(0.5))
        return site.fallback(request)  # type: ignore[misc]

    routes = {GOOD_DOCX: slow, **{p: slow for p in OTHER_DOCX}, "/": home,
              # The re-fetch asks for the status alone: a server that withholds even that.
              SECTION: first_then(Reply(503, "bận"), Reply(200, "…", delay=30))}
    with HackedSite(routes) as site:  # type: ignore[arg-type]
        config = write_config(tmp_path, site.base, timeout=1, tail_time=4, rules=ONE_SECOND)
        code, report = run_check(tmp_path, config)
        drips = [r for r in site.requests() if r.path in (GOOD_DOCX, *OTHER_DOCX)]
    assert code == 1 and report is not None  # the run ended with its reports
    assert peak_memory() < MEMORY_CAP
    assert all(r.bytes_sent < 400 for r in drips)  # no dripped body was read to its end
    by_id = rules(report)
    reachable = by_id["disclosure.reachable"]
    assert reachable["status"] == "not_checked"
    assert "giây" in reachable["reason"] or "hết thời gian" in reachable["reason"]
    [cloaking] = [f for f in findings(report, "security.spam-injection")
                  if f["subject"] == "cloaking:not-checked"]
    assert "giây" in cloaking["message"] or "hết thời gian" in cloaking["message"]
    refused = [f for f in findings(report, "text.tcvn6909")
               if f["subject"].startswith("attachment-unreadable:")]
    assert refused and all("giây" in f["message"] or "hết thời gian" in f["message"]
                           for f in refused)
    judged_as_usual(report, skip=("text.tcvn6909",))
    assert by_id["text.tcvn6909"]["status"] == "fail"  # the posts' own text is still read


def test_the_client_stops_asking_at_its_deadline() -> None:
    """Five dripping pages, one second per request, two seconds in all: the first is cut
    at its limit, the others are refused with the deadline as the reason."""
    routes = {f"/p{i}": Reply(200, chunks=drip(0.3)) for i in range(5)}
    with LoopbackServer(routes) as server:  # type: ignore[arg-type]
        settings = CrawlSettings(polite=False, timeout=1, request_time_limit=1, retries=0,
                                 obey_robots=False)
        client = SiteClient.until(settings, 2.0, hosts=frozenset({server.base[7:]}))
        got = [client.get(server.url(f"/p{i}")) for i in range(5)]
        asked = len(server.requests())
    assert [g.error_code for g in got[:1]] == ["timeout"]
    assert got[-1].error_code == "cancelled" and "tail_time" in (got[-1].error or "")
    assert asked <= 3  # no request is started once the deadline has passed


# -- 2. the re-fetch is scoped and capped ----------------------------------------------

def test_refetch_redirected_to_another_host_is_not_followed(tmp_path: Path) -> None:
    with LoopbackServer({"/": Reply(404, "không có")}) as elsewhere, \
            HackedSite({SECTION: first_then(Reply(503, "bận"), Reply(
                302, headers={"Location": elsewhere.url("/cong-khai")}))}) as site:
        code, report = run_check(tmp_path, write_config(tmp_path, site.base))
        foreign = elsewhere.requests()
    assert code == 1 and report is not None
    assert foreign == []  # the other host was never asked
    reachable = rules(report)["disclosure.reachable"]
    assert reachable["status"] == "not_checked"  # not "HTTP 404" from the other host
    assert "ngoài" in reachable["reason"] and elsewhere.base in reachable["reason"]
    judged_as_usual(report)


def test_refetch_of_a_gzip_bomb_reads_no_body(tmp_path: Path) -> None:
    bomb = Reply(200, gzip_bomb(), headers={"Content-Encoding": "gzip"})
    with HackedSite({SECTION: first_then(Reply(503, "bận"), bomb)}) as site:
        code, report = run_check(tmp_path, write_config(tmp_path, site.base))
    assert code == 1 and report is not None
    assert peak_memory() < MEMORY_CAP
    assert rules(report)["disclosure.reachable"]["status"] != "not_checked"  # 200: answers
    judged_as_usual(report)


# -- 3. only text encodings ------------------------------------------------------------

def test_a_codec_named_as_charset_is_an_unknown_charset(tmp_path: Path) -> None:
    """robots.txt says charset=idna, the spam page zlib_codec, the page served to
    Googlebot base64 (the three cases of the security review)."""

    def spam_page(request: Request) -> Reply:
        reply = site.fallback(request)  # type: ignore[misc]
        return Reply(200, ascii_only(reply.payload()),
                     content_type="text/html; charset=zlib_codec")

    def home(request: Request) -> Reply:
        reply = site.fallback(request)  # type: ignore[misc]
        if "googlebot" not in request.headers.get("user-agent", "").lower():
            return reply
        return Reply(200, ascii_only(reply.payload()), content_type="text/html; charset=base64")

    # ASCII bodies: valid UTF-8 with Vietnamese letters would be read as UTF-8 whatever the
    # declaration says, and never reach the declared codec.
    robots = (Path(__file__).parent.parent / "fixtures/demo/site/robots.txt").read_bytes()
    routes = {"/robots.txt": Reply(200, robots, content_type="text/plain; charset=idna"),
              SPAM_PAGE: spam_page, "/": home}
    with HackedSite(routes) as site:  # type: ignore[arg-type]
        code, report = run_check(tmp_path, write_config(tmp_path, site.base))
    assert code == 1 and report is not None  # not exit 3 "internal error"
    judged_as_usual(report)
    spam = findings(report, "security.spam-injection")
    assert len(spam) == 3  # as many as with an honest charset
    assert not any(f["subject"] == "cloaking:not-checked" for f in spam)


def ascii_only(body: bytes) -> bytes:
    """The same page with every non-ASCII letter written as an HTML character reference."""
    return body.decode("utf-8").encode("ascii", "xmlcharrefreplace")


# -- 4. .docx: caps, and one bad document is a notice on it alone ----------------------

def zip_bomb(unpacked: int = 300_000_000) -> bytes:
    """A .docx whose document.xml unpacks to `unpacked` bytes (a few hundred kB packed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf, \
            zf.open("word/document.xml", "w") as member:
        block = b" " * 1_000_000
        for _ in range(unpacked // len(block)):
            member.write(block)
    return buffer.getvalue()


def bad_xml_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("word/document.xml", "<w:document><w:body><w:p>không đóng thẻ")
    return buffer.getvalue()


def test_zip_bomb_and_broken_documents_leave_the_others_judged(tmp_path: Path) -> None:
    bomb = zip_bomb()
    assert len(bomb) < 1_000_000
    routes = {OTHER_DOCX[0]: Reply(200, bomb, content_type=DOCX),
              OTHER_DOCX[1]: Reply(200, b"<html>not a zip</html>", content_type=DOCX),
              OTHER_DOCX[2]: Reply(200, bad_xml_docx(), content_type=DOCX)}
    with HackedSite(routes) as site:  # type: ignore[arg-type]
        code, report = run_check(tmp_path, write_config(tmp_path, site.base))
    assert code == 1 and report is not None
    assert peak_memory() < MEMORY_CAP
    text = findings(report, "text.tcvn6909")
    assert rules(report)["text.tcvn6909"]["status"] == "fail"
    assert any(GOOD_DOCX.rsplit("/", 1)[1] in f["subject"] for f in text)  # still judged
    unreadable = {f["subject"].rsplit("/", 1)[1]: f["message"] for f in text
                  if f["subject"].startswith("attachment-unreadable:")}
    assert "quá lớn" in unreadable[OTHER_DOCX[0].rsplit("/", 1)[1]]
    assert ".docx" in unreadable[OTHER_DOCX[1].rsplit("/", 1)[1]]
    assert "XML" in unreadable[OTHER_DOCX[2].rsplit("/", 1)[1]]
    judged_as_usual(report)


def test_scan_docx_refuses_a_bomb_and_bad_xml(tmp_path: Path) -> None:
    from auditor.errors import InputError
    from auditor.vntext.docx import scan_docx

    path = tmp_path / "bom.docx"
    path.write_bytes(zip_bomb())
    with pytest.raises(InputError, match="quá lớn"):
        scan_docx(path)
    with pytest.raises(InputError, match="XML"):
        scan_docx(bad_xml_docx())
    assert peak_memory() < MEMORY_CAP


# -- 5. 100,000 nested elements --------------------------------------------------------

def test_a_page_nested_100000_deep_is_read(tmp_path: Path) -> None:
    depth = 100_000
    deep = ("<html><head><meta charset='utf-8'><title>Tin</title></head><body>"
            + "<div>" * depth + '<div style="display:none"><a href="https://kuwin.example/">'
            "nổ hũ đổi thưởng</a></div>" + "</div>" * depth + "</body></html>")
    with HackedSite({SPAM_PAGE: Reply(200, deep)}) as site:
        config = write_config(tmp_path, site.base, max_bytes=5_000_000)
        code, report = run_check(tmp_path, config)
    assert code == 1 and report is not None
    spam = rules(report)["security.spam-injection"]
    assert spam["status"] == "fail"  # not "not_checked" from a RecursionError
    hidden = [f for f in findings(report, "security.spam-injection")
              if f["evidence"].get("signal") == "hidden_link"]
    assert any(SPAM_PAGE in url for f in hidden for url in f["evidence"]["pages"])
    judged_as_usual(report)


# -- 6. no terminal escapes from the input ---------------------------------------------

def test_escape_sequences_in_titles_never_reach_the_terminal(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from auditor.cli import main

    export = (Path(__file__).parent.parent / "fixtures/demo/cms-export.csv").read_text(
        encoding="utf-8")
    hostile = export.replace("Dự giờ thăm lớp", "\x1b[2J\x1b[HDự giờ\x1b]0;bị chiếm\x07 thăm lớp")
    assert hostile != export
    (tmp_path / "export.csv").write_text(hostile, encoding="utf-8")
    page = ("<html><head><title>\x1b[2JTin\x9b31m</title></head><body><h1>\x1b]0;x\x07Tin"
            "</h1></body></html>")
    with HackedSite({SPAM_PAGE: Reply(200, page)}) as site:
        config = write_config(tmp_path, site.base)
        capsys.readouterr()
        code = main(["check", "--config", str(config), "--as-of", "2026-11-26",
                     "--export", str(tmp_path / "export.csv"),
                     "--history", str(tmp_path / "h.sqlite")])
    out, _ = capsys.readouterr()
    assert code == 1
    assert "\x1b" not in out and "\x9b" not in out and "\x07" not in out
    assert "Dự giờ" in out or "Vi phạm" in out or "Không đạt" in out  # the summary printed


# -- 7. `auditor text scan URL` --------------------------------------------------------

def test_text_scan_url_is_capped_scoped_and_timed(capsys: pytest.CaptureFixture[str]) -> None:
    from auditor.cli import main

    with LoopbackServer({"/": Reply(200, "Trường học")}) as elsewhere:
        routes = {"/bom": Reply(200, gzip_bomb(), headers={"Content-Encoding": "gzip"}),
                  "/di": Reply(302, headers={"Location": elsewhere.url("/")}),
                  "/cham": Reply(200, chunks=drip(0.5))}
        with LoopbackServer(routes) as server:  # type: ignore[arg-type]
            results = {}
            for path in ("/bom", "/di", "/cham"):
                code = main(["text", "scan", server.url(path), "--timeout", "2"])
                results[path] = (code, capsys.readouterr().err)
            foreign = elsewhere.requests()
    assert peak_memory() < MEMORY_CAP
    assert results["/bom"][0] == 2 and "giới hạn" in results["/bom"][1]
    assert results["/di"][0] == 2 and "ngoài" in results["/di"][1]
    assert foreign == []
    code, err = results["/cham"]
    assert code == 2 and ("giây" in err or "hết thời gian" in err)


# -- 13. robots.txt 5xx ----------------------------------------------------------------

def test_robots_txt_server_error_means_nothing_is_crawled(tmp_path: Path) -> None:
    with HackedSite({"/robots.txt": Reply(503, "bảo trì")}) as site:
        code, report = run_check(tmp_path, write_config(tmp_path, site.base))
        asked = {r.path for r in site.requests()}
    assert asked == {"/robots.txt"}  # RFC 9309: a server error disallows everything
    assert code == 1 and report is not None  # the export and calendar are still judged
    by_id = rules(report)
    assert by_id["security.spam-injection"]["status"] == "not_checked"
    reason = by_id["security.spam-injection"]["reason"]
    assert "robots.txt" in reason and "503" in reason and "RFC 9309" in reason
    assert any("robots.txt" in n for n in report["notices"])
    for rule in ("posts.monthly-quota", "posts.event-deadline", "workflow.approval"):
        assert by_id[rule]["status"] == "fail", rule


@pytest.mark.parametrize(("robots", "crawled"), [
    (Reply(404, "không có"), True),  # missing: allow all (RFC 9309 §2.3.1.3)
    (Reply(500, "lỗi"), False),  # server error: disallow all (§2.3.1.4)
    (Reply(200, "User-agent: *\nDisallow: /noi-bo\n", content_type="text/plain; "
                                                        "charset=base64"), True),
])
def test_robots_txt_answers(robots: Reply, crawled: bool) -> None:
    from auditor.crawl import crawl_sync

    with LoopbackServer({"/robots.txt": robots, "/": Reply(200, "<a href='/noi-bo'>x</a>"),
                         "/noi-bo": Reply(200, "bí mật")}) as server:
        settings = CrawlSettings(polite=False, retries=0, fetch_sitemaps=False)
        result = crawl_sync([server.url("/")], settings)
        asked = [r.path for r in server.requests() if r.path != "/robots.txt"]
    home = result.pages[server.url("/")]
    assert home.ok is crawled
    if crawled:
        assert asked == ["/"] if robots.status == 200 else asked == ["/", "/noi-bo"]
    else:
        assert asked == [] and home.error_code == "robots_error"
        assert "RFC 9309" in (home.error or "") and "500" in (home.error or "")


def test_proxy_variables_are_not_followed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The re-fetch once trusted HTTP(S)_PROXY: a planted variable could route the audit's
    requests through another machine. The one client never reads them."""
    with LoopbackServer() as proxy, LoopbackServer({"/": Reply(200, "Trường")}) as server:
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "all_proxy"):
            monkeypatch.setenv(name, proxy.base)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        client = SiteClient.until(CrawlSettings(polite=False), 10.0)
        got = client.get(server.url("/"), read_body=False)
        assert got.status == 200 and proxy.requests() == []
        assert [r.path for r in server.requests()] == ["/robots.txt", "/"]
