"""Crawl settings: one frozen record built from the [crawl] section of auditor.toml."""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

import platformdirs

from auditor import __version__
from auditor.config import Config, CrawlConfig

PROJECT_URL = "https://github.com/auditor-vn/auditor"


@dataclass(frozen=True)
class CrawlSettings:
    """How to crawl. Politeness (robots.txt, crawl-delay, min_delay) is on by default."""

    hosts: frozenset[str] = frozenset()  # lower-case host[:port]; empty = the seeds' hosts
    contact: str | None = None
    max_pages: int = 3000
    max_depth: int = 8
    max_bytes: int = 5_000_000  # per response, after decompression (cut there)
    timeout: float = 20.0  # connect/read timeout, seconds
    request_time_limit: float = 60.0  # one request start to end, whatever the server trickles
    total_time: float = 1800.0  # the whole crawl
    # After the crawl (documents, re-fetches, the Googlebot probe): at most this much more,
    # all together, so a site never holds a run past total_time + tail_time (issue 13.1).
    tail_time: float = 300.0
    concurrency: int = 16  # all hosts together
    per_host_concurrency: int = 2
    min_delay: float = 1.0  # between request starts to one host
    polite: bool = True  # False: no delays (benchmarks, loopback tests)
    obey_robots: bool = True
    max_crawl_delay: float = 30.0  # robots.txt crawl-delay is honoured up to this
    retries: int = 3
    backoff_base: float = 0.5  # seconds; doubled each retry, plus jitter
    backoff_max: float = 30.0
    max_retry_after: float = 120.0  # a longer Retry-After is an error, not a wait
    max_redirects: int = 10
    max_url_length: int = 2000
    max_pattern_pages: int = 500  # URLs sharing one shape (digits masked): pagination bound
    max_calendar_pages: int = 36  # URLs with dates in them sharing one shape: calendar bound
    fetch_sitemaps: bool = True
    fetch_feeds: bool = True
    check_assets: bool = True  # request in-scope non-HTML links (headers only) for broken links
    fetch_stylesheets: bool = True  # read linked stylesheets (classes that hide content)
    incremental: bool = True  # conditional requests, sitemap lastmod, pagination stop
    stop_pagination: bool = True  # (incremental) a news list stops at posts already seen
    cache_path: Path | None = None
    user_agent_override: str | None = None

    @property
    def user_agent(self) -> str:
        if self.user_agent_override:
            return self.user_agent_override
        contact = self.contact or PROJECT_URL
        return f"auditor/{__version__} (+{contact})"

    def host_delay(self, crawl_delay: float | None) -> float:
        """Seconds between two request starts to one host."""
        if not self.polite:
            return 0.0
        robots = min(crawl_delay or 0.0, self.max_crawl_delay)
        return max(self.min_delay, robots)

    def with_(self, **changes: object) -> CrawlSettings:
        return replace(self, **changes)  # type: ignore[arg-type]


def default_cache_path() -> Path:
    return Path(platformdirs.user_cache_dir("auditor")) / "crawl.sqlite"


@functools.lru_cache(maxsize=8192)  # asked several times per URL by the scheduler
def host_of(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    default = {"http": 80, "https": 443}.get(parts.scheme)
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{host}:{port}" if port and port != default else host


def settings_from_config(crawl: CrawlConfig, *, site: str | None = None,
                         base_dir: Path | None = None) -> CrawlSettings:
    """CrawlSettings from the [crawl] section; `site` (the official URL) sets the scope."""
    hosts = {h.lower().rstrip("/") for h in crawl.hosts}
    if site:
        hosts.add(host_of(site))
    cache: Path | None = None
    if crawl.cache:
        cache = Path(crawl.cache).expanduser()
        if not cache.is_absolute() and base_dir is not None:
            cache = base_dir / cache
    return CrawlSettings(
        hosts=frozenset(hosts),
        contact=crawl.contact,
        max_pages=crawl.max_pages,
        max_depth=crawl.max_depth,
        max_bytes=crawl.max_bytes,
        timeout=crawl.timeout,
        request_time_limit=max(crawl.timeout * 3, crawl.timeout),
        total_time=crawl.total_time,
        tail_time=crawl.tail_time,
        per_host_concurrency=crawl.per_host_concurrency,
        min_delay=crawl.min_delay,
        retries=crawl.retries,
        cache_path=cache,
    )


def settings_for(config: Config, site: str | None = None) -> CrawlSettings:
    """Settings for auditing `site` (default: the school's URL) under `config`."""
    return settings_from_config(config.crawl, site=site or config.sources.site or config.school.url,
                                base_dir=config.base_dir)
