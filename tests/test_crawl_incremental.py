"""Incremental runs and offline audits (issue 3, part 2) against a real loopback site."""

from __future__ import annotations

from pathlib import Path

from auditor.crawl import CrawlSettings, PageCache, crawl_sync, load_offline
from tests.loopback import LoopbackServer, Reply, static_site

FILLER = "<p>Hoạt động giáo dục của nhà trường trong tuần, do tổ chuyên môn thực hiện.</p>" * 40


def fast(**changes: object) -> CrawlSettings:
    base = CrawlSettings(polite=False, retries=1, backoff_base=0.01, timeout=2.0,
                         request_time_limit=5.0, fetch_sitemaps=False, total_time=60.0,
                         max_depth=50)
    return base.with_(**changes)


def news_site(n_posts: int, per_page: int = 10, lastmod: str | None = None,
              newest_first_ids: list[int] | None = None) -> dict[str, tuple[str, str]]:
    """A haiphong-edu style school site: a paginated news list of posts, plus a sitemap."""
    ids = newest_first_ids or list(range(n_posts, 0, -1))
    post = "/tin-tuc/bai-viet-so-{i}/ct/5/{i}"
    pages: dict[str, tuple[str, str]] = {}
    nav = '<a href="/">Trang chủ</a><a href="/tin-tuc/c/5">Tin tức</a><a href="/gioi-thieu">GT</a>'
    pages["/"] = ("text/html; charset=utf-8",
                  f"<html><body>{nav}<h1>Trường THCS Demo</h1>{FILLER}</body></html>")
    pages["/gioi-thieu"] = ("text/html; charset=utf-8",
                            f"<html><body>{nav}<h1>Giới thiệu</h1>{FILLER}</body></html>")
    chunks = [ids[i:i + per_page] for i in range(0, len(ids), per_page)]
    for n, chunk in enumerate(chunks, start=1):
        path = "/tin-tuc/c/5" if n == 1 else f"/tin-tuc/c/5/{n}"
        items = "".join(f'<li><a href="{post.format(i=i)}">Bài {i}</a></li>' for i in chunk)
        more = f'<a href="/tin-tuc/c/5/{n + 1}">Trang sau</a>' if n < len(chunks) else ""
        pages[path] = ("text/html; charset=utf-8",
                       f"<html><body>{nav}<ul>{items}</ul>{more}</body></html>")
    for i in ids:
        pages[post.format(i=i)] = (
            "text/html; charset=utf-8",
            f"<html><body>{nav}<h1>Bài viết số {i}</h1>{FILLER}</body></html>")
    urls = "".join(
        f"<url><loc>{{base}}{post.format(i=i)}</loc>"
        + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + "</url>" for i in ids)
    pages["/sitemap.xml"] = ("application/xml", '<?xml version="1.0" encoding="UTF-8"?>'
                             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                             + urls + "</urlset>")
    return pages


def serve(server: LoopbackServer, pages: dict[str, tuple[str, str]]) -> None:
    filled = {p: (ct, body.replace("{base}", server.base)) for p, (ct, body) in pages.items()}
    server.routes.clear()
    server.routes.update(static_site(filled))


def test_second_crawl_of_unchanged_site_downloads_under_five_percent(tmp_path: Path) -> None:
    db = tmp_path / "crawl.sqlite"
    # Pagination stop off: this test isolates conditional requests (every URL is asked again).
    settings = fast(stop_pagination=False)
    with LoopbackServer() as server, PageCache(db) as cache:
        serve(server, news_site(60))
        first = crawl_sync([server.url("/")], settings, cache=cache)
        first_wire, first_body = server.wire_bytes, server.bytes_sent
        server.reset_log()
        second = crawl_sync([server.url("/")], settings, cache=cache)
        second_wire, second_all_body = server.wire_bytes, server.bytes_sent
        second_body = sum(r.bytes_sent for r in server.requests() if r.path != "/robots.txt")
        statuses = {r.status for r in server.requests() if r.path != "/robots.txt"}
    assert len(first.pages) == len(second.pages) >= 60 + 6 + 2
    assert second_wire <= 0.05 * first_wire, (second_wire, first_wire)
    assert second_body == 0 and first_body > 200_000
    assert statuses == {304}
    assert first.stats.bytes_downloaded == first_body
    assert second.stats.bytes_downloaded == second_all_body  # robots.txt's 404 page only
    post = server.url("/tin-tuc/bai-viet-so-7/ct/5/7")
    assert second.pages[post].not_modified and "Bài viết số 7" in (second.pages[post].text or "")
    assert second.pages[post].text == first.pages[post].text


def test_changed_page_is_downloaded_again(tmp_path: Path) -> None:
    with LoopbackServer() as server, PageCache(tmp_path / "c.sqlite") as cache:
        site = news_site(12)
        serve(server, site)
        crawl_sync([server.url("/")], fast(), cache=cache)
        new = "<html><body>Giới thiệu mới</body></html>"
        site["/gioi-thieu"] = ("text/html; charset=utf-8", new)
        serve(server, site)
        server.reset_log()
        second = crawl_sync([server.url("/")], fast(), cache=cache)
        full = [r.path for r in server.requests() if r.status == 200]
    assert full == ["/gioi-thieu"]
    changed = second.pages[server.url("/gioi-thieu")]
    assert not changed.from_cache and changed.text == new
    assert PageCache(tmp_path / "c.sqlite").lookup(changed.url).page.text == changed.text  # type: ignore[union-attr]


def test_sitemap_lastmod_skips_unchanged_pages(tmp_path: Path) -> None:
    with LoopbackServer() as server, PageCache(tmp_path / "c.sqlite") as cache:
        serve(server, news_site(20, lastmod="2024-01-15T08:00:00+07:00"))
        settings = fast(fetch_sitemaps=True, max_depth=1)  # posts come from the sitemap only
        first = crawl_sync([server.url("/")], settings, cache=cache)
        server.reset_log()
        second = crawl_sync([server.url("/")], settings, cache=cache)
        asked = [r.path for r in server.requests()]
    posts = [u for u in first.pages if "/ct/5/" in u]
    assert len(posts) == 20
    assert not any("/ct/5/" in p for p in asked)  # lastmod older than our copy: no request
    assert all(second.pages[u].from_cache and second.pages[u].ok for u in posts)
    assert second.stats.from_cache >= 20


def test_news_list_pagination_stops_at_seen_posts(tmp_path: Path) -> None:
    with LoopbackServer() as server, PageCache(tmp_path / "c.sqlite") as cache:
        serve(server, news_site(50, per_page=10))
        first = crawl_sync([server.url("/")], fast(), cache=cache)
        # One new post on top: every list page shifts by one.
        serve(server, news_site(51, per_page=10))
        server.reset_log()
        second = crawl_sync([server.url("/")], fast(), cache=cache)
        asked = {r.path for r in server.requests()}
    assert "/tin-tuc/bai-viet-so-51/ct/5/51" in asked  # the new post
    assert {"/tin-tuc/c/5", "/tin-tuc/c/5/2"} <= asked
    assert not ({"/tin-tuc/c/5/4", "/tin-tuc/c/5/5", "/tin-tuc/c/5/6"} & asked)
    assert second.stats.pagination_stopped >= 1
    # Posts behind the stop are carried over from the last crawl, not lost.
    old = server.url("/tin-tuc/bai-viet-so-3/ct/5/3")
    assert old in first.pages and second.pages[old].from_cache and second.pages[old].ok
    assert "/tin-tuc/bai-viet-so-3/ct/5/3" not in asked
    posts_second = {u for u in second.pages if "/ct/5/" in u}
    assert len(posts_second) == 51


def test_offline_loads_the_last_crawl_without_network(tmp_path: Path) -> None:
    db = tmp_path / "crawl.sqlite"
    with LoopbackServer() as server, PageCache(db) as cache:
        site = news_site(8)
        serve(server, site)
        server.routes["/"] = lambda r: Reply(
            body=site["/"][1].replace("</body>", '<a href="/hong">x</a></body>'))
        server.routes["/hong"] = Reply(500, "lỗi")
        live = crawl_sync([server.url("/")], fast(retries=0), cache=cache)
    # The server is gone; a new process opens the file.
    with PageCache(db) as reopened:
        offline = load_offline(reopened, server.url("/"))
    assert offline is not None and offline.offline
    assert set(offline.pages) == set(live.pages)
    for url, page in live.pages.items():
        assert offline.pages[url].text == page.text
        assert offline.pages[url].status == page.status
    broken = offline.pages[server.url("/hong")]
    assert broken.error_code == "http" and not broken.ok
    assert all(p.from_cache for p in offline.pages.values())
    assert not offline.home_unreachable


def test_offline_without_a_crawl_is_none(tmp_path: Path) -> None:
    with PageCache(tmp_path / "empty.sqlite") as cache:
        assert load_offline(cache) is None
        assert load_offline(cache, "http://127.0.0.1:9/") is None


def test_offline_page_that_broke_keeps_no_stale_body(tmp_path: Path) -> None:
    db = tmp_path / "crawl.sqlite"
    with LoopbackServer() as server, PageCache(db) as cache:
        site = news_site(3)
        serve(server, site)
        crawl_sync([server.url("/")], fast(), cache=cache)
        server.routes["/gioi-thieu"] = Reply(404, "<p>Không tìm thấy</p>")
        crawl_sync([server.url("/")], fast(), cache=cache)
    with PageCache(db) as reopened:
        offline = load_offline(reopened)
    assert offline is not None
    gone = offline.pages[server.url("/gioi-thieu")]
    assert gone.status == 404 and gone.text is None and not gone.ok
