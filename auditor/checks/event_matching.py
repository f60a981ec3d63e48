"""Pairs calendar events with the posts about them (Điều 16.4).

The explicit link wins (the export's event id, or the calendar's post id);
then an accent- and case-insensitive fuzzy title match inside a date window.
One post never satisfies two events: pairs are taken best score first.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from rapidfuzz import fuzz, process

from auditor.model import Event, Post
from auditor.people import fold

_CANDIDATES = 12  # an implementation bound, not a threshold of the regulation


@dataclass(frozen=True)
class Match:
    post: Post
    how: str  # "link" or "title"
    score: float


def _link(events: Sequence[Event], published: Sequence[Post],
          used: set[str]) -> dict[str, Match]:
    """Explicit links, the earliest post first when several name the same event."""
    by_id = {p.post_id: p for p in published}
    linked: dict[str, list[Post]] = {}
    for p in published:
        if p.event_id:
            linked.setdefault(p.event_id, []).append(p)
    matches: dict[str, Match] = {}
    for ev in events:
        candidates = list(linked.get(ev.event_id, []))
        if ev.post_id and ev.post_id in by_id:
            candidates.append(by_id[ev.post_id])
        candidates = [p for p in candidates if p.post_id not in used]
        if candidates:
            best = min(candidates, key=lambda p: p.published_at or datetime.max)
            matches[ev.event_id] = Match(best, "link", 100.0)
            used.add(best.post_id)
    return matches


def match_events(events: Sequence[Event], posts: Sequence[Post],
                 deadlines: dict[str, datetime], *, min_score: float,
                 days_before: int, days_after: int) -> dict[str, Match]:
    published = [p for p in posts if p.is_published]
    used: set[str] = set()
    matches = _link(events, published, used)
    # Fuzzy titles, only among the posts inside each event's window: the posts are
    # sorted by publication time once and each window is cut out with bisect.
    dated: list[tuple[datetime, Post]] = []
    for p in published:
        if p.post_id not in used and p.published_at is not None:
            dated.append((p.published_at, p))
    dated.sort(key=lambda t: t[0])
    times = [t for t, _ in dated]
    titles = [fold(p.title) for _, p in dated]
    pairs: list[tuple[float, float, str, str, Event, Post]] = []
    def candidates(wanted: str, first: datetime, last: datetime) -> list[tuple[float, int]]:
        lo, hi = bisect_left(times, first), bisect_right(times, last)
        # rapidfuzz scores the whole window in C; the best few above the cut come back
        # (enough for the one-post-one-event assignment below, and bounded on exports
        # whose titles all look alike).
        found = process.extract(wanted, titles[lo:hi], scorer=fuzz.token_set_ratio,
                                score_cutoff=min_score, limit=_CANDIDATES)
        return [(score, lo + offset) for _title, score, offset in found]

    for ev in events:
        if ev.event_id in matches:
            continue
        wanted, due = fold(ev.title), deadlines[ev.event_id]
        # A post by the deadline settles the event; later posts are looked at only
        # when there is none (then the event is late, not missing).
        found = candidates(wanted, ev.start - timedelta(days=days_before), due) or \
            candidates(wanted, due, due + timedelta(days=days_after))
        for score, index in found:
            when, p = dated[index]
            gap = abs((when - ev.end).total_seconds())
            pairs.append((-score, gap, ev.event_id, p.post_id, ev, p))
    pairs.sort(key=lambda t: t[:4])
    for neg_score, _gap, _eid, _pid, ev, p in pairs:
        if ev.event_id in matches or p.post_id in used:
            continue
        matches[ev.event_id] = Match(p, "title", -neg_score)
        used.add(p.post_id)
    return matches
