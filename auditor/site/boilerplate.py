"""Boilerplate (khối lặp lại): blocks every page of the site repeats.

Menus, side bars, "related posts" lists and footers are printed on most pages of
a site. A post field whose text is such a block (a body selector that caught
the side menu, an "author" that is the footer's line) is not the post's: it is
unknown. While the pages are read (each parsed once), every named block's text
is counted by a hash; after the crawl, a field equal to a block seen on at
least half of the pages is dropped, and such blocks are cut out of bodies.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from lxml import etree

from auditor.site.extract import Tag, clean

_BLOCK_TAGS = ("div", "aside", "nav", "footer", "header", "ul", "section")
_SEMANTIC = frozenset({"nav", "aside", "footer", "header"})
_MIN_TEXT, _MAX_TEXT = 12, 4000  # shorter is a label, longer is a page's content
_MIN_PAGES = 3  # a block on fewer pages than this is never boilerplate
_SHARE = 0.5  # … and it must be on at least this share of the pages read


def _text(tag: Tag) -> str:
    # lxml's own text iteration (fast), words spaced as text_of spaces them; unlike
    # text_of it keeps an inline script's text, so such a block is at worst not
    # recognised (a miss, never a wrong drop).
    return clean(" ".join(tag.itertext(etree.Element)))


def block_texts(root: Tag) -> set[str]:
    """The texts of the page's named blocks (an id or a class) and of its nav, aside,
    header and footer elements, once each."""
    out: set[str] = set()
    for tag in root.iter(*_BLOCK_TAGS):
        if tag.tag not in _SEMANTIC and tag.get("id") is None and tag.get("class") is None:
            continue
        text = _text(tag)
        if _MIN_TEXT <= len(text) <= _MAX_TEXT:
            out.add(text)
    return out


@dataclass
class BlockCounter:
    """Pages on which each block text appears (by hash: the texts are not kept)."""

    pages: int = 0
    seen: Counter[int] = field(default_factory=Counter)

    def add_page(self, root: Tag) -> None:
        self.pages += 1
        self.seen.update(hash(t) for t in block_texts(root))

    def add_hashes(self, hashes: frozenset[int]) -> None:
        """One page, by the hashes of its block texts (read earlier from its tree)."""
        self.pages += 1
        self.seen.update(hashes)

    def common(self) -> frozenset[int]:
        floor = max(_MIN_PAGES, int(self.pages * _SHARE + 0.5))
        return frozenset(h for h, n in self.seen.items() if n >= floor)


def is_boilerplate(value: str | None, common: frozenset[int]) -> bool:
    return bool(value) and hash(clean(value)) in common


def strip_body(body: str | None, parts: tuple[str, ...], common: frozenset[int]) -> str | None:
    """The body without its repeated blocks; None when nothing of its own is left."""
    if body is None or is_boilerplate(body, common):
        return None
    if not parts or not any(hash(p) in common for p in parts):
        return body
    kept = " ".join(p for p in parts if hash(p) not in common)
    return clean(kept) or None
