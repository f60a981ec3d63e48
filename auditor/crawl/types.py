"""What a crawl produces: frozen records that the site model only reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

PageKind = Literal["page", "sitemap", "feed", "asset"]

# Stable machine codes for FetchedPage.error_code; the Vietnamese reason is in .error.
ERROR_CODES = (
    "connect",  # could not connect (DNS, refused)
    "timeout",  # connect/read timeout or the per-request time limit
    "reset",  # connection reset / closed mid-response
    "http",  # final status >= 400 after retries
    "redirect_loop",
    "too_many_redirects",
    "off_scope",  # redirected to a host outside the configured scope
    "robots",  # disallowed by robots.txt
    "robots_error",  # robots.txt answered 5xx or could not be reached: disallow all (RFC 9309)
    "protocol",  # malformed response
    "cancelled",  # the crawl's total time ran out while this request was in flight
)

# The English reason of each code (the Vietnamese one, with details, is in .error).
ERROR_REASONS_EN = {
    "connect": "could not connect to the server",
    "timeout": "the server did not answer in time",
    "reset": "the server closed the connection mid-response",
    "http": "the server answered with an HTTP error",
    "redirect_loop": "the redirects form a loop",
    "too_many_redirects": "too many redirects",
    "off_scope": "redirected to a host outside the site",
    "robots": "robots.txt does not allow fetching this address",
    "robots_error": ("robots.txt answered a server error or could not be reached; RFC 9309 "
                     "says to fetch nothing from this server until it answers"),
    "protocol": "the server's answer is not valid HTTP",
    "cancelled": "the crawl's time ran out before this page was fetched",
}


@dataclass(frozen=True)
class FetchedPage:
    """One URL as the crawler saw it (or as the cache remembered it)."""

    url: str  # canonical key
    requested_url: str
    final_url: str
    status: int | None
    headers: dict[str, str]
    content_type: str | None  # media type only, lower-case, e.g. "text/html"
    size: int  # body bytes received on the wire this run (0 when from cache or 304)
    fetched_at: datetime  # aware, UTC
    elapsed: float  # seconds
    redirect_chain: tuple[str, ...] = ()  # URLs that answered 3xx, in order
    text: str | None = None  # decoded body (HTML, sitemap, feed); None for skipped types
    encoding: str | None = None  # the encoding used to decode `text`
    declared_charset: str | None = None  # from Content-Type header or <meta>, as written
    truncated: bool = False  # body cut at max_bytes
    from_cache: bool = False  # body from the cache (304, sitemap lastmod or offline)
    not_modified: bool = False  # the server answered 304 to a conditional request
    error: str | None = None  # Vietnamese reason when the page could not be fetched
    error_code: str | None = None  # one of ERROR_CODES
    depth: int = 0
    kind: PageKind = "page"
    referrer: str | None = None  # canonical URL of the page that linked here first
    sitemap_lastmod: datetime | None = None

    @property
    def ok(self) -> bool:
        """Fetched (or revalidated) with a 2xx answer."""
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def is_html(self) -> bool:
        return self.content_type in ("text/html", "application/xhtml+xml")


@dataclass
class CrawlStats:
    requests: int = 0  # HTTP requests sent, retries and robots.txt included
    bytes_downloaded: int = 0  # body bytes received on the wire
    pages_fetched: int = 0  # URLs that got a final answer from the network this run
    errors: int = 0  # URLs that ended in an error
    from_cache: int = 0  # URLs whose body came from the cache
    not_modified: int = 0  # 304 answers
    retries: int = 0
    elapsed: float = 0.0
    stopped: str | None = None  # the first limit that cut the crawl short (see `left`)
    traps_bounded: int = 0  # URLs dropped by the trap bounds
    pagination_stopped: int = 0  # listings whose pagination stopped at already-seen posts
    # URLs left unread, by the limit that left them: "max_pages", "max_depth",
    # "total_time", "max_pattern_pages" (URLs), "max_bytes" (pages cut at the byte cap).
    left: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class CrawlResult:
    seeds: tuple[str, ...]
    pages: dict[str, FetchedPage]
    stats: CrawlStats
    robots_blocked: tuple[str, ...] = ()
    off_scope: tuple[str, ...] = ()  # links and redirects leaving the configured hosts
    offline: bool = False
    started_at: datetime | None = None
    sitemap_urls: tuple[str, ...] = ()
    feed_urls: tuple[str, ...] = ()
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def home(self) -> FetchedPage | None:
        return self.pages.get(self.seeds[0]) if self.seeds else None

    @property
    def home_unreachable(self) -> bool:
        """The first seed (the home page) gave no usable answer: the audit cannot run (exit 3)."""
        home = self.home
        return home is None or not home.ok

    @property
    def nothing_fetched(self) -> bool:
        return not any(page.ok for page in self.pages.values())

    def unreachable_reason(self, lang: str = "vi") -> str | None:
        """Why the home page could not be fetched (Vietnamese, or "en"), or None."""
        home = self.home
        en = lang == "en"
        if home is None:
            return "Could not fetch the home page." if en else "Không tải được trang chủ."
        if home.ok:
            return None
        if home.error:
            if en:
                why = ERROR_REASONS_EN.get(home.error_code or "", home.error)
                if home.error_code == "http" and home.status:
                    why += f" ({home.status})"
                return f"Could not fetch the home page {home.requested_url}: {why}"
            return f"Không tải được trang chủ {home.requested_url}: {home.error}"
        if en:
            return f"The home page {home.requested_url} answered HTTP {home.status}."
        return f"Trang chủ {home.requested_url} trả mã HTTP {home.status}."
