"""Selector suggestions for the fields a profile missed on one page (``--suggest``).

Each suggestion is a CSS selector built from the page's own classes and ids
(``div.tieu-de-lon``), checked to match exactly the element it was made for,
and printed as ``[site.selectors]`` lines for auditor.toml. They are guesses
from one page: the IT teacher runs ``auditor site inspect`` again with the new
auditor.toml, on this page and another post, to see that they read right.
"""

from __future__ import annotations

import json
import re
from zoneinfo import ZoneInfo

from auditor.site.extract import Tag, is_hidden, name_of, select, text_of
from auditor.site.vndate import find_vietnamese_date

_SKIP_AREAS = frozenset({"nav", "aside", "footer", "header", "script", "style", "noscript"})
_TITLE_CLASS = re.compile(r"title|tieu-?de|heading|tieude", re.I)
_CRUMB_CLASS = re.compile(r"bread|crumb|duong-?dan", re.I)
_AUTHOR_TEXT = re.compile(r"^\s*(Tác giả|Người viết|Người đăng(?: tin)?|Viết bởi)\s*:", re.I)
_MAX_DATE_TEXT = 160  # the profile's visible_date reads elements with at most this much text


def _in_boilerplate(tag: Tag) -> bool:
    return any(name_of(a) in _SKIP_AREAS for a in tag.iterancestors())


def _simple(tag: Tag) -> str:
    classes = [c for c in (tag.get("class") or "").split() if re.fullmatch(r"[\w-]+", c)]
    return name_of(tag) + "".join(f".{c}" for c in classes[:3])


def css_for(tag: Tag, root: Tag) -> str | None:
    """A selector from ids and classes that matches `tag` and only it."""
    ident = tag.get("id")
    if ident and re.fullmatch(r"[A-Za-z][\w-]*", ident):
        return f"#{ident}"
    mine = _simple(tag)
    candidates = [mine]
    parent = tag.getparent()
    if parent is not None and name_of(parent) not in ("body", "html"):
        pid = parent.get("id")
        up = f"#{pid}" if pid and re.fullmatch(r"[A-Za-z][\w-]*", pid) else _simple(parent)
        candidates.append(f"{up} > {mine}")
    for css in candidates:
        hits = list(select(root, css))
        if len(hits) == 1 and hits[0] is tag:
            return css
    return None


def _title(root: Tag) -> str | None:
    for tag in root.iter():
        if not isinstance(tag.tag, str) or _in_boilerplate(tag) or is_hidden(tag):
            continue
        if _TITLE_CLASS.search(tag.get("class") or "") and 5 <= len(text_of(tag)) <= 300:
            return css_for(tag, root)
    return None


def _date(root: Tag, zone: ZoneInfo) -> str | None:
    """The smallest element outside lists and side bars printing a date with its time."""
    best: Tag | None = None
    for tag in root.iter():
        if not isinstance(tag.tag, str) or name_of(tag) in ("li", "a") or _in_boilerplate(tag):
            continue
        text = text_of(tag)
        if len(text) > _MAX_DATE_TEXT or any(name_of(a) == "li" for a in tag.iterancestors()):
            continue
        found = find_vietnamese_date(text, zone)
        if found and found.has_time:
            best = tag  # document order: the innermost comes after its ancestors
    return css_for(best, root) if best is not None else None


def _author(root: Tag) -> str | None:
    for tag in root.iter():
        if isinstance(tag.tag, str) and _AUTHOR_TEXT.match(text_of(tag)) and (
                len(text_of(tag)) < 120) and not len(tag):
            css = css_for(tag, root)
            return f"{css} =~ ^[^:]+:\\s*(.+)$" if css else None
    return None


def _category(root: Tag) -> str | None:
    for tag in root.iter():
        if isinstance(tag.tag, str) and _CRUMB_CLASS.search(tag.get("class") or ""):
            css = css_for(tag, root)
            if css and list(select(root, f"{css} li:last-child a")):
                return f"{css} li:last-child a"
    return None


def _body(root: Tag) -> str | None:
    """The element holding the most paragraph text outside menus and side bars."""
    best, size = None, 0
    for tag in root.iter("div", "section", "article", "main"):
        if _in_boilerplate(tag):
            continue
        paragraphs = [p for p in tag.findall("p")]
        total = sum(len(text_of(p)) for p in paragraphs)
        if total > size:
            best, size = tag, total
    return css_for(best, root) if best is not None and size >= 80 else None


SUGGESTERS = {"title": "title", "published": "visible_date", "category": "category",
              "author": "author", "body": "body"}


def suggest(root: Tag, missing: list[str], zone: ZoneInfo) -> dict[str, str]:
    """`[site.selectors]` key → selector, for the missing fields this page can show."""
    out: dict[str, str] = {}
    for name in missing:
        key = SUGGESTERS.get(name)
        if key is None:
            continue
        found = {"title": lambda: _title(root), "visible_date": lambda: _date(root, zone),
                 "category": lambda: _category(root), "author": lambda: _author(root),
                 "body": lambda: _body(root)}[key]()
        if found:
            out[key] = found
    return out


def as_toml(selectors: dict[str, str]) -> str:
    """The suggestions as a ``[site.selectors]`` table (TOML basic strings)."""
    lines = ["[site.selectors]"]
    for key, css in selectors.items():
        lines.append(f"{key} = [{json.dumps(css, ensure_ascii=False)}]")
    return "\n".join(lines) + "\n"
