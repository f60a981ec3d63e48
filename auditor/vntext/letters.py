"""The Vietnamese repertoire of TCVN 6909:2001 and the spelling rules of a syllable.

TCVN 6909:2001 uses the ISO/IEC 10646 code positions: 12 vowel letters
(a ă â e ê i o ô ơ u ư y) with five tone marks, and đ — 67 lower-case and 67
upper-case letters beyond ASCII. Detection judges a decoding by whether it
yields well-formed Vietnamese syllables (âm tiết), so the rules live here.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Tone marks (dấu thanh) as combining characters, in the order used by the
# tables: none, sắc, huyền, hỏi, ngã, nặng.
TONE_MARKS = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
ACUTE, GRAVE, HOOK, TILDE, DOT = 1, 2, 3, 4, 5
_TONE_OF_MARK = {m: i for i, m in enumerate(TONE_MARKS) if m}

BASE_VOWELS = "aăâeêioôơuưy"  # nguyên âm, without tone


def compose(base: str, tone: int) -> str:
    """A base letter (may carry circumflex, breve or horn) plus a tone → one NFC letter."""
    return unicodedata.normalize("NFC", base + TONE_MARKS[tone])


@lru_cache(maxsize=4096)
def split_tone(char: str) -> tuple[str, int]:
    """'ấ' → ('â', 1); 'đ' → ('đ', 0). Works on any single NFC character."""
    decomposed = unicodedata.normalize("NFD", char)
    tone = 0
    kept = []
    for c in decomposed:
        if c in _TONE_OF_MARK:
            tone = _TONE_OF_MARK[c]
        else:
            kept.append(c)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def _repertoire() -> tuple[str, ...]:
    lower = [compose(b, t) for b in BASE_VOWELS for t in range(6)]
    lower = [c for c in lower if not c.isascii()] + ["đ"]
    return tuple(lower + [c.upper() for c in lower])


# The 134 non-ASCII letters of the Vietnamese alphabet (67 lower, 67 upper).
REPERTOIRE: tuple[str, ...] = _repertoire()
VIETNAMESE_LETTERS = frozenset(REPERTOIRE)
LOWER_REPERTOIRE = REPERTOIRE[:67]

# --- syllable structure (âm đầu + vần) ------------------------------------

_ONSETS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr", "qu",
           "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "")
_CODAS = ("ng", "nh", "ch", "c", "m", "n", "p", "t", "")
# Nucleus → may it take a final consonant? None = optional, True = required, False = never.
_NUCLEI: dict[str, bool | None] = {
    "a": None, "ă": True, "â": True, "e": None, "ê": None, "i": None, "o": None, "ô": None,
    "ơ": None, "u": None, "ư": None, "y": None,
    "ai": False, "ao": False, "au": False, "ay": False, "âu": False, "ây": False, "eo": False,
    "êu": False, "ia": False, "iu": False, "oi": False, "ôi": False, "ơi": False, "ui": False,
    "ưi": False, "ưu": False, "ưa": False, "ua": False, "uơ": False, "iêu": False, "yêu": False,
    "uôi": False, "ươi": False, "ươu": False, "oai": False, "oay": False, "oao": False,
    "oeo": False, "uây": False, "uya": False, "uyu": False, "uau": False,
    "iê": True, "yê": True, "uô": True, "ươ": True, "oă": True, "uâ": True, "uyê": True,
    "oo": True, "ôô": True,
    "oa": None, "oe": None, "uy": None, "uê": None, "ue": None,
}
_FRONT = ("e", "ê", "i", "y")
_PALATAL_OK = ("a", "ê", "i", "y")  # -ch, -nh follow only these (anh, êch, inh, uynh…)
_STOP_CODAS = ("c", "ch", "p", "t")


def _onset_ok(onset: str, nucleus: str) -> bool:
    first = nucleus[0]
    if onset in ("c", "ng") and first in _FRONT:
        return False  # k/ngh are written before e, ê, i, y
    if onset in ("k", "gh", "ngh") and first not in _FRONT:
        return False
    if onset == "g" and first in ("e", "ê"):
        return False
    if onset == "qu" and first in ("u", "ư"):
        return False
    return not (onset == "gi" and first == "i")


def _rhyme_ok(nucleus: str, coda: str, tone: int) -> bool:
    need = _NUCLEI.get(nucleus, "missing")
    if need == "missing":
        return False
    if coda and need is False or not coda and need is True:
        return False
    if coda in ("ch", "nh") and not nucleus.endswith(_PALATAL_OK):
        return False
    if coda in ("c", "ng") and nucleus.endswith(("i", "y", "ê")) and nucleus != "iê":
        return nucleus in ("uyê", "yê")
    return not (coda in _STOP_CODAS and tone not in (0, ACUTE, DOT)) and not (
        coda in _STOP_CODAS and tone == 0)


@lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """Is `word` (letters only, any case) one well-formed Vietnamese syllable?"""
    letters = _untoned(word)
    if letters is None:
        return False
    s, tone = letters
    for onset in _ONSETS:
        if not s.startswith(onset):
            continue
        rest = s[len(onset):]
        if not rest and onset == "gi":
            return True  # "gì"
        if _rhyme_after(onset, rest, tone):
            return True
    return False


def _untoned(word: str) -> tuple[str, int] | None:
    """The word's letters without the tone mark, and the tone (0: none); None when a
    character is not a Vietnamese letter or there are two tone marks."""
    tones = 0
    tone = 0
    bare = []
    for ch in word.lower():
        base, t = split_tone(ch)
        if len(base) != 1 or not ("a" <= base <= "z" or base in BASE_VOWELS or base == "đ"):
            return None
        if t:
            tones += 1
            tone = t
        bare.append(base)
    if tones > 1:
        return None
    return "".join(bare), tone


def _rhyme_after(onset: str, rest: str, tone: int) -> bool:
    """Does `rest` split into a nucleus and a coda that may follow `onset`?"""
    for coda in _CODAS:
        if coda and not rest.endswith(coda):
            continue
        nucleus = rest[: len(rest) - len(coda)] if coda else rest
        if nucleus and _onset_ok(onset, nucleus) and _rhyme_ok(nucleus, coda, tone):
            return True
    return False


def is_abbreviation(word: str) -> bool:
    """Upper-case initialisms such as THCS, GD, ĐT, UBND — acceptable words, not syllables."""
    return 1 < len(word) <= 8 and all(("A" <= c <= "Z") or c == "Đ" for c in word)
