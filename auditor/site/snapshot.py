"""The site model: what a crawl of the school's portal saw.

A :class:`SiteSnapshot` is built by :func:`auditor.site.load.load_site` and read
by checks through ``AuditContext.site``. It holds

- the pages fetched (URL, status, final URL, redirect chain, headers, content
  type, size, fetch time),
- the posts (tin bài) extracted from article pages, as :class:`auditor.model.Post`
  with ``provenance=Provenance("site", url=...)``, each wrapped in a
  :class:`SitePost` that keeps what only the site knows (the visible date text
  *and* the meta ``datePublished``, both kept when they differ),
- the navigation menu as a tree,
- the disclosure section (chuyên mục Công khai, Điều 13.1.c) when the menu
  names it: its address, the click path from the home page, and its items with
  their visibility,
- the profile used, crawl statistics and errors.

This module is a contract read by other parts (the disclosure rules, the
history): fields are only ever added, never renamed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from auditor.model import Post
from auditor.site.coverage import ExtractionCoverage


@dataclass(frozen=True)
class Page:
    """One URL the crawler fetched (trang)."""

    url: str  # canonical URL requested
    status: int | None  # HTTP status of the final response; None when the fetch failed
    final_url: str  # after redirects
    redirects: tuple[str, ...] = ()  # every URL in the redirect chain, in order, before final_url
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)
    content_type: str | None = None  # media type without parameters, e.g. "text/html"
    size: int = 0  # bytes of the body as the site would send it
    fetched_at: datetime | None = None  # aware
    elapsed: float | None = None  # seconds
    from_cache: bool = False  # answered 304 / served from the conditional-request cache
    error: str | None = None  # network error, timeout, robots.txt refusal…
    kind: str = "other"  # "home", "list", "article", "document", "attachment", "feed", "other"
    title: str | None = None  # <title>
    links: tuple[str, ...] = field(default=(), repr=False)  # internal links found on the page
    text: str | None = field(default=None, repr=False, compare=False)  # decoded HTML, if kept

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 400 and self.error is None

    @property
    def broken(self) -> bool:
        """The page does not resolve: 4xx/5xx or no answer."""
        return self.status is None or self.status >= 400


@dataclass(frozen=True)
class Attachment:
    """A file linked from a post or a disclosure item (tệp đính kèm)."""

    url: str
    title: str | None = None
    status: int | None = None  # None when not fetched
    content_type: str | None = None
    size: int | None = None


@dataclass(frozen=True)
class SitePost:
    """A post as the site shows it, with what only the site knows.

    ``post.published_at`` is the date the audit uses: the meta datePublished
    when present, else the visible date (see ``date_source``). Both are kept,
    so a disagreement between them can be reported.
    """

    post: Post
    urls: tuple[str, ...] = ()  # every URL the post was seen under (ct, ctmb, ctfull…)
    visible_date_text: str | None = None  # as printed, e.g. "Thứ Hai, 24/11/2026 08:15"
    visible_date: datetime | None = None
    meta_published_text: str | None = None  # e.g. "2026-11-24T08:52:47+07:00"
    meta_published: datetime | None = None
    date_source: str | None = None  # "meta", "visible", "opengraph", "jsonld", "time", "sitemap"
    attachments: tuple[Attachment, ...] = ()
    listed: bool = False  # reachable from a category list, the home page or the feed
    status: int | None = None  # HTTP status of the article page
    hidden_by_css: bool = False  # the article body is present but hidden (display:none…)
    lastmod: datetime | None = None  # sitemap <lastmod>
    visible_has_time: bool | None = None  # the printed date gives a time of day

    @property
    def visible_is_day_only(self) -> bool:
        if self.visible_has_time is not None:
            return not self.visible_has_time
        return bool(self.visible_date_text) and ":" not in (self.visible_date_text or "")

    @property
    def post_id(self) -> str:
        return self.post.post_id

    @property
    def url(self) -> str | None:
        return self.post.url

    @property
    def dates_disagree(self) -> bool:
        """The visible date and the meta datePublished name different minutes."""
        if self.visible_date is None or self.meta_published is None:
            return False
        a, b = self.visible_date, self.meta_published
        if a.tzinfo is not None and b.tzinfo is not None:
            b = b.astimezone(a.tzinfo)
        a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)
        if self.visible_is_day_only:
            return a.date() != b.date()  # the page prints only a day: compare days
        return abs((a - b).total_seconds()) >= 60


@dataclass(frozen=True)
class NavItem:
    """An entry of the navigation menu (menu), with its sub-menu."""

    title: str
    url: str | None
    children: tuple[NavItem, ...] = ()

    def walk(self, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], NavItem]]:
        """Every item under this one with its click path of titles."""
        here = (*path, self.title)
        yield here, self
        for child in self.children:
            yield from child.walk(here)


@dataclass(frozen=True)
class DisclosureItem:
    """One item of the Công khai section (a form, a report…) as the site shows it."""

    title: str
    url: str | None
    status: int | None = None  # HTTP status of the item's page; None when not fetched
    hidden_by_css: bool = False  # present in the HTML but hidden from visitors
    attachments: tuple[Attachment, ...] = ()
    published_text: str | None = None  # date printed next to it, if any
    published_at: datetime | None = None


@dataclass(frozen=True)
class DisclosureSection:
    """The disclosure section (chuyên mục Công khai, Điều 13.1.c)."""

    url: str  # the address the menu gives
    menu_title: str  # e.g. "Công khai", "Ba công khai"
    click_path: tuple[str, ...]  # menu titles from the home page, e.g. ("Công khai",)
    linked_from_home: bool  # the home page links to it (menu or body)
    status: int | None = None  # HTTP status of the section's page
    final_url: str | None = None
    items: tuple[DisclosureItem, ...] = ()
    # Why no item could be read from a page that answered (Vietnamese), else None:
    # the disclosure rules then say "not checked", never "missing".
    unread: str | None = None

    @property
    def reachable(self) -> bool:
        return self.status is not None and 200 <= self.status < 400


@dataclass(frozen=True)
class CrawlSummary:
    """What the snapshot keeps of the crawl (the crawler counts in crawl.types.CrawlStats)."""

    requests: int = 0
    not_modified: int = 0  # 304 answers (conditional requests)
    bytes_downloaded: int = 0  # body bytes received over the network
    pages: int = 0
    errors: int = 0
    duration: float = 0.0  # seconds
    offline: bool = False  # built from the cache only, no network


@dataclass(frozen=True)
class SiteError:
    """A problem met while crawling or extracting, for the report's notices."""

    url: str | None
    message: str  # Vietnamese
    message_en: str = ""
    code: str = ""  # the crawler's error code: "timeout", "connect", "http"…


@dataclass(frozen=True)
class SiteSnapshot:
    """Everything one crawl of the portal saw (ảnh chụp trang web)."""

    base_url: str  # the address crawled, e.g. https://thcshoaphuong.haiphong.edu.vn
    profile: str  # "haiphong-edu", "nukeviet", "wordpress", "generic"
    profile_reason: str = ""  # why this profile: "cấu hình", "generator: NukeViet v4.5", …
    fetched_at: datetime | None = None
    pages: Mapping[str, Page] = field(default_factory=dict, repr=False)  # by URL
    site_posts: tuple[SitePost, ...] = field(default=(), repr=False)
    nav: tuple[NavItem, ...] = ()
    disclosure: DisclosureSection | None = None
    stats: CrawlSummary = CrawlSummary()
    errors: tuple[SiteError, ...] = ()
    coverage: ExtractionCoverage | None = None  # how much of the site the profile could read
    # Where the crawl actually ran when the snapshot names another origin (the demo's
    # loopback server), else None.
    served_from: str | None = None
    robots_blocked: tuple[str, ...] = ()  # addresses robots.txt kept the crawler from
    off_scope: tuple[str, ...] = ()  # links and redirects outside the crawled hosts
    stopped: str | None = None  # the first limit that cut the crawl short
    # URLs left unread, by the limit that left them ("max_pages": 120, …).
    crawl_left: Mapping[str, int] = field(default_factory=dict)
    # Word attachments read after the crawl, by address, and those refused with the
    # reason (Vietnamese, English): robots.txt, the byte cap, the deadline.
    attachments: Mapping[str, bytes] = field(default_factory=dict, repr=False)
    attachments_refused: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def posts(self) -> tuple[Post, ...]:
        """The posts the site shows, as model objects (provenance "site")."""
        return tuple(sp.post for sp in self.site_posts)

    def post(self, post_id: str) -> SitePost | None:
        for sp in self.site_posts:
            if sp.post_id == post_id:
                return sp
        return None

    def page(self, url: str) -> Page | None:
        return self.pages.get(url)

    def nav_items(self) -> Iterator[tuple[tuple[str, ...], NavItem]]:
        """Every menu entry with its click path from the home page."""
        for item in self.nav:
            yield from item.walk()


@dataclass(frozen=True)
class SiteUnavailable:
    """The site was asked for but its content could not be crawled, and why.

    Today: the home page redirects to another host (Điều 2). The rules that
    read the crawled content report ``not_checked`` with :attr:`reason_vi`;
    ``site.official-domain`` reports the redirect from :attr:`redirect_chain`
    (the home page first, the foreign address last).
    """

    home: str
    reason_vi: str
    reason_en: str
    redirect_chain: tuple[str, ...] = ()

    @property
    def target(self) -> str | None:
        return self.redirect_chain[-1] if len(self.redirect_chain) > 1 else None
