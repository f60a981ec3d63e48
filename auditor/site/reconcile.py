"""Reconciling the CMS export with what the site shows (đối chiếu tệp xuất với trang web).

The posting rules (Điều 16.3–16.4) count posts the public can see. When a
crawl is available a post counts only if the site shows it: a post the export
calls published but whose page is gone (404) or that no list, feed or page
links to does not count. Posts the site shows that the export lacks do count
(the public sees them), and dates that disagree beyond a tolerance are
reported. With a site and no export, the posting rules run on the site's
posts alone and say so (``source == "site"``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Any

from auditor.crawl.urls import canonicalize
from auditor.model import Post
from auditor.people import fold
from auditor.ruleset import RuleSet
from auditor.site.snapshot import SitePost, SiteSnapshot
from auditor.timeutil import Period

DEFAULT_TOLERANCE_HOURS = 24  # used only when the rule set has no [reconcile] table


class SiteState(StrEnum):
    """What the site shows of a post the export says is published."""

    VISIBLE = "visible"  # the page answers and a list, the feed or a page links to it
    HIDDEN = "hidden"  # the page answers but nothing links to it, or it is hidden by CSS
    BROKEN = "broken"  # the page answers 4xx/5xx or not at all
    ABSENT = "absent"  # no page of the site is this post
    UNKNOWN = "unknown"  # the crawl stopped at a limit before it could tell


@dataclass(frozen=True)
class PostOnSite:
    """One export post as the site shows it."""

    post: Post  # from the export
    state: SiteState
    site: SitePost | None = None
    url: str | None = None
    status: int | None = None

    def evidence(self) -> dict[str, Any]:
        data: dict[str, Any] = {"site_state": self.state.value, "site_url": self.url,
                                "site_status": self.status}
        if self.site is not None:
            data["site_visible_date"] = self.site.visible_date_text
            data["site_meta_date"] = self.site.meta_published_text
        return data


@dataclass(frozen=True)
class DateMismatch:
    post_id: str
    title: str
    export_at: datetime
    site_at: datetime  # the site's date closest to the export's
    visible_text: str | None
    meta_text: str | None
    url: str | None

    @property
    def hours(self) -> float:
        return round(abs((self.site_at - self.export_at).total_seconds()) / 3600, 1)


@dataclass(frozen=True)
class Reconciliation:
    """The posts the posting rules count, and every difference found."""

    source: str  # "export+site", "site" or "export"
    # What ctx.posts should hold: every export post except the published ones the
    # site does not show, plus the posts only the site has.
    visible_posts: tuple[Post, ...]
    compared: tuple[PostOnSite, ...] = ()  # every published export post, with its state
    site_only: tuple[SitePost, ...] = ()  # on the site (and counted), not in the export
    date_mismatches: tuple[DateMismatch, ...] = ()
    tolerance: timedelta = timedelta(hours=DEFAULT_TOLERANCE_HOURS)
    ignored_site_posts: int = 0  # pages outside the export's categories or period

    @property
    def not_visible(self) -> tuple[PostOnSite, ...]:
        """Export-published posts the public cannot see (hidden, broken or absent)."""
        return tuple(c for c in self.compared
                     if c.state in (SiteState.HIDDEN, SiteState.BROKEN, SiteState.ABSENT))

    def state_of(self, post_id: str) -> PostOnSite | None:
        for c in self.compared:
            if c.post.post_id == post_id:
                return c
        return None

    def month_evidence(self, month: str, tz: tzinfo,
                       exclude_categories: Sequence[str] = ()) -> dict[str, list[str]]:
        """Post ids per difference for a month (YYYY-MM), for a posting rule's evidence."""
        excluded = {fold(c) for c in exclude_categories}

        def key(when: datetime | None) -> str | None:
            return when.astimezone(tz).strftime("%Y-%m") if when else None

        def counts(post: Post) -> bool:
            return not (post.category and fold(post.category) in excluded)

        out: dict[str, list[str]] = {}
        for c in self.not_visible:
            if key(c.post.published_at) == month and counts(c.post):
                out.setdefault(f"not_counted_{c.state.value}", []).append(c.post.post_id)
        for sp in self.site_only:
            if key(sp.post.published_at) == month and counts(sp.post):
                out.setdefault("site_only", []).append(sp.post_id)
        by_id = {c.post.post_id: c.post for c in self.compared}
        for m in self.date_mismatches:
            post = by_id.get(m.post_id)
            if month in (key(m.export_at), key(m.site_at)) and (post is None or counts(post)):
                out.setdefault("date_mismatch", []).append(m.post_id)
        return out

    def notices(self, lang: str = "vi", within: Period | None = None) -> list[str]:
        """One summary line (and a line per date mismatch) for the report's notices.

        With ``within`` (the report's period), a mismatch is listed only when one of its
        two dates falls in it; the summary says how many others were left out."""
        if self.source == "export":
            return []
        states = {s: sum(1 for c in self.compared if c.state is s) for s in SiteState}
        if self.source == "site":
            if lang == "en":
                return [f"No CMS export: posting rules count the {len(self.visible_posts)} "
                        "posts the site shows."]
            return [f"Không có tệp xuất CMS: các quy tắc tin bài tính theo "
                    f"{len(self.visible_posts)} tin bài trang web đang hiển thị."]
        hours = int(self.tolerance.total_seconds() // 3600)
        if lang == "en":
            lines = [
                f"Export vs site: {len(self.compared)} published in the export, "
                f"{states[SiteState.VISIBLE]} visible, {states[SiteState.HIDDEN]} hidden, "
                f"{states[SiteState.BROKEN]} broken, {states[SiteState.ABSENT]} absent, "
                f"{len(self.site_only)} only on the site, {len(self.date_mismatches)} dates "
                f"off by more than {hours} h."]
        else:
            lines = [
                f"Đối chiếu tệp xuất với trang web: {len(self.compared)} bài đã đăng theo tệp "
                f"xuất, {states[SiteState.VISIBLE]} bài hiển thị, {states[SiteState.HIDDEN]} bài "
                f"bị ẩn, {states[SiteState.BROKEN]} bài lỗi, {states[SiteState.ABSENT]} bài "
                f"không có trên trang; {len(self.site_only)} bài chỉ có trên trang; "
                f"{len(self.date_mismatches)} bài lệch ngày đăng quá {hours} giờ."]
        listed = [m for m in self.date_mismatches if within is None
                  or m.export_at.date() in within or m.site_at.date() in within]
        if len(listed) < len(self.date_mismatches):
            left = len(self.date_mismatches) - len(listed)
            if lang == "en":
                lines[0] += (" 1 of them is outside the report period, not listed." if left == 1
                             else f" {left} of them are outside the report period, not listed.")
            else:
                lines[0] += f" {left} bài lệch ngày ngoài kỳ báo cáo không liệt kê."
        for m in listed:
            if lang == "en":
                lines.append(f"Post {m.post_id} “{m.title}”: export {m.export_at:%d/%m/%Y %H:%M},"
                             f" site {m.site_at:%d/%m/%Y %H:%M} ({m.hours:g} h apart).")
            else:
                apart = f"{m.hours:g}".replace(".", ",")
                lines.append(f"Bài {m.post_id} “{m.title}”: tệp xuất ghi "
                             f"{m.export_at:%d/%m/%Y %H:%M}, trang web ghi "
                             f"{m.site_at:%d/%m/%Y %H:%M} (lệch {apart} giờ).")
        return lines


def tolerance_from(ruleset: RuleSet) -> timedelta:
    """``[reconcile] date_tolerance_hours`` of the rule set."""
    table = ruleset.data.get("reconcile", {})
    hours = table.get("date_tolerance_hours", DEFAULT_TOLERANCE_HOURS) if isinstance(
        table, dict) else DEFAULT_TOLERANCE_HOURS
    return timedelta(hours=float(hours))


def _key(url: str | None) -> str | None:
    return canonicalize(url) if url else None


def _linked(snapshot: SiteSnapshot, url: str) -> bool:
    return any(url in page.links for u, page in snapshot.pages.items() if u != url)


def _site_dates(sp: SitePost) -> list[tuple[datetime, bool]]:
    """(date, has time of day) for each date the site gives."""
    out = []
    if sp.visible_date is not None:
        out.append((sp.visible_date, not sp.visible_is_day_only))
    if sp.meta_published is not None:
        out.append((sp.meta_published, True))
    return out


def _mismatch(post: Post, sp: SitePost, tolerance: timedelta) -> DateMismatch | None:
    if post.published_at is None:
        return None
    best: tuple[timedelta, datetime] | None = None
    for when, timed in _site_dates(sp):
        if timed:
            delta = abs(when - post.published_at)
        else:  # only a day printed: compare days
            delta = timedelta(days=abs((when.date() - post.published_at.astimezone(
                when.tzinfo).date()).days))
        if best is None or delta < best[0]:
            best = (delta, when)
    if best is None or best[0] <= tolerance:
        return None
    return DateMismatch(post.post_id, post.title, post.published_at, best[1],
                        sp.visible_date_text, sp.meta_published_text, sp.url)


@dataclass(frozen=True)
class _SiteIndex:
    """The site's posts by id, by canonical URL and by folded title."""

    by_id: dict[str, SitePost]
    by_url: dict[str, SitePost]
    by_title: dict[str, list[SitePost]]

    @classmethod
    def of(cls, site_posts: Sequence[SitePost]) -> _SiteIndex:
        by_url: dict[str, SitePost] = {}
        by_title: dict[str, list[SitePost]] = {}
        for each in site_posts:
            for u in each.urls:
                k = _key(u)
                if k:
                    by_url.setdefault(k, each)
            by_title.setdefault(fold(each.post.title), []).append(each)
        return cls({sp.post_id: sp for sp in site_posts}, by_url, by_title)

    def find(self, post: Post) -> SitePost | None:
        """The site's post for an export post: by id, by URL, else by a unique title."""
        url_key = _key(post.url)
        sp = self.by_id.get(post.post_id) or (self.by_url.get(url_key) if url_key else None)
        if sp is None and not post.url:
            candidates = self.by_title.get(fold(post.title), [])
            sp = candidates[0] if len(candidates) == 1 else None
        return sp


def _page_state(post: Post, snapshot: SiteSnapshot, stopped: bool) -> PostOnSite:
    """An export post no site post matched: what its page (if any) says."""
    url_key = _key(post.url)
    page = snapshot.pages.get(url_key) if url_key else None
    if page is not None and page.broken:
        return PostOnSite(post, SiteState.BROKEN, None, page.url, page.status)
    if page is not None:
        state = SiteState.VISIBLE if _linked(snapshot, page.url) else SiteState.HIDDEN
        return PostOnSite(post, state, None, page.url, page.status)
    state = SiteState.UNKNOWN if stopped else SiteState.ABSENT
    return PostOnSite(post, state, None, post.url, None)


def _compare(export_posts: Sequence[Post], snapshot: SiteSnapshot, index: _SiteIndex,
             tolerance: timedelta) -> tuple[list[PostOnSite], list[DateMismatch], set[str]]:
    """Each published export post with its state on the site, and the dates that differ."""
    stopped = snapshot.stopped is not None
    compared: list[PostOnSite] = []
    mismatches: list[DateMismatch] = []
    matched: set[str] = set()
    for post in export_posts:
        if not post.is_published:
            continue
        sp = index.find(post)
        if sp is None:
            compared.append(_page_state(post, snapshot, stopped))
            continue
        matched.add(sp.post_id)
        state = SiteState.VISIBLE if sp.post.is_published else SiteState.HIDDEN
        compared.append(PostOnSite(post, state, sp, sp.url, sp.status))
        found = _mismatch(post, sp, tolerance)
        if found:
            mismatches.append(found)
    return compared, mismatches, matched


def _site_only(export_posts: Sequence[Post], site_posts: Sequence[SitePost],
               matched: set[str]) -> tuple[list[SitePost], int]:
    """Site posts the export lacks: counted when they belong to the export's
    categories and period (an export of news rarely carries the static pages)."""
    export_ids = {p.post_id for p in export_posts}
    export_urls = {k for p in export_posts if (k := _key(p.url))}
    categories = {fold(p.category) for p in export_posts if p.category}
    dates = [p.published_at for p in export_posts if p.published_at]
    earliest = min(dates) - timedelta(days=1) if dates else None

    def in_scope(sp: SitePost) -> bool:
        return (sp.post.category is None or fold(sp.post.category) in categories) and (
            earliest is None or (sp.post.published_at is not None
                                 and sp.post.published_at >= earliest))

    site_only: list[SitePost] = []
    ignored = 0
    for sp in site_posts:
        if sp.post_id in matched or sp.post_id in export_ids or any(
                _key(u) in export_urls for u in sp.urls):
            continue
        if in_scope(sp) and sp.post.is_published:
            site_only.append(sp)
        else:
            ignored += 1
    return site_only, ignored


def reconcile(export_posts: Sequence[Post] | None, snapshot: SiteSnapshot | None,
              tolerance: timedelta) -> Reconciliation:
    """Compare the export with the site; the result's `visible_posts` is what rules count."""
    if snapshot is None:
        return Reconciliation("export", tuple(export_posts or ()), tolerance=tolerance)
    site_posts = snapshot.site_posts
    if export_posts is None:
        shown = tuple(sp.post for sp in site_posts if sp.post.is_published)
        return Reconciliation("site", shown, tolerance=tolerance)
    compared, mismatches, matched = _compare(export_posts, snapshot,
                                             _SiteIndex.of(site_posts), tolerance)
    site_only, ignored = _site_only(export_posts, site_posts, matched)
    counted = [c.post for c in compared if c.state in (SiteState.VISIBLE, SiteState.UNKNOWN)]
    unpublished = [p for p in export_posts if not p.is_published]
    visible = tuple(counted + unpublished + [sp.post for sp in site_only])
    return Reconciliation(
        "export+site", visible, tuple(compared), tuple(site_only), tuple(mismatches),
        tolerance, ignored,
    )
