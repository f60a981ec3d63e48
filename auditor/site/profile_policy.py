"""The crawler's link policy, driven by site profiles.

The crawler (``auditor.crawl``) asks a :class:`~auditor.crawl.LinkPolicy` which
URLs to drop, which pages are paginated lists and which are posts (so that a
repeat run can stop a list's pagination at posts it has already seen). Before
the platform is known (auto-detection reads the home page after the crawl),
the policy uses every built-in profile's patterns together.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from urllib.parse import urlsplit

from auditor.crawl import DefaultPolicy, FetchedPage
from auditor.crawl.discover import html_links_from_tree
from auditor.profiles import Profile
from auditor.site.extract import parse_html, path_and_query
from auditor.site.page_records import PageReader


class ProfilePolicy(DefaultPolicy):
    """DefaultPolicy plus the URL shapes of one or more profiles.

    With a `reader`, each HTML page's tree, parsed here for the crawler's links,
    is read for the site model too (records.PageReader): the page is parsed once.
    """

    def __init__(self, profiles: list[Profile], reader: PageReader | None = None) -> None:
        self.profiles = profiles
        self.reader = reader
        self._kinds: dict[str, tuple[str | None, dict[str, str]]] = {}

    def links(self, page: FetchedPage) -> Iterable[str]:
        if self.reader is None or page.kind != "page" or not page.is_html or not page.text:
            return super().links(page)
        soup = parse_html(page.text)
        # A page the reader trips on is read again by build_snapshot, which says so
        # there; it must not become a crawl error here.
        with contextlib.suppress(Exception):
            self.reader.read(page, soup)
        return html_links_from_tree(soup, page.final_url or page.requested_url)

    def _kind(self, url: str) -> tuple[str | None, dict[str, str]]:
        """The URL's kind by the first profile that knows it; memoised (the crawler asks
        for every link, and again as each page is stored)."""
        memo = self._kinds
        found = memo.get(url)
        if found is None:
            found = self._match(url)
            if len(memo) < 200_000:
                memo[url] = found
        return found

    def _match(self, url: str) -> tuple[str | None, dict[str, str]]:
        where = path_and_query(url)
        for profile in self.profiles:
            kind, groups = profile.url_kind(where)
            if kind is not None:
                return kind, groups
        return None, {}

    def canonical(self, url: str, base: str | None = None) -> str | None:
        canonical = super().canonical(url, base)
        if canonical is None:
            return None
        kind, _ = self._kind(canonical)
        return None if kind == "skip" else canonical

    def listing_key(self, url: str) -> str | None:
        kind, groups = self._kind(url)
        if kind == "list":
            parts = urlsplit(url)
            ident = groups.get("category_id") or groups.get("category_slug")
            if ident:
                return f"{parts.netloc}/list/{ident}"
        return super().listing_key(url)

    def is_post(self, url: str) -> bool:
        kind, _ = self._kind(url)
        if kind in ("article", "document"):
            return True
        if kind == "list":
            return False
        return super().is_post(url)
