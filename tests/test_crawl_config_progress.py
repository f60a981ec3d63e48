"""The [crawl] config section and the progress output."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from auditor.config import parse_config
from auditor.crawl import CrawlSettings, crawl_sync, make_progress, settings_for
from auditor.crawl.progress import RichProgress, SummaryProgress
from auditor.errors import ConfigError
from tests.loopback import LoopbackServer, Reply, html


def config_for(url: str, cache: Path, **crawl: object):  # type: ignore[no-untyped-def]
    raw = {"school": {"name": "THCS Demo", "url": url},
           "crawl": {"cache": str(cache), "min_delay": 0, "retries": 0, "timeout": 2, **crawl}}
    return parse_config(raw, "auditor.toml", cache.parent)


def test_crawl_config_section_and_settings(tmp_path: Path) -> None:
    config = config_for("http://127.0.0.1:8080", tmp_path / "c.sqlite",
                        contact="https://thcsdemo.edu.vn/lien-he", max_pages=50,
                        hosts=["www.thcsdemo.edu.vn"])
    settings = settings_for(config)
    assert settings.hosts == frozenset({"127.0.0.1:8080", "www.thcsdemo.edu.vn"})
    assert settings.max_pages == 50 and settings.min_delay == 0 and settings.polite
    assert settings.cache_path == tmp_path / "c.sqlite"
    assert settings.user_agent.endswith("(+https://thcsdemo.edu.vn/lien-he)")
    with pytest.raises(ConfigError, match="crawl.max_pages"):
        config_for("http://x.vn", tmp_path / "c.sqlite", max_pages=0)
    with pytest.raises(ConfigError, match="crawl.speed"):
        config_for("http://x.vn", tmp_path / "c.sqlite", speed=3)


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_summary_line_without_tty() -> None:
    stream = io.StringIO()
    progress = make_progress(stream)
    assert isinstance(progress, SummaryProgress)
    with LoopbackServer({"/": html("<a href='/a'>a</a>"), "/a": Reply(500, "x")}) as server:
        crawl_sync([server.url("/")], CrawlSettings(polite=False, retries=0, fetch_sitemaps=False),
                   progress=progress)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Thu thập: 1 trang đã tải") and "1 lỗi" in lines[0]


def test_progress_bar_on_a_tty() -> None:
    stream = _Tty()
    progress = make_progress(stream, lang="en")
    assert isinstance(progress, RichProgress)
    with LoopbackServer({"/": html("<a href='/a'>a</a>"), "/a": html("ok")}) as server:
        crawl_sync([server.url("/")], CrawlSettings(polite=False, fetch_sitemaps=False),
                   progress=progress)
    out = stream.getvalue()
    assert "Crawling" in out and "\x1b[" in out  # a live bar was drawn
    assert "Crawl: 2 fetched, 0 from cache, 0 errors" in out
    assert make_progress(stream, enabled=False) is None
