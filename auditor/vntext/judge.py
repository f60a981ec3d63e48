"""How well a candidate table decodes the words of a line.

Each suspect word is decoded; the result is weighed by whether it becomes a
well-formed Vietnamese syllable where it was not one before (a gain), breaks a
word that was fine (a loss), or stays garbage (bad). The confidence of a
candidate grows with its gains and falls with its losses and garbage.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache

import ftfy

from auditor.vntext import codecs
from auditor.vntext.words import (
    CP1252_SPECIALS,
    PUNCT_ONLY,
    acceptable,
    has_syllable,
    strip_edges,
)

# A UTF-8 lead byte (C2–C7, E0–EF as Windows-1252 shows them) followed by a
# continuation byte (80–BF): the mark of UTF-8 read as a single-byte code page.
MOJIBAKE_HINT = re.compile(
    "[\xc2-\xc7\xe0-\xef][\x80-\xbf" + re.escape("".join(sorted(CP1252_SPECIALS))) + "]")


class Status(Enum):
    SAME = "same"  # the table leaves the word as it is
    GAIN = "gain"  # suspect word → valid Vietnamese, with ASCII letters around
    WEAK = "weak"  # e.g. a lone symbol → a one-letter word («→ô)
    LOSS = "loss"  # a valid word that the decoding would break
    BAD = "bad"  # invalid before and after
    NEUTRAL = "neutral"  # valid before and after ("mét" → "một")


@dataclass
class Verdict:
    encoding: str
    decoded: list[str] = field(default_factory=list)
    status: list[Status] = field(default_factory=list)

    def count(self, status: Status) -> int:
        return self.status.count(status)

    def confidence(self, base: float) -> float:
        status = self.status
        gains = status.count(Status.GAIN)
        if not gains:
            return 0.0
        good = gains + 0.5 * status.count(Status.WEAK)
        total = good + status.count(Status.LOSS) + status.count(Status.BAD)
        return round(good / total * (1 - base**gains), 3)


def unmojibake(word: str) -> str:
    """UTF-8 bytes that were read as Windows-1252/Latin-1 → the text they were.

    A strict round trip first (exact on a short word, where ftfy's heuristics
    stay cautious), then ftfy for the harder cases."""
    if not MOJIBAKE_HINT.search(word):
        return word  # no lead byte followed by a continuation byte: not UTF-8 at all
    try:
        return unicodedata.normalize("NFC", codecs.bytes_of_seen(word).decode("utf-8"))
    except (UnicodeEncodeError, UnicodeDecodeError):
        return unicodedata.normalize("NFC", ftfy.fix_encoding(word))


def typed_in_capitals(word: str) -> bool | None:
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
    return decoded.upper() if typed_in_capitals(word) else decoded


def decoder(enc: str) -> Callable[[str], str]:
    if enc == "mojibake":
        return unmojibake
    if enc == "tcvn3":
        return _tcvn3_word
    if enc == "tcvn3h":
        return lambda w: codecs.decode(w, "tcvn3h")
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


def _viqr_word(word: str, dec: Callable[[str], str], last: bool) -> str:
    return dec(word) if last else dec(word + " x")[:-2]


def _viqr_strong(word: str) -> bool:
    """A VIQR word with a shape mark, two marks or dd — not just an apostrophe (I'm)."""
    marks = sum(c in "(^+'`?~." for c in word.strip(".,;:!?\"'()"))
    return marks >= 2 or any(c in "(^+" for c in word) or word.lower().startswith("dd")


@lru_cache(maxsize=200_000)
def word_verdict(word: str, enc: str, mixed: bool, last: bool) -> tuple[str, Status]:
    """What decoding one word with `enc` does. Words repeat in any language, so the
    answer is kept: the cost of a page falls with its vocabulary, not its length."""
    dec = decoder(enc)
    is_viqr = enc == "viqr"
    # VIQR reads a final "." or "?" by what follows: give it its context
    d = _viqr_word(word, dec, last) if is_viqr else _decode_word(word, dec)
    if d == word:
        return d, Status.SAME
    # An ASCII word that VIQR changes carried marks: it was not clean text.
    was, now = (False if is_viqr else acceptable(word)), acceptable(d)
    if now and not was:
        strong = _viqr_strong(word) if is_viqr else any(
            c.isascii() and c.isalpha() for c in word) and (
            not mixed or sum(c.isalpha() for c in d) >= 3)
        return d, Status.GAIN if strong and has_syllable(d) else Status.WEAK
    if was and not now:
        return d, Status.LOSS
    return d, Status.NEUTRAL if now else Status.BAD


def judge(words: list[str], enc: str, mixed: bool = False) -> Verdict:
    """Decode each word with `enc` and say what that did. In a `mixed` line (it
    also holds Unicode-only words) a two-letter result such as "x²" → "xỗ" is
    weak evidence."""
    if enc == "viqr":
        last = len(words) - 1
        pairs = [word_verdict(w, enc, mixed, i == last) for i, w in enumerate(words)]
    else:
        pairs = [word_verdict(w, enc, mixed, False) for w in words]
    return Verdict(enc, [d for d, _ in pairs], [s for _, s in pairs])


def upper_like_neighbours(words: list[str], decoded: list[str]) -> list[str]:
    """Give a .VnTimeH word whose case its own letters cannot tell ("Së", "®ç") the
    case of the nearest words that can."""
    flags = [typed_in_capitals(w) for w in words]
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


def leading_capital(words: list[str], mapping: dict[int, str], enc: str) -> None:
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
