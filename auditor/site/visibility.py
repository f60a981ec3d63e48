"""Is an element of a page hidden from visitors? (Điều 13.1.c: "không được … để ở chế độ ẩn")

Read from what the page and its stylesheets say, as a browser would apply
them without scripts: the ``hidden`` attribute, ``aria-hidden="true"``, an
inline ``style`` (``display:none``, ``visibility:hidden``…), and rules of
the page's ``<style>`` blocks and linked stylesheets whose selector matches
the element or one of its ancestors. Selectors with states a static page does
not have (``:hover``, ``::before``…) are not applied; a rule for ``.d-none``
hides whatever carries that class. Rules for parts a visitor opens with a
click (drop-down menus, tabs, accordions, dialogs) are not applied either:
what they hide is one click away, not hidden.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree
from lxml.html import HtmlElement

from auditor.site.extract import compiled
from auditor.spam.hiding import declarations

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_AT_BLOCK = re.compile(r"@(?:media|supports|document|-moz-document)[^{]*\{", re.I)
_RULE = re.compile(r"([^{}@;]+)\{([^{}]*)\}")
_HIDING = re.compile(r"display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)", re.I)
_DYNAMIC = re.compile(r":(?!not\b|first-child|last-child|nth-|first-of-type|last-of-type|only-)")
# Parts a visitor opens with a click (a drop-down, a tab, an accordion, a dialog) are
# hidden only until then: reachable content, not content "để ở chế độ ẩn".
_INTERACTIVE = re.compile(r"collaps|dropdown|drop-down|modal|tab-pane|tab-content|offcanvas|"
                          r"accordion|popover|tooltip|carousel|sub-?menu|menu|toggle|"
                          r"\.fade|\.show|\.active|\.open|\.in\b|js-|no-js|print", re.I)
# Bootstrap's and common themes' hiding classes, for pages whose stylesheet could not be read.
KNOWN_HIDING_CLASSES = frozenset({"hidden", "d-none", "hide", "invisible", "sr-only"})


def hiding_selectors(css: str) -> list[str]:
    """Selectors of the rules that hide what they match (``display:none``…).

    Rules inside ``@media`` blocks are skipped (print or small-screen rules
    hide nothing from a visitor on a desktop); the rest are read flat.
    """
    text = _COMMENT.sub("", css)
    text = _skip_at_blocks(text)
    out: list[str] = []
    for match in _RULE.finditer(text):
        body = match.group(2)
        if not _HIDING.search(body):
            continue
        decls = declarations(body)
        if decls.get("display") != "none" and decls.get("visibility") not in ("hidden",
                                                                              "collapse"):
            continue
        for selector in match.group(1).split(","):
            selector = selector.strip()
            if selector and not _DYNAMIC.search(selector) and not _INTERACTIVE.search(selector):
                out.append(selector)
    return out


def _skip_at_blocks(css: str) -> str:
    """The stylesheet without its ``@media``/``@supports`` blocks (nested braces counted)."""
    out: list[str] = []
    pos = 0
    for match in _AT_BLOCK.finditer(css):
        if match.start() < pos:
            continue
        out.append(css[pos:match.start()])
        depth, i = 1, match.end()
        while i < len(css) and depth:
            depth += {"{": 1, "}": -1}.get(css[i], 0)
            i += 1
        pos = i
    out.append(css[pos:])
    return "".join(out)


class Visibility:
    """Answers "is this element hidden?" for one parsed page and its stylesheets."""

    def __init__(self, root: HtmlElement, stylesheets: Iterable[str] = ()) -> None:
        sheets = [el.text_content() for el in root.iter("style")]
        selectors: list[str] = []
        for css in (*sheets, *stylesheets):
            selectors += hiding_selectors(css)
        hidden: set[HtmlElement] = set()
        for selector in dict.fromkeys(selectors):
            matcher = compiled(selector)  # None: a selector cssselect cannot read
            if matcher is None:
                continue
            try:
                hidden.update(matcher(root))
            except etree.XPathError:
                continue
        self._by_sheet = hidden

    def why(self, element: HtmlElement) -> str | None:
        """Why `element` is hidden ("hidden", "aria-hidden", "style", "stylesheet",
        "class"), or None when nothing hides it."""
        node: HtmlElement | None = element
        while node is not None and isinstance(node.tag, str) and node.tag not in ("body",
                                                                                  "html"):
            if node.get("hidden") is not None:
                return "hidden"
            if (node.get("aria-hidden") or "").strip().lower() == "true":
                return "aria-hidden"
            style = node.get("style")
            if style and _HIDING.search(style):
                decls = declarations(style)
                if decls.get("display") == "none" or decls.get("visibility") in (
                        "hidden", "collapse"):
                    return "style"
            if node in self._by_sheet:
                return "stylesheet"
            if KNOWN_HIDING_CLASSES.intersection((node.get("class") or "").split()):
                return "class"
            node = node.getparent()
        return None

    def hidden(self, element: HtmlElement) -> bool:
        return self.why(element) is not None


def linked_stylesheets(root: HtmlElement) -> list[str]:
    """The ``href`` of every ``<link rel="stylesheet">``, as written."""
    out = []
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        href = link.get("href")
        if "stylesheet" in rel and href:
            out.append(href.strip())
    return out
