"""Pairs calendar events with the posts about them (Điều 16.4).

The explicit link wins (the export's event id, or the calendar's post id);
then an accent- and case-insensitive fuzzy title match inside a date window.
One post never satisfies two events: pairs are taken best score first.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from rapidfuzz import fuzz, process

from auditor.model import Event, Post
from auditor.people import fold

_CANDIDATES = 12  # an implementation bound, not a threshold of the regulation
_SLACK = 1e-6  # the prefilter's bounds are loosened by this much: it may keep, never drop


class _TitleIndex:
    """The folded titles of the dated posts (in time order), indexed so that a window
    scores only the titles that can reach the cutoff with ``fuzz.token_set_ratio``.

    With A and B the token sets of the two titles, LA and LB the lengths of their
    sorted tokens joined by spaces and s that of the shared tokens, rapidfuzz's
    token_set_ratio is 100 when one set holds the other, else the best of
    2s/(s+LA), 2s/(s+LB) and the ratio of the two differences, which is at most
    2·min(LA, LB)/(LA+LB) (also the bound when nothing is shared). So with
    c = cutoff/100 and k = c/(2−c), a title reaches the cutoff only if
    LB ≤ LA/k or s ≥ k·LA. The first set is read off an index by LB, the second
    off an inverted index by token: a title with s ≥ k·LA shares at least one of
    the query's rarest tokens whose removal leaves less than that weight. The
    titles kept are then scored by rapidfuzz itself, in their original order, so
    the result (scores and the order of ties) is the unfiltered one.

    Only ASCII titles are indexed (folded Vietnamese is ASCII): there Python's
    split() and rapidfuzz agree on what a token is. Other titles are always scored.
    """

    def __init__(self, titles: Sequence[str], queries: Iterable[str]) -> None:
        """`queries`: every title that will be looked up (only their tokens are indexed)."""
        self.titles = titles
        vocabulary = {token for q in queries for token in q.split()}
        self.postings: dict[str, list[int]] = {}
        by_length: dict[int, list[int]] = {}
        self.unindexed: list[int] = []
        for i, title in enumerate(titles):
            if not title.isascii():
                self.unindexed.append(i)
                continue
            tokens = set(title.split())
            by_length.setdefault(_joined_length(tokens), []).append(i)
            for token in tokens & vocabulary:
                self.postings.setdefault(token, []).append(i)
        self.lengths = sorted(by_length)
        self.by_length = [by_length[n] for n in self.lengths]

    def window(self, wanted: str, lo: int, hi: int, cutoff: float) -> list[int] | None:
        """Indices in [lo, hi) (ascending) that may score ≥ `cutoff` against `wanted`
        (one of the `queries`); ``None`` when every title of the window has to be scored."""
        tokens = set(wanted.split())
        c = cutoff / 100 - _SLACK
        if not tokens or not wanted.isascii() or not 0 < c < 1:
            return None
        k = c / (2 - c)
        la = _joined_length(tokens)
        keep: set[int] = set()
        # Titles short enough for the difference ratio (or containment of the title).
        longest = la / k + _SLACK
        for length, indices in zip(self.lengths, self.by_length, strict=True):
            if length > longest:
                break
            keep.update(indices[bisect_left(indices, lo):bisect_left(indices, hi)])
        # Titles sharing at least one of the rarest tokens (the others cannot reach s ≥ k·LA).
        need = k * la + 1 - _SLACK  # s = Σ(len+1) − 1 over the shared tokens
        rest = la + 1
        postings = self.postings
        for token in sorted(tokens, key=lambda t: (len(postings.get(t, ())), t)):
            if rest < need:
                break
            rest -= len(token) + 1
            found = postings.get(token)
            if found:
                keep.update(found[bisect_left(found, lo):bisect_left(found, hi)])
        if self.unindexed:
            u = self.unindexed
            keep.update(u[bisect_left(u, lo):bisect_left(u, hi)])
        return sorted(keep)


def _joined_length(tokens: set[str]) -> int:
    """len(" ".join(tokens))"""
    return sum(map(len, tokens)) + len(tokens) - 1 if tokens else 0


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
    title_index = _TitleIndex(titles, [fold(ev.title) for ev in events])
    pairs: list[tuple[float, float, str, str, Event, Post]] = []
    def candidates(wanted: str, first: datetime, last: datetime) -> list[tuple[float, int]]:
        lo, hi = bisect_left(times, first), bisect_right(times, last)
        # rapidfuzz scores the window in C; the best few above the cut come back
        # (enough for the one-post-one-event assignment below, and bounded on exports
        # whose titles all look alike). The index first drops the titles that
        # cannot reach the cut (most of a 30-day window, for most events).
        keep = title_index.window(wanted, lo, hi, min_score)
        if keep is None:
            found = process.extract(wanted, titles[lo:hi], scorer=fuzz.token_set_ratio,
                                    score_cutoff=min_score, limit=_CANDIDATES)
            return [(score, lo + offset) for _title, score, offset in found]
        found = process.extract(wanted, [titles[i] for i in keep], scorer=fuzz.token_set_ratio,
                                score_cutoff=min_score, limit=_CANDIDATES)
        return [(score, keep[offset]) for _title, score, offset in found]

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
