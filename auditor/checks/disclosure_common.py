"""What the four Công khai rules share: the section and its items as one
:class:`~auditor.history.DisclosureState` built from the crawl and the export,
the earlier runs from the history, and a second fetch to confirm a removal.

Addresses are kept in their official form (the school's configured address):
the demo and tests serve the site on 127.0.0.1, and runs on different ports
must still name the same item.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from auditor.checks.interface import AuditContext
from auditor.crawl.types import ERROR_REASONS_EN
from auditor.history.records import (
    DisclosureRecord,
    DisclosureState,
    RunInfo,
    normalise_url,
    school_key,
)
from auditor.model import Post, PostStatus
from auditor.people import fold
from auditor.profiles import keyed_post_id

GONE = frozenset({403, 404, 410})  # the item is not there for visitors


def post_id_in(url: str | None) -> str | None:
    """The CMS id in a portal article URL (``…/ct/1025/15127`` → ``15127``)."""
    if not url:
        return None
    return keyed_post_id(urlsplit(url).path, ("article", "document"))


def item_key(url: str | None, post_id: str | None = None, title: str = "") -> str:
    """Stable across runs, hosts and ports: the post id, else the path, else the title."""
    pid = post_id or post_id_in(url)
    if pid:
        return f"post:{pid}"
    if url:
        parts = urlsplit(url)
        return "path:" + (parts.path.rstrip("/") or "/") + (f"?{parts.query}" if parts.query
                                                              else "")
    return "title:" + fold(title)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), "", "", ""))


def official(url: str | None, ctx: AuditContext) -> str | None:
    """The address as the school publishes it (the crawl may have used another origin)."""
    if not url:
        return None
    site, school_url = ctx.site, ctx.config.school.url
    if site is not None and school_url and _origin(url) == _origin(site.base_url):
        parts = urlsplit(url)
        home = urlsplit(school_url)
        url = urlunsplit((home.scheme, home.netloc, parts.path, parts.query, ""))
    return normalise_url(url)


def served(url: str, ctx: AuditContext) -> str:
    """The address to fetch now: an official address mapped onto the origin actually crawled
    (the demo names the school's address but is served on 127.0.0.1)."""
    site, school_url = ctx.site, ctx.config.school.url
    if site is None or not school_url or _origin(url) != _origin(school_url):
        return url
    target = site.served_from or site.base_url
    base = urlsplit(target)
    parts = urlsplit(url)
    return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))


def history_school(ctx: AuditContext) -> str:
    return school_key(ctx.config.school.url, ctx.config.school.name)


def is_disclosure_post(post: Post, categories: Iterable[str]) -> bool:
    return post.category is not None and fold(post.category) in _folded(tuple(categories))


@lru_cache(maxsize=64)
def _folded(categories: tuple[str, ...]) -> frozenset[str]:
    return frozenset(fold(c) for c in categories)


_EXPORT_HIDDEN = {
    PostStatus.HIDDEN: "export:hidden",
    PostStatus.DELETED: "export:deleted",
    PostStatus.DRAFT: "export:draft",
    PostStatus.PENDING: "export:pending",
}


def _from_export(post: Post) -> DisclosureRecord:
    hidden = _EXPORT_HIDDEN.get(post.status)
    if hidden is None and post.taken_down_at is not None:
        hidden = "export:deleted"
    published = post.published_at.date() if post.published_at else None
    return DisclosureRecord(key=item_key(post.url, post.post_id), title=post.title,
                            url=normalise_url(post.url) if post.url else None, status=None,
                            hidden=hidden, source="export", post_id=post.post_id,
                            updated_at=published)


def _from_site(item: Any, ctx: AuditContext) -> DisclosureRecord:
    url = official(item.url, ctx)
    hidden = None
    if item.hidden_by_css:
        hidden = "css"
    elif item.status in GONE:
        hidden = f"http:{item.status}"
    published = item.published_at.date() if item.published_at else None
    return DisclosureRecord(key=item_key(url, title=item.title), title=item.title, url=url,
                            status=item.status, hidden=hidden, source="site",
                            post_id=post_id_in(url), updated_at=published)


def _merge(site: DisclosureRecord, export: DisclosureRecord) -> DisclosureRecord:
    return DisclosureRecord(
        key=site.key, title=site.title, url=site.url or export.url, status=site.status,
        hidden=site.hidden or export.hidden, source="site+export",
        post_id=site.post_id or export.post_id, updated_at=site.updated_at or export.updated_at,
    )


def click_path(ctx: AuditContext) -> tuple[tuple[str, str], ...]:
    """The menu titles from the home page to the section, each with its address."""
    site = ctx.site
    if site is None or site.disclosure is None:
        return ()
    titles = tuple(site.disclosure.click_path)
    steps: list[tuple[str, str]] = []
    level = site.nav
    for title in titles:
        match = next((n for n in level if n.title == title), None)
        if match is None:
            break
        steps.append((title, official(match.url, ctx) or ""))
        level = match.children
    if len(steps) == len(titles):
        return tuple(steps)
    last = official(site.disclosure.url, ctx) or ""
    return tuple((t, last if i == len(titles) - 1 else "") for i, t in enumerate(titles))


def current_state(ctx: AuditContext, categories: Iterable[str]) -> DisclosureState | None:
    """The section as this run sees it (crawl and export together), or None with neither."""
    site = ctx.site
    section = site.disclosure if site is not None else None
    records: dict[str, DisclosureRecord] = {}
    if section is not None:
        for item in section.items:
            rec = _from_site(item, ctx)
            records.setdefault(rec.key, rec)
    if ctx.posts is not None:
        for post in ctx.posts:
            if not is_disclosure_post(post, categories):
                continue
            rec = _from_export(post)
            records[rec.key] = _merge(records[rec.key], rec) if rec.key in records else rec
    if section is None and ctx.posts is None:
        return None
    url = official(section.url, ctx) if section is not None else None
    status = section.status if section is not None else None
    return DisclosureState(url=url or ctx.config.disclosure.url, status=status,
                           click_path=click_path(ctx),
                           items=tuple(sorted(records.values(), key=lambda r: r.key)))


DEFAULT_CATEGORIES = ("Công khai",)
_RULES_WITH_CATEGORIES = ("disclosure.always-visible", "disclosure.required-items")


def disclosure_snapshot(ctx: AuditContext) -> DisclosureState | None:
    """The Công khai section as this run saw it (site and export), recorded in the
    history for the next runs; its categories are those the disclosure rules use."""
    categories: list[str] = list(DEFAULT_CATEGORIES)
    for rule_id in _RULES_WITH_CATEGORIES:
        rule = ctx.ruleset.rules.get(rule_id)
        if rule is not None and isinstance(rule.params.get("categories"), list):
            categories = [str(c) for c in rule.params["categories"]]
            break
    return current_state(ctx, categories)


def earlier_states(ctx: AuditContext) -> list[tuple[RunInfo, DisclosureState]]:
    """The section in every earlier run of this school (oldest first); [] with no history."""
    if ctx.history is None:
        return []
    states: list[tuple[RunInfo, DisclosureState]] = ctx.history.disclosure_history(
        history_school(ctx), ctx.as_of)
    return states


def offline(ctx: AuditContext) -> bool:
    site = ctx.site
    return bool(site is not None and getattr(site.stats, "offline", False))


def refetch(url: str, ctx: AuditContext, timeout: float) -> int | None:
    """A second fetch of ``url`` (mapped to the crawled origin); its status, None on failure.

    Used only to confirm what the crawl saw: a passing network failure is not
    a removal (Điều 13.1.c is about the item, not the network).
    """
    return refetch_why(url, ctx, timeout)[0]


def refetch_why(url: str, ctx: AuditContext, timeout: float
                ) -> tuple[int | None, tuple[str, str] | None]:
    """(status, None), or (None, why the second fetch gave no status: Vietnamese, English).

    Through the audit's one fetcher: robots.txt, pacing, the crawl's hosts on
    every redirect hop (a redirect to another host is not followed and gives no
    status), `timeout` seconds of wall clock at most, and no body read at all.
    """
    if offline(ctx):
        return None, ("ngoại tuyến", "offline")
    got = ctx.site_fetcher().get(served(url, ctx), read_body=False, time_limit=timeout)
    if got.error is not None or got.status is None:
        vi = got.error or "không có câu trả lời"
        en = ERROR_REASONS_EN.get(got.error_code or "", "no answer")
        if got.off_scope_target:
            en += f": {got.off_scope_target}"
        return None, (vi, en)
    return got.status, None


def official_for_state(state: DisclosureState | None) -> dict[str, Any]:
    """Evidence: the section as a run saw it, small enough for the JSON report."""
    if state is None:
        return {}
    return {"url": state.url, "status": state.status,
            "click_path": [t for t, _ in state.click_path], "items": len(state.items)}
