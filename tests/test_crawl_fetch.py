"""The fetch layer against real HTTP servers on 127.0.0.1 (issue 3, part 1)."""

from __future__ import annotations

import gzip
import zlib

import pytest

from auditor.crawl import CrawlSettings, crawl_sync
from tests.loopback import LoopbackServer, Reply, Request, ResetServer, free_port, html, repeat

HOME = "<html><head><title>Trang chủ</title></head><body>{links}</body></html>"


def fast(**changes: object) -> CrawlSettings:
    """Loopback settings: no politeness delay, quick retries, short timeouts."""
    base = CrawlSettings(polite=False, retries=2, backoff_base=0.01, timeout=1.0,
                         request_time_limit=3.0, fetch_sitemaps=False, total_time=60.0)
    return base.with_(**changes)


def page(*links: str, body: str = "") -> str:
    return HOME.format(links="".join(f'<a href="{h}">{h}</a>' for h in links) + body)


def test_robots_disallow_is_honoured() -> None:
    routes = {
        "/": html(page("/tin-tuc", "/Timkiem?q=a", "/noi-bo/ho-so")),
        "/robots.txt": Reply(body="User-agent: *\nDisallow: /Timkiem\nDisallow: /noi-bo/\n",
                             content_type="text/plain"),
        "/tin-tuc": html(page()),
    }
    with LoopbackServer(routes) as server:
        result = crawl_sync([server.url("/")], fast())
        paths = [r.path for r in server.requests()]
    assert "/tin-tuc" in paths
    assert not any(p.startswith(("/Timkiem", "/noi-bo")) for p in paths)
    assert set(result.robots_blocked) == {server.url("/Timkiem?q=a"), server.url("/noi-bo/ho-so")}
    blocked = result.pages[server.url("/noi-bo/ho-so")]
    assert blocked.error_code == "robots" and "robots.txt" in (blocked.error or "")


def test_crawl_delay_spaces_requests() -> None:
    links = [f"/bai-{i}" for i in range(4)]
    routes: dict[str, object] = {"/": html(page(*links)),
                                 "/robots.txt": Reply(body="User-agent: *\nCrawl-delay: 0.3\n",
                                                      content_type="text/plain")}
    routes.update({link: html(page()) for link in links})
    with LoopbackServer(routes) as server:  # type: ignore[arg-type]
        result = crawl_sync([server.url("/")],
                            fast(polite=True, min_delay=0.0, per_host_concurrency=4))
        times = sorted(r.at for r in server.requests() if r.path != "/robots.txt")
    assert len(result.pages) == 5
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert len(gaps) == 4
    assert min(gaps) >= 0.29, gaps  # robots.txt's crawl-delay, even with 4 workers for the host


def test_min_delay_applies_without_robots() -> None:
    routes = {"/": html(page("/a", "/b")), "/a": html(page()), "/b": html(page())}
    with LoopbackServer(routes) as server:  # type: ignore[arg-type]
        crawl_sync([server.url("/")], fast(polite=True, min_delay=0.2, per_host_concurrency=2))
        times = sorted(r.at for r in server.requests() if r.path != "/robots.txt")
    assert min(b - a for a, b in zip(times, times[1:], strict=False)) >= 0.19


def test_429_with_retry_after_is_waited_out() -> None:
    calls: list[float] = []

    def busy(request: Request) -> Reply:
        calls.append(request.at)
        if len(calls) == 1:
            return Reply(429, "chậm lại", headers={"Retry-After": "1"})
        return html(page(body="<p>Xin chào</p>"))

    with LoopbackServer({"/": busy}) as server:
        result = crawl_sync([server.url("/")], fast(retries=2))
    home = result.pages[server.url("/")]
    assert home.ok and "Xin chào" in (home.text or "")
    assert len(calls) == 2
    assert calls[1] - calls[0] >= 0.95  # Retry-After: 1 honoured
    assert result.stats.retries == 1


def test_too_long_retry_after_is_an_error_not_a_wait() -> None:
    routes = {"/": Reply(503, "bảo trì", headers={"Retry-After": "86400"})}
    with LoopbackServer(routes) as server:  # type: ignore[arg-type]
        result = crawl_sync([server.url("/")], fast())
        assert len(server.requests("/")) == 1
    assert result.home_unreachable
    assert result.pages[server.url("/")].error_code == "http"


def test_500_then_success() -> None:
    calls: list[int] = []

    def flaky(request: Request) -> Reply:
        calls.append(1)
        return Reply(500, "lỗi") if len(calls) < 3 else html(page(body="ổn rồi"))

    with LoopbackServer({"/": flaky}) as server:
        result = crawl_sync([server.url("/")], fast(retries=3))
    home = result.pages[server.url("/")]
    assert home.ok and home.status == 200 and "ổn rồi" in (home.text or "")
    assert len(calls) == 3 and result.stats.retries == 2


def test_500_forever_gives_up_with_reason() -> None:
    with LoopbackServer({"/": Reply(500, "lỗi")}) as server:  # type: ignore[dict-item]
        result = crawl_sync([server.url("/")], fast(retries=2))
        assert len(server.requests("/")) == 3
    home = result.pages[server.url("/")]
    assert not home.ok and home.error_code == "http" and "HTTP 500" in (home.error or "")
    assert result.home_unreachable and "HTTP 500" in (result.unreachable_reason() or "")


def test_timeout_is_recorded_not_raised() -> None:
    routes = {"/": html(page("/cham")), "/cham": Reply(body="muộn", delay=1.5)}
    with LoopbackServer(routes) as server:  # type: ignore[arg-type]
        result = crawl_sync([server.url("/")], fast(timeout=0.3, retries=1))
        slow_calls = len(server.requests("/cham"))
    slow = result.pages[server.url("/cham")]
    assert slow.error_code == "timeout" and not slow.ok
    assert "giây" in (slow.error or "")
    assert slow_calls == 2  # retried once
    assert result.pages[server.url("/")].ok and not result.home_unreachable


def test_connection_reset() -> None:
    with ResetServer() as server:
        result = crawl_sync([server.url("/")], fast(retries=1))
        connections = server.connections
    home = result.pages[server.url("/")]
    assert home.error_code == "reset" and home.status is None
    assert connections >= 2  # the first try and one retry
    assert result.home_unreachable and result.nothing_fetched


def test_connection_refused() -> None:
    url = f"http://127.0.0.1:{free_port()}/"
    result = crawl_sync([url], fast(retries=1))
    assert result.pages[url].error_code == "connect"
    assert result.home_unreachable


def test_redirect_loop_detected() -> None:
    routes = {
        "/": html(page("/a")),
        "/a": Reply(302, headers={"Location": "/b"}),
        "/b": Reply(301, headers={"Location": "/a"}),
    }
    with LoopbackServer(routes) as server:  # type: ignore[arg-type]
        result = crawl_sync([server.url("/")], fast())
        hits = len(server.requests("/a")) + len(server.requests("/b"))
    loop = result.pages[server.url("/a")]
    assert loop.error_code == "redirect_loop"
    assert loop.redirect_chain == (server.url("/a"), server.url("/b"))
    assert hits == 2


def test_redirect_limit() -> None:
    routes = {f"/r{i}": Reply(302, headers={"Location": f"/r{i + 1}"}) for i in range(30)}
    with LoopbackServer(routes) as server:  # type: ignore[arg-type]
        result = crawl_sync([server.url("/r0")], fast(max_redirects=5))
        hits = len(server.requests())
    assert result.pages[server.url("/r0")].error_code == "too_many_redirects"
    assert hits <= 7


def test_redirect_off_scope_is_not_followed() -> None:
    with LoopbackServer({"/": html(page())}) as elsewhere:
        routes = {"/": html(page("/lien-ket")),
                  "/lien-ket": Reply(301, headers={"Location": elsewhere.url("/")})}
        with LoopbackServer(routes) as server:  # type: ignore[arg-type]
            result = crawl_sync([server.url("/")], fast())
        assert elsewhere.requests() == []  # another port is another host: never contacted
    moved = result.pages[server.url("/lien-ket")]
    assert moved.error_code == "off_scope" and elsewhere.url("/") in (moved.error or "")
    assert elsewhere.url("/") in result.off_scope


def test_twenty_megabyte_response_is_cut_at_the_limit() -> None:
    total = 20 * 1024 * 1024
    limit = 256 * 1024
    routes = {"/": Reply(chunks=repeat(b"<p>" + b"x" * 8189 + b"</p>", total))}
    with LoopbackServer(routes) as server:  # type: ignore[arg-type]
        result = crawl_sync([server.url("/")], fast(max_bytes=limit, retries=0))
        sent = server.bytes_sent
    home = result.pages[server.url("/")]
    assert home.truncated and home.ok
    assert len((home.text or "").encode()) <= limit
    assert limit <= home.size < 4 * 1024 * 1024  # stopped reading far before 20 MB
    assert sent < total


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_gzip_bomb_is_capped_after_decompression(encoding: str) -> None:
    raw = b"<html><body>" + b"A" * (64 * 1024 * 1024)  # 64 MB that compresses to ~64 kB
    bomb = gzip.compress(raw, 9) if encoding == "gzip" else zlib.compress(raw, 9)
    del raw
    limit = 1024 * 1024
    routes = {"/": Reply(body=bomb, headers={"Content-Encoding": encoding})}
    with LoopbackServer(routes) as server:  # type: ignore[arg-type]
        result = crawl_sync([server.url("/")], fast(max_bytes=limit, retries=0))
    home = result.pages[server.url("/")]
    assert home.truncated
    assert len(home.text or "") == limit  # exactly the cap, not 200 MB
    assert home.size <= len(bomb)


def test_wrong_declared_charset_is_corrected() -> None:
    body = page(body="<p>Trường THCS Ngọc Hải — Công khai</p>").replace(
        "<head>", '<head><meta charset="iso-8859-1">')
    routes = {"/": Reply(body=body.encode("utf-8"), content_type="text/html; charset=iso-8859-1")}
    with LoopbackServer(routes) as server:  # type: ignore[arg-type]
        result = crawl_sync([server.url("/")], fast())
    home = result.pages[server.url("/")]
    assert home.declared_charset == "iso-8859-1"
    assert home.encoding == "utf-8"
    assert "Trường THCS Ngọc Hải" in (home.text or "")


def test_charset_from_meta_when_header_has_none() -> None:
    text = "<html><head><meta http-equiv='Content-Type' content='text/html; charset=windows-1258'>"
    text += "</head><body>Tr\u01b0\u01a1\u0300ng</body></html>"  # cp1258: tone apart
    routes = {"/": Reply(body=text.encode("cp1258"), content_type="text/html")}
    with LoopbackServer(routes) as server:  # type: ignore[arg-type]
        result = crawl_sync([server.url("/")], fast())
    home = result.pages[server.url("/")]
    assert home.declared_charset == "windows-1258" and home.encoding == "cp1258"
    assert "Trường" in (home.text or "")  # composed (NFC) after decoding


def test_non_html_is_skipped_by_content_type() -> None:
    pdf = b"%PDF-1.4\n" + b"0" * 100_000
    routes = {"/": html(page("/van-ban/ke-hoach", "/anh")),
              "/van-ban/ke-hoach": Reply(body=pdf, content_type="application/pdf"),
              "/anh": Reply(body=b"\x89PNG" + b"0" * 50_000, content_type="image/png")}
    with LoopbackServer(routes) as server:  # type: ignore[arg-type]
        result = crawl_sync([server.url("/")], fast())
    doc = result.pages[server.url("/van-ban/ke-hoach")]
    assert doc.ok and doc.status == 200 and doc.content_type == "application/pdf"
    assert doc.text is None and doc.size < len(pdf) and doc.kind == "asset"
    assert result.pages[server.url("/anh")].text is None


def test_user_agent_names_tool_version_and_contact() -> None:
    with LoopbackServer({"/": html(page())}) as server:  # type: ignore[dict-item]
        crawl_sync([server.url("/")], fast(contact="https://thcs-demo.example.vn/lien-he"))
        agent = server.requests("/")[0].headers["user-agent"]
    from auditor import __version__

    assert agent == f"auditor/{__version__} (+https://thcs-demo.example.vn/lien-he)"


def test_per_host_concurrency_is_capped() -> None:
    import threading
    import time

    lock = threading.Lock()
    state = {"now": 0, "peak": 0}

    def slow(request: Request) -> Reply:
        with lock:
            state["now"] += 1
            state["peak"] = max(state["peak"], state["now"])
        time.sleep(0.15)
        with lock:
            state["now"] -= 1
        return html(page())

    routes: dict[str, object] = {"/": html(page(*(f"/bai-{i}" for i in range(8))))}
    routes.update({f"/bai-{i}": slow for i in range(8)})
    with LoopbackServer(routes) as server:  # type: ignore[arg-type]
        result = crawl_sync([server.url("/")], fast(per_host_concurrency=2, concurrency=16))
    assert len(result.pages) == 9 and all(p.ok for p in result.pages.values())
    assert state["peak"] == 2  # two at a time: never more, and the cap was reached
