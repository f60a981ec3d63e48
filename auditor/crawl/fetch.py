"""One URL over HTTP: per-host pacing, retries with back-off, redirects, limits, charset.

Nothing here raises for network trouble: every outcome is a value with a
Vietnamese reason, because a site that is down is "not checked", never a
violation (issue 3.8; DESIGN.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import importlib.util
import random
import sys
import time
import zlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx

from auditor.crawl.charset import decode_body
from auditor.crawl.settings import CrawlSettings, host_of
from auditor.crawl.transport import transport_for
from auditor.crawl.types import CrawlStats

# httpcore runs `import sniffio` on every request and falls back to asyncio when
# it is missing; a failed import is not cached, so each request searched the
# whole sys.path (a third of the crawler's CPU time). Record the absence once.
if importlib.util.find_spec("sniffio") is None:
    sys.modules.setdefault("sniffio", None)  # type: ignore[arg-type]

TEXT_TYPES = frozenset({
    "text/html", "application/xhtml+xml", "application/xml", "text/xml", "application/rss+xml",
    "application/atom+xml", "application/rdf+xml", "text/plain",
})
RETRY_STATUS = frozenset({429, 500, 502, 503, 504, 507, 508, 520, 521, 522, 523, 524})
REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})


@dataclass
class Outcome:
    """What one fetch gave; the crawler turns it into a FetchedPage."""

    requested_url: str
    final_url: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = None
    size: int = 0  # body bytes on the wire
    elapsed: float = 0.0
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    redirect_chain: tuple[str, ...] = ()
    text: str | None = None
    body: bytes | None = None  # the raw (decompressed) body, when asked for instead of text
    encoding: str | None = None
    declared_charset: str | None = None
    truncated: bool = False
    not_modified: bool = False
    error: str | None = None
    error_code: str | None = None
    off_scope_target: str | None = None

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")


class HostGate:
    """Per-host concurrency and spacing between request starts (min_delay, crawl-delay)."""

    def __init__(self, settings: CrawlSettings) -> None:
        self.settings = settings
        self._sems: dict[str, asyncio.Semaphore] = {}
        self._next: dict[str, float] = {}
        self._delay: dict[str, float] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    def starts(self) -> dict[str, float]:
        """When each host may next be asked (monotonic): carried from one event loop to the next."""
        return dict(self._next)

    def resume(self, starts: dict[str, float], delays: dict[str, float]) -> None:
        self._next.update(starts)
        self._delay.update(delays)

    def delays(self) -> dict[str, float]:
        return dict(self._delay)

    def set_crawl_delay(self, host: str, crawl_delay: float | None) -> None:
        self._delay[host] = self.settings.host_delay(crawl_delay)

    def push_back(self, host: str, seconds: float) -> None:
        """Retry-After: nobody starts a request to `host` for `seconds`."""
        self._next[host] = max(self._next.get(host, 0.0), time.monotonic() + seconds)

    @contextlib.asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        sem = self._sems.setdefault(host, asyncio.Semaphore(self.settings.per_host_concurrency))
        lock = self._locks.setdefault(host, asyncio.Lock())
        async with sem:
            async with lock:  # reserve a start time; spacing holds across workers
                delay = self._delay.get(host, self.settings.host_delay(None))
                wait = self._next.get(host, 0.0) - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                self._next[host] = time.monotonic() + delay
            yield


class _Decompressor:
    """Content-Encoding decoding with a hard cap on output: a gzip bomb stops at the cap."""

    def __init__(self, encoding: str) -> None:
        encoding = encoding.strip().lower()
        self.raw = encoding in ("", "identity")
        self._deflate = encoding == "deflate"
        self._obj = None if self.raw else zlib.decompressobj(47 if not self._deflate else 15)
        self.supported = self.raw or encoding in ("gzip", "x-gzip", "deflate")

    def feed(self, data: bytes, room: int) -> tuple[bytes, bool]:
        """(decoded bytes, at most `room` of them; True if more output was left over)."""
        if self.raw:
            return data[:room], len(data) > room
        assert self._obj is not None
        try:
            out = self._obj.decompress(data, room)
        except zlib.error:
            if not self._deflate:
                raise
            self._obj, self._deflate = zlib.decompressobj(-15), False  # raw deflate
            out = self._obj.decompress(data, room)
        return out, bool(self._obj.unconsumed_tail)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _media_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


_MESSAGES = {
    "connect": "không kết nối được tới máy chủ",
    "timeout": "máy chủ không trả lời trong thời hạn {limit:g} giây",
    "reset": "máy chủ ngắt kết nối giữa chừng",
    "protocol": "câu trả lời của máy chủ không đúng giao thức HTTP",
    "cancelled": "hết thời gian thu thập cho phép trước khi tải xong",
}


class _Failure(Exception):
    def __init__(self, code: str, message: str, retryable: bool) -> None:
        super().__init__(message)
        self.code, self.message, self.retryable = code, message, retryable


class Fetcher:
    """Fetches URLs through one httpx.AsyncClient; counts requests and bytes in `stats`."""

    def __init__(self, settings: CrawlSettings, stats: CrawlStats, gate: HostGate,
                 client: httpx.AsyncClient | None = None) -> None:
        self.settings = settings
        self.stats = stats
        self.gate = gate
        # As many connections as requests in flight: httpcore scans its whole pool
        # for every request, so idle extras cost CPU and buy nothing (transport.py).
        self.client = client or httpx.AsyncClient(
            follow_redirects=False, timeout=httpx.Timeout(settings.timeout),
            transport=transport_for(settings.concurrency),
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate",
                     "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5",
                     "Accept-Language": "vi,en;q=0.5"},
            trust_env=False,
        )

    async def aclose(self) -> None:
        await self.client.aclose()

    async def fetch(self, url: str, *, in_scope: Callable[[str], bool],
                    validators: tuple[str | None, str | None] | None = None,
                    read_body: Callable[[str | None], bool] | None = None,
                    headers: dict[str, str] | None = None, binary: bool = False) -> Outcome:
        """GET `url`, following redirects inside the scope. Never raises for network trouble.

        `validators` = (etag, last_modified) for a conditional request;
        `read_body(media_type)` says whether to download the body (default: text types);
        `headers` are sent with every hop (another User-Agent, a Referer); `binary` keeps
        the body as bytes (`Outcome.body`) instead of decoding it.
        """
        started = time.monotonic()
        outcome = Outcome(requested_url=url, final_url=url)
        chain: list[str] = []
        seen = {url}
        current = url
        wants = read_body or (lambda media: media in TEXT_TYPES)
        try:
            while True:
                sent = dict(headers or {})
                if validators and not chain:
                    etag, modified = validators
                    if etag:
                        sent["If-None-Match"] = etag
                    if modified:
                        sent["If-Modified-Since"] = modified
                await self._with_retries(current, sent, outcome, wants, binary)
                status = outcome.status
                location = outcome.headers.get("location")
                if status not in REDIRECT_STATUS or not location:
                    break
                chain.append(current)
                target = str(httpx.URL(current).join(location.strip()))
                if target in seen:
                    outcome.error_code = "redirect_loop"
                    outcome.error = "chuyển hướng vòng lặp: " + " → ".join([*chain, target])
                    break
                if len(chain) > self.settings.max_redirects:
                    outcome.error_code = "too_many_redirects"
                    outcome.error = f"quá {self.settings.max_redirects} lần chuyển hướng"
                    break
                if not in_scope(target):
                    outcome.error_code = "off_scope"
                    outcome.off_scope_target = target
                    outcome.error = f"chuyển hướng ra ngoài địa chỉ của trang: {target}"
                    break
                seen.add(target)
                current = target
                outcome.final_url = target
        except _Failure as failure:
            outcome.error_code, outcome.error = failure.code, failure.message
        outcome.redirect_chain = tuple(chain)
        outcome.elapsed = time.monotonic() - started
        return outcome

    async def _with_retries(self, url: str, headers: dict[str, str], outcome: Outcome,
                            wants: Callable[[str | None], bool], binary: bool = False) -> None:
        host = host_of(url)
        attempts = self.settings.retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            wait: float | None = None
            try:
                async with self.gate.slot(host):
                    await self._once(url, headers, outcome, wants, binary)
            except _Failure as failure:
                if not failure.retryable or last:
                    raise
            else:
                if outcome.status not in RETRY_STATUS:
                    return
                wait = _retry_after(outcome.headers.get("retry-after"))
                if wait is not None and wait > self.settings.max_retry_after:
                    raise _Failure("http", f"máy chủ trả mã HTTP {outcome.status} và yêu cầu "
                                   f"chờ {wait:.0f} giây (Retry-After), quá lâu", False)
                if last:
                    raise _Failure("http", f"máy chủ trả mã lỗi HTTP {outcome.status} "
                                   f"sau {attempts} lần thử", False)
                if wait is not None:
                    self.gate.push_back(host, wait)
            self.stats.retries += 1
            backoff = min(self.settings.backoff_max, self.settings.backoff_base * 2 ** attempt)
            await asyncio.sleep(max(wait or 0.0, backoff * (0.5 + random.random())))

    async def _once(self, url: str, headers: dict[str, str], outcome: Outcome,
                    wants: Callable[[str | None], bool], binary: bool) -> None:
        self.stats.requests += 1
        limit = self.settings.request_time_limit
        try:
            async with asyncio.timeout(limit):
                await self._stream(url, headers, outcome, wants, binary)
        except TimeoutError:  # the whole request, however slowly the server trickles
            raise _Failure("timeout", _MESSAGES["timeout"].format(limit=limit), True) from None
        except httpx.TimeoutException:
            raise _Failure("timeout", _MESSAGES["timeout"].format(limit=self.settings.timeout),
                           True) from None
        except httpx.ConnectError as exc:
            raise _Failure("connect", f"{_MESSAGES['connect']} ({exc})", True) from None
        except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError,
                ConnectionError):
            raise _Failure("reset", _MESSAGES["reset"], True) from None
        except zlib.error:
            raise _Failure("protocol", "nội dung nén (gzip/deflate) bị hỏng", False) from None
        except (httpx.UnsupportedProtocol, httpx.InvalidURL, httpx.LocalProtocolError,
                httpx.DecodingError, httpx.TooManyRedirects) as exc:
            raise _Failure("protocol", f"{_MESSAGES['protocol']} ({exc})", False) from None

    async def _stream(self, url: str, headers: dict[str, str], outcome: Outcome,
                      wants: Callable[[str | None], bool], binary: bool) -> None:
        async with self.client.stream("GET", url, headers=headers) as response:
            outcome.status = response.status_code
            outcome.headers = {k.lower(): v for k, v in response.headers.items()}
            outcome.fetched_at = datetime.now(UTC)
            raw_type = response.headers.get("content-type")
            outcome.content_type = _media_type(raw_type)
            outcome.size = 0
            outcome.text = outcome.encoding = outcome.declared_charset = outcome.body = None
            outcome.truncated = outcome.not_modified = False
            if response.status_code == 304:
                outcome.not_modified = True
                return
            if response.status_code in REDIRECT_STATUS or response.status_code in RETRY_STATUS:
                return
            if not wants(outcome.content_type):
                return  # non-HTML (PDF, image…): the status is all we need
            decoder = _Decompressor(response.headers.get("content-encoding", ""))
            if not decoder.supported:
                raise _Failure("protocol", "máy chủ dùng kiểu nén không hỗ trợ: "
                               + response.headers.get("content-encoding", ""), False)
            cap = self.settings.max_bytes
            parts: list[bytes] = []
            kept = 0
            async for chunk in response.aiter_raw():
                outcome.size += len(chunk)
                self.stats.bytes_downloaded += len(chunk)
                out, _more = decoder.feed(chunk, cap - kept)
                parts.append(out)
                kept += len(out)
                if kept >= cap:
                    # Cut at the limit (issue 3.1): stop reading; the connection is dropped.
                    outcome.truncated = True
                    break
            body = b"".join(parts)
            if binary:
                outcome.body = body
                return
            text, encoding, declared = decode_body(body, raw_type, outcome.truncated)
            outcome.text, outcome.encoding, outcome.declared_charset = text, encoding, declared
