"""Find legacy-encoded, mojibake and decomposed Vietnamese text, and say what it should read.

Điều 6.4 of the regulation: text in Unicode per TCVN 6909:2001. Each line is
judged on its own: its suspect words are decoded with every candidate table and
the candidate whose words turn into well-formed Vietnamese syllables, leaving no
suspect characters, wins (DOMAIN.md, "Detection that works in practice").
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from auditor.vntext import codecs, viqr
from auditor.vntext.judge import (
    Status,
    Verdict,
    decoder,
    judge,
    leading_capital,
    upper_like_neighbours,
)
from auditor.vntext.words import (
    BEYOND_LEGACY,
    CONTROL,
    LATIN1_VN,
    SUSPECT,
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


@dataclass(frozen=True)
class TextScan:
    text: str
    detections: tuple[Detection, ...]
    fixed: str

    @property
    def clean(self) -> bool:
        return not self.detections


def _choose(words: list[str], encodings: tuple[str, ...], base: float, mixed: bool
            ) -> tuple[Verdict, float] | None:
    best: tuple[Verdict, float] | None = None
    for enc in encodings:
        verdict = judge(words, enc, mixed)
        conf = verdict.confidence(base)
        if conf > 0 and (best is None or conf > best[1]):
            best = (verdict, conf)
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
        if forced not in (None, "viqr") or (forced is None and not viqr.CANDIDATE.search(line)):
            return None
        return ("viqr",), list(range(len(words)))
    idx = [i for i, w in enumerate(words)
           if (not w.isascii() or CONTROL.search(w)) and not is_unicode_only(w)]
    if forced == "tcvn3h":  # the font shows every letter, ASCII too, as a capital
        idx = list(range(len(words)))
    if not idx:
        return None
    if forced is None and not any(SUSPECT.search(words[i]) for i in idx) and (
        any(is_unicode_only(w) for w in words) or not LATIN1_VN.search(line)
    ):
        return None  # only Latin-1 Vietnamese letters in a Unicode line: clean
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
    """Fast path: ASCII without VIQR marks, or Unicode text with no suspect
    character, already NFC. Almost all clean text stops here."""
    if text.isascii():
        return not viqr.CANDIDATE.search(text) and not CONTROL.search(text)
    return (not SUSPECT.search(text)
            and (BEYOND_LEGACY.search(text) is not None or not LATIN1_VN.search(text))
            and not viqr.CANDIDATE.search(text)
            and unicodedata.is_normalized("NFC", text))


def scan(text: str, *, min_confidence: float = 0.6, forced: str | None = None,
         base: float = 0.25) -> TextScan:
    """Scan `text` line by line. `forced` names the encoding when the context says
    it (a .VnTime font → "tcvn3", .VnTimeH → "tcvn3h", VNI-Times → "vni")."""
    if not forced and is_quick_clean(text):
        return TextScan(text, (), text)
    found: list[Detection] = []
    fixed_lines: list[str] = []
    pos = 0
    for n, line in enumerate(text.split("\n"), start=1):
        start, end = pos, pos + len(line)
        pos = end + 1
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
                found.append(Detection(_decomposed_kind(line), 1.0, n, start, end, line,
                                       composed))
            current = composed
        fixed_lines.append(current)
    return TextScan(text, tuple(found), "\n".join(fixed_lines))


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
