"""Finding the disclosure section (chuyên mục Công khai) and reading its items.

Điều 13.1.c requires a Công khai section kept visible on the portal. The menu
names it ("Công khai", "Ba công khai", "3 công khai", "Thông tin công khai",
"Công khai giáo dục", "CÔNG KHAI"…) or its address does (``/cong-khai/…``);
its address, the click path from the home page and its items (with whether
each is hidden from visitors) are what the disclosure rules read.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from urllib.parse import urljoin, urlsplit

from auditor.crawl.pagination import is_pagination
from auditor.people import fold
from auditor.profiles import Profile
from auditor.site.extract import (
    Anchor,
    Tag,
    absolute,
    base_of,
    clean,
    name_of,
    parse_html,
    select,
    text_of,
)
from auditor.site.snapshot import (
    Attachment,
    DisclosureItem,
    DisclosureSection,
    NavItem,
    Page,
    SitePost,
)
from auditor.site.visibility import Visibility, linked_stylesheets

# The names schools give the section (QĐ 111 says "chuyên mục Công khai"); a
# profile or auditor.toml may add more. Matched without accents or case.
DEFAULT_NAMES = ("Công khai", "Ba công khai", "3 công khai", "Thông tin công khai",
                 "Công khai giáo dục", "Công khai thông tin", "Công khai theo Thông tư 09")
_SECTION_SLUG = re.compile(r"(?:^|[/-])(?:ba-|3-|thong-tin-)?cong-?khai(?:-giao-duc)?"
                           r"(?:$|[/.?])", re.I)
# Containers whose links are the site's furniture, not the section's items.
_FURNITURE_TAGS = frozenset({"nav", "header", "footer", "aside"})
_FURNITURE_WORDS = re.compile(r"menu|navbar|\bnav\b|footer|header|sidebar|breadcrumb|"
                              r"pagination|paging|phantrang|social|share", re.I)
BOILERPLATE_SHARE = 0.5  # a link on at least half the pages is the site's furniture
BOILERPLATE_MIN_PAGES = 4


def _score(title: str, names: Iterable[str], url: str | None = None) -> int:
    """3: the title is one of the names; 2: the address is the section's
    (``/cong-khai/…``, ``/ba-cong-khai``); 1: the title contains "công khai"; 0: none."""
    key = fold(title)
    if key in {fold(n) for n in (*names, *DEFAULT_NAMES)}:
        return 3
    if url and _SECTION_SLUG.search(urlsplit(url).path):
        return 2
    return 1 if "cong khai" in key else 0


def find_in_menu(nav: tuple[NavItem, ...], names: Iterable[str]) -> tuple[
        tuple[str, ...], NavItem] | None:
    """The menu entry of the section (menu or sub-menu): the best name first, then the
    shallowest."""
    names = list(names)
    best: tuple[int, int, tuple[str, ...], NavItem] | None = None
    for item in nav:
        for path, node in item.walk():
            score = _score(node.title, names, node.url)
            if not score or node.url is None:
                continue
            rank = (-score, len(path))
            if best is None or rank < (best[0], best[1]):
                best = (rank[0], rank[1], path, node)
    return (best[2], best[3]) if best else None


def find_in_links(links: Iterable[Anchor], names: Iterable[str]) -> Anchor | None:
    """A link of the home page (outside the menu) naming the section, or to its address."""
    names = list(names)
    found = [(-_score(link.text, names, link.url), i, link) for i, link in enumerate(links)]
    found = [f for f in found if f[0] <= -2 and not f[2].hidden]
    return min(found)[2] if found else None


def submenu_of(root: Tag, base: str, url: str) -> tuple[NavItem, ...]:
    """The entries of the list nested under the home page's link to `url` (a sub-menu
    the profile's menu selectors did not read)."""
    base = base_of(root, base)
    for a in root.iter("a"):
        if absolute(a.get("href"), base) != url:
            continue
        item = a.getparent()
        while item is not None and name_of(item) not in ("li", "body"):
            item = item.getparent()
        if item is None or name_of(item) != "li":
            continue
        lists = [el for el in item if name_of(el) in ("ul", "ol")]
        if not lists:
            continue
        out = []
        for li in lists[0]:
            link = next(li.iter("a"), None) if name_of(li) == "li" else None
            target = absolute(link.get("href"), base) if link is not None else None
            if link is not None and target:
                out.append(NavItem(text_of(link), target))
        return tuple(out)
    return ()


def boilerplate_links(pages: Mapping[str, Page]) -> frozenset[str]:
    """Links found on most crawled HTML pages: menus, side bars, footers."""
    html = [p for p in pages.values() if p.links and p.kind not in ("feed", "sitemap")]
    if len(html) < BOILERPLATE_MIN_PAGES:
        return frozenset()
    counts: Counter[str] = Counter()
    for page in html:
        counts.update(set(page.links))
    floor = BOILERPLATE_SHARE * len(html)
    return frozenset(url for url, n in counts.items() if n >= floor)


def read_section(
    url: str, menu_title: str, click_path: tuple[str, ...], linked_from_home: bool, *,
    pages: Mapping[str, Page], posts: Mapping[str, SitePost], profile: Profile,
    canon: Callable[[str], str | None], list_pages: Callable[[str], list[Page]],
    menu_children: tuple[NavItem, ...] = (),
) -> DisclosureSection:
    """The section's page(s) and their items, with each item's status and attachments.

    The items are the links of the section page's main content (the profile's
    ``disclosure_items`` selectors, else every link outside the menus, side
    bars and footers that is not on most pages of the site) and of its
    sub-menu. Each item's hidden state comes from its markup and the page's
    stylesheets (``<style>`` and linked). When the page answered but no item
    could be read, ``unread`` says so: the rules then say "not checked".
    """
    page = pages.get(url)
    boiler = boilerplate_links(pages)
    items: list[DisclosureItem] = []
    seen: set[str] = {url}
    texts = 0
    for section_page in list_pages(url):
        if not section_page.text:
            continue
        texts += 1
        for title, key, hidden in page_items(section_page, profile, canon, boiler, pages):
            if key in seen:
                continue
            seen.add(key)
            items.append(_item(title, key, hidden, pages, posts))
    for child in menu_children:  # the sub-menu's entries are items too
        target = canon(child.url) if child.url else None
        if target and target not in seen:
            seen.add(target)
            items.append(_item(child.title, target, False, pages, posts))
    unread = None
    if page is not None and page.ok and not items:
        unread = ("trang chuyên mục mở được nhưng không đọc được mục nào (giao diện chưa được "
                  "nhận ra)" if texts else "không có nội dung trang chuyên mục để đọc")
    return DisclosureSection(
        url=url, menu_title=menu_title, click_path=click_path, linked_from_home=linked_from_home,
        status=page.status if page else None, final_url=page.final_url if page else None,
        items=tuple(items), unread=unread,
    )


def _is_furniture(element: Tag) -> bool:
    for node in element.iterancestors():
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _FURNITURE_TAGS:
            return True
        marks = f"{node.get('class') or ''} {node.get('id') or ''} {node.get('role') or ''}"
        if marks.strip() and _FURNITURE_WORDS.search(marks):
            return True
    return False


def page_items(page: Page, profile: Profile, canon: Callable[[str], str | None],
               boilerplate: frozenset[str], pages: Mapping[str, Page]
               ) -> list[tuple[str, str, bool]]:
    """(title, address, hidden?) of each item the section page lists, in page order."""
    root = parse_html(page.text or "")
    base = base_of(root, page.final_url)
    sheets = []
    for href in linked_stylesheets(root):
        target = canon(urljoin(base, href))
        sheet = pages.get(target) if target else None
        if sheet is not None and sheet.text:
            sheets.append(sheet.text)
    seen_css = Visibility(root, sheets)
    own = canon(page.final_url) or page.url

    def keep(anchors: Iterable[Tag]) -> list[tuple[str, str, bool]]:
        out = []
        for a in anchors:
            href = absolute(a.get("href"), base) if name_of(a) == "a" else None
            key = canon(href) if href else None
            if key is None or key == own or key in boilerplate or is_pagination(own, key):
                continue
            title = text_of(a) or clean(a.get("title"))
            if title:
                out.append((title, key, seen_css.hidden(a)))
        return out

    for sel in profile.select("disclosure_items"):
        found = keep(select(root, sel.css))
        if found:
            return found
    # No selector of the profile matched: the links of the page's own content.
    return keep(a for a in root.iter("a") if not _is_furniture(a))


def _item(title: str, url: str, hidden: bool, pages: Mapping[str, Page],
          posts: Mapping[str, SitePost]) -> DisclosureItem:
    page = pages.get(url)
    post = posts.get(url)
    attachments: tuple[Attachment, ...] = post.attachments if post else ()
    hidden_page = bool(post and post.hidden_by_css)
    if page is not None and page.content_type not in (None, "text/html"):
        # The item is itself a file (a PDF linked straight from the list).
        attachments = (Attachment(url, clean(title) or None, page.status, page.content_type,
                                  page.size or None),)
    return DisclosureItem(
        title=clean(title) or (post.post.title if post else url),
        url=url,
        status=page.status if page else None,
        hidden_by_css=hidden or hidden_page,
        attachments=attachments,
        published_text=post.visible_date_text if post else None,
        published_at=post.post.published_at if post else None,
    )

