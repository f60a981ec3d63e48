"""Find legacy-encoded, mojibake and decomposed Vietnamese text, and say what it should read.

Điều 6.4 of the regulation: text in Unicode per TCVN 6909:2001. Each line is
judged on its own: its suspect words are decoded with every candidate table and
the candidate whose words turn into well-formed Vietnamese syllables, leaving no
suspect characters, wins (DOMAIN.md, "Detection that works in practice").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import ftfy

from auditor.vntext import codecs, viqr
from auditor.vntext.words import (
    BEYOND_LEGACY,
    CONTROL,
    LATIN1_VN,
    PUNCT_ONLY,
    SUSPECT,
    TOKEN,
    acceptable,
    has_foreign_letters,
    has_syllable,
    is_unicode_only,
    strip_edges,
)

EIGHT_BIT = ("tcvn3", "vni", "viscii", "cp1258", "mojibake")
LEGACY = frozenset((*EIGHT_BIT, "tcvn3h", "viqr"))


@dataclass(frozen=True)
class Detection:
    """One faulty stretch of text (a line) with its corrected form."""

    encoding: str  # tcvn3, tcvn3h, vni, viscii, viqr, cp1258, mojibake, nfd, soft-hyphen
    confidence: float  # 0..1
    line: int  # 1-based line in the scanned text
    start: int  # offsets of the line in the scanned text
    end: int
    original: str
    fixed: str

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


@dataclass
class _Tally:
    gains: int = 0  # suspect word → valid Vietnamese, with ASCII letters around
    weak: int = 0  # a lone symbol → a valid one-letter word («→ô)
    losses: int = 0  # a valid word broken by the decoding
    bad: int = 0  # invalid before and after

    def confidence(self, base: float) -> float:
        good = self.gains + 0.5 * self.weak
        total = good + self.losses + self.bad
        if not total or not self.gains:
            return 0.0
        return round(good / total * (1 - base**self.gains), 3)


def unmojibake(word: str) -> str:
    """UTF-8 bytes that were read as Windows-1252/Latin-1 → the text they were.

    A strict round trip first (exact and fast on a short word, where ftfy's
    heuristics stay cautious), then ftfy for the harder cases."""
    try:
        return unicodedata.normalize("NFC", codecs.bytes_of_seen(word).decode("utf-8"))
    except (UnicodeEncodeError, UnicodeDecodeError):
        return unicodedata.normalize("NFC", ftfy.fix_encoding(word))


def _typed_in_capitals(word: str) -> bool | None:
    """TCVN3 in .VnTimeH: capitals reuse the lower-case bytes, so "TR¦êNG" is
    TRƯỜNG. A word is in capitals when an ASCII capital sits past its first
    letter and no ASCII letter is lower case; None when the word cannot tell."""
    letters = [(i, c) for i, c in enumerate(word) if c.isascii() and c.isalpha()]
    if any(c.islower() for _, c in letters):
        return False
    if any(c.isupper() and i > 0 for i, c in letters):
        return True
    return None


def _tcvn3_word(word: str) -> str:
    decoded = codecs.decode(word, "tcvn3")
    return decoded.upper() if _typed_in_capitals(word) else decoded


def _decoder(enc: str) -> Callable[[str], str]:
    if enc == "mojibake":
        return unmojibake
    if enc == "tcvn3":
        return _tcvn3_word
    return lambda w: codecs.decode(w, enc)


def _decode_word(word: str, dec: Callable[[str], str]) -> str:
    if all(c in PUNCT_ONLY for c in word):
        return word  # a dash or quote standing alone is punctuation
    full = dec(word)
    lead, core, trail = strip_edges(word)
    if (lead or trail) and core and not acceptable(full):
        alt = lead + dec(core) + trail
        if acceptable(alt):
            return alt
    return full


def _viqr_strong(word: str) -> bool:
    """A VIQR word with a shape mark, two marks or dd — not just an apostrophe (I'm)."""
    marks = sum(c in "(^+'`?~." for c in word.strip(".,;:!?\"'()"))
    return marks >= 2 or any(c in "(^+" for c in word) or word.lower().startswith("dd")


def _judge(words: list[str], dec: Callable[[str], str], is_viqr: bool = False,
           mixed: bool = False) -> tuple[_Tally, list[str]]:
    """Count what decoding each word does. In a `mixed` line (it also holds
    Unicode-only words) a two-letter result such as "x²" → "xỗ" is weak evidence."""
    tally = _Tally()
    out: list[str] = []
    for i, w in enumerate(words):
        if is_viqr:  # VIQR reads a final "." or "?" by what follows: give it its context
            d = dec(w if i == len(words) - 1 else w + " x")[: None if i == len(words) - 1 else -2]
        else:
            d = _decode_word(w, dec)
        if d == w:
            out.append(w)
            continue
        # An ASCII word that VIQR changes carried marks: it was not clean text.
        was, now = (False if is_viqr else acceptable(w)), acceptable(d)
        if now and not was:
            strong = _viqr_strong(w) if is_viqr else any(
                c.isascii() and c.isalpha() for c in w) and (
                not mixed or sum(c.isalpha() for c in d) >= 3)
            if strong and has_syllable(d):
                tally.gains += 1
            else:
                tally.weak += 1
            out.append(d)
        elif was and not now:
            tally.losses += 1
            out.append(w)  # keep a word that was fine
        else:
            if not now:
                tally.bad += 1
            out.append(d)
    return tally, out


def _upper_like_ascii(words: list[str], decoded: list[str]) -> list[str]:
    """Give a .VnTimeH word whose case its own letters cannot tell ("Së", "®ç") the
    case of the nearest words that can."""
    flags = [_typed_in_capitals(w) for w in words]
    out = []
    for i, d in enumerate(decoded):
        flag = flags[i]
        if flag is None:
            left = next((f for f in reversed(flags[:i]) if f is not None), None)
            right = next((f for f in flags[i + 1:] if f is not None), None)
            near = [f for f in (left, right) if f is not None]
            flag = bool(near) and all(near)
        out.append(d.upper() if flag and not words[i].isascii() else d)
    return out


def _best(words: list[str], encodings: tuple[str, ...], base: float, mixed: bool
          ) -> tuple[str, float, list[str]] | None:
    best: tuple[str, float, list[str]] | None = None
    for enc in encodings:
        tally, out = _judge(words, _decoder(enc), enc == "viqr", mixed)
        conf = tally.confidence(base)
        if conf > 0 and (best is None or conf > best[1]):
            best = (enc, conf, out)
    return best


def _line_legacy(line: str, forced: str | None, base: float
                 ) -> tuple[str, float, str] | None:
    spans = [(m.start(), m.end()) for m in TOKEN.finditer(line)]
    words = [line[a:b] for a, b in spans]
    if not has_foreign_letters(line) and not CONTROL.search(line) and not SUSPECT.search(line):
        if forced not in (None, "viqr") or (forced is None and not viqr.CANDIDATE.search(line)):
            return None
        encs: tuple[str, ...] = ("viqr",)
        # VIQR needs more evidence: apostrophes and full stops are everywhere in ASCII.
        base = max(base, 0.5)
        idx = list(range(len(words)))
    else:
        idx = [i for i, w in enumerate(words)
               if (not w.isascii() or CONTROL.search(w)) and not is_unicode_only(w)]
        if not idx:
            return None
        if forced is None and not any(SUSPECT.search(words[i]) for i in idx) and (
            any(is_unicode_only(w) for w in words) or not LATIN1_VN.search(line)
        ):
            return None
        encs = (forced,) if forced else EIGHT_BIT
    cand = [words[i] for i in idx]
    if forced:
        dec = _decoder("tcvn3" if forced == "tcvn3h" else forced)
        out = [dec(w) for w in cand]
        best: tuple[str, float, list[str]] | None = (forced, 1.0, out)
    else:
        best = _best(cand, encs, base, any(is_unicode_only(w) for w in words))
    if best is None:
        return None
    enc, conf, out = best
    if enc in ("tcvn3", "tcvn3h"):
        out = [d.upper() for d in out] if forced == "tcvn3h" else _upper_like_ascii(cand, out)
    mapping = dict(zip(idx, out, strict=True))
    _leading_capital(words, mapping, enc)
    pieces, pos = [], 0
    for i, (a, b) in enumerate(spans):
        pieces.append(line[pos:a])
        pieces.append(mapping.get(i, line[a:b]))
        pos = b
    pieces.append(line[pos:])
    fixed = "".join(pieces)
    return (enc, conf, fixed) if fixed != line else None


def _leading_capital(words: list[str], mapping: dict[int, str], enc: str) -> None:
    """A capital that TCVN3/VISCII put at 0x80–0x9F shows as a dash or a quote; as
    the first word of a line before a lower-case word ("– Ñ lµ" = "Ọ ẹ là") it is
    a letter."""
    if enc not in ("tcvn3", "viscii") or len(words) < 2:
        return
    first = words[0]
    if not first or first[0] not in PUNCT_ONLY:
        return
    letter = codecs.decode(first[0], enc)
    nxt = mapping.get(1, words[1])
    if letter.isalpha() and letter.isupper() and nxt[:1].islower():
        mapping[0] = letter + mapping.get(0, first)[1:]


def _soft_hyphens(line: str) -> str | None:
    if "\u00ad" not in line:
        return None
    fixed = "".join(
        "" if c == "\u00ad" and 0 < i < len(line) - 1 and line[i - 1].isalpha()
        and line[i + 1].isalpha() else c
        for i, c in enumerate(line)
    )
    return fixed if fixed != line else None


def scan(text: str, *, min_confidence: float = 0.6, forced: str | None = None,
         base: float = 0.25) -> TextScan:
    """Scan `text` line by line. `forced` names the encoding when the context says
    it (a .VnTime font → "tcvn3", .VnTimeH → "tcvn3h", VNI-Times → "vni")."""
    if not forced and text.isascii() and not viqr.CANDIDATE.search(text) and not CONTROL.search(
            text):
        return TextScan(text, (), text)
    # Fast path: Unicode text with no suspect character cannot be legacy text.
    quick = not forced and not text.isascii() and not SUSPECT.search(text) and (
        BEYOND_LEGACY.search(text) is not None or not LATIN1_VN.search(text)
    ) and not viqr.CANDIDATE.search(text)
    if quick and unicodedata.is_normalized("NFC", text):
        return TextScan(text, (), text)
    found: list[Detection] = []
    fixed_lines: list[str] = []
    pos = 0
    for n, line in enumerate(text.split("\n"), start=1):
        start, end = pos, pos + len(line)
        pos = end + 1
        current = line
        if not quick:
            hit = _line_legacy(line, forced, base)
            if hit and (forced or hit[1] >= min_confidence):
                found.append(Detection(hit[0], hit[1], n, start, end, line, hit[2]))
                current = hit[2]
            else:
                soft = _soft_hyphens(line)
                if soft is not None:
                    found.append(Detection("soft-hyphen", 1.0, n, start, end, line, soft))
                    current = soft
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
    return unicodedata.normalize("NFC", codecs.decode(text, encoding))
