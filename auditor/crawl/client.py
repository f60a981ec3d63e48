"""The one HTTP path outside the crawl: checks, documents and `auditor text scan URL`.

Every fetch after the crawl (the Công khai re-fetch, the Googlebot probe,
Word attachments, a single page to scan) goes through a :class:`PageFetcher`.
:class:`SiteClient` is the implementation: the crawler's own
:class:`~auditor.crawl.fetch.Fetcher` (User-Agent, byte cap on the
decompressed body, wall-clock limit per request, redirects followed by hand
with the scope checked on every hop, no proxy variables), robots.txt and
per-host pacing, and one overall deadline shared by every call: a hostile
site that drips one byte a second cannot hold the run past it (issue 13.1).

Each call runs on its own short event loop, so a client needs no closing and
can be used from plain synchronous code (checks, the CLI).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Protocol

from auditor.crawl.fetch import Fetcher, HostGate, Outcome
from auditor.crawl.robots import HostRobots, RobotsCache
from auditor.crawl.settings import CrawlSettings, host_of
from auditor.crawl.types import CrawlStats
from auditor.crawl.urls import in_scope, with_www_twins


class PageFetcher(Protocol):
    """Fetches one URL for a check or a command; never raises for network trouble."""

    def get(self, url: str, *, within: Callable[[str], bool] | None = None,
            headers: Mapping[str, str] | None = None, binary: bool = False,
            read_body: bool = True, time_limit: float | None = None) -> Outcome:
        """GET `url`. `within` is the scope every redirect hop must stay in (default: the
        client's hosts); `binary` keeps the body as bytes; `time_limit` shortens the
        per-request wall-clock limit. The answer's `error` says what was refused and why."""
        ...


class SiteClient:
    """A :class:`PageFetcher` over the crawler's fetcher, with robots.txt, pacing and a
    deadline (``time.monotonic()`` value) after which nothing more is requested."""

    def __init__(self, settings: CrawlSettings, *, deadline: float | None = None,
                 hosts: frozenset[str] = frozenset()) -> None:
        self.settings = settings
        self.deadline = deadline
        self.hosts = with_www_twins(frozenset(h.lower() for h in (hosts or settings.hosts)))
        self.stats = CrawlStats()
        self._robots: dict[str, HostRobots] = {}
        self._starts: dict[str, float] = {}
        self._delays: dict[str, float] = {}

    @classmethod
    def until(cls, settings: CrawlSettings, seconds: float, *,
              hosts: frozenset[str] = frozenset()) -> SiteClient:
        """A client whose calls must all end within `seconds` from now."""
        return cls(settings, deadline=time.monotonic() + max(seconds, 0.0), hosts=hosts)

    @classmethod
    def after_crawl(cls, settings: CrawlSettings, crawl_started: datetime | None, *,
                    hosts: frozenset[str] = frozenset()) -> SiteClient:
        """A client for the fetches that follow a crawl begun at `crawl_started`: they end
        by crawl_started + total_time + tail_time, whenever the crawl itself ended."""
        if crawl_started is None:
            return cls.until(settings, settings.tail_time, hosts=hosts)
        spent = (datetime.now(UTC) - crawl_started).total_seconds()
        return cls.until(settings, settings.total_time + settings.tail_time - spent, hosts=hosts)

    def remaining(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.monotonic()

    def get(self, url: str, *, within: Callable[[str], bool] | None = None,
            headers: Mapping[str, str] | None = None, binary: bool = False,
            read_body: bool = True, time_limit: float | None = None) -> Outcome:
        scope = within or self._in_scope if self.hosts else within or same_host(url)
        left = self.remaining()
        if left is not None and left <= 0:
            return _refused(url, "cancelled", self._late())
        if not scope(url):
            return _refused(url, "off_scope", f"địa chỉ ngoài phạm vi của trang: {url}")
        settings = self.settings
        if time_limit is not None:
            settings = settings.with_(request_time_limit=min(time_limit,
                                                             settings.request_time_limit),
                                      timeout=min(time_limit, settings.timeout))
        return asyncio.run(self._get(url, settings, scope, dict(headers or {}), binary,
                                     read_body))

    async def _get(self, url: str, settings: CrawlSettings, scope: Callable[[str], bool],
                   headers: dict[str, str], binary: bool, read_body: bool) -> Outcome:
        gate = HostGate(settings)
        gate.resume(self._starts, self._delays)
        fetcher = Fetcher(settings, self.stats, gate)
        try:
            left = self.remaining()
            async with asyncio.timeout(left):
                robots = await self._robots_for(fetcher, url)
                if robots is not None and not robots.allows(url):
                    return _refused(url, "robots" if robots.refusal is None
                                    else robots.refusal_code,
                                    robots.refusal or "robots.txt của trang không cho phép tải "
                                                      "địa chỉ này")
                return await fetcher.fetch(url, in_scope=scope, headers=headers, binary=binary,
                                           read_body=lambda media: read_body)
        except TimeoutError:
            return _refused(url, "cancelled", self._late())
        finally:
            self._starts.update(gate.starts())
            self._delays.update(gate.delays())
            await fetcher.aclose()

    async def _robots_for(self, fetcher: Fetcher, url: str) -> HostRobots | None:
        if not self.settings.obey_robots:
            return None
        host = host_of(url)
        known = self._robots.get(host)
        if known is None:
            known = self._robots[host] = await RobotsCache(fetcher).for_url(url)
        return known

    def _in_scope(self, url: str) -> bool:
        return in_scope(url, self.hosts)

    def _late(self) -> str:
        return ("hết thời gian dành cho các lần tải sau khi thu thập "
                "(crawl.total_time và crawl.tail_time): không tải nữa")


def same_host(url: str) -> Callable[[str], bool]:
    """The scope of one page: its own host (and www. twin), nothing else."""
    hosts = with_www_twins(frozenset({host_of(url)}))
    return lambda target: in_scope(target, hosts)


def _refused(url: str, code: str, reason: str) -> Outcome:
    return Outcome(requested_url=url, final_url=url, error=reason, error_code=code)
