"""The demo site served on 127.0.0.1 and crawled over real HTTP, as a real portal."""

from __future__ import annotations

import filecmp
import importlib.util
import json
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from auditor.config import Config, load_config
from auditor.crawl import settings_for
from auditor.resources import demo_dir
from auditor.site.demo_server import RunningDemo, serve_site
from auditor.site.load import demo_site_dir, load_site
from auditor.site.snapshot import SiteSnapshot

OFFICIAL = "https://thcshoaphuong.haiphong.edu.vn"
DIFF = json.loads((demo_dir() / "site-differences.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config(demo_dir() / "auditor.toml")


@pytest.fixture
def demo() -> Iterator[RunningDemo]:
    with serve_site(demo_site_dir(), OFFICIAL) as running:
        yield running


def crawl(config: Config, demo: RunningDemo, cache: Path) -> SiteSnapshot:
    settings = replace(settings_for(config, demo.url), polite=False, min_delay=0.0,
                       per_host_concurrency=4, cache_path=cache)
    return load_site(config, url=demo.url, settings=settings, cache_path=cache,
                     shown_origin=OFFICIAL)


@pytest.fixture(scope="module")
def first_and_second(config: Config, tmp_path_factory: pytest.TempPathFactory) -> dict[
        str, object]:
    cache = tmp_path_factory.mktemp("crawl") / "cache.sqlite"
    with serve_site(demo_site_dir(), OFFICIAL) as running:
        first = crawl(config, running, cache)
        first_bytes, first_paths = running.stats.body_bytes, list(running.stats.paths)
        running.stats.reset()
        second = crawl(config, running, cache)
        second_bytes = running.stats.body_bytes
        second_status = dict(running.stats.by_status)
    return {"first": first, "second": second, "first_bytes": first_bytes,
            "second_bytes": second_bytes, "first_paths": first_paths,
            "second_status": second_status}


# --- the server ------------------------------------------------------------------------------


def test_server_answers_conditional_requests(demo: RunningDemo) -> None:
    with httpx.Client(base_url=demo.url) as client:
        first = client.get("/")
        assert first.status_code == 200 and first.content
        etag, modified = first.headers["etag"], first.headers["last-modified"]
        assert client.get("/", headers={"If-None-Match": etag}).status_code == 304
        assert client.get("/", headers={"If-Modified-Since": modified}).status_code == 304
        other = client.get("/", headers={"If-None-Match": '"something-else"'})
        assert other.status_code == 200 and other.content == first.content
        head = client.head("/robots.txt")
        assert head.status_code == 200 and head.content == b""
        assert int(head.headers["content-length"]) > 0
    assert demo.stats.not_modified == 2


def test_server_404_and_no_escape_from_the_snapshot(demo: RunningDemo) -> None:
    with httpx.Client(base_url=demo.url) as client:
        missing = client.get("/khong-co/trang/nay")
        assert missing.status_code == 404 and "Không tìm thấy" in missing.text
        assert client.get("/../../etc/passwd").status_code == 404
        assert client.get("/%2e%2e/build_site.py").status_code == 404


def test_server_names_the_address_it_is_served_from(demo: RunningDemo) -> None:
    with httpx.Client(base_url=demo.url) as client:
        sitemap = client.get("/sitemap.xml").text
        robots = client.get("/robots.txt").text
    assert f"<loc>{demo.url}/</loc>" in sitemap and OFFICIAL not in sitemap
    assert "Disallow: /Timkiem" in robots and f"Sitemap: {demo.url}/sitemap.xml" in robots
    assert demo.url.startswith("http://127.0.0.1:")


# --- the crawl -----------------------------------------------------------------------------------


def test_second_crawl_downloads_at_most_5_percent(first_and_second: dict[str, object]) -> None:
    """Conditional requests and sitemap lastmod: bytes counted by the server itself."""
    first_bytes = first_and_second["first_bytes"]
    second_bytes = first_and_second["second_bytes"]
    assert isinstance(first_bytes, int) and isinstance(second_bytes, int)
    assert first_bytes > 400_000
    assert second_bytes <= 0.05 * first_bytes, (second_bytes, first_bytes)
    assert 200 not in first_and_second["second_status"] or (
        first_and_second["second_status"][200] < 10)  # type: ignore[index]


def test_second_crawl_sees_the_same_site(first_and_second: dict[str, object]) -> None:
    first, second = first_and_second["first"], first_and_second["second"]
    assert isinstance(first, SiteSnapshot) and isinstance(second, SiteSnapshot)

    def view(s: SiteSnapshot) -> set[tuple[str, bool, str | None]]:
        return {(sp.post_id, sp.listed, sp.visible_date_text) for sp in s.site_posts}

    assert view(second) == view(first)
    assert second.disclosure == first.disclosure
    assert second.nav == first.nav


def test_snapshot_of_the_demo_site(first_and_second: dict[str, object]) -> None:
    snap = first_and_second["first"]
    assert isinstance(snap, SiteSnapshot)
    assert snap.profile == "haiphong-edu" and "liên kết" in snap.profile_reason
    assert snap.base_url == OFFICIAL + "/"
    assert all(url.startswith(OFFICIAL) for url in snap.pages)
    articles = [sp for sp in snap.site_posts if "/ct/" in (sp.url or "")]
    assert len(articles) >= 120
    lists = [u for u, p in snap.pages.items() if p.kind == "list"]
    paginated = {u.split("/c/")[0] for u in lists if u.rstrip("/").split("/")[-2] != "c"}
    assert len(paginated) >= 3  # three categories with a page 2 or more
    assert {item.title for item in snap.nav} >= {"Trang chủ", "Tin tức - Sự kiện", "Công khai"}
    # Robots.txt forbids /Timkiem: never requested.
    paths = first_and_second["first_paths"]
    assert isinstance(paths, list)
    assert not any(p.lower().startswith("/timkiem") for p in paths)
    assert "/robots.txt" in paths and "/sitemap.xml" in paths and "/rss.xml" in paths


def test_visible_and_meta_dates_are_both_kept(first_and_second: dict[str, object]) -> None:
    snap = first_and_second["first"]
    assert isinstance(snap, SiteSnapshot)
    post = snap.post(DIFF["visible_vs_meta"])
    assert post is not None and post.dates_disagree
    assert post.visible_date_text and post.visible_date_text.endswith("09:15")
    assert post.meta_published_text == "2026-11-07T09:41:27+07:00"
    assert post.post.published_at == post.meta_published
    same = snap.post(DIFF["site_only"][0])
    assert same is not None and not same.dates_disagree


def test_duplicate_urls_are_one_post(first_and_second: dict[str, object]) -> None:
    snap = first_and_second["first"]
    assert isinstance(snap, SiteSnapshot)
    ids = [sp.post_id for sp in snap.site_posts]
    assert len(ids) == len(set(ids))
    for post_id, variants in DIFF["duplicate_urls"].items():
        sp = snap.post(post_id)
        assert sp is not None
        for variant in variants:
            assert OFFICIAL + variant in sp.urls


def test_hidden_and_missing_posts(first_and_second: dict[str, object]) -> None:
    snap = first_and_second["first"]
    assert isinstance(snap, SiteSnapshot)
    hidden = snap.post(DIFF["hidden_unlisted"])
    assert hidden is None  # not linked anywhere: the crawl alone never finds it
    assert snap.post(DIFF["missing_404"]) is None
    listed = [sp for sp in snap.site_posts if sp.listed]
    assert all(sp.post.is_published for sp in listed if not sp.hidden_by_css)


def test_disclosure_section(first_and_second: dict[str, object]) -> None:
    snap = first_and_second["first"]
    assert isinstance(snap, SiteSnapshot)
    section = snap.disclosure
    assert section is not None
    assert section.url == OFFICIAL + "/cong-khai/c/1025"
    assert section.click_path == ("Công khai",) and section.linked_from_home
    assert section.reachable
    titles = [item.title for item in section.items]
    assert len(titles) == 4 and not any("Biểu mẫu 12" in t for t in titles)
    hidden = [item for item in section.items if item.hidden_by_css]
    assert len(hidden) == 1 and "Biểu mẫu 10" in hidden[0].title
    broken = [a for item in section.items for a in item.attachments if a.status == 404]
    assert [a.url for a in broken] == [OFFICIAL + DIFF["disclosure"]["broken_attachment"]]
    ok = [a for item in section.items for a in item.attachments if a.status == 200]
    assert len(ok) == 3 and all(a.content_type == "application/pdf" for a in ok)


# --- the committed snapshot ---------------------------------------------------------------------


def test_committed_site_matches_the_export(tmp_path: Path) -> None:
    """fixtures/demo/site is build_site.py's output for the current export."""
    script = demo_dir() / "build_site.py"
    spec = importlib.util.spec_from_file_location("build_site", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    try:
        spec.loader.exec_module(module)
        manifest = module.build(tmp_path / "site")
    finally:
        del sys.modules[spec.name]
    assert manifest == DIFF, "run: python fixtures/demo/build_site.py"
    cmp = filecmp.dircmp(tmp_path / "site", demo_site_dir())
    stack = [cmp]
    while stack:
        node = stack.pop()
        assert not node.left_only and not node.right_only, (node.left, node.left_only,
                                                             node.right_only)
        _, mismatch, errors = filecmp.cmpfiles(node.left, node.right, node.common_files,
                                               shallow=False)
        assert not mismatch and not errors, "run: python fixtures/demo/build_site.py"
        stack.extend(node.subdirs.values())


# --- offline and unreachable ----------------------------------------------------------------------


def test_offline_reads_the_last_crawl_without_network(config: Config, tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite"
    with serve_site(demo_site_dir(), OFFICIAL) as running:
        online = crawl(config, running, cache)
        url = running.url
    # The server is gone: only the cache can answer.
    offline = load_site(config, url=url, offline=True, cache_path=cache, shown_origin=OFFICIAL)
    assert offline.stats.offline and offline.stats.requests == online.stats.requests
    assert {sp.post_id for sp in offline.site_posts} == {sp.post_id for sp in online.site_posts}
    assert offline.disclosure == online.disclosure


def test_offline_without_an_earlier_crawl_cannot_complete(config: Config, tmp_path: Path) -> None:
    from auditor.errors import AuditIncomplete

    with pytest.raises(AuditIncomplete) as err:
        load_site(config, url="http://127.0.0.1:9/", offline=True,
                  cache_path=tmp_path / "empty.sqlite")
    assert err.value.exit_code == 3 and "ngoại tuyến" in err.value.message


def test_unreachable_home_page_cannot_complete(config: Config, tmp_path: Path) -> None:
    from auditor.errors import AuditIncomplete

    with serve_site(demo_site_dir(), OFFICIAL) as running:
        url = running.url  # a port that was free a moment ago and is closed now
    settings = replace(settings_for(config, url), polite=False, min_delay=0.0, retries=0,
                       timeout=2.0, cache_path=tmp_path / "c.sqlite")
    with pytest.raises(AuditIncomplete) as err:
        load_site(config, url=url, settings=settings, cache_path=tmp_path / "c.sqlite")
    assert err.value.exit_code == 3 and "127.0.0.1" in err.value.message
