"""Each page parsed once: the records read during the crawl give the same site model.

The demo school's site is served on 127.0.0.1 and crawled over real HTTP with
the profile's reader on (records.PageReader, through ProfilePolicy.links). The
snapshot built from those records must equal, field by field, the one built by
parsing every page again after the crawl, and the build must parse no page but
the home page (read for its menu).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from auditor.config import Config, load_config
from auditor.crawl import CrawlResult, PageCache, crawl_sync, settings_for
from auditor.profiles import builtin_profiles, load_profile
from auditor.resources import demo_dir
from auditor.site import build
from auditor.site.demo_server import serve_site
from auditor.site.load import demo_site_dir
from auditor.site.page_records import PageReader
from auditor.site.profile_policy import ProfilePolicy
from auditor.site.snapshot import SiteSnapshot
from auditor.timeutil import tz

OFFICIAL = "https://thcshoaphuong.haiphong.edu.vn"
PROFILE = "haiphong-edu"  # the demo's platform


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config(demo_dir() / "auditor.toml")


@pytest.fixture(scope="module")
def crawled(config: Config, tmp_path_factory: pytest.TempPathFactory) -> Iterator[
        tuple[CrawlResult, PageReader]]:
    profile = load_profile(PROFILE)
    cache = tmp_path_factory.mktemp("once") / "cache.sqlite"
    with serve_site(demo_site_dir(), OFFICIAL) as running:
        home = running.url.rstrip("/") + "/"
        reader = PageReader(profile, tz(config.school.timezone), home)
        settings = replace(settings_for(config, home), polite=False, min_delay=0.0,
                           per_host_concurrency=4)
        with PageCache(cache) as pages:
            result = crawl_sync([home], settings, cache=pages,
                                policy=ProfilePolicy([profile], reader))
    yield result, reader


@pytest.fixture(scope="module")
def crawled_auto(config: Config, tmp_path_factory: pytest.TempPathFactory) -> Iterator[
        tuple[CrawlResult, PageReader]]:
    """No profile configured: the reader detects it from the home page, as the build does."""
    cache = tmp_path_factory.mktemp("auto") / "cache.sqlite"
    with serve_site(demo_site_dir(), OFFICIAL) as running:
        home = running.url.rstrip("/") + "/"
        reader = PageReader(None, tz(config.school.timezone), home)
        settings = replace(settings_for(config, home), polite=False, min_delay=0.0,
                           per_host_concurrency=4)
        with PageCache(cache) as pages:
            result = crawl_sync([home], settings, cache=pages,
                                policy=ProfilePolicy(builtin_profiles(), reader))
    yield result, reader


def _build(result: CrawlResult, config: Config, reader: PageReader | None) -> SiteSnapshot:
    return build.build_snapshot(result, profile=load_profile(PROFILE), profile_reason="",
                                zone=tz(config.school.timezone), reader=reader)


def test_records_are_read_for_every_html_page(crawled: tuple[CrawlResult, PageReader]) -> None:
    result, reader = crawled
    html = {u for u, p in result.pages.items() if p.ok and p.is_html and p.text}
    assert len(html) > 20
    assert set(reader.records) == html
    assert any(r.post is not None for r in reader.records.values())


def test_the_model_from_records_equals_the_model_from_a_second_parse(
        crawled: tuple[CrawlResult, PageReader], config: Config,
        monkeypatch: pytest.MonkeyPatch) -> None:
    result, reader = crawled
    again = _build(result, config, None)
    parsed: list[str] = []
    real_parse = build.parse
    monkeypatch.setattr(build, "parse", lambda text: parsed.append(text) or real_parse(text))
    once = _build(result, config, reader)
    home = result.home
    assert home is not None
    assert parsed == [home.text]  # the home page only, for its menu
    assert once.site_posts == again.site_posts
    assert len(once.site_posts) > 10
    assert once.pages == again.pages
    assert once.nav == again.nav and once.disclosure == again.disclosure
    assert once.coverage == again.coverage


def test_a_record_read_with_another_profile_is_not_used(
        crawled: tuple[CrawlResult, PageReader], config: Config,
        monkeypatch: pytest.MonkeyPatch) -> None:
    result, reader = crawled
    parsed: list[str] = []
    real_parse = build.parse
    monkeypatch.setattr(build, "parse", lambda text: parsed.append(text) or real_parse(text))
    profile = replace(reader.profile)  # equal, but not the profile the records were read with
    assert profile is not reader.profile
    build.build_snapshot(result, profile=profile, profile_reason="",
                         zone=tz(config.school.timezone), reader=reader)
    assert len(parsed) == len(reader.records)  # every page again (the home page once)



def test_an_auto_detected_profile_reads_pages_once_too(
        crawled_auto: tuple[CrawlResult, PageReader], config: Config,
        monkeypatch: pytest.MonkeyPatch) -> None:
    result, reader = crawled_auto
    assert reader.profile is load_profile(PROFILE)  # detected from the home page
    zone = tz(config.school.timezone)
    again = build.build_snapshot(result, profile=None, profile_reason="", zone=zone)
    parsed: list[str] = []
    real_parse = build.parse
    monkeypatch.setattr(build, "parse", lambda text: parsed.append(text) or real_parse(text))
    once = build.build_snapshot(result, profile=None, profile_reason="", zone=zone,
                                reader=reader)
    home = result.home
    assert home is not None and home.text is not None
    html = {u for u, p in result.pages.items() if p.ok and p.is_html and p.text}
    # Pages a sitemap named before the home page arrived have no record; all others do.
    unread = {result.pages[u].text for u in html - set(reader.records)}
    assert len(reader.records) >= 0.9 * len(html)
    assert set(parsed) <= unread | {home.text}
    assert once.profile == again.profile == PROFILE
    assert once.site_posts == again.site_posts and once.pages == again.pages
    assert once.coverage == again.coverage and once.disclosure == again.disclosure


HREFS = ["/a/b", "/a/b?x=1", "/a/b?", "/a/b?#f", "/a/b#frag", "/a/./b", "/a/../b", "/a/b/..",
         "/a//b", "//cdn.example.vn/x", "/a;p=1/b", "/a b", " /trim ", "/a\\b", "/a/b?q=1&r=/./",
         "/", "/?", "/#", "rel/ative", "../up", "?q=1", "#top", "javascript:void(0)",
         "mailto:x@example.vn", "https://other.example.vn/x", "HTTP://X.vn/Y", "", "/%7Ex/ạ",
         "/tin-tuc/bai-viet-ab/ct/5/12", "/a/b/.hidden", "/a.html?id=3#c"]


@pytest.mark.parametrize("href", HREFS)
@pytest.mark.parametrize("base", ["http://127.0.0.1:8080/tin-tuc/c/5", "https://thcs.example.vn/",
                                  "https://thcs.example.vn/a/b?x=1"])
def test_fast_link_join_equals_urljoin(href: str, base: str) -> None:
    from urllib.parse import urlsplit

    from auditor.site.extract import _absolute_fast, absolute

    parts = urlsplit(base)
    assert _absolute_fast(href, base, f"{parts.scheme}://{parts.netloc}") == absolute(href, base)
