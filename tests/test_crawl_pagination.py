"""Pagination keeps its list's depth (issue 10.8); a crawl cut by a limit says which and how
many URLs it left — in the stats, the summary line and the audit's notices."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.crawl import CrawlSettings, crawl_sync
from auditor.crawl.pagination import is_pagination, list_page
from auditor.crawl.progress import limit_notices, summary_line
from tests.loopback import LoopbackServer, Reply, Request, html

PAGES = 300
WINDOW = 5  # page links on each side of the current page: a sliding window of ~10


def fast(**changes: object) -> CrawlSettings:
    base = CrawlSettings(polite=False, retries=1, backoff_base=0.01, timeout=2.0,
                         request_time_limit=5.0, fetch_sitemaps=False, total_time=120.0,
                         concurrency=8, per_host_concurrency=8)
    return base.with_(**changes)


def _word(n: int) -> str:
    """A slug without digits (posts of one list must not share one digit-masked shape)."""
    letters = ""
    while True:
        n, rest = divmod(n, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[rest] + letters
        if n == 0:
            return letters


def _page_url(style: str, n: int) -> str:
    if n == 1:
        return "/tin-tuc/"
    return {"query": f"/tin-tuc/?page={n}", "dash": f"/tin-tuc/page-{n}/",
            "trang": f"/tin-tuc/trang-{n}"}[style]


def _site(style: str) -> LoopbackServer:
    def listing(n: int) -> Reply:
        window = range(max(1, n - WINDOW), min(PAGES, n + WINDOW) + 1)
        pager = "".join(f'<a href="{_page_url(style, k)}">{k}</a>' for k in window if k != n)
        posts = f'<h3><a href="/bai-{_word(n)}.html">Bài viết trang {n}</a></h3>'
        return html(f"<html><body><h1>Tin tức – trang {n}</h1>{posts}"
                    f'<div class="pagination">{pager}</div></body></html>')

    def route(request: Request) -> Reply:
        path = request.path
        if path.startswith("/bai-"):
            return html("<html><body><h1>Bài</h1><p>20/11/2026 08:00</p></body></html>")
        for n in range(1, PAGES + 1):
            if path == _page_url(style, n):
                return listing(n)
        return Reply(status=404, body="")

    home = html('<html><body><a href="/gioi-thieu">Giới thiệu</a>'
                '<a href="/tin-tuc/">Tin tức</a></body></html>')
    return LoopbackServer({"/": home, "/gioi-thieu": html("<p>Giới thiệu</p>")},
                          fallback=route)


@pytest.mark.parametrize("style", ["query", "dash", "trang"])
def test_a_paginated_list_of_300_pages_is_read_to_its_end(style: str) -> None:
    # With the old rule (each page one level deeper) a window of 5 reaches page
    # ~1 + 5 × 8 = 41 at max_depth 8; now every page of the list keeps its depth.
    with _site(style) as server:
        result = crawl_sync([server.url("/")], fast(max_depth=8))
    fetched = {url for url, p in result.pages.items() if p.ok}
    lists = {server.url(_page_url(style, n)) for n in range(1, PAGES + 1)}
    assert lists <= fetched, sorted(lists - fetched)[:5]
    posts = {server.url(f"/bai-{_word(n)}.html") for n in range(1, PAGES + 1)}
    assert posts <= fetched  # the last page's post too: the list was read to its end
    assert result.stats.stopped is None and result.stats.left == {}


def test_depth_still_bounds_ordinary_links() -> None:
    chain = {"/": html('<a href="/d1">1</a>')} | {
        f"/d{i}": html(f'<a href="/d{i + 1}">{i + 1}</a>') for i in range(1, 10)}
    with LoopbackServer(chain) as server:  # type: ignore[arg-type]
        result = crawl_sync([server.url("/")], fast(max_depth=3))
    assert set(result.pages) == {server.url(p) for p in ("/", "/d1", "/d2", "/d3")}
    assert result.stats.stopped == "max_depth"
    assert result.stats.left == {"max_depth": 1}  # /d4, the one link seen and not followed


def test_a_crawl_cut_by_max_pages_says_how_many_urls_were_left() -> None:
    links = "".join(f'<a href="/p{i}">{i}</a>' for i in range(30))
    wide = {"/": html(links)} | {f"/p{i}": html("<p>x</p>") for i in range(30)}
    with LoopbackServer(wide) as server:  # type: ignore[arg-type]
        result = crawl_sync([server.url("/")], fast(max_pages=10))
    assert result.stats.stopped == "max_pages"
    assert result.stats.left == {"max_pages": 21}  # 31 pages, 10 read
    line = summary_line(result.stats)
    assert "max_pages: còn 21 địa chỉ chưa đọc" in line
    assert "stopped at max_pages: 21 left" in summary_line(result.stats, "en")
    vi, = limit_notices(result.stats.left)
    assert "còn 21 địa chỉ chưa đọc" in vi and "[crawl] max_pages" in vi
    en, = limit_notices(result.stats.left, "en")
    assert "21 URLs left unread" in en


def test_a_crawl_cut_by_time_counts_the_urls_it_left() -> None:
    links = "".join(f'<a href="/cham-{i}">{i}</a>' for i in range(20))
    slow = LoopbackServer({"/": html(links)},
                          fallback=lambda r: Reply(body="<p>muộn</p>", delay=0.4))
    with slow as server:
        result = crawl_sync([server.url("/")], fast(total_time=1.0, per_host_concurrency=1,
                                                    concurrency=1, timeout=5.0))
    assert result.stats.stopped == "total_time"
    read = sum(1 for p in result.pages.values() if p.ok)
    assert result.stats.left["total_time"] == 21 - read - sum(
        1 for p in result.pages.values() if not p.ok)


def test_a_page_cut_at_the_byte_cap_is_counted() -> None:
    big = "<p>" + "chữ " * 20_000 + "</p>"
    with LoopbackServer({"/": html('<a href="/lon">lớn</a>'), "/lon": html(big)}) as server:
        result = crawl_sync([server.url("/")], fast(max_bytes=10_000))
    assert result.stats.left == {"max_bytes": 1}
    assert result.stats.stopped == "max_bytes"


def test_pagination_shapes() -> None:
    assert list_page("http://h/tin-tuc/page-3/") == ("//h/tin-tuc", 3)
    assert list_page("http://h/tin?page=3&x=1") == ("//h/tin?x=1", 3)
    assert list_page("http://h/tin-tuc/c/5/3") == ("//h/tin-tuc/c/5", 3)
    assert list_page("http://h/news/page/2/") == ("//h/news", 2)
    assert list_page("http://h/tin-tuc/trang-7") == ("//h/tin-tuc", 7)
    assert is_pagination("http://h/tin-tuc/c/5", "http://h/tin-tuc/c/5/2")
    assert is_pagination("http://h/tin?page=4", "http://h/tin")  # back to page 1
    assert not is_pagination("http://h/tin-tuc/", "http://h/van-ban/page-2/")
    assert not is_pagination("http://h/tin-tuc/", "http://h/tin-tuc/bai-viet.html")


def test_the_audit_notices_name_the_limit_and_the_urls_left(tmp_path: Path) -> None:
    from auditor.config import parse_config
    from auditor.site.inputs import read_site

    links = "".join(f'<a href="/p{i}">{i}</a>' for i in range(30))
    wide = {"/": html(f"<html><body>{links}</body></html>")} | {
        f"/p{i}": html("<p>x</p>") for i in range(30)}
    with LoopbackServer(wide) as server:  # type: ignore[arg-type]
        raw = {"school": {"name": "Trường THCS Hoa Sen"},
               "crawl": {"max_pages": 10, "min_delay": 0, "retries": 0,
                         "cache": str(tmp_path / "crawl.sqlite"), "max_documents": 0}}
        config = parse_config(raw, "auditor.toml", tmp_path)
        site = read_site(config, None, url=server.url("/"),
                         cache_path=tmp_path / "crawl.sqlite")
        site_en = read_site(config, None, url=server.url("/"),
                            cache_path=tmp_path / "crawl.sqlite", lang="en")
    # Of the 10 URLs allowed, /sitemap.xml (asked for by default) took one: 9 of the
    # 31 pages were read, 22 left.
    assert site.snapshot is not None
    assert sum(1 for p in site.snapshot.pages.values() if p.kind != "sitemap") == 9
    notes = [n for n in site.notices if "chưa đọc" in n]
    assert len(notes) == 1 and "max_pages" in notes[0] and "còn 22 địa chỉ" in notes[0]
    assert any("22 URLs left unread" in n for n in site_en.notices)
