"""Find legacy-encoded, mojibake and decomposed Vietnamese text, and say what it should read.

Điều 6.4 of the regulation: text in Unicode per TCVN 6909:2001. Each line is
judged on its own: its suspect words are decoded with every candidate table and
the candidate whose words turn into well-formed Vietnamese syllables, leaving no
suspect characters, wins (DOMAIN.md, "Detection that works in practice").
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from auditor.vntext import codecs, viqr
from auditor.vntext.judge import (
    MOJIBAKE_HINT,
    Status,
    Verdict,
    decoder,
    judge,
    leading_capital,
    upper_like_neighbours,
    word_verdict,
)
from auditor.vntext.words import (
    CONTROL,
    FIRST_LATIN1_LINE,
    LATIN1_LINE,
    LATIN1_OK,
    LATIN1_VN,
    PLAIN_TEXT,
    SUSPECT,
    SUSPECT_IN_WORD,
    TOKEN,
    has_foreign_letters,
    is_unicode_only,
)

EIGHT_BIT = ("tcvn3", "vni", "viscii", "cp1258", "mojibake")
LEGACY = frozenset((*EIGHT_BIT, "tcvn3h", "viqr"))


@dataclass(frozen=True)
class Detection:
    """One faulty line with its corrected form."""

    encoding: str  # tcvn3, tcvn3h, vni, viscii, viqr, cp1258, mojibake, nfd, soft-hyphen
    confidence: float  # 0..1
    line: int  # 1-based line in the scanned text
    start: int  # offsets of the line in the scanned text
    end: int
    original: str
    fixed: str
    # (start, end, replacement) in the scanned text; empty for NFD (compose the line)
    edits: tuple[tuple[int, int, str], ...] = ()

    @property
    def legacy(self) -> bool:
        """Legacy encodings are violations; NFD and soft hyphens are warnings."""
        return self.encoding in LEGACY

    @property
    def name(self) -> str:
        return codecs.NAMES.get(self.encoding, self.encoding)


class TextScan(NamedTuple):
    """The scan of a text: what is wrong, line by line, and the corrected text.
    (A named tuple: built for every field scanned, it must cost next to nothing.)"""

    text: str
    detections: tuple[Detection, ...]
    fixed: str

    @property
    def clean(self) -> bool:
        return not self.detections


# A word's counts of gains, weak gains, losses and garbage under each 8-bit table,
# packed in one int (_BITS bits a count), so that a line adds its words up in C.
_COUNTED = (Status.GAIN, Status.WEAK, Status.LOSS, Status.BAD)
_BITS = 24


class _Profile(NamedTuple):
    verdicts: tuple[tuple[str, Status], ...]  # (decoded, status) per table of EIGHT_BIT
    counts: int


@lru_cache(maxsize=200_000)
def _profile(word: str, mixed: bool) -> _Profile:
    """What every 8-bit table does to the word, asked once per word and kept."""
    verdicts = tuple(word_verdict(word, enc, mixed, False) for enc in EIGHT_BIT)
    counts = 0
    for k, (_, status) in enumerate(verdicts):
        if status in _COUNTED:
            counts += 1 << (_BITS * (4 * k + _COUNTED.index(status)))
    return _Profile(verdicts, counts)


def _choose_eight_bit(words: list[str], base: float, mixed: bool
                      ) -> tuple[Verdict, float] | None:
    """:func:`_choose` over every 8-bit table at once: the same answer (the first
    table with the highest confidence above 0), from one cached lookup a word."""
    profiles = [_profile(w, mixed) for w in words]
    total = sum(p.counts for p in profiles)
    mask = (1 << _BITS) - 1
    best_k, best_conf = -1, 0.0
    for k in range(len(EIGHT_BIT)):
        shift = _BITS * 4 * k
        gains = (total >> shift) & mask
        if not gains:
            continue
        good = gains + 0.5 * ((total >> (shift + _BITS)) & mask)
        bad = ((total >> (shift + 2 * _BITS)) & mask) + ((total >> (shift + 3 * _BITS)) & mask)
        conf = round(good / (good + bad) * (1 - base**gains), 3)
        if conf > best_conf:
            best_k, best_conf = k, conf
    if best_k < 0:
        return None
    pairs = [p.verdicts[best_k] for p in profiles]
    return Verdict(EIGHT_BIT[best_k], [d for d, _ in pairs], [st for _, st in pairs]), best_conf


def _choose(words: list[str], encodings: tuple[str, ...], base: float, mixed: bool
            ) -> tuple[Verdict, float] | None:
    if encodings == EIGHT_BIT and len(words) < 1 << (_BITS - 1):
        return _choose_eight_bit(words, base, mixed)
    best: tuple[Verdict, float] | None = None
    for enc in encodings:
        if enc == "mojibake" and not any(MOJIBAKE_HINT.search(w) for w in words):
            continue  # no UTF-8 lead byte followed by a continuation byte
        verdict = judge(words, enc, mixed)
        conf = verdict.confidence(base)
        if conf > 0 and (best is None or conf > best[1]):
            best = (verdict, conf)
            if conf >= 1.0:
                break  # nothing later can beat it: ties go to the earlier table
    return best


def _keep(words: list[str], idx: list[int], verdict: Verdict) -> dict[int, str]:
    """Which decoded words to use. A word the table would break stays; a word that
    is valid either way ("mét"/"một") changes only beside real evidence — in the
    same stretch of the line, not cut off by a Unicode-only or a broken word."""
    status = dict(zip(idx, verdict.status, strict=True))
    decoded = dict(zip(idx, verdict.decoded, strict=True))
    out: dict[int, str] = {}
    stretch: list[int] = []

    def close() -> None:
        evidence = any(status[i] is Status.GAIN for i in stretch)
        for i in stretch:
            if status[i] in (Status.GAIN, Status.WEAK, Status.BAD) or (
                    status[i] in (Status.NEUTRAL, Status.SAME) and evidence):
                out[i] = decoded[i]
        stretch.clear()

    for i, w in enumerate(words):
        if i not in status:
            if is_unicode_only(w):
                close()
            continue
        if status[i] is Status.LOSS:
            close()
            continue
        stretch.append(i)
    close()
    return out


def _candidates(line: str, words: list[str], forced: str | None
                ) -> tuple[tuple[str, ...], list[int]] | None:
    """Which tables to try on which words of the line, or None when nothing is suspect."""
    if not has_foreign_letters(line) and not CONTROL.search(line) and not SUSPECT.search(line):
        if forced not in (None, "viqr") or (forced is None and not viqr.may_hold_viqr(line)):
            return None
        return ("viqr",), list(range(len(words)))
    idx = [i for i, w in enumerate(words)
           if (not w.isascii() or CONTROL.search(w)) and not is_unicode_only(w)]
    if forced == "tcvn3h":  # the font shows every letter, ASCII too, as a capital
        idx = list(range(len(words)))
    if not idx:
        return None
    if forced is None and not SUSPECT_IN_WORD.search(line) and (
        any(is_unicode_only(w) for w in words) or not LATIN1_VN.search(line)
    ):
        return None  # standalone symbols or Latin-1 Vietnamese letters in a Unicode line
    return ((forced,) if forced else EIGHT_BIT), idx


def _line_legacy(line: str, forced: str | None, base: float
                 ) -> tuple[str, float, str, list[tuple[int, int, str]]] | None:
    spans = [(m.start(), m.end()) for m in TOKEN.finditer(line)]
    words = [line[a:b] for a, b in spans]
    found = _candidates(line, words, forced)
    if found is None:
        return None
    encs, idx = found
    if encs == ("viqr",):
        base = max(base, 0.5)  # apostrophes and full stops are everywhere in ASCII
    if forced:
        dec = decoder(forced)
        mapping = {i: dec(words[i]) for i in idx}
        enc, conf = forced, 1.0
    else:
        cand = [words[i] for i in idx]
        best = _choose(cand, encs, base, any(is_unicode_only(w) for w in words))
        if best is None:
            return None
        verdict, conf = best
        enc = verdict.encoding
        if enc == "tcvn3":
            verdict.decoded = upper_like_neighbours(cand, verdict.decoded)
        mapping = _keep(words, idx, verdict)
    leading_capital(words, mapping, enc)
    pieces, pos = [], 0
    edits = []
    for i, (a, b) in enumerate(spans):
        pieces.append(line[pos:a])
        new = mapping.get(i, line[a:b])
        pieces.append(new)
        if new != line[a:b]:
            edits.append((a, b, new))
        pos = b
    pieces.append(line[pos:])
    fixed = "".join(pieces)
    return (enc, conf, fixed, edits) if fixed != line else None


def _soft_hyphens(line: str) -> list[tuple[int, int, str]]:
    """Soft hyphens between two letters: (start, end, "") edits."""
    if "\u00ad" not in line:
        return []
    return [(i, i + 1, "") for i, c in enumerate(line)
            if c == "\u00ad" and 0 < i < len(line) - 1 and line[i - 1].isalpha()
            and line[i + 1].isalpha()]


def apply_edits(text: str, edits: list[tuple[int, int, str]]) -> str:
    out, pos = [], 0
    for a, b, new in sorted(edits):
        out.append(text[pos:a])
        out.append(new)
        pos = b
    out.append(text[pos:])
    return "".join(out)


def is_quick_clean(text: str) -> bool:
    """Fast path: no suspect character, no VIQR mark, already NFC. Almost all clean
    text stops after one full match of :data:`PLAIN_TEXT`; the rest after a search
    for suspect characters and ``unicodedata.is_normalized``, all in C."""
    if text.isascii():
        return not text.encode("ascii").translate(None, LATIN1_OK) and not (
            viqr.may_hold_viqr(text))
    if PLAIN_TEXT.fullmatch(text) is not None:  # nothing suspect, and NFC: no need to check
        return not _has_latin1_line(text) and not viqr.may_hold_viqr(text)
    if SUSPECT.search(text):
        return False
    if _has_latin1_line(text):
        return False
    return not viqr.may_hold_viqr(text) and unicodedata.is_normalized("NFC", text)


def _has_latin1_line(text: str) -> bool:
    """A line of Latin-1 letters only, some Vietnamese-looking: Windows-1258 or TCVN3
    seen as Latin-1? (Such a line hides among Unicode lines as well.)"""
    return FIRST_LATIN1_LINE.match(text) is not None or LATIN1_LINE.search(text) is not None


def _unplain_lines(text: str) -> set[int]:
    """Start offsets of the lines holding anything beyond :data:`PLAIN_TEXT`: every
    suspect character, decomposed or otherwise non-NFC text, and symbols. After
    a hit the match goes on from the next line (a legacy line holds dozens)."""
    starts: set[int] = set()
    match, size = PLAIN_TEXT.match, len(text)
    plain = match(text)
    while plain is not None and plain.end() < size:  # ``[…]*`` always matches
        end = plain.end()
        starts.add(text.rfind("\n", 0, end) + 1)
        nxt = text.find("\n", end)
        plain = None if nxt == -1 else match(text, nxt + 1)
    return starts


def _flagged_lines(text: str) -> set[int]:
    """Start offsets of the lines worth a close look, found in a few passes over the
    whole text rather than line by line: lines with anything but plain
    Vietnamese text (suspect characters, decomposed text), VIQR marks, and lines
    that 8-bit text could be. A line of plain text is NFC, so no line escapes the
    NFC check (text composes within its line)."""
    starts = _unplain_lines(text)
    starts.update(text.rfind("\n", 0, h) + 1 for h in viqr.viqr_positions(text))
    if FIRST_LATIN1_LINE.match(text):
        starts.add(0)
    starts.update(m.start() + 1 for m in LATIN1_LINE.finditer(text))
    return starts


def _check_line(line: str, n: int, start: int, forced: str | None, base: float,
                min_confidence: float) -> tuple[list[Detection], str]:
    """The detections of one line and its corrected text."""
    found: list[Detection] = []
    end = start + len(line)
    current = line
    hit = _line_legacy(line, forced, base)
    if hit and (forced or hit[1] >= min_confidence):
        found.append(Detection(hit[0], hit[1], n, start, end, line, hit[2],
                               tuple((start + a, start + b, t) for a, b, t in hit[3])))
        current = hit[2]
    else:
        soft = _soft_hyphens(line)
        if soft:
            current = apply_edits(line, soft)
            found.append(Detection("soft-hyphen", 1.0, n, start, end, line, current,
                                   tuple((start + a, start + b, t) for a, b, t in soft)))
    if not unicodedata.is_normalized("NFC", current):
        composed = unicodedata.normalize("NFC", current)
        if current == line:
            found.append(Detection(_decomposed_kind(line), 1.0, n, start, end, line, composed))
        current = composed
    return found, current


def scan(text: str, *, min_confidence: float = 0.6, forced: str | None = None,
         base: float = 0.25) -> TextScan:
    """Scan `text` line by line. `forced` names the encoding when the context says
    it (a .VnTime font → "tcvn3", .VnTimeH → "tcvn3h", VNI-Times → "vni").

    Only the lines that a few whole-text passes flag are looked at closely; the
    corrected text is the original with those lines replaced."""
    if not forced and is_quick_clean(text):
        return TextScan(text, (), text)
    if forced:
        starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    else:
        starts = sorted(_flagged_lines(text))
    found: list[Detection] = []
    pieces: list[str] = []
    pos = 0
    line_no, counted_to = 1, 0
    for start in starts:
        end = text.find("\n", start)
        end = len(text) if end == -1 else end
        line_no += text.count("\n", counted_to, start)
        counted_to = start
        hits, fixed = _check_line(text[start:end], line_no, start, forced, base,
                                  min_confidence)
        if hits:
            found += hits
            pieces.append(text[pos:start])
            pieces.append(fixed)
            pos = end
    pieces.append(text[pos:])
    return TextScan(text, tuple(found), "".join(pieces))


_SHAPE_MARKS = frozenset("\u0302\u0306\u031b")


def _decomposed_kind(line: str) -> str:
    """Base letters with separate tone marks are Windows-1258's way of writing
    ("ê" + U+0301); full decomposition ("e" + U+0302 + U+0301) is NFD."""
    for i, ch in enumerate(line):
        if ch in _SHAPE_MARKS:
            return "nfd"
        if unicodedata.combining(ch) and i:
            try:
                unicodedata.normalize("NFC", line[i - 1] + ch).encode("cp1258")
            except UnicodeEncodeError:
                continue
            return "nfd"  # cp1258 would have used its precomposed letter
    return "cp1258"


def fix(text: str, encoding: str = "auto", *, min_confidence: float = 0.6) -> str:
    """The text converted to NFC Unicode; `encoding` forces a table instead of detection."""
    if encoding == "auto":
        return scan(text, min_confidence=min_confidence).fixed
    return scan(text, forced=encoding).fixed
