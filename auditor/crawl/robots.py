"""robots.txt per host (protego): allow/disallow, crawl-delay, sitemaps.

A robots.txt that is missing (4xx) allows everything. One that cannot be
fetched (network error, 5xx) also allows everything, and the reason is kept:
an audit that stopped at an unreachable robots.txt would check nothing.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

from auditor.crawl.fetch import Fetcher
from auditor.crawl.settings import host_of

UA_TOKEN = "auditor"


@dataclass(frozen=True)
class HostRobots:
    host: str
    parser: Protego | None
    sitemaps: tuple[str, ...]
    crawl_delay: float | None
    status: int | None
    error: str | None

    def allows(self, url: str) -> bool:
        return self.parser is None or bool(self.parser.can_fetch(url, UA_TOKEN))


class RobotsCache:
    def __init__(self, fetcher: Fetcher) -> None:
        self.fetcher = fetcher
        self._hosts: dict[str, HostRobots] = {}
        self._pending: dict[str, asyncio.Future[HostRobots]] = {}

    async def for_url(self, url: str) -> HostRobots:
        host = host_of(url)
        known = self._hosts.get(host)
        if known is not None:
            return known
        pending = self._pending.get(host)
        if pending is not None:
            return await pending
        future: asyncio.Future[HostRobots] = asyncio.get_running_loop().create_future()
        self._pending[host] = future
        try:
            robots = await self._load(url, host)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: no "never retrieved" warning
            del self._pending[host]
            raise
        self._hosts[host] = robots
        self.fetcher.gate.set_crawl_delay(host, robots.crawl_delay)
        future.set_result(robots)
        del self._pending[host]
        return robots

    async def _load(self, url: str, host: str) -> HostRobots:
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        outcome = await self.fetcher.fetch(
            robots_url, in_scope=lambda target: host_of(target) == host,
            read_body=lambda media: True,
        )
        if outcome.error or outcome.status is None or outcome.status >= 400 or not outcome.text:
            return HostRobots(host, None, (), None, outcome.status, outcome.error)
        parser = Protego.parse(outcome.text)
        delay = parser.crawl_delay(UA_TOKEN)
        return HostRobots(host, parser, tuple(parser.sitemaps), float(delay) if delay else None,
                          outcome.status, None)
