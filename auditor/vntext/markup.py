"""HTML: legacy fonts, non-UTF-8 charsets, ``&shy;`` inside words, and the text itself.

On school portals legacy text usually arrives wrapped in the font Word used
(``style="font-family: .VnTime"``), and older pages still declare a
``windows-1258`` charset. Both are signals of their own (DOMAIN.md); the font
also tells which table the text was typed in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, Tag

from auditor.vntext.detect import TextScan
from auditor.vntext.segments import fix_pieces, scan_pieces

# Fonts of the legacy encodings. TCVN3 fonts start with ".Vn" (.VnTime, .VnArial,
# .VnCentury Schoolbook…); their upper-case twins end in "H" (.VnTimeH).
_FONT_NAME = re.compile(r"\.Vn[A-Za-z0-9\-]+(?: [A-Z][A-Za-z0-9\-]*)*|VNI-[A-Za-z0-9\-]+|VISCII",
                        re.IGNORECASE)
_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]+)", re.IGNORECASE)
_SHY_RE = re.compile(r"(?<=[^\W\d_])(?:&shy;|&#173;|&#xad;|\u00ad)(?=[^\W\d_])", re.IGNORECASE)
_BLOCKS = frozenset(("p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5",
                     "h6", "title", "option", "dt", "dd", "blockquote", "pre", "section",
                     "article", "header", "footer", "caption"))
UNICODE_FONTS = {"tcvn3": "Times New Roman", "tcvn3h": "Times New Roman", "vni": "Times New Roman"}


def font_encoding(family: str) -> str | None:
    """The encoding a font family implies: .VnTime → tcvn3, .VnTimeH → tcvn3h, VNI-Times → vni."""
    for name in (f.strip().strip("\"'") for f in family.split(",")):
        low = name.lower()
        if low.startswith(".vn"):
            return "tcvn3h" if name.rstrip().endswith("H") else "tcvn3"
        if low.startswith(("vni-", "vni ")):
            return "vni"
        if low == "viscii" or low.startswith("vn-viscii"):
            return "viscii"
    return None


def legacy_fonts(css: str) -> list[str]:
    """Legacy font names in a piece of CSS (a style attribute or a stylesheet)."""
    found = []
    for m in re.finditer(r"font(?:-family)?\s*:\s*([^;}]+)", css, re.IGNORECASE):
        # the family list, or the end of the `font` shorthand ("12pt VNI-Times")
        for name in _FONT_NAME.findall(m.group(1)):
            if font_encoding(name) and name not in found:
                found.append(name)
    return found


@dataclass(frozen=True)
class HtmlSignal:
    """Something in the markup itself: a legacy font, a charset, &shy; inside a word."""

    kind: str  # "legacy-font", "charset", "soft-hyphen"
    detail: str  # the font name, the charset, the count
    where: str  # "style", "stylesheet", "meta", "font", "text"


@dataclass(frozen=True)
class HtmlScan:
    text: str  # the visible text, one block per line
    signals: tuple[HtmlSignal, ...]
    text_scan: TextScan

    @property
    def clean(self) -> bool:
        return self.text_scan.clean and not self.signals


def looks_like_html(text: str) -> bool:
    return bool(re.search(r"<(?:html|body|p|div|span|br|font|table|h[1-6]|style|meta)\b",
                          text[:4000], re.IGNORECASE))


def _font_of(node: Tag) -> str | None:
    """The legacy encoding implied by the nearest inline font on the node's ancestors."""
    for el in [node, *node.parents]:
        if not isinstance(el, Tag):
            continue
        style = el.get("style")
        if isinstance(style, str):
            for name in legacy_fonts(style):
                return font_encoding(name)
            if re.search(r"font(?:-family)?\s*:", style, re.IGNORECASE):
                return None  # an explicit non-legacy font wins over an outer one
        face = el.get("face") if el.name == "font" else None
        if isinstance(face, str):
            return font_encoding(face)
    return None


def _pieces(soup: BeautifulSoup) -> list[tuple[str, str | None, NavigableString | None]]:
    """Visible text in document order as (text, font encoding, node), a line per block."""
    out: list[tuple[str, str | None, NavigableString | None]] = []
    for node in soup.descendants:
        if isinstance(node, Tag) and node.name in _BLOCKS:
            out.append(("\n", None, None))
        if not isinstance(node, NavigableString) or isinstance(node, Comment | Doctype):
            continue
        parent = node.parent
        if parent is None or parent.name in ("script", "style", "noscript"):
            continue
        out.append((str(node).replace("\n", " "), _font_of(parent), node))
    return out


def declared_charsets(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for meta in soup.find_all("meta"):
        if not isinstance(meta, Tag):
            continue
        value = meta.get("charset") or (meta.get("content") if str(
            meta.get("http-equiv", "")).lower() == "content-type" else None)
        if isinstance(value, str):
            m = _CHARSET_RE.search(value) if "=" in value else None
            found.append((m.group(1) if m else value).strip().lower())
    return found


def is_utf8(charset: str) -> bool:
    return charset.replace("_", "-").lower() in ("utf-8", "utf8")


def signals(html: str) -> list[HtmlSignal]:
    soup = BeautifulSoup(html, "html.parser")
    out: list[HtmlSignal] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, detail: str, where: str) -> None:
        if (kind, detail) not in seen:
            seen.add((kind, detail))
            out.append(HtmlSignal(kind, detail, where))

    for el in soup.find_all(True):
        if isinstance(el, Tag):
            for name, where in _legacy_fonts_of(el):
                add("legacy-font", name, where)
    for charset in declared_charsets(html):
        if not is_utf8(charset):
            add("charset", charset, "meta")
    shy = len(_SHY_RE.findall(html))
    if shy:
        add("soft-hyphen", str(shy), "text")
    return out


def _legacy_fonts_of(el: Tag) -> Iterator[tuple[str, str]]:
    """The legacy fonts an element names, with where: its style, a <font face>, or the
    <style> sheet it is."""
    style = el.get("style")
    if isinstance(style, str):
        for name in legacy_fonts(style):
            yield name, "style"
    face = el.get("face")
    if el.name == "font" and isinstance(face, str) and font_encoding(face):
        yield face, "font"
    if el.name == "style" and el.string:
        for name in legacy_fonts(el.string):
            yield name, "stylesheet"


def scan_html(html: str, *, min_confidence: float = 0.6) -> HtmlScan:
    """The text of an HTML document or fragment, scanned with what its fonts say."""
    pieces = [(t, enc) for t, enc, _ in _pieces(BeautifulSoup(html, "html.parser"))]
    result = scan_pieces(pieces, min_confidence=min_confidence)
    return HtmlScan(result.text, tuple(signals(html)), result)


def convert_html(html: str, encoding: str = "auto", *, min_confidence: float = 0.6) -> str:
    """The document with its text in NFC Unicode, legacy fonts replaced by a Unicode
    font and the charset declared as UTF-8. Markup is kept."""
    soup = BeautifulSoup(html, "html.parser")
    found = _pieces(soup)
    forced = None if encoding == "auto" else encoding
    pieces = [(t, forced or enc) for t, enc, _ in found]
    result = scan_pieces(pieces, min_confidence=min_confidence, forced=forced)
    for (text, _, node), new in zip(found, fix_pieces(pieces, result), strict=True):
        if node is not None and new != text:
            node.replace_with(NavigableString(new))
    _unicode_fonts(soup)
    return str(soup)


def _unicode_fonts(soup: BeautifulSoup) -> None:
    for el in soup.find_all(True):
        if not isinstance(el, Tag):
            continue
        style = el.get("style")
        if isinstance(style, str) and legacy_fonts(style):
            el["style"] = _swap_fonts(style)
        face = el.get("face")
        if el.name == "font" and isinstance(face, str) and font_encoding(face):
            el["face"] = "Times New Roman"
        if el.name == "style" and el.string and legacy_fonts(el.string):
            el.string = _swap_fonts(el.string)
        if el.name == "meta":
            _declare_utf8(el)


def _swap_fonts(css: str) -> str:
    """Each legacy font of the CSS replaced by a Unicode font of the same look."""
    for name in legacy_fonts(css):
        enc = font_encoding(name) or "tcvn3"
        target = "Arial" if "arial" in name.lower() or "helve" in name.lower() else \
            UNICODE_FONTS.get(enc, "Times New Roman")
        css = re.sub(r"([\"']?)" + re.escape(name) + r"\1", f"'{target}'", css)
    return css


def _declare_utf8(meta: Tag) -> None:
    """A <meta> charset declaration made to say UTF-8."""
    if meta.get("charset"):
        meta["charset"] = "utf-8"
    content = meta.get("content")
    if isinstance(content, str) and str(meta.get("http-equiv", "")).lower() == \
            "content-type":
        meta["content"] = _CHARSET_RE.sub("charset=utf-8", content)
