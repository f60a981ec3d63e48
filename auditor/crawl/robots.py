"""robots.txt per host (protego): allow/disallow, crawl-delay, sitemaps.

RFC 9309 §2.3.1: a robots.txt that is missing (4xx) allows everything; one
the server cannot give (5xx after the retries) or that cannot be reached
(connection refused, reset, timeout) disallows everything for this run, and
the reason says so (issue 13.13). A robots.txt that cannot be read (too many
redirects, a redirect to another host, a body protego cannot parse) is
"unavailable": everything is allowed. Nothing here raises: a hostile
robots.txt never aborts the audit.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

from auditor.crawl.fetch import Fetcher, Outcome
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
    refusal: str | None = None  # Vietnamese: why everything is disallowed (5xx, unreachable)
    # The pages' error code under a refusal: "robots_error" (5xx), or the network's own
    # ("connect", "reset", "timeout") when robots.txt could not be reached.
    refusal_code: str = "robots_error"

    def allows(self, url: str) -> bool:
        if self.refusal is not None:
            return False
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
        limit = self.fetcher.settings.request_time_limit
        try:  # one request's time in all, retries included: the crawl waits on this
            async with asyncio.timeout(limit):
                outcome = await self.fetcher.fetch(
                    robots_url, in_scope=lambda target: host_of(target) == host,
                    read_body=lambda media: True,
                )
        except TimeoutError:
            outcome = Outcome(robots_url, robots_url, error_code="timeout",
                              error=f"robots.txt không trả lời trong {limit:g} giây")
        refusal = _refusal(robots_url, outcome.status, outcome.error_code, outcome.error)
        if refusal is not None:
            code = outcome.error_code if outcome.error_code in _UNREACHABLE else "robots_error"
            return HostRobots(host, None, (), None, outcome.status, outcome.error, refusal,
                              code or "robots_error")
        if outcome.error or outcome.status is None or outcome.status >= 400 or not outcome.text:
            return HostRobots(host, None, (), None, outcome.status, outcome.error)
        try:
            parser = Protego.parse(outcome.text)
            delay = parser.crawl_delay(UA_TOKEN)
            sitemaps = tuple(parser.sitemaps)
        except Exception as exc:  # a hostile robots.txt must not stop the audit: unavailable
            return HostRobots(host, None, (), None, outcome.status,
                              f"robots.txt không đọc được ({type(exc).__name__})")
        return HostRobots(host, parser, sitemaps, float(delay) if delay else None,
                          outcome.status, None)


_UNREACHABLE = frozenset({"connect", "timeout", "reset", "cancelled"})


def _refusal(robots_url: str, status: int | None, code: str | None,
             error: str | None) -> str | None:
    """RFC 9309 §2.3.1.4: a server error or an unreachable robots.txt means "disallow all"."""
    if status is not None and status >= 500:
        return (f"{robots_url} trả lỗi máy chủ HTTP {status}: theo RFC 9309 không tải trang "
                "nào của máy chủ này trong lần chạy này")
    if code in _UNREACHABLE:
        return (f"không tải được {robots_url} ({error}): theo RFC 9309 không tải trang nào "
                "của máy chủ này trong lần chạy này")
    return None
