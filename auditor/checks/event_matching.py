"""Pairs calendar events with the posts about them (Điều 16.4).

The explicit link wins (the export's event id, or the calendar's post id);
then an accent- and case-insensitive fuzzy title match inside a date window.
One post never satisfies two events: pairs are taken best score first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from rapidfuzz import fuzz

from auditor.model import Event, Post
from auditor.people import fold


@dataclass(frozen=True)
class Match:
    post: Post
    how: str  # "link" or "title"
    score: float


def _published(posts: Sequence[Post]) -> list[Post]:
    return [p for p in posts if p.is_published]


def match_events(events: Sequence[Event], posts: Sequence[Post],
                 deadlines: dict[str, datetime], *, min_score: float,
                 days_before: int, days_after: int) -> dict[str, Match]:
    published = _published(posts)
    by_id = {p.post_id: p for p in published}
    used: set[str] = set()
    matches: dict[str, Match] = {}
    # 1. Explicit links, earliest post first when several name the same event.
    linked: dict[str, list[Post]] = {}
    for p in published:
        if p.event_id:
            linked.setdefault(p.event_id, []).append(p)
    for ev in events:
        candidates = list(linked.get(ev.event_id, []))
        if ev.post_id and ev.post_id in by_id:
            candidates.append(by_id[ev.post_id])
        candidates = [p for p in candidates if p.post_id not in used]
        if candidates:
            best = min(candidates, key=lambda p: p.published_at or datetime.max)
            matches[ev.event_id] = Match(best, "link", 100.0)
            used.add(best.post_id)
    # 2. Fuzzy titles inside the window, best pair first.
    titles = {p.post_id: fold(p.title) for p in published if p.post_id not in used}
    pairs: list[tuple[float, float, Event, Post]] = []
    for ev in events:
        if ev.event_id in matches:
            continue
        first = ev.start - timedelta(days=days_before)
        last = deadlines[ev.event_id] + timedelta(days=days_after)
        wanted = fold(ev.title)
        for p in published:
            if p.post_id in used or p.published_at is None:
                continue
            if not first <= p.published_at <= last:
                continue
            score = fuzz.token_set_ratio(wanted, titles[p.post_id])
            if score >= min_score:
                gap = abs((p.published_at - ev.end).total_seconds())
                pairs.append((-score, gap, ev, p))
    pairs.sort(key=lambda t: (t[0], t[1], t[2].event_id, t[3].post_id))
    for neg_score, _gap, ev, p in pairs:
        if ev.event_id in matches or p.post_id in used:
            continue
        matches[ev.event_id] = Match(p, "title", -neg_score)
        used.add(p.post_id)
    return matches
