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
from auditor.site import disclosure
from auditor.site.detect import detect_profile
from auditor.site.extract import (
    ArticleData,
    Tag,
    article,
    clean,
    is_file_url,
    links,
    navigation,
    path_and_query,
    title_of,
)
from auditor.site.extract import parse_html as parse
from auditor.site.model import (
    Attachment,
    CrawlStats,
    NavItem,
    Page,
    SiteError,
    SitePost,
    SiteSnapshot,
)
from auditor.site.profiles import Profile, load_profile


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


def _kind(fp: FetchedPage, url: str, home: str, profile: Profile) -> str:
    if url == home:
        return "home"
    if fp.kind in ("sitemap", "feed"):
        return fp.kind
    if fp.kind == "asset" or (fp.content_type and not fp.is_html):
        return "attachment" if is_file_url(url, profile) else "other"
    kind, _ = profile.url_kind(path_and_query(url))
    return kind if kind in ("article", "list", "document") else "other"


def read_post(url: str, soup: Tag, profile: Profile,
              zone: ZoneInfo) -> tuple[ArticleData, str] | None:
    """(fields, post id) when the page at `url` is a post by the profile, else None.

    A post is a page whose URL has the profile's article or document shape; on
    a profile with ``content_signals`` also a page that declares itself an
    article (og:type, JSON-LD, itemprop=datePublished).
    """
    kind, groups = profile.url_kind(path_and_query(url))
    if kind in ("skip", "list"):
        return None
    data = article(soup, url, profile, zone)
    if kind is None and not (profile.content_signals and data.declares_article):
        return None
    return data, groups.get("post_id") or data.post_id or path_and_query(url)


def build_snapshot(result: CrawlResult, *, profile: Profile | None, profile_reason: str,
                   zone: ZoneInfo, shown_origin: str | None = None,
                   keep_text: bool = True) -> SiteSnapshot:
    """The site model of one crawl. `profile` None: detect it from the home page."""
    home_fp = result.home
    served = None
    if home_fp is not None:
        parts = urlsplit(home_fp.url)
        served = f"{parts.scheme}://{parts.netloc}"
    disp = _Origin(served, shown_origin.rstrip("/") if shown_origin else None)
    # The site's own hosts: every host the crawl fetched from (it stays in scope),
    # e.g. both thcs….edu.vn and www.thcs….edu.vn when one redirects to the other.
    hosts = {urlsplit(fp.url).netloc for fp in result.pages.values()}
    hosts |= {urlsplit(fp.final_url).netloc for fp in result.pages.values() if fp.ok}

    def canon(url: str) -> str | None:
        value = canonicalize(disp.back(url))
        if value is None or urlsplit(value).netloc not in hosts:
            return None
        return disp(value)

    home_url = disp(home_fp.url) if home_fp else ""
    home_soup = None
    if home_fp is not None and home_fp.ok and home_fp.text:
        home_soup = parse(home_fp.text)
    if profile is None:
        found = detect_profile(home_soup if home_soup is not None else parse(""), home_url)
        profile, profile_reason = load_profile(found.profile), found.reason

    # One pass over the pages: each is parsed once and dropped (a large site's
    # parsed documents would not fit in memory together); what posts say is kept.
    seen = _Seen()
    pages: dict[str, Page] = {}
    read: dict[str, tuple[ArticleData, str]] = {}
    for fp in result.pages.values():
        url = disp(fp.url)
        soup = None
        if fp.ok and fp.is_html and fp.text:
            soup = home_soup if fp is home_fp and home_soup is not None else parse(fp.text)
        found_links: list[str] = []
        if soup is not None:
            for link in links(soup, fp.final_url):
                target = canon(link.url)
                if target is None:
                    continue
                found_links.append(target)
                if target != url and not link.hidden:
                    seen.linked[target].add(url)
                seen.variants[target].add(disp(link.url))
        elif fp.kind == "feed" and fp.ok and fp.text:
            for item in parse_feed(fp.text, fp.final_url):
                target = canon(item)
                if target:
                    seen.linked[target].add(url)
                    seen.variants[target].add(disp(item))
        kind = _kind(fp, url, home_url, profile)
        if soup is not None and kind in ("article", "document", "other"):
            post = read_post(url, soup, profile, zone)
            if post is not None:
                read[url] = post
        title = title_of(soup) if soup is not None else None
        pages[url] = Page(
            url=url, status=fp.status, final_url=disp(fp.final_url),
            redirects=tuple(disp(u) for u in fp.redirect_chain), headers=dict(fp.headers),
            content_type=fp.content_type, size=fp.size, fetched_at=fp.fetched_at,
            elapsed=fp.elapsed, from_cache=fp.from_cache, error=fp.error, kind=kind,
            title=clean(title) or None, links=tuple(dict.fromkeys(found_links)),
            text=fp.text if keep_text and fp.text is not None and (
                fp.is_html or fp.content_type == "text/css") else None,
        )

    sitemaps = {disp(u) for u in result.sitemap_urls}
    posts: dict[str, SitePost] = {}
    by_url: dict[str, SitePost] = {}
    for fp in result.pages.values():
        url = disp(fp.url)
        if url not in read:
            continue
        data, post_id = read[url]
        referrer = disp(fp.referrer) if fp.referrer else None
        # A post carried over from the cache by a list whose pagination stopped early
        # (incremental run) is still listed: an older page of that list shows it.
        carried = bool(fp.from_cache and not fp.not_modified and referrer
                       and referrer not in sitemaps and referrer in pages
                       and pages[referrer].kind in ("list", "home"))
        listed = bool(seen.linked.get(url)) or carried
        sp = _site_post(url, post_id, pages[url], data, listed, disp, pages, seen, fp)
        if sp.post_id in posts:  # one post under several URLs: keep the first, merge URLs
            sp = _merge(posts[sp.post_id], sp)
        posts[sp.post_id] = sp
        for u in sp.urls:
            by_url[u] = sp

    nav = _nav(navigation(home_soup, home_fp.final_url, profile), disp) if (
        home_soup is not None and home_fp is not None) else ()
    section = _disclosure(nav, home_soup, home_fp, profile, pages, by_url, canon, disp)
    errors = tuple(SiteError(disp(fp.url), fp.error, "", fp.error_code or "")
                   for fp in result.pages.values() if fp.error and fp.error_code != "robots")
    stats = result.stats
    return SiteSnapshot(
        base_url=home_url, profile=profile.name, profile_reason=profile_reason,
        fetched_at=result.started_at, pages=pages, site_posts=tuple(posts.values()), nav=nav,
        disclosure=section,
        stats=CrawlStats(requests=stats.requests, not_modified=stats.not_modified,
                         bytes_downloaded=stats.bytes_downloaded, pages=len(pages),
                         errors=stats.errors, duration=stats.elapsed, offline=result.offline),
        errors=errors,
        extras={"robots_blocked": tuple(disp(u) for u in result.robots_blocked),
                "off_scope": tuple(result.off_scope), "stopped": stats.stopped,
                "served_from": served if shown_origin else None},
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

    def list_pages(first_url: str) -> list[Page]:
        """The section's page and its further pages (same list, numbered)."""
        out = [pages[first_url]] if first_url in pages else []
        _, groups = profile.url_kind(path_and_query(first_url))
        ident = groups.get("category_id")
        if ident:
            for u, p in sorted(pages.items()):
                if u != first_url and p.kind == "list":
                    _, g = profile.url_kind(path_and_query(u))
                    if g.get("category_id") == ident:
                        out.append(p)
        return out

    return disclosure.read_section(
        url, title, path, linked, pages=pages, posts=by_url, profile=profile, canon=canon,
        list_pages=list_pages, menu_children=children,
    )
