"""How fast is the Điều 6.4 text scanner on a realistic mix?

Builds about 50 MB of post-like documents (20 lines each) from the fixture
corpora: mostly clean Vietnamese, some lines with foreign names, symbols,
maths, emoji and CJK, and a few legacy lines (TCVN3, VNI, VISCII, VIQR,
Windows-1258, mojibake, NFD). Scans every document with
``auditor.vntext.scan`` and prints MB/s beside ``unicodedata.is_normalized``
over the same documents — the floor no scanner can beat, since every scanner
must at least read each character — and the ratio. Target: ≥ 25 % of the floor.

Run:  python bench/textscan.py [--mb 50] [--legacy 0.01] [--mixed 0.02] [--breakdown]
"""

from __future__ import annotations

import argparse
import random
import time
import unicodedata
from pathlib import Path

from auditor.vntext import scan
from auditor.vntext.codecs import spoil

ROOT = Path(__file__).resolve().parents[1] / "fixtures" / "text"
SPOILS = ("tcvn3", "vni", "viscii", "viqr", "cp1258", "mojibake", "nfd")


def documents(megabytes: float, legacy: float, mixed: float, seed: int = 6909) -> list[str]:
    rng = random.Random(seed)
    clean = (ROOT / "vi-sentences.txt").read_text(encoding="utf-8").splitlines()
    foreign = (ROOT / "clean-mixed.txt").read_text(encoding="utf-8").splitlines()
    docs: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        lines = []
        for _ in range(20):
            roll = rng.random()
            if roll < legacy:
                kind = rng.choice(SPOILS)
                lines.append(spoil(rng.choice(clean), kind))
            elif roll < legacy + mixed:
                lines.append(rng.choice(foreign))
            else:
                lines.append(rng.choice(clean))
        doc = "\n".join(lines)
        docs.append(doc)
        size += len(doc.encode("utf-8"))
    return docs


def timed(func, docs: list[str]) -> float:
    """CPU seconds of this process (steadier than wall time on a busy machine)."""
    start = time.process_time()
    for doc in docs:
        func(doc)
    return time.process_time() - start


def measure(docs: list[str]) -> tuple[float, float, float, int]:
    """(MB, floor seconds, scanner seconds, faulty lines found)."""
    mb = sum(len(d.encode("utf-8")) for d in docs) / 1_000_000
    floor = min(timed(lambda d: unicodedata.is_normalized("NFC", d), docs) for _ in range(3))
    found = 0

    def count(doc: str) -> None:
        nonlocal found
        found += len(scan(doc).detections)

    return mb, floor, timed(count, docs), found


def report(label: str, mb: float, floor: float, ours: float, found: int) -> None:
    ratio = floor / ours
    print(f"{label}: {mb:.1f} MB")
    print(f"  unicodedata.is_normalized (floor): {mb / floor:8.1f} MB/s")
    print(f"  auditor.vntext.scan:               {mb / ours:8.1f} MB/s "
          f"({found:,} faulty lines found)")
    print(f"  ratio: {ratio:.1%} of the floor (target ≥ 25%) — "
          f"{'met' if ratio >= 0.25 else 'NOT met'}")


def breakdown(docs: list[str]) -> None:
    """Where the scanner's time goes, beside the two passes every scanner needs:
    the NFC check (the floor) and one search for suspect characters (re, in C)."""
    from auditor.vntext import detect
    from auditor.vntext.words import SUSPECT

    mb = sum(len(d.encode("utf-8")) for d in docs) / 1_000_000
    floor = timed(lambda d: unicodedata.is_normalized("NFC", d), docs)
    regex = timed(SUSPECT.search, docs)
    quick = timed(detect.is_quick_clean, docs)
    flagged = [d for d in docs if not detect.is_quick_clean(d)]
    lines = [d[s:e if (e := d.find("\n", s)) != -1 else len(d)]
             for d in flagged for s in detect._flagged_lines(d)]
    flagging = timed(detect._flagged_lines, flagged)
    judging = timed(lambda ln: detect._check_line(ln, 1, 0, None, 0.25, 0.6), lines)
    total = quick + flagging + judging
    print(f"breakdown over {mb:.1f} MB ({len(flagged):,} of {len(docs):,} documents and "
          f"{len(lines):,} lines flagged):")
    for label, sec in (("floor: unicodedata.is_normalized", floor),
                       ("one re search for suspect characters", regex),
                       ("fast path on every document", quick),
                       ("finding the flagged lines", flagging),
                       ("judging the flagged lines", judging)):
        print(f"  {label:38s} {sec * 1000:8.0f} ms  {mb / sec:8.1f} MB/s")
    print(f"  bound with free line judging: {floor / (quick + flagging):.1%} of the floor; "
          f"with the fast path alone: {floor / quick:.1%}; measured parts: {floor / total:.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50.0)
    parser.add_argument("--legacy", type=float, default=0.01, help="share of legacy lines")
    parser.add_argument("--mixed", type=float, default=0.02,
                        help="share of clean lines with symbols/foreign text")
    parser.add_argument("--breakdown", action="store_true",
                        help="also print where the time goes (and the bounds that follow)")
    args = parser.parse_args()
    docs = documents(args.mb, args.legacy, args.mixed)
    if args.breakdown:
        detect_warm = [scan(d) for d in docs]  # the word cache, as in a long crawl
        del detect_warm
        breakdown(docs)
    report(f"mixed text, documents of 20 lines ({args.legacy:.0%} legacy lines, "
           f"{args.mixed:.0%} symbol/foreign lines)", *measure(docs))
    clean = documents(args.mb, 0.0, 0.0)
    report("clean Vietnamese only (the fast path alone)", *measure(clean))


if __name__ == "__main__":
    main()
