"""The scheduler against real loopback servers: discovery, scope, dedup, traps, limits."""

from __future__ import annotations

from datetime import UTC, datetime

from auditor.crawl import CrawlSettings, crawl_sync
from tests.loopback import LoopbackServer, Reply, Request, free_port, html

SHELL = "<html><head><title>{title}</title>{head}</head><body>{links}{body}</body></html>"


def fast(**changes: object) -> CrawlSettings:
    base = CrawlSettings(polite=False, retries=1, backoff_base=0.01, timeout=1.0,
                         request_time_limit=3.0, fetch_sitemaps=False, total_time=60.0)
    return base.with_(**changes)


def page(*links: str, title: str = "Trang", head: str = "", body: str = "") -> Reply:
    anchors = "".join(f'<a href="{h}">liên kết</a>' for h in links)
    return html(SHELL.format(title=title, head=head, links=anchors, body=body))


def test_endless_calendar_is_bounded() -> None:
    def month(request: Request) -> Reply:
        # /lich-cong-tac?thang=2026-11 links to the previous and next month, forever.
        value = request.path.split("thang=")[1] if "thang=" in request.path else "2026-11"
        year, mon = (int(x) for x in value.split("-"))
        prev = f"{year - (mon == 1)}-{(mon - 2) % 12 + 1:02d}"
        nxt = f"{year + (mon == 12)}-{mon % 12 + 1:02d}"
        return page(f"/lich-cong-tac?thang={prev}", f"/lich-cong-tac?thang={nxt}",
                    title=f"Lịch tháng {value}")

    routes = {"/": page("/lich-cong-tac?thang=2026-11", "/gioi-thieu"),
              "/gioi-thieu": page(), "/lich-cong-tac": month}
    with LoopbackServer(routes) as server:  # type: ignore[arg-type]
        result = crawl_sync([server.url("/")], fast(max_calendar_pages=12, max_depth=1000))
        calendar_hits = [r for r in server.requests() if r.path.startswith("/lich-cong-tac")]
    assert len(calendar_hits) == 12
    assert result.stats.traps_bounded >= 1
    assert result.pages[server.url("/gioi-thieu")].ok  # real pages still crawled
    assert result.stats.stopped is None


def test_endless_pagination_is_bounded() -> None:
    def listing(request: Request) -> Reply:
        n = int(request.path.split("page=")[1]) if "page=" in request.path else 1
        return page(f"/tin-tuc?page={n + 1}", title=f"Tin tức trang {n}")

    routes = {"/": page("/tin-tuc?page=1"), "/tin-tuc": listing}
    with LoopbackServer(routes) as server:  # type: ignore[arg-type]
        result = crawl_sync([server.url("/")], fast(max_pattern_pages=25, max_depth=1000))
        hits = len([r for r in server.requests() if r.path.startswith("/tin-tuc")])
    assert hits == 25
    assert result.stats.traps_bounded >= 1


def test_session_ids_in_urls_do_not_multiply_pages() -> None:
    counter = iter(range(10_000))

    def with_session(request: Request) -> Reply:
        # Every answer links back with a fresh session id, as broken CMSs do.
        sid = next(counter)
        return page(f"/gioi-thieu;jsessionid=ABC{sid}", f"/tin-tuc?PHPSESSID=x{sid}&a=1",
                    f"/tin-tuc?a=1&sid={sid}")

    routes = {"/": with_session, "/gioi-thieu": with_session, "/tin-tuc": with_session}
    with LoopbackServer(routes) as server:  # type: ignore[arg-type]
        result = crawl_sync([server.url("/")], fast(max_depth=50))
        paths = [r.path.split("?")[0].split(";")[0] for r in server.requests()
                 if r.path != "/robots.txt"]
    assert sorted(paths) == ["/", "/gioi-thieu", "/tin-tuc"]
    assert set(result.pages) == {server.url("/"), server.url("/gioi-thieu"),
                                 server.url("/tin-tuc?a=1")}


def test_url_variants_of_one_post_are_one_page() -> None:
    post = "/tin-tuc/khai-giang-nam-hoc-moi/{v}/12/345"
    variants = [post.format(v="ct"), post.format(v="ctmb"), post.format(v="ctfull") + "#binh-luan",
                post.format(v="ct") + "?utm_source=zalo&fbclid=abc",
                "/tin-tuc/khai-giang-nam-hoc-2026/ct/12/345",  # another slug, same post id
                "/thong-bao?b=2&a=1", "/thong-bao?a=1&b=2#dau-trang", "/thong-bao?a=1&b=2&gclid=z"]
    routes = {"/": page(*variants),
              "/thong-bao": page(title="Thông báo")}
    for v in ("ct", "ctmb", "ctfull"):
        routes[post.format(v=v)] = page(title="Khai giảng")
    routes["/tin-tuc/khai-giang-nam-hoc-2026/ct/12/345"] = page(title="Khai giảng")
    with LoopbackServer(routes) as server:
        result = crawl_sync([server.url("/")], fast())
        post_hits = [r.path for r in server.requests() if "/345" in r.path]
        notice_hits = [r.path for r in server.requests() if r.path.startswith("/thong-bao")]
    assert post_hits == [post.format(v="ct")]  # the first variant linked
    assert len(notice_hits) == 1
    assert set(result.pages) == {server.url("/"), server.url(post.format(v="ct")),
                                 server.url("/thong-bao?a=1&b=2")}


def test_seed_variant_keys_by_canonical_url() -> None:
    post = "/tin-tuc/khai-giang/{v}/12/345"
    routes = {post.format(v="ctmb"): page(post.format(v="ct"), post.format(v="ctfull"))}
    with LoopbackServer(routes) as server:  # type: ignore[arg-type]
        result = crawl_sync([server.url(post.format(v="ctmb"))], fast())
        hits = [r.path for r in server.requests() if r.path != "/robots.txt"]
    assert hits == [post.format(v="ctmb")]
    only = result.pages[server.url(post.format(v="ct"))]
    assert only.requested_url == server.url(post.format(v="ctmb")) and only.ok


def test_sitemap_index_lastmod_and_robots_sitemap() -> None:
    sitemap_index = """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>{base}/sitemap-tin.xml</loc></sitemap>
</sitemapindex>"""
    urlset = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>{base}/chi-trong-sitemap</loc><lastmod>2026-11-20T08:00:00+07:00</lastmod></url>
  <url><loc>{base}/bai-2</loc><lastmod>2026-11-21</lastmod></url>
</urlset>"""
    with LoopbackServer() as server:
        base = server.base
        server.routes.update({
            "/": page("/bai-2"),
            "/robots.txt": Reply(body=f"User-agent: *\nSitemap: {base}/sitemap-index.xml\n",
                                 content_type="text/plain"),
            "/sitemap-index.xml": Reply(body=sitemap_index.format(base=base),
                                        content_type="application/xml"),
            "/sitemap-tin.xml": Reply(body=urlset.format(base=base), content_type="text/xml"),
            "/chi-trong-sitemap": page(title="Chỉ có trong sitemap"),
            "/bai-2": page(),
        })
        result = crawl_sync([server.url("/")], fast(fetch_sitemaps=True))
    only = result.pages[server.url("/chi-trong-sitemap")]
    assert only.ok and only.referrer == server.url("/sitemap-tin.xml")
    assert only.sitemap_lastmod == datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
    assert result.pages[server.url("/sitemap-index.xml")].kind == "sitemap"
    assert set(result.sitemap_urls) >= {server.url("/sitemap-index.xml"),
                                        server.url("/sitemap-tin.xml")}
    assert result.pages[server.url("/sitemap.xml")].status == 404  # default location tried too


def test_rss_and_atom_feeds_are_followed() -> None:
    rss = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>
<title>Tin</title><item><title>A</title><link>{base}/tin-rss</link></item></channel></rss>"""
    atom = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<entry><title>B</title><link href="/tin-atom"/></entry></feed>"""
    head = ('<link rel="alternate" type="application/rss+xml" href="/rss/">'
            '<link rel="alternate" type="application/atom+xml" href="/atom.xml">')
    with LoopbackServer() as server:
        server.routes.update({
            "/": page(head=head),
            "/rss/": Reply(body=rss.format(base=server.base), content_type="application/rss+xml"),
            "/atom.xml": Reply(body=atom, content_type="application/atom+xml"),
            "/tin-rss": page(), "/tin-atom": page(),
        })
        result = crawl_sync([server.url("/")], fast())
    assert result.pages[server.url("/tin-rss")].ok and result.pages[server.url("/tin-atom")].ok
    assert set(result.feed_urls) == {server.url("/rss/"), server.url("/atom.xml")}


def test_scope_limited_to_configured_hosts() -> None:
    with LoopbackServer({"/": page()}) as other:  # type: ignore[dict-item]
        with LoopbackServer() as server:
            server.routes["/"] = page(other.url("/ngoai"), "https://example.org/x", "/trong")
            server.routes["/trong"] = page()
            result = crawl_sync([server.url("/")], fast())
        assert other.requests() == []
    assert {other.url("/ngoai"), "https://example.org/x"} <= set(result.off_scope)
    assert set(result.pages) == {server.url("/"), server.url("/trong")}


def test_extra_configured_host_is_in_scope() -> None:
    with LoopbackServer({"/": page()}) as mirror:  # type: ignore[dict-item]
        with LoopbackServer() as server:
            server.routes["/"] = page(mirror.url("/"))
            hosts = frozenset({f"127.0.0.1:{server.port}", f"127.0.0.1:{mirror.port}"})
            result = crawl_sync([server.url("/")], fast(hosts=hosts))
        assert len(mirror.requests("/")) == 1
    assert result.pages[mirror.url("/")].ok


def test_depth_and_page_limits() -> None:
    chain = {"/": page("/d1")} | {f"/d{i}": page(f"/d{i + 1}") for i in range(1, 10)}
    with LoopbackServer(chain) as server:  # type: ignore[arg-type]
        deep = crawl_sync([server.url("/")], fast(max_depth=3))
    assert set(deep.pages) == {server.url(p) for p in ("/", "/d1", "/d2", "/d3")}
    wide = {"/": page(*(f"/p{i}" for i in range(30)))} | {f"/p{i}": page() for i in range(30)}
    with LoopbackServer(wide) as server:  # type: ignore[arg-type]
        capped = crawl_sync([server.url("/")], fast(max_pages=10))
        hits = len([r for r in server.requests() if r.path != "/robots.txt"])
    assert len(capped.pages) == 10 and hits == 10
    assert capped.stats.stopped == "max_pages"


def test_total_time_limit_stops_the_crawl() -> None:
    routes = {"/": page(*(f"/cham-{i}" for i in range(20)))}
    with LoopbackServer(routes, fallback=lambda r: Reply(body="<p>muộn</p>", delay=0.4)) as server:
        result = crawl_sync([server.url("/")], fast(total_time=1.0, per_host_concurrency=1,
                                                    timeout=5.0))
    assert result.stats.stopped == "total_time"
    assert 1 <= len(result.pages) < 21
    assert result.stats.elapsed < 5


def test_home_unreachable_is_reported() -> None:
    url = f"http://127.0.0.1:{free_port()}/"
    result = crawl_sync([url], fast(retries=0))
    assert result.home_unreachable and result.nothing_fetched
    reason = result.unreachable_reason() or ""
    assert reason.startswith("Không tải được trang chủ") and url in reason


def test_404_is_an_answer_not_a_network_error() -> None:
    with LoopbackServer({"/": page("/mat-tich")}) as server:  # type: ignore[dict-item]
        result = crawl_sync([server.url("/")], fast())
    gone = result.pages[server.url("/mat-tich")]
    assert gone.status == 404 and gone.error is None and not gone.ok
    assert result.stats.errors == 0
