"""One HTML page, read once: what the site model needs from it, kept small.

The crawler parses every page for the links it follows; the site model needs
the same page's links (with their visibility), its title, its repeated blocks
and, on a post, the post's fields. :class:`PageReader` reads all of it from the
crawler's own tree while the crawl runs (through the link policy, so the
crawler knows nothing of sites) and keeps only a :class:`PageRecord`; the tree
is dropped at once, as a large site's trees would not fit in memory together.
``build.build_snapshot`` parses a page again only when no record fits it (an
offline run, the demo served under its school's address, an auto-detected
profile, a page read for a later profile).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from auditor.crawl import FetchedPage
from auditor.profiles import Profile, load_profile
from auditor.site.boilerplate import block_texts
from auditor.site.extract import (
    ArticleData,
    Tag,
    article,
    declares_article,
    has_marker,
    is_file_url,
    link_targets,
    list_like,
    path_and_query,
    title_of,
)
from auditor.site.platform import detect_profile

POST_KINDS = ("article", "document", "other")


@dataclass(frozen=True)
class PageRecord:
    """What one HTML page said (its parsed tree is not kept)."""

    text: str  # the page's text it was read from: a record fits only that text
    url: str  # the address it was read under (its attachments resolve against it)
    kind: str  # page_kind when read ("home", "article", "list"…)
    links: tuple[tuple[str, bool], ...]  # (absolute URL, hidden?) of each <a href>
    title: str | None  # the <title>
    blocks: frozenset[int]  # hashes of its named blocks' texts (boilerplate.BlockCounter)
    post: tuple[ArticleData, str] | None  # (fields, post id) when it is a post
    like_post: bool  # looks like a post (the coverage's base)


def page_kind(fp: FetchedPage, url: str, home: str, profile: Profile) -> str:
    """The page's role in the site: home, article, list, document, attachment, feed…"""
    if url == home:
        return "home"
    if fp.kind in ("sitemap", "feed"):
        return fp.kind
    if fp.kind == "asset" or (fp.content_type and not fp.is_html):
        return "attachment" if is_file_url(url, profile) else "other"
    kind, _ = profile.url_kind(path_and_query(url))
    return kind if kind in ("article", "list", "document") else "other"


def looks_like_post(url: str, soup: Tag, profile: Profile) -> bool:
    """The page has a post's URL shape or a post's markup (the coverage denominator)."""
    kind, _ = profile.url_kind(path_and_query(url))
    if kind == "article":
        return True
    if kind in ("skip", "list", "document"):
        return False
    if has_marker(soup, profile) or (profile.content_signals and declares_article(soup)):
        return True
    return profile.generic_fallbacks and any(
        p.search(path_and_query(url)) for p in profile.urls.get("likely_post", ()))


def read_post(url: str, soup: Tag, profile: Profile,
              zone: ZoneInfo) -> tuple[ArticleData, str] | None:
    """(fields, post id) when the page at `url` is a post by the profile, else None.

    A post is a page whose URL has the profile's article or document shape, or
    that carries the profile's post marker (WordPress ``body.single-post``); on
    a profile with ``content_signals`` also a page that declares itself an
    article (og:type, JSON-LD, itemprop=datePublished); on the generic profile
    also a page with one ``<h1>`` and a date printed next to it.
    """
    kind, groups = profile.url_kind(path_and_query(url))
    if kind in ("skip", "list"):
        return None
    data = article(soup, url, profile, zone)
    if kind is None and not _post_signals(soup, profile, data):
        return None
    return data, groups.get("post_id") or data.post_id or path_and_query(url)


def _post_signals(soup: Tag, profile: Profile, data: ArticleData) -> bool:
    if has_marker(soup, profile) or (profile.content_signals and data.declares_article):
        return True
    return profile.generic_fallbacks and bool(
        data.title and data.visible_date is not None and not list_like(soup))


def read_record(text: str, url: str, base: str, soup: Tag, kind: str, profile: Profile,
                zone: ZoneInfo) -> PageRecord:
    """The record of the page at `url` (links resolved against `base`, its final URL)."""
    post = None
    like = False
    if kind in POST_KINDS:
        post = read_post(url, soup, profile, zone)
        like = kind == "article" or (kind == "other" and (
            post is not None or looks_like_post(url, soup, profile)))
    return PageRecord(
        text=text, url=url, kind=kind, links=tuple(link_targets(soup, base)),
        title=title_of(soup), blocks=frozenset(hash(t) for t in block_texts(soup)),
        post=post, like_post=like)


@dataclass
class PageReader:
    """Reads each HTML page the crawler parsed, with the profile the school configured.

    With no profile configured (``auto``), the profile is detected from the home page
    when it arrives, as ``build_snapshot`` detects it; pages that arrive before it
    (from a sitemap) get no record and are parsed again by the build.
    """

    profile: Profile | None
    zone: ZoneInfo
    home: str  # the home page's canonical URL (the crawl's first seed)
    records: dict[str, PageRecord] = field(default_factory=dict)

    def read(self, fp: FetchedPage, soup: Tag) -> None:
        if not (fp.ok and fp.is_html and fp.text):
            return
        if self.profile is None:
            if fp.url != self.home:
                return
            self.profile = load_profile(detect_profile(soup, fp.url).profile)
        kind = page_kind(fp, fp.url, self.home, self.profile)
        self.records[fp.url] = read_record(fp.text, fp.url, fp.final_url, soup, kind,
                                           self.profile, self.zone)

    def fitting(self, fp: FetchedPage, url: str, kind: str, profile: Profile,
                zone: ZoneInfo) -> PageRecord | None:
        """The record read from exactly this page, address, role, profile and zone, if any."""
        record = self.records.get(fp.url)
        if record is None or profile is not self.profile or zone != self.zone \
                or record.text is not fp.text:
            return None
        return record if record.url == url and record.kind == kind else None
