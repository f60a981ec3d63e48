"""The crawler's link policy, driven by site profiles.

The crawler (``auditor.crawl``) asks a :class:`~auditor.crawl.LinkPolicy` which
URLs to drop, which pages are paginated lists and which are posts (so that a
repeat run can stop a list's pagination at posts it has already seen). Before
the platform is known (auto-detection reads the home page after the crawl),
the policy uses every built-in profile's patterns together.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from auditor.crawl import DefaultPolicy
from auditor.profiles import Profile
from auditor.site.extract import path_and_query


class ProfilePolicy(DefaultPolicy):
    """DefaultPolicy plus the URL shapes of one or more profiles."""

    def __init__(self, profiles: list[Profile]) -> None:
        self.profiles = profiles

    def _kind(self, url: str) -> tuple[str | None, dict[str, str]]:
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
