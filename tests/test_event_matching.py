"""The event ↔ post matcher's title index must never change a match.

`reference_match_events` is the straightforward matcher (every title of each
window scored by title_score); the real one first drops, through an index by
word, the titles that cannot reach the floor.
On random inputs both must give the same matches, and the index must keep every
title that rapidfuzz scores at or above the cutoff.
"""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from auditor.checks.event_matching import (
    Match,
    _link,
    _TokenIndex,
    match_events,
    normalise_title,
    title_score,
)
from auditor.model import Event, Post, PostStatus

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
WORDS = ["Hội", "nghị", "cha", "mẹ", "học", "sinh", "Lễ", "khai", "giảng", "năm", "học",
         "2026", "Chuyên", "đề", "Toán", "Ngữ", "văn", "hoạt", "động", "ngoại", "khóa",
         "Tin", "số", "12:", "tuần", "3", "kết", "nạp", "Đoàn", "viên", "hoi", "nghi",
         "giang", "khai-giảng", "Hội-nghị", "TOÁN", "a", "ab", "中文", "ðạo", "x",
         # what normalisation rewrites: abbreviations, Roman numerals, zero-padded
         # numbers, word pairs read as one, years, dropped words
         "CMHS", "HĐTN", "GVDG", "hs", "II", "i", "05", "5", "dạy", "giỏi", "trưởng",
         "thành", "lập", "Tiếng", "Anh", "2027", "2025", "Lễ", "tổ", "chức", "mới"]


def _title(rnd: random.Random) -> str:
    words = [rnd.choice(WORDS) for _ in range(rnd.randrange(0, 9))]
    if words and rnd.random() < 0.2:  # a typo
        w = rnd.randrange(len(words))
        word = words[w]
        if word:
            cut = rnd.randrange(len(word))
            words[w] = word[:cut] + rnd.choice("aeiouz") + word[cut + 1 :]
    return (" " * rnd.randrange(1, 3)).join(words)


def reference_match_events(events: Sequence[Event], posts: Sequence[Post],
                           deadlines: dict[str, datetime], *, min_score: float,
                           days_before: int, days_after: int) -> dict[str, Match]:
    """The matcher without the index: every title of each window is scored."""
    published = [p for p in posts if p.is_published]
    used: set[str] = set()
    matches = _link(events, published, used)  # explicit links: not what the index changes
    dated = sorted(((p.published_at, p) for p in published
                    if p.post_id not in used and p.published_at is not None),
                   key=lambda t: t[0])
    times = [t for t, _ in dated]
    titles = [normalise_title(p.title) for _, p in dated]

    def window(wanted: str, first: datetime, last: datetime,
               year: int) -> list[tuple[float, int]]:
        lo, hi = bisect_left(times, first), bisect_right(times, last)
        scored = [(title_score(wanted, titles[i], year), i) for i in range(lo, hi)]
        scored = sorted(((s, i) for s, i in scored if s >= min_score and s > 0),
                        key=lambda t: (-t[0], t[1]))
        return scored[:12]

    pairs = []
    for ev in events:
        if ev.event_id in matches:
            continue
        wanted, due = normalise_title(ev.title), deadlines[ev.event_id]
        year = ev.start.year
        found = window(wanted, ev.start - timedelta(days=days_before), due, year) or \
            window(wanted, due, due + timedelta(days=days_after), year)
        for score, i in found:
            when, p = dated[i]
            pairs.append((-score, abs((when - ev.end).total_seconds()), ev.event_id,
                          p.post_id, ev, p))
    pairs.sort(key=lambda t: t[:4])
    for neg, _gap, _e, _p, ev, p in pairs:
        if ev.event_id in matches or p.post_id in used:
            continue
        matches[ev.event_id] = Match(p, "title", -neg)
        used.add(p.post_id)
    return matches


def _case(seed: int) -> tuple[list[Event], list[Post], dict[str, datetime]]:
    rnd = random.Random(seed)
    base = datetime(2026, 9, 1, 7, 0, tzinfo=TZ)
    titles = [_title(rnd) for _ in range(25)]
    n_events = rnd.randrange(1, 40)
    events, deadlines = [], {}
    for i in range(n_events):
        start = base + timedelta(hours=rnd.randrange(0, 24 * 60))
        end = start + timedelta(hours=rnd.randrange(0, 50))
        eid = f"ev-{i}"
        title = rnd.choice(titles) if rnd.random() < 0.6 else _title(rnd)
        events.append(Event(eid, title or "Sự kiện", start, end,
                            post_id=f"p{rnd.randrange(300)}" if rnd.random() < 0.05 else None))
        deadlines[eid] = end + timedelta(days=1)
    posts = []
    for i in range(rnd.randrange(0, 300)):
        when = base + timedelta(minutes=rnd.randrange(0, 60 * 24 * 75))
        title = rnd.choice(titles) if rnd.random() < 0.5 else _title(rnd)
        posts.append(Post(
            f"p{i}", title or "Tin", status=rnd.choice([PostStatus.PUBLISHED] * 5
                                                        + [PostStatus.DRAFT]),
            published_at=when if rnd.random() < 0.95 else None,
            event_id=f"ev-{rnd.randrange(n_events)}" if rnd.random() < 0.05 else None))
    return events, posts, deadlines


def _key(matches: dict[str, Match]) -> dict[str, tuple[str, str, float]]:
    return {k: (m.post.post_id, m.how, m.score) for k, m in matches.items()}


@pytest.mark.parametrize("seed", range(150))
def test_matches_equal_the_reference(seed: int) -> None:
    events, posts, deadlines = _case(seed)
    score = random.Random(seed).choice([0, 30, 50, 70, 75, 80, 85, 90, 99, 100, 100.5, 200.0001])
    days = dict(min_score=score, days_before=1, days_after=random.Random(-seed).choice([0, 3, 30]))
    def outcome(matcher: Any) -> object:
        try:
            return _key(matcher(events, posts, deadlines, **days))
        except Exception as exc:  # whatever one refuses, so must the other
            return type(exc)

    assert outcome(match_events) == outcome(reference_match_events)


@pytest.mark.parametrize("floor", [0, 1, 40, 60, 66.5, 75, 80, 81.8, 85, 90, 95, 100])
def test_index_keeps_every_title_that_reaches_the_floor(floor: float) -> None:
    rnd = random.Random(int(floor * 10))
    raw = [_title(rnd) for _ in range(400)]
    titles = [normalise_title(t) for t in raw]
    queries = [normalise_title(_title(rnd)) if rnd.random() < 0.7 else rnd.choice(titles)
               for _ in range(200)]
    index = _TokenIndex(raw, frozenset(w for q in queries for w in q.split()))
    for query in queries:
        wanted = frozenset(query.split())
        lo = rnd.randrange(0, 300)
        hi = rnd.randrange(lo, 401)
        keep = index.window(wanted, lo, hi, floor)
        must = [i for i in range(lo, hi)
                if title_score(query, titles[i]) >= floor and title_score(query, titles[i]) > 0]
        assert keep == sorted(set(keep)) and all(lo <= i < hi for i in keep)
        assert set(must) <= set(keep), (query, [titles[i] for i in set(must) - set(keep)])


def test_index_drops_titles_that_cannot_match() -> None:
    titles = [f"Tin số {i}: hoạt động của nhà trường tuần {i % 52 + 1}" for i in range(500)]
    index = _TokenIndex(titles, frozenset(normalise_title("Hoạt động 1234 12").split()))
    assert index.window(frozenset(normalise_title("Hoạt động 1234").split()), 0, 500, 80) == []
    kept = index.window(frozenset(normalise_title("Hoạt động 12").split()), 0, 500, 80)
    assert kept and len(kept) < 50


def test_event_corpus_reaches_the_target() -> None:
    """The labelled corpus (fixtures/event-matching/pairs.csv): precision ≥ 0.97 and
    recall ≥ 0.95 with the rule set's thresholds; the issue's example matches."""
    import importlib.util
    import sys
    from pathlib import Path

    bench = Path(__file__).resolve().parent.parent / "bench" / "event_matching.py"
    spec = importlib.util.spec_from_file_location("bench_event_matching", bench)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    scores = module.evaluate()
    assert scores.pairs >= 150
    assert scores.precision >= 0.97, scores.misses
    assert scores.recall >= 0.95, scores.misses
    wanted = normalise_title("Khai giảng năm học 2026-2027")
    post = normalise_title("Trường THCS Hòa Phương long trọng tổ chức Lễ khai giảng năm học "
                           "mới 2026 - 2027")
    assert title_score(wanted, post, 2026) == 100.0
    earlier = normalise_title("Lễ khai giảng năm học 2025 - 2026")
    assert title_score(wanted, earlier, 2026) == 0.0
