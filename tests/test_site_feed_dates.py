"""A WordPress block theme prints no date on its posts: the date comes from /feed/."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from auditor.config import parse_config
from auditor.crawl import settings_for
from auditor.site.load import load_site
from auditor.timeutil import tz
from tests.loopback import LoopbackServer, Reply

HEAD = ('<meta charset="utf-8"><meta name="generator" content="WordPress 6.7.1">'
        '<link rel="alternate" type="application/rss+xml" href="/feed/">')


def _post(pid: int, title: str) -> str:
    return (f"<html><head>{HEAD}</head><body class='single single-post postid-{pid}'>"
            f"<main><h1 class='wp-block-post-title'>{title}</h1><div class='entry-content'>"
            f"<p>Nội dung {title}.</p></div></main></body></html>")


def test_block_theme_posts_take_their_date_from_the_feed(tmp_path: Path) -> None:
    feed = ("<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel><title>T</title>"
            "<item><title>A</title><link>/tin-a/</link>"
            "<pubDate>Tue, 24 Nov 2026 01:15:00 +0000</pubDate></item></channel></rss>")
    routes = {
        "/": Reply(200, f"<html><head>{HEAD}</head><body><ul><li><a href='/tin-a/'>A</a></li>"
                        "<li><a href='/tin-b/'>B</a></li></ul></body></html>"),
        "/tin-a/": Reply(200, _post(11, "Tin A")),
        "/tin-b/": Reply(200, _post(12, "Tin B")),  # not in the feed: date unknown
        "/feed/": Reply(200, feed, "application/rss+xml"),
    }
    with LoopbackServer(routes) as site:
        config = parse_config({"school": {"name": "Trường Tiểu học Ví Dụ", "url": site.base},
                               "site": {"profile": "wordpress"}}, "auditor.toml", tmp_path)
        settings = replace(settings_for(config, site.url("/")), polite=False, min_delay=0.0,
                           cache_path=tmp_path / "c.sqlite")
        snap = load_site(config, url=site.url("/"), settings=settings,
                         cache_path=tmp_path / "c.sqlite")
    dated, undated = snap.post("11"), snap.post("12")
    assert dated is not None and dated.date_source == "feed"
    assert dated.post.published_at is not None
    assert dated.post.published_at.astimezone(tz()).strftime("%d/%m/%Y %H:%M") == (
        "24/11/2026 08:15")
    # Kept as a post with an unknown date, not dropped, and counted as undated.
    assert undated is not None and undated.post.published_at is None
    assert snap.coverage is not None
    assert (snap.coverage.pages_like_posts, snap.coverage.posts_dated) == (2, 1)
