"""Pairs calendar events with the posts about them (Điều 16.4).

The explicit link wins (the export's event id, or the calendar's post id);
then the titles, read as a person reads them, inside a date window. Both titles
are normalised (accents and case folded; "2026 - 2027" and "2026-2027", "20/11"
and "20-11" alike; CMHS, GVDG, HĐTN, TDTT… spelt out; "Lễ", "Trường … tổ chức",
"long trọng", "mới" dropped), and the score is the share of the event's words
that the post's title contains, generic words ("ngày", "chào mừng"…) counting
less. A title naming another year, class or term than the event's (khối 6 and
khối 9; 2025-2026 and 2026-2027; học kỳ I and II) never matches. A score above
`min_score` is a match; between `confirm_score` and it, a pair a person confirms.
One post never satisfies two events: pairs are taken best score first.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from auditor.model import Event, Post
from auditor.people import fold

_CANDIDATES = 12  # an implementation bound, not a threshold of the regulation
_SLACK = 1e-6  # the index's bound is loosened by this much: it may keep, never drop

# Abbreviations in school titles, spelt out (folded, so "HĐTN" is "hdtn").
_ABBREVIATIONS = {
    "cmhs": "cha me hoc sinh", "phhs": "phu huynh hoc sinh", "gvdg": "giao vien day gioi",
    "gvcn": "giao vien chu nhiem", "hdtn": "hoat dong trai nghiem",
    "tdtt": "the duc the thao", "hsg": "hoc sinh gioi", "atgt": "an toan giao thong",
    "pccc": "phong chay chua chay", "clb": "cau lac bo", "ncbh": "nghien cuu bai hoc",
    "sgk": "sach giao khoa", "hdng": "hoat dong ngoai gio", "gv": "giao vien",
    "hs": "hoc sinh", "cbgv": "can bo giao vien", "nv": "nhan vien", "hk": "hoc ky",
    "hki": "hoc ky 1", "hkii": "hoc ky 2", "nh": "nam hoc", "tntp": "thieu nien tien phong",
    "tncs": "thanh nien cong san", "bgh": "ban giam hieu", "ptdh": "phu trach doi",
}
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}
# Word pairs read as one word: a subject, a role, a rite ("trưởng thành" is not "thành lập").
_PHRASES = re.compile(r"\b(ngu van|tieng anh|tieng viet|vat ly|lich su|dia ly|tin hoc|"
                      r"the duc|am nhac|my thuat|cong nghe|day gioi|chu nhiem|truong thanh|"
                      r"thanh lap|ket nap)\b")
# Words of one kind that exclude each other: a post naming another one is about another event.
_SLOTS = (
    frozenset(("toan", "ngu_van", "tieng_anh", "tieng_viet", "vat_ly", "lich_su", "dia_ly",
               "tin_hoc", "gdcd", "the_duc", "am_nhac", "my_thuat", "cong_nghe")),
    frozenset(("day_gioi", "chu_nhiem")),
    frozenset(("truong_thanh", "thanh_lap", "ket_nap")),
    frozenset(("dau", "giua", "cuoi")),
)
# Words of the post's framing, not of the event: dropped from both titles.
_DROPPED = frozenset(str.split(
    "le truong thcs thpt to chuc long trong moi va cua cac nhung cho tai voi ve da duoc "
    "nham dien ra mot nay vao luc sang chieu hom qua soi noi tung bung thanh cong tin "
    "bai anh hinh"))
# Words every other title has: they count a third of a word that names the event.
_GENERIC = frozenset(str.split(
    "ngay chao mung ky niem hoat dong chuong trinh buoi nam hoc sinh cap phong dot khoi lop "
    "giao duc dao tao tuan tiet thieu nien tien phong ho chi minh"))
_GENERIC_WEIGHT = 0.3


def normalise_title(title: str) -> str:
    """ "Trường … long trọng tổ chức Lễ khai giảng năm học mới 2026 - 2027"
    → "… khai giang nam hoc 2026 2027": the words that name the event."""
    words = _WORDS
    joined = " ".join([words.get(t) or _word(t) for t in _RAW.findall(fold(title))])
    joined = _PHRASES.sub(_glue, joined)
    return " ".join([t for t in joined.split() if t not in _DROPPED])


_RAW = re.compile(r"[a-z]+|[0-9]+")
_WORDS: dict[str, str] = {}  # a folded word → what it stands for (cached: titles repeat words)


def _word(token: str) -> str:
    """ "hdtn" → "hoat dong trai nghiem", "ii" → "2", "05" → "5"."""
    out = _ROMAN.get(token, token)
    out = _ABBREVIATIONS.get(out, out)
    if out.isdigit():
        out = out.lstrip("0") or "0"
    if len(_WORDS) < 200_000:
        _WORDS[token] = out
    return out


def _glue(m: re.Match[str]) -> str:
    return m[0].replace(" ", "_")


def _is_year(token: str) -> bool:
    return len(token) == 4 and token.isdigit() and "1900" < token < "2100"


def _conflict(event: frozenset[str], post: frozenset[str]) -> bool:
    """The post names another year, number (class, term, round), subject or rite."""
    kinds = [_is_year, lambda t: t.isdigit() and not _is_year(t),
             *(slot.__contains__ for slot in _SLOTS)]
    for kind in kinds:
        wanted = {t for t in event if kind(t)}
        offered = {t for t in post if kind(t)}
        if wanted - offered and offered - wanted:
            return True
    return False


# A post naming only years other than the event's own, when the event's title names
# none ("… 20/11/2025" for an event of 2026): its score is cut to this share, so that
# at best a person confirms it.
_OTHER_YEAR = 0.7


def _weight(token: str) -> float:
    return _GENERIC_WEIGHT if token in _GENERIC else 1.0


def title_score(event: str, post: str, year: int | None = None) -> float:
    """0–100: the weighted share of the event's words in the post's title (both
    normalised); 0 when the post names another year, number, subject or rite.
    `year`: the event's own year, for a title that names none."""
    return _score(frozenset(event.split()), frozenset(post.split()), year)


def _score(wanted: frozenset[str], offered: frozenset[str], year: int | None) -> float:
    if not wanted or _conflict(wanted, offered):
        return 0.0
    factor = 1.0
    if year is not None and not any(map(_is_year, wanted)):
        years = {t for t in offered if _is_year(t)}
        if years and str(year) not in years:
            factor = _OTHER_YEAR
    total = found = 0.0
    for token in wanted:
        weight = _weight(token)
        total += weight
        if token in offered:
            found += weight
    return round(100 * factor * found / total, 1)


class _TokenIndex:
    """The dated posts' titles (in time order), with an inverted index by word, so that
    a window scores only the titles that can reach the floor.

    A title reaches ``floor`` only if the event's words it shares weigh at least
    floor% of the event's. Taking the event's words rarest first until those left
    weigh less than that, a title that shares none of the words taken cannot reach
    the floor: only the titles sharing one of them are scored. The index is built
    from the titles' folded words, each standing for the event words it can give
    (an abbreviation its expansion, "ii" 2, the first word of a pair like "ngữ
    văn" the pair), so it may keep a title too many, never one too few; a title is
    normalised only when it is scored. The result is the one scoring every title of
    the window would give (see test_event_matching)."""

    def __init__(self, titles: Sequence[str], vocabulary: frozenset[str]) -> None:
        """`titles`: as written; `vocabulary`: the events' words (normalised)."""
        self.titles = titles
        self._sets: dict[int, frozenset[str]] = {}
        self.postings: dict[str, list[int]] = {}
        postings = self.postings
        keys = _raw_keys(vocabulary)
        for i, title in enumerate(titles):
            given: set[str] = set()
            for raw in set(_RAW.findall(fold(title))):
                if raw[0].isdigit():
                    raw = raw.lstrip("0") or "0"
                words = keys.get(raw)
                if words:
                    given.update(words)
            for token in given:
                found = postings.get(token)
                if found is None:
                    postings[token] = [i]
                else:
                    found.append(i)

    def words(self, i: int) -> frozenset[str]:
        found = self._sets.get(i)
        if found is None:
            found = self._sets[i] = frozenset(normalise_title(self.titles[i]).split())
        return found

    def window(self, wanted: frozenset[str], lo: int, hi: int, floor: float) -> list[int]:
        """Indices in [lo, hi) (ascending) that may score ≥ `floor` (and > 0) against
        `wanted`."""
        if not wanted:
            return []
        total = sum(map(_weight, wanted))
        # title_score rounds to 0.1: a share just under the floor may round up to it.
        need = (floor - 0.05) / 100 * total - _SLACK
        if need <= 0:
            return list(range(lo, hi))
        postings = self.postings
        rest = total
        keep: set[int] = set()
        for token in sorted(wanted, key=lambda t: (len(postings.get(t, ())), t)):
            if rest < need:
                break
            rest -= _weight(token)
            found = postings.get(token)
            if found:
                keep.update(found[bisect_left(found, lo):bisect_left(found, hi)])
        return sorted(keep)


def _raw_keys(vocabulary: frozenset[str]) -> dict[str, set[str]]:
    """A folded word of a title → the words of `vocabulary` it can give once normalised."""
    keys: dict[str, set[str]] = {}
    for word in vocabulary:
        keys.setdefault(word.split("_")[0], set()).add(word)  # "ngu_van" needs "ngu"
    for roman, digit in _ROMAN.items():
        if digit in vocabulary:
            keys.setdefault(roman, set()).add(digit)
    for short in _ABBREVIATIONS:
        found = set(normalise_title(short).split()) & vocabulary
        if found:
            keys.setdefault(short, set()).update(found)
    return keys


@dataclass(frozen=True)
class Match:
    post: Post
    how: str  # "link", "title" or "uncertain" (a person confirms it; never a violation)
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
                 days_before: int, days_after: int,
                 confirm_score: float | None = None) -> dict[str, Match]:
    """Event id → its post: linked, matched by title (≥ `min_score`), or uncertain
    (≥ `confirm_score`, for a person to confirm)."""
    floor = min_score if confirm_score is None else min(confirm_score, min_score)
    published = [p for p in posts if p.is_published]
    used: set[str] = set()
    matches = _link(events, published, used)
    # Titles, only among the posts inside each event's window: the posts are sorted
    # by publication time once and each window is cut out with bisect.
    # Only posts some event's window can reach (an export often spans years, an audit one).
    pending = [ev for ev in events if ev.event_id not in matches]
    if not pending:
        return matches
    first = min(ev.start for ev in pending) - timedelta(days=days_before)
    last = max(deadlines[ev.event_id] for ev in pending) + timedelta(days=max(days_after, 0))
    dated: list[tuple[datetime, Post]] = []
    for p in published:
        when = p.published_at
        if p.post_id not in used and when is not None and first <= when <= last:
            dated.append((when, p))
    dated.sort(key=lambda t: t[0])
    times = [t for t, _ in dated]
    wanted_words = {ev.event_id: frozenset(normalise_title(ev.title).split())
                    for ev in events if ev.event_id not in matches}
    vocabulary = frozenset().union(*wanted_words.values())
    index = _TokenIndex([p.title for _, p in dated], vocabulary)
    pairs: list[tuple[float, float, str, str, Event, Post]] = []

    def candidates(wanted: frozenset[str], first: datetime, last: datetime,
                   year: int) -> list[tuple[float, int]]:
        lo, hi = bisect_left(times, first), bisect_right(times, last)
        # Only the titles that can reach the floor are scored (most of a window, for
        # most events, cannot).
        scored = [(_score(wanted, index.words(i), year), i)
                  for i in index.window(wanted, lo, hi, floor)]
        scored = [(score, i) for score, i in scored if score >= floor and score > 0]
        scored.sort(key=lambda t: (-t[0], t[1]))
        return scored[:_CANDIDATES]

    for ev in events:
        if ev.event_id in matches:
            continue
        wanted, due = wanted_words[ev.event_id], deadlines[ev.event_id]
        # A post by the deadline settles the event; later posts are looked at only
        # when there is none (then the event is late, not missing).
        year = ev.start.year
        found = candidates(wanted, ev.start - timedelta(days=days_before), due, year) or \
            candidates(wanted, due, due + timedelta(days=days_after), year)
        for score, at in found:
            when, p = dated[at]
            gap = abs((when - ev.end).total_seconds())
            pairs.append((-score, gap, ev.event_id, p.post_id, ev, p))
    pairs.sort(key=lambda t: t[:4])
    for neg_score, _gap, _eid, _pid, ev, p in pairs:
        if ev.event_id in matches or p.post_id in used:
            continue
        how = "title" if -neg_score >= min_score else "uncertain"
        matches[ev.event_id] = Match(p, how, -neg_score)
        used.add(p.post_id)
    return matches
