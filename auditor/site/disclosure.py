"""Finding the disclosure section (chuyên mục Công khai) and reading its items.

Điều 13.1.c requires a Công khai section kept visible on the portal. The menu
names it ("Công khai", "Ba công khai", "3 công khai", "Công khai giáo dục"…);
its address, the click path from the home page and its items (with whether
each is hidden from visitors) are what the disclosure rules read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from auditor.people import fold
from auditor.site.extract import Link, clean, entries, parse_html
from auditor.site.model import (
    Attachment,
    DisclosureItem,
    DisclosureSection,
    NavItem,
    Page,
    SitePost,
)
from auditor.site.profiles import Profile


def _score(title: str, names: Iterable[str]) -> int:
    """2: the title is one of the names; 1: it contains "công khai"; 0: neither."""
    key = fold(title)
    if key in {fold(n) for n in names}:
        return 2
    return 1 if "cong khai" in key else 0


def find_in_menu(nav: tuple[NavItem, ...], names: Iterable[str]) -> tuple[
        tuple[str, ...], NavItem] | None:
    """The menu entry of the section: an exact name first, then the shallowest match."""
    names = list(names)
    best: tuple[int, int, tuple[str, ...], NavItem] | None = None
    for item in nav:
        for path, node in item.walk():
            score = _score(node.title, names)
            if not score or node.url is None:
                continue
            rank = (-score, len(path))
            if best is None or rank < (best[0], best[1]):
                best = (rank[0], rank[1], path, node)
    return (best[2], best[3]) if best else None


def find_in_links(links: Iterable[Link], names: Iterable[str]) -> Link | None:
    """A link of the home page (outside the menu) naming the section."""
    names = list(names)
    found = [link for link in links if _score(link.text, names) == 2]
    return found[0] if found else None


def read_section(
    url: str, menu_title: str, click_path: tuple[str, ...], linked_from_home: bool, *,
    pages: Mapping[str, Page], posts: Mapping[str, SitePost], profile: Profile,
    canon: Callable[[str], str | None], list_pages: Callable[[str], list[Page]],
    menu_children: tuple[NavItem, ...] = (),
) -> DisclosureSection:
    """The section's page(s) and their items, with each item's status and attachments."""
    page = pages.get(url)
    items: list[DisclosureItem] = []
    seen: set[str] = set()
    for section_page in list_pages(url):
        if not section_page.text:
            continue
        soup = parse_html(section_page.text)
        for link in entries(soup, section_page.final_url, profile.select("disclosure_items")):
            key = canon(link.url) or link.url
            if key in seen or key == url:
                continue
            seen.add(key)
            items.append(_item(link.text, key, link.hidden, pages, posts))
    if not items:  # a section made of sub-menu entries rather than a list page
        for child in menu_children:
            target = canon(child.url) if child.url else None
            if target and target not in seen:
                seen.add(target)
                items.append(_item(child.title, target, False, pages, posts))
    return DisclosureSection(
        url=url, menu_title=menu_title, click_path=click_path, linked_from_home=linked_from_home,
        status=page.status if page else None, final_url=page.final_url if page else None,
        items=tuple(items),
    )


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

