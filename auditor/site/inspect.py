"""What the profile reads from one page, field by field, with the selector that gave it.

``auditor site inspect URL|FILE`` prints this: the IT teacher runs it on one post
of the school's site when the theme is unknown, sees which fields are missing,
and with ``--suggest`` gets ``[site.selectors]`` lines for auditor.toml.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from auditor.profiles import Profile
from auditor.site.build import read_post
from auditor.site.disclosure import find_in_menu
from auditor.site.extract import (
    ArticleData,
    Tag,
    article,
    attachments_with_source,
    navigation_with_source,
    select,
)
from auditor.site.platform import detect_profile
from auditor.site.snapshot import NavItem

FIELD_ORDER = ("title", "published", "category", "author", "body", "attachments", "menu",
               "disclosure")


@dataclass(frozen=True)
class Field:
    """One field as read: its value (None: unknown) and the selector or strategy."""

    value: Any
    source: str | None


@dataclass(frozen=True)
class Inspection:
    url: str
    profile: str
    profile_reason: str
    is_post: bool
    fields: dict[str, Field]

    def missing(self) -> list[str]:
        return [name for name in FIELD_ORDER if _empty(self.fields[name].value)]

    def to_json(self) -> dict[str, Any]:
        return {"url": self.url, "profile": self.profile, "is_post": self.is_post,
                "fields": {name: {"value": self.fields[name].value,
                                  "source": self.fields[name].source}
                           for name in FIELD_ORDER}}


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == ""


def menu_json(items: tuple[NavItem, ...]) -> list[dict[str, Any]]:
    return [{"title": i.title, "url": i.url, "children": menu_json(i.children)} for i in items]


def _published(data: ArticleData) -> Field:
    chosen = data.published
    if chosen is None:
        return Field(None, None)
    which = "meta_date" if chosen is data.meta_date else "visible_date"
    text = data.meta_date_text if which == "meta_date" else data.visible_date_text
    source = data.sources.get(which)
    return Field(chosen.value.isoformat(), f"{source} ({text})" if text else source)


def page_address(soup: Tag) -> str | None:
    """The address a saved page gives itself (``<link rel=canonical>``, ``og:url``)."""
    for css, name in (("link[rel=canonical]", "href"), ("meta[property='og:url']", "content")):
        for tag in select(soup, css):
            value = (tag.get(name) or "").strip()
            if value.startswith(("http://", "https://")):
                return value
    return None


def choose_profile(soup: Tag, url: str, profile: Profile | None) -> tuple[Profile, str]:
    """The given profile, or the one the page's own markup points to."""
    from auditor.profiles import load_profile

    if profile is not None:
        return profile, "chỉ định / given"
    found = detect_profile(soup, url)
    return load_profile(found.profile), found.reason_en


def inspect_page(soup: Tag, url: str, profile: Profile, zone: ZoneInfo,
                 reason: str = "") -> Inspection:
    """Every field of one page by `profile`, each with its source."""
    post = read_post(url, soup, profile, zone)
    data = post[0] if post is not None else article(soup, url, profile, zone)
    found, att_source = attachments_with_source(soup, url, profile)
    menu, menu_source = navigation_with_source(soup, url, profile)
    entry = find_in_menu(menu, profile.disclosure_titles)
    disclosure = None
    if entry is not None:
        path, node = entry
        disclosure = Field({"title": node.title, "url": node.url,
                            "children": menu_json(node.children)},
                           "menu: " + " › ".join(path))
    fields = {
        "title": Field(data.title, data.sources.get("title")),
        "published": _published(data),
        "category": Field(data.category, data.sources.get("category")),
        "author": Field(data.author, data.sources.get("author")),
        "body": Field(data.body, data.sources.get("body")),
        "attachments": Field([{"url": a.url, "title": a.title} for a in found],
                             att_source if found else None),
        "menu": Field(menu_json(menu), menu_source),
        "disclosure": disclosure or Field(None, None),
    }
    return Inspection(url, profile.name, reason, post is not None, fields)
