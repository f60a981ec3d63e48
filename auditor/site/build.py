"""A crawl's pages → the site model: pages, posts, menu, disclosure section.

Visibility matters (Điều 13.1.c, and the posting rules count only what the
public can see): a post is *listed* when some page the public reaches (home,
a list, another article) or the feed links to it; a page reached only from
the sitemap or from the export's address is not listed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from auditor.crawl import CrawlResult, FetchedPage
from auditor.crawl.discover import parse_feed
from auditor.crawl.urls import canonicalize
from auditor.model import Post, PostStatus, Provenance
from auditor.profiles import Profile, load_profile
from auditor.site import disclosure
from auditor.site.boilerplate import BlockCounter, is_boilerplate, strip_body
from auditor.site.coverage import CoverageCounter
from auditor.site.extract import (
    ArticleData,
    Tag,
    clean,
    links,
    navigation,
    path_and_query,
)
from auditor.site.extract import parse_html as parse
from auditor.site.feeddates import feed_dates, is_rest_posts, rest_dates
from auditor.site.page_records import PageReader, PageRecord, page_kind, read_record
from auditor.site.page_records import looks_like_post as looks_like_post  # re-exported
from auditor.site.page_records import read_post as read_post  # re-exported
from auditor.site.platform import detect_profile
from auditor.site.snapshot import (
    Attachment,
    CrawlSummary,
    NavItem,
    Page,
    SiteError,
    SitePost,
    SiteSnapshot,
)
from auditor.site.vndate import FoundDate


@dataclass
class _Origin:
    """Served origin → displayed origin (the demo is served on 127.0.0.1 but is the school's)."""

    served: str | None = None
    shown: str | None = None

    def __call__(self, url: str) -> str:
        if self.served and self.shown and url.startswith(self.served):
            return self.shown + url[len(self.served):]
        return url

    def back(self, url: str) -> str:
        if self.served and self.shown and url.startswith(self.shown):
            return self.served + url[len(self.shown):]
        return url


@dataclass
class _Seen:
    linked: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    variants: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


@dataclass
class _Scope:
    """The crawl's origin (served → shown) and the site's own hosts."""

    disp: _Origin
    hosts: set[str]
    served: str | None
    _memo: dict[str, str | None] = field(default_factory=dict)

    def canon(self, url: str) -> str | None:
        """The page's key in the model (None: not the site's); memoised, as every page
        repeats the menu's links."""
        memo = self._memo
        if url in memo:
            return memo[url]
        value = canonicalize(self.disp.back(url))
        if value is not None and urlsplit(value).netloc not in self.hosts:
            value = None
        found = self.disp(value) if value is not None else None
        if len(memo) < 200_000:
            memo[url] = found
        return found


def _scope(result: CrawlResult, shown_origin: str | None) -> _Scope:
    served = None
    if result.home is not None:
        parts = urlsplit(result.home.url)
        served = f"{parts.scheme}://{parts.netloc}"
    disp = _Origin(served, shown_origin.rstrip("/") if shown_origin else None)
    # The site's own hosts: every host the crawl fetched from (it stays in scope),
    # e.g. both thcs….edu.vn and www.thcs….edu.vn when one redirects to the other.
    hosts = {urlsplit(fp.url).netloc for fp in result.pages.values()}
    hosts |= {urlsplit(fp.final_url).netloc for fp in result.pages.values() if fp.ok}
    return _Scope(disp, hosts, served)


@dataclass
class _Read:
    """Stage 1–2 output: the pages, the link graph and what the post pages said."""

    pages: dict[str, Page] = field(default_factory=dict)
    seen: _Seen = field(default_factory=_Seen)
    posts: dict[str, tuple[ArticleData, str]] = field(default_factory=dict)
    dates: dict[str, FoundDate] = field(default_factory=dict)  # feed / REST API dates
    like_posts: list[str] = field(default_factory=list)  # pages that look like posts
    blocks: BlockCounter = field(default_factory=BlockCounter)
    coverage: CoverageCounter = field(default_factory=CoverageCounter)


def _graph_links(fp: FetchedPage, url: str, record: PageRecord | None, scope: _Scope,
                 read: _Read, zone: ZoneInfo) -> list[str]:
    """Stage 1, the link graph: who links to whom (pages, feeds), visible links only."""
    found: list[str] = []
    if record is not None:
        for link, hidden in record.links:
            target = scope.canon(link)
            if target is None:
                continue
            found.append(target)
            if target != url and not hidden:
                read.seen.linked[target].add(url)
            read.seen.variants[target].add(scope.disp(link))
    elif fp.kind == "feed" and fp.ok and fp.text:
        for item in parse_feed(fp.text, fp.final_url):
            target = scope.canon(item)
            if target:
                read.seen.linked[target].add(url)
                read.seen.variants[target].add(scope.disp(item))
        _keep_dates(read, scope, feed_dates(fp.text, fp.final_url, zone))
    elif fp.ok and fp.text and is_rest_posts(fp.url):
        _keep_dates(read, scope, rest_dates(fp.text, zone))
    return found


def _keep_dates(read: _Read, scope: _Scope, dates: dict[str, FoundDate]) -> None:
    for link, when in dates.items():
        target = scope.canon(link)
        if target:
            read.dates.setdefault(target, when)


def _fields_read(data: ArticleData) -> dict[str, bool]:
    return {"title": bool(data.title), "published": data.published is not None,
            "category": bool(data.category), "author": bool(data.author),
            "body": bool(data.body)}


def _extract_post(url: str, record: PageRecord, read: _Read) -> None:
    """Stage 2, post extraction; which pages look like posts (the coverage's base)."""
    read.blocks.add_hashes(record.blocks)
    if record.post is not None:
        read.posts[url] = record.post
    if record.like_post:
        read.like_posts.append(url)


def _drop_boilerplate(read: _Read) -> None:
    """Stage 2, after the pass: fields that are blocks most pages repeat are unknown."""
    common = read.blocks.common()
    for url, (data, post_id) in read.posts.items():
        read.posts[url] = (_cleaned(data, common), post_id)
    for url in read.like_posts:
        post = read.posts.get(url)
        read.coverage.add(True, _fields_read(post[0]) if post is not None else None)


def _cleaned(data: ArticleData, common: frozenset[int]) -> ArticleData:
    """The post's fields without site-wide blocks (and without the body's parts, which
    were kept only for this)."""
    title, author, category = (None if is_boilerplate(v, common) else v
                               for v in (data.title, data.author, data.category))
    body = strip_body(data.body, data.body_parts, common) if common else data.body
    return replace(data, title=title, author=author, category=category, body=body,
                   body_parts=())


@dataclass(frozen=True)
class _Reading:
    """How the pages are read: the profile, the zone, and the records of the crawl."""

    home_url: str
    home_soup: Tag | None
    profile: Profile
    zone: ZoneInfo
    reader: PageReader | None

    def record(self, fp: FetchedPage, url: str, kind: str, home: bool) -> PageRecord | None:
        """The page's record: read during the crawl when one fits, else parsed now."""
        if not (fp.ok and fp.is_html and fp.text):
            return None
        if self.reader is not None:
            record = self.reader.fitting(fp, url, kind, self.profile, self.zone)
            if record is not None:
                return record
        soup = self.home_soup if home and self.home_soup is not None else parse(fp.text)
        return read_record(fp.text, url, fp.final_url, soup, kind, self.profile, self.zone)


def _read_pages(result: CrawlResult, scope: _Scope, reading: _Reading,
                keep_text: bool) -> _Read:
    """Stages 1 and 2 in one pass over the pages' records (each page parsed once, during
    the crawl or here, and its tree dropped)."""
    read = _Read()
    for fp in result.pages.values():
        url = scope.disp(fp.url)
        kind = page_kind(fp, url, reading.home_url, reading.profile)
        record = reading.record(fp, url, kind, fp is result.home)
        found_links = _graph_links(fp, url, record, scope, read, reading.zone)
        if record is not None:
            _extract_post(url, record, read)
        read.pages[url] = Page(
            url=url, status=fp.status, final_url=scope.disp(fp.final_url),
            redirects=tuple(scope.disp(u) for u in fp.redirect_chain),
            headers=dict(fp.headers), content_type=fp.content_type, size=fp.size,
            fetched_at=fp.fetched_at, elapsed=fp.elapsed, from_cache=fp.from_cache,
            error=fp.error, kind=kind, title=clean(record.title if record else None) or None,
            links=tuple(dict.fromkeys(found_links)),
            text=fp.text if keep_text and fp.text is not None and (
                fp.is_html or fp.content_type == "text/css") else None,
        )
    return read


def _collect_posts(result: CrawlResult, read: _Read, scope: _Scope,
                   ) -> tuple[dict[str, SitePost], dict[str, SitePost]]:
    """Stage 2, the posts: one per post id, with listing and feed dates."""
    sitemaps = {scope.disp(u) for u in result.sitemap_urls}
    posts: dict[str, SitePost] = {}
    by_url: dict[str, SitePost] = {}
    for fp in result.pages.values():
        url = scope.disp(fp.url)
        if url not in read.posts:
            continue
        data, post_id = read.posts[url]
        referrer = scope.disp(fp.referrer) if fp.referrer else None
        # A post carried over from the cache by a list whose pagination stopped early
        # (incremental run) is still listed: an older page of that list shows it.
        carried = bool(fp.from_cache and not fp.not_modified and referrer
                       and referrer not in sitemaps and referrer in read.pages
                       and read.pages[referrer].kind in ("list", "home"))
        listed = bool(read.seen.linked.get(url)) or carried
        sp = _site_post(url, post_id, read.pages[url], data, listed, scope.disp, read.pages,
                        read.seen, fp)
        if sp.post.published_at is None and url in read.dates:
            sp = _dated_by_feed(sp, read.dates[url])
            read.coverage.dated_later()
        if sp.post_id in posts:  # one post under several URLs: keep the first, merge URLs
            sp = _merge(posts[sp.post_id], sp)
        posts[sp.post_id] = sp
        for u in sp.urls:
            by_url[u] = sp
    return posts, by_url


def _dated_by_feed(sp: SitePost, when: FoundDate) -> SitePost:
    post = replace(sp.post, published_at=when.value)
    return replace(sp, post=post, meta_published_text=when.text, meta_published=when.value,
                   date_source="feed")


def build_snapshot(result: CrawlResult, *, profile: Profile | None, profile_reason: str,
                   zone: ZoneInfo, shown_origin: str | None = None,
                   keep_text: bool = True, reader: PageReader | None = None) -> SiteSnapshot:
    """The site model of one crawl. `profile` None: detect it from the home page.

    Stages: the link graph and post extraction (one pass, each page parsed
    once), the posts, then the menu and the disclosure section. `reader` holds
    the records the crawl read as the pages arrived (with the same profile):
    those pages are not parsed again.
    """
    scope = _scope(result, shown_origin)
    home_fp = result.home
    home_url = scope.disp(home_fp.url) if home_fp else ""
    home_soup = None
    if home_fp is not None and home_fp.ok and home_fp.text:
        home_soup = parse(home_fp.text)
    if profile is None:
        found = detect_profile(home_soup if home_soup is not None else parse(""), home_url)
        profile, profile_reason = load_profile(found.profile), found.reason

    reading = _Reading(home_url, home_soup, profile, zone, reader)
    read = _read_pages(result, scope, reading, keep_text)
    _drop_boilerplate(read)
    posts, by_url = _collect_posts(result, read, scope)
    nav = _nav(navigation(home_soup, home_fp.final_url, profile), scope.disp) if (
        home_soup is not None and home_fp is not None) else ()
    section = _disclosure(nav, home_soup, home_fp, profile, read.pages, by_url, scope.canon,
                          scope.disp)
    return _snapshot(result, scope, home_url, profile, profile_reason, read, posts, nav,
                     section, shown_origin)


def _snapshot(result: CrawlResult, scope: _Scope, home_url: str, profile: Profile,
              profile_reason: str, read: _Read, posts: dict[str, SitePost],
              nav: tuple[NavItem, ...], section: disclosure.DisclosureSection | None,
              shown_origin: str | None) -> SiteSnapshot:
    disp = scope.disp
    errors = tuple(SiteError(disp(fp.url), fp.error, "", fp.error_code or "")
                   for fp in result.pages.values() if fp.error and fp.error_code != "robots")
    stats = result.stats
    return SiteSnapshot(
        base_url=home_url, profile=profile.name, profile_reason=profile_reason,
        fetched_at=result.started_at, pages=read.pages, site_posts=tuple(posts.values()),
        nav=nav, disclosure=section,
        stats=CrawlSummary(requests=stats.requests, not_modified=stats.not_modified,
                         bytes_downloaded=stats.bytes_downloaded, pages=len(read.pages),
                         errors=stats.errors, duration=stats.elapsed, offline=result.offline),
        errors=errors,
        robots_blocked=tuple(disp(u) for u in result.robots_blocked),
        off_scope=tuple(result.off_scope), stopped=stats.stopped,
        served_from=scope.served if shown_origin else None,
        coverage=read.coverage.result(),
    )


def _site_post(url: str, post_id: str, page: Page, data: ArticleData, listed: bool,
               disp: _Origin, pages: dict[str, Page], seen: _Seen, fp: FetchedPage) -> SitePost:
    visible = not data.hidden_by_css and listed
    published = data.published
    post = Post(
        post_id=post_id, title=data.title or page.title or url,
        status=PostStatus.PUBLISHED if visible else PostStatus.HIDDEN,
        category=data.category, url=url, body=data.body, author=data.author,
        published_at=published.value if published else None,
        provenance=Provenance("site", url=url),
    )
    attachments = tuple(_attachment(a, disp, pages) for a in data.attachments)
    return SitePost(
        post=post, urls=tuple(sorted({url} | seen.variants.get(url, set()))),
        visible_date_text=data.visible_date_text,
        visible_date=data.visible_date.value if data.visible_date else None,
        meta_published_text=data.meta_date_text,
        meta_published=data.meta_date.value if data.meta_date else None,
        date_source=data.date_source, attachments=attachments, listed=listed,
        status=page.status, hidden_by_css=data.hidden_by_css, lastmod=fp.sitemap_lastmod,
        visible_has_time=data.visible_date.has_time if data.visible_date else None,
    )


def _merge(first: SitePost, other: SitePost) -> SitePost:
    return replace(first, urls=tuple(sorted(set(first.urls) | set(other.urls))),
                   listed=first.listed or other.listed)


def _attachment(att: Attachment, disp: _Origin, pages: dict[str, Page]) -> Attachment:
    url = disp(canonicalize(att.url) or att.url)
    page = pages.get(url)
    if page is None:
        return Attachment(url=url, title=att.title)
    length = page.headers.get("content-length") or page.headers.get("Content-Length")
    size = int(length) if length and length.isdigit() else (page.size or None)
    return Attachment(url=url, title=att.title, status=page.status,
                      content_type=page.content_type, size=size)


def _nav(items: tuple[NavItem, ...], disp: _Origin) -> tuple[NavItem, ...]:
    return tuple(NavItem(i.title, disp(canonicalize(i.url) or i.url) if i.url else None,
                         _nav(i.children, disp)) for i in items)


def _disclosure(nav: tuple[NavItem, ...], home_soup: Tag | None,
                home_fp: FetchedPage | None, profile: Profile, pages: dict[str, Page],
                by_url: dict[str, SitePost], canon: Callable[[str], str | None],
                disp: _Origin) -> disclosure.DisclosureSection | None:
    names = profile.disclosure_titles
    menu = disclosure.find_in_menu(nav, names)
    children: tuple[NavItem, ...] = ()
    if menu is not None:
        path, node = menu
        url, title, children = node.url, node.title, node.children
        linked = True  # the menu is on the home page
    elif home_soup is not None and home_fp is not None:
        link = disclosure.find_in_links(links(home_soup, home_fp.final_url), names)
        if link is None:
            return None
        url, title, path, linked = canon(link.url), link.text, (link.text,), True
        children = _nav(disclosure.submenu_of(home_soup, home_fp.final_url, link.url), disp)
    else:
        return None
    if url is None:
        return None

    return disclosure.read_section(
        url, title, path, linked, pages=pages, posts=by_url, profile=profile, canon=canon,
        list_pages=_ListPages(pages, profile), menu_children=children,
    )


class _ListPages:
    """A list's page and its further pages (same list, numbered), by address; the site's
    list pages are grouped by list once, not once per list asked for."""

    def __init__(self, pages: dict[str, Page], profile: Profile) -> None:
        self.pages, self.profile = pages, profile
        self._by_list: dict[str, list[tuple[str, Page]]] | None = None

    def _ident(self, url: str) -> str | None:
        _, groups = self.profile.url_kind(path_and_query(url))
        return groups.get("category_id")

    def __call__(self, first_url: str) -> list[Page]:
        out = [self.pages[first_url]] if first_url in self.pages else []
        ident = self._ident(first_url)
        if not ident:
            return out
        if self._by_list is None:
            self._by_list = defaultdict(list)
            for u, p in sorted(self.pages.items()):
                key = self._ident(u) if p.kind == "list" else None
                if key:
                    self._by_list[key].append((u, p))
        out += [p for u, p in self._by_list.get(ident, ()) if u != first_url]
        return out
