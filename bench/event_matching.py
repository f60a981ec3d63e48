"""Benchmark: precision and recall of the event ↔ post title matcher on a labelled corpus.

    python bench/event_matching.py [--show]

The corpus is fixtures/event-matching/pairs.csv (event title, post title, 1 = the
post is about the event). Each pair is run through the real matcher
(:func:`auditor.checks.event_matching.match_events`) with the rule set's
thresholds, the post published the evening of the event. A confident match
counts as a match; an uncertain one (a person confirms it) is counted apart.
Targets: precision ≥ 0.97, recall ≥ 0.95.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tomllib
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.checks.event_matching import match_events  # noqa: E402
from auditor.model import Event, Post, PostStatus  # noqa: E402

CORPUS = ROOT / "fixtures" / "event-matching" / "pairs.csv"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class Scores:
    pairs: int
    true_pos: int
    false_pos: int
    false_neg: int
    uncertain: int
    misses: tuple[tuple[str, str, int, str], ...]

    @property
    def precision(self) -> float:
        found = self.true_pos + self.false_pos
        return self.true_pos / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_pos + self.false_neg
        return self.true_pos / wanted if wanted else 1.0


def thresholds() -> dict[str, float]:
    rules = tomllib.loads((ROOT / "rules" / "qd111-thcs.toml").read_text(encoding="utf-8"))
    params = rules["rules"]["posts.event-deadline"]["params"]
    return {"min_score": params["match_min_score"],
            "confirm_score": params["match_confirm_score"]}


def evaluate(path: Path = CORPUS) -> Scores:
    limits = thresholds()
    start = datetime(2026, 11, 18, 8, 0, tzinfo=TZ)
    tp = fp = fn = uncertain = 0
    misses = []
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for i, row in enumerate(rows):
        ev = Event(f"e{i}", row["event"], start, start + timedelta(hours=3))
        post = Post(f"p{i}", row["post"], PostStatus.PUBLISHED,
                    published_at=start + timedelta(hours=10))
        found = match_events([ev], [post], {ev.event_id: start + timedelta(days=1)},
                             days_before=1, days_after=30, **limits).get(ev.event_id)
        label = int(row["match"])
        how = found.how if found else "none"
        if how == "uncertain":
            uncertain += 1
        matched = how == "title"
        tp += matched and label == 1
        fp += matched and label == 0
        fn += not matched and label == 1
        if matched != bool(label):
            misses.append((row["event"], row["post"], label, how))
    return Scores(len(rows), tp, fp, fn, uncertain, tuple(misses))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print the pairs judged wrongly")
    args = parser.parse_args()
    s = evaluate()
    print(f"pairs: {s.pairs}  (match: {s.true_pos + s.false_neg}, "
          f"no match: {s.pairs - s.true_pos - s.false_neg})")
    print(f"precision: {s.precision:.3f}  (target ≥ 0.97)   "
          f"recall: {s.recall:.3f}  (target ≥ 0.95)")
    print(f"false matches: {s.false_pos}  missed: {s.false_neg}  "
          f"uncertain (a person confirms): {s.uncertain}")
    if args.show:
        for event, post, label, how in s.misses:
            print(f"  [{'match' if label else 'no'} → {how}] {event} | {post}")


if __name__ == "__main__":
    main()
