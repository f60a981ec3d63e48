"""Finding URLs: links in HTML, sitemaps (urlset and index, with lastmod), RSS/Atom feeds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml",
              "application/feed+json")


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: datetime | None


@dataclass(frozen=True)
class Sitemap:
    is_index: bool  # a <sitemapindex>: its entries are more sitemaps
    entries: tuple[SitemapEntry, ...]


def _join(base: str, href: str, origin: str | None = None) -> str | None:
    """`href` resolved against `base`; `origin` (scheme://host of base) speeds up "/path"."""
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
        return None
    # Fast paths for the two common shapes; urljoin costs ~10 µs a link.
    if href.startswith(("http://", "https://")) and "/./" not in href and "/../" not in href:
        return href
    if origin is not None and href.startswith("/") and not href.startswith("//") \
            and "/." not in href:
        return origin + href
    try:
        return urljoin(base, href)
    except ValueError:
        return None


def _origin(base: str) -> str | None:
    parts = urlsplit(base)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def _html_tree(text: str) -> etree._Element | None:
    if not text.strip():
        return None
    try:
        return lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return None


def html_links(text: str, base: str) -> list[str]:
    """Absolute URLs of <a>/<area> links and feed <link>s, in document order, without repeats."""
    tree = _html_tree(text)
    return html_links_from_tree(tree, base) if tree is not None else []


def html_links_from_tree(tree: etree._Element, base: str) -> list[str]:
    """`html_links` of a page already parsed (a caller that reads the tree for more than
    its links parses each page once)."""
    base_href = tree.xpath("string(//base/@href)")
    if base_href:
        base = _join(base, base_href) or base
    found: dict[str, None] = {}
    origin = _origin(base)
    for href in tree.xpath("//a/@href | //area/@href"):
        url = _join(base, str(href), origin)
        if url:
            found.setdefault(url, None)
    for url in feed_links_from_tree(tree, base):
        found.setdefault(url, None)
    return list(found)


def feed_links_from_tree(tree: etree._Element, base: str) -> list[str]:
    out = []
    for link in tree.xpath("//link[@href]"):
        rel = (link.get("rel") or "").lower()
        kind = (link.get("type") or "").lower()
        if "alternate" in rel and kind in FEED_TYPES:
            url = _join(base, link.get("href") or "")
            if url:
                out.append(url)
    return out


def feed_links(text: str, base: str) -> list[str]:
    """RSS/Atom feeds announced by <link rel="alternate" type="application/rss+xml">."""
    tree = _html_tree(text)
    return feed_links_from_tree(tree, base) if tree is not None else []


def parse_lastmod(value: str | None) -> datetime | None:
    """W3C datetime (2026-11-20, 2026-11-20T08:00:00+07:00) as an aware UTC datetime."""
    if not value:
        return None
    value = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _xml_root(text: str) -> etree._Element | None:
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(text.lstrip("\ufeff").strip().encode("utf-8"), parser)
    except (etree.XMLSyntaxError, ValueError):
        return None
    return root


def _local(tag: object) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def parse_sitemap(text: str, base: str) -> Sitemap:
    """A sitemap's <url>/<sitemap> entries; an unreadable sitemap has none."""
    root = _xml_root(text)
    if root is None:
        return Sitemap(False, ())
    is_index = _local(root.tag) == "sitemapindex"
    entries = []
    for node in root:
        if _local(node.tag) not in ("url", "sitemap"):
            continue
        loc = lastmod = None
        for child in node:
            name = _local(child.tag)
            if name == "loc":
                loc = (child.text or "").strip()
            elif name == "lastmod":
                lastmod = child.text
        url = _join(base, loc) if loc else None
        if url:
            entries.append(SitemapEntry(url, parse_lastmod(lastmod)))
    return Sitemap(is_index, tuple(entries))


def parse_feed(text: str, base: str) -> list[str]:
    """Item links of an RSS 2.0, RSS 1.0 (RDF) or Atom feed."""
    root = _xml_root(text)
    if root is None:
        return []
    out: dict[str, None] = {}
    for node in root.iter():
        for link in _item_links(node):
            url = _join(base, link)
            if url:
                out.setdefault(url, None)
    return list(out)


def _item_links(node: etree._Element) -> list[str]:
    """The link of an RSS <item> (its <link> text) or an Atom <entry> (rel=alternate href)."""
    name = _local(node.tag)
    if name == "item":
        return [child.text for child in node if _local(child.tag) == "link" and child.text]
    if name == "entry":
        return [child.get("href") or "" for child in node if _local(child.tag) == "link"
                and child.get("rel", "alternate") == "alternate"]
    return []
