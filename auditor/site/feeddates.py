"""Publication dates a site gives outside its post pages: the feed and the REST API.

A WordPress block theme (Twenty Twenty-Five) prints no date on a post page; its
``/feed/`` (``<pubDate>``) and ``/wp-json/wp/v2/posts`` (``date_gmt``) do. When
the crawl fetched them, a post page without a readable date takes its date from
there (``date_source`` "feed" or "rest").
"""

from __future__ import annotations

import json
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from lxml import etree

from auditor.site.vndate import FoundDate, parse_iso


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _rfc822(text: str, zone: ZoneInfo) -> FoundDate | None:
    try:
        value = parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return FoundDate(value.astimezone(zone), True, text.strip())


def _item(node: etree._Element, base: str, zone: ZoneInfo) -> tuple[str, FoundDate] | None:
    link, when = None, None
    for child in node:
        name = _local(child.tag)
        if name == "link":
            href = child.get("href") if child.get("href") else child.text
            if href and child.get("rel", "alternate") == "alternate":
                link = urljoin(base, href.strip())
        elif name == "pubdate" and child.text:
            when = _rfc822(child.text, zone)
        elif name in ("published", "date") and child.text and when is None:
            when = parse_iso(child.text, zone)
    return (link, when) if link and when else None


def feed_dates(text: str, base: str, zone: ZoneInfo) -> dict[str, FoundDate]:
    """Item link → publication date of an RSS 2.0, RSS 1.0 or Atom feed."""
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser=parser)
    except (etree.XMLSyntaxError, ValueError):
        return {}
    if root is None:
        return {}
    out: dict[str, FoundDate] = {}
    for node in root.iter():
        if _local(node.tag) in ("item", "entry"):
            found = _item(node, base, zone)
            if found:
                out.setdefault(*found)
    return out


def rest_dates(text: str, zone: ZoneInfo) -> dict[str, FoundDate]:
    """Post link → date of a WordPress ``/wp-json/wp/v2/posts`` answer."""
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    out: dict[str, FoundDate] = {}
    for post in data if isinstance(data, list) else []:
        if not isinstance(post, dict) or not isinstance(post.get("link"), str):
            continue
        gmt, local = post.get("date_gmt"), post.get("date")
        found = None
        if isinstance(gmt, str) and (utc := parse_iso(gmt, ZoneInfo("UTC"))):
            found = FoundDate(utc.value.astimezone(zone), True, gmt)
        elif isinstance(local, str):
            found = parse_iso(local, zone)
        if found:
            out[post["link"]] = found
    return out


def is_rest_posts(url: str) -> bool:
    return "/wp-json/wp/v2/posts" in url or "rest_route=/wp/v2/posts" in url
