"""Is an element hidden from visitors? Read from inline styles and simple ``<style>`` rules.

Injected link blocks are hidden so that visitors do not see them but search
engines do (DOMAIN.md, "Injected spam"): ``display:none``,
``visibility:hidden``, ``font-size:0``, off-screen positioning, text coloured
like its background, zero size with ``overflow:hidden``. Only what the page
itself says is read: inline ``style`` attributes, the ``hidden`` attribute,
and rules of the page's own ``<style>`` blocks whose selector is a single
class or id. External stylesheets are not fetched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Tag

_DECL = re.compile(r"([\w-]+)\s*:\s*([^;]+)")
_LENGTH = re.compile(r"^(-?\d*\.?\d+)\s*(px|pt|em|rem|%)?$")
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_SIMPLE_SELECTOR = re.compile(r"^[a-z0-9]*([.#][\w-]+)$", re.I)
_COLOR_WORDS = {
    "white": (255, 255, 255), "black": (0, 0, 0), "red": (255, 0, 0),
    "green": (0, 128, 0), "blue": (0, 0, 255), "yellow": (255, 255, 0),
    "gray": (128, 128, 128), "grey": (128, 128, 128), "silver": (192, 192, 192),
    "navy": (0, 0, 128), "maroon": (128, 0, 0),
}
_TRANSPARENT = (-1, -1, -1)


def declarations(style: str) -> dict[str, str]:
    """``"display: none; COLOR:#FFF"`` → {"display": "none", "color": "#fff"}."""
    out: dict[str, str] = {}
    for m in _DECL.finditer(style or ""):
        value = m[2].replace("!important", "").strip().lower()
        out[m[1].strip().lower()] = value
    return out


def _px(value: str) -> float | None:
    m = _LENGTH.match(value.strip())
    if not m:
        return None
    number, unit = float(m[1]), m[2] or "px"
    if unit == "%":
        return None
    return number * {"px": 1.0, "pt": 4 / 3, "em": 16.0, "rem": 16.0}[unit]


def parse_color(value: str | None) -> tuple[int, int, int] | None:
    """A CSS colour → (r, g, b); transparent → (-1, -1, -1); unknown → None."""
    if not value:
        return None
    for token in re.findall(r"#[0-9a-f]{3,8}\b|rgba?\([^)]*\)|[a-z]+", value.lower()):
        color = _named_or_hex(token)
        if color is None and token.startswith("rgb") and "(" in token:
            inside = token[token.index("(") + 1:-1]
            try:
                color = _rgb(inside)
            except ValueError:
                return None
        if color is not None:
            return color
    return None


def _named_or_hex(token: str) -> tuple[int, int, int] | None:
    """``transparent``, a colour word or ``#rgb``/``#rrggbb(aa)``; None for anything else."""
    if token == "transparent":
        return _TRANSPARENT
    if token in _COLOR_WORDS:
        return _COLOR_WORDS[token]
    if not token.startswith("#"):
        return None
    digits = token[1:]
    if len(digits) in (3, 4):
        digits = "".join(c * 2 for c in digits[:3])
    if len(digits) not in (6, 8):
        return None
    if len(digits) == 8 and digits[6:] == "00":
        return _TRANSPARENT
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def _rgb(inside: str) -> tuple[int, int, int] | None:
    """The inside of ``rgb(…)``/``rgba(…)``; ValueError when a number is not one."""
    parts = [p.strip() for p in inside.replace("/", ",").split(",")]
    rgb = tuple(int(float(p.rstrip("%"))) for p in parts[:3])
    if len(parts) > 3 and float(parts[3].rstrip("%")) == 0:
        return _TRANSPARENT
    return (rgb[0], rgb[1], rgb[2]) if len(rgb) == 3 else None


@dataclass(frozen=True)
class HidingRules:
    """Thresholds from the rule set."""

    offscreen_px: float  # left/top/text-indent at or beyond minus this many pixels
    tiny_font_px: float  # a font at most this big is unreadable


@dataclass
class StyleSheet:
    """Declarations of the page's own ``<style>`` rules, by ``.class`` / ``#id``."""

    rules: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def of(cls, soup: BeautifulSoup) -> StyleSheet:
        sheet = cls()
        for style in soup.find_all("style"):
            text = re.sub(r"/\*.*?\*/", "", style.get_text(), flags=re.S)
            for m in _RULE.finditer(text):
                decls = declarations(m[2])
                for selector in m[1].split(","):
                    simple = _SIMPLE_SELECTOR.match(selector.strip())
                    if simple:
                        sheet.rules.setdefault(simple[1].lower(), {}).update(decls)
        return sheet

    def for_tag(self, tag: Tag) -> dict[str, str]:
        if not self.rules:
            return {}
        out: dict[str, str] = {}
        raw = tag.get("class")
        classes: list[str] = [str(c) for c in raw] if isinstance(raw, list) else (
            str(raw).split() if raw else [])
        keys = [f".{c.lower()}" for c in classes]
        if tag.get("id"):
            keys.append(f"#{str(tag.get('id')).lower()}")
        for key in keys:
            out.update(self.rules.get(key, {}))
        return out


@dataclass(frozen=True)
class Hiding:
    """Why an element is hidden, and whether its own markup says so (inline)."""

    reason: str  # "display:none", "off-screen (left:-9999px)", "color = background"…
    inline: bool  # style attribute or hidden attribute, not a stylesheet rule


def _reason(decls: dict[str, str], rules: HidingRules) -> str | None:
    # Checked in this order: the first reason found is the one reported.
    return (_not_shown(decls) or _tiny_font(decls, rules) or _off_screen(decls, rules)
            or _zero_box(decls) or _transparent_text(decls))


def _not_shown(decls: dict[str, str]) -> str | None:
    """display:none, visibility:hidden/collapse, opacity:0."""
    if decls.get("display") == "none":
        return "display:none"
    if decls.get("visibility") in ("hidden", "collapse"):
        return f"visibility:{decls['visibility']}"
    opacity = decls.get("opacity")
    if opacity is not None:
        try:
            if float(opacity.rstrip("%")) <= 0:
                return "opacity:0"
        except ValueError:
            pass
    return None


def _tiny_font(decls: dict[str, str], rules: HidingRules) -> str | None:
    size = decls.get("font-size")
    if size is not None:
        px = _px(size)
        if px is not None and px <= rules.tiny_font_px:
            return f"font-size:{size}"
    return None


def _off_screen(decls: dict[str, str], rules: HidingRules) -> str | None:
    """Pushed out of view: a large negative indent or position, or clipped to nothing."""
    indent = _px(decls.get("text-indent", ""))
    if indent is not None and indent <= -rules.offscreen_px:
        return f"off-screen (text-indent:{decls['text-indent']})"
    if decls.get("position") not in ("absolute", "fixed"):
        return None
    for side in ("left", "top", "right", "bottom", "margin-left", "margin-top"):
        px = _px(decls.get(side, ""))
        if px is not None and px <= -rules.offscreen_px:
            return f"off-screen ({side}:{decls[side]})"
    clip = decls.get("clip", "")
    if clip.startswith("rect(") and not re.search(r"[1-9]", clip):
        return "clip:rect(0 0 0 0)"
    return None


def _zero_box(decls: dict[str, str]) -> str | None:
    """A zero height or width with overflow:hidden."""
    if decls.get("overflow") == "hidden":
        for dim in ("height", "width", "max-height", "max-width"):
            px = _px(decls.get(dim, ""))
            if px is not None and px <= 0:
                return f"{dim}:0; overflow:hidden"
    return None


def _transparent_text(decls: dict[str, str]) -> str | None:
    return "color:transparent" if parse_color(decls.get("color")) == _TRANSPARENT else None


def _background(decls: dict[str, str]) -> tuple[int, int, int] | None:
    return parse_color(decls.get("background-color")) or parse_color(decls.get("background"))


class HidingReader:
    """Answers "is this element hidden by itself?" for one parsed page."""

    def __init__(self, soup: BeautifulSoup, rules: HidingRules) -> None:
        self.sheet = StyleSheet.of(soup)
        self.rules = rules
        self._backgrounds: dict[int, tuple[int, int, int] | None] = {}

    def _decls(self, tag: Tag) -> tuple[dict[str, str], dict[str, str]]:
        inline = declarations(str(tag.get("style") or ""))
        return inline, self.sheet.for_tag(tag)

    def own(self, tag: Tag) -> Hiding | None:
        """The element's own markup or a stylesheet rule for it hides it (ancestors aside)."""
        if tag.has_attr("hidden"):
            return Hiding("hidden", True)
        inline, sheet = self._decls(tag)
        reason = _reason(inline, self.rules)
        if reason:
            return Hiding(reason, True)
        reason = _reason(sheet, self.rules)
        if reason:
            return Hiding(reason, False)
        color = inline.get("color") or sheet.get("color")
        # Text coloured like the background behind it (the nearest background set).
        if color and parse_color(color) not in (None, _TRANSPARENT) \
                and self.background(tag) == parse_color(color):
            return Hiding(f"color = background ({color})", "color" in inline)
        return None

    def background(self, tag: Tag) -> tuple[int, int, int] | None:
        """The nearest background colour set on the element or an ancestor (None: none).

        Remembered per element, so a page of 100,000 nested coloured elements costs
        one pass up the tree, not one per element (issue 13.5)."""
        path: list[Tag] = []
        node: Tag | None = tag
        found: tuple[int, int, int] | None = None
        while isinstance(node, Tag) and node.name != "[document]":
            if id(node) in self._backgrounds:
                found = self._backgrounds[id(node)]
                break
            path.append(node)
            n_inline, n_sheet = self._decls(node)
            bg = _background(n_inline) or _background(n_sheet)
            if bg is not None and bg != _TRANSPARENT:
                found = bg
                break
            node = node.parent
        for step in path:
            self._backgrounds[id(step)] = found
        return found
