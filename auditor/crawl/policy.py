"""Which links the crawler follows and how it names pages.

The site helper's profiles subclass :class:`DefaultPolicy` (e.g. to know a
platform's list and article URLs); the crawler only talks to the protocol.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from auditor.crawl import urls
from auditor.crawl.discover import html_links, parse_feed, parse_sitemap
from auditor.crawl.types import FetchedPage


@runtime_checkable
class LinkPolicy(Protocol):
    def canonical(self, url: str, base: str | None = None) -> str | None:
        """The page's key; None drops the URL (not http, or not worth fetching)."""

    def dedup_key(self, canonical: str) -> str:
        """Two canonical URLs with one dedup key are one page; the first one seen wins."""

    def links(self, page: FetchedPage) -> Iterable[str]:
        """Absolute URLs to follow from a fetched page (HTML links, sitemap <loc>, feed items)."""

    def is_listing(self, url: str) -> bool:
        """A news list whose pagination may stop at already-seen posts."""

    def listing_key(self, url: str) -> str | None:
        """The list's identity without its page number (pages of one list share it)."""

    def is_post(self, url: str) -> bool:
        """An article page (what a listing lists)."""


class DefaultPolicy:
    """Generic rules plus the haiphong-edu platform's URL shapes (DOMAIN.md)."""

    # Links to these are not pages: never fetched, never counted.
    SKIP_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".ico", ".css", ".js",
                       ".woff", ".woff2", ".ttf", ".mp4", ".mp3", ".avi", ".mov", ".zip", ".rar")

    def canonical(self, url: str, base: str | None = None) -> str | None:
        canonical = urls.canonicalize(url, base)
        if canonical is None:
            return None
        path = canonical.split("?", 1)[0].lower()
        if path.endswith(self.SKIP_EXTENSIONS):
            return None
        return canonical

    def dedup_key(self, canonical: str) -> str:
        return urls.dedup_key(canonical)

    def links(self, page: FetchedPage) -> Iterable[str]:
        if page.text is None:
            return ()
        base = page.final_url or page.requested_url
        if page.kind == "sitemap":
            return [entry.url for entry in parse_sitemap(page.text, base).entries]
        if page.kind == "feed":
            return parse_feed(page.text, base)
        if page.is_html:
            return html_links(page.text, base)
        return ()

    def is_listing(self, url: str) -> bool:
        return self.listing_key(url) is not None

    def listing_key(self, url: str) -> str | None:
        return urls.listing_key(url)

    def is_post(self, url: str) -> bool:
        return urls.post_id(url) is not None or not self.is_listing(url)
