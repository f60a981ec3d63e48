"""Words and what makes one acceptable Vietnamese text (Điều 6.4, TCVN 6909:2001)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from auditor.vntext.letters import VIETNAMESE_LETTERS, is_abbreviation, is_syllable

# A token: a run of characters between ASCII white space. NBSP (U+00A0) stays
# inside a token on purpose: UTF-8 mojibake of "à" is "Ã" + NBSP.
TOKEN = re.compile(r"[^ \t\n\r\f\v]+")

# Characters that Windows-1252 puts at 0x80–0x9F: legacy text shows them, but
# clean text uses the punctuation among them too.
CP1252_SPECIALS = frozenset(
    "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
)
PUNCT_ONLY = frozenset("‚„…‹‘’“”•–—›")  # 0x80–0x9F punctuation, never a letter alone
EDGE_PUNCT = "“”„‘’‚–—…•‹›\"'()[]{}<>.,;:!?«»"

# Suspect: a character no clean Vietnamese text needs inside a word — C0/C1
# controls, Latin-1 symbols U+00A1–U+00BF (incl. the soft hyphen) and the
# Latin-1 letters that are not Vietnamese (ä, ß, ñ, ö, ü…).
_LATIN1_NON_VN = "".join(
    chr(c) for c in range(0xC0, 0x100) if chr(c) not in VIETNAMESE_LETTERS
)
SUSPECT_CLASS = (
    "\x01-\x08\x0b\x0e-\x1f\x7f-\x9f\xa1-\xbf"
    + re.escape(_LATIN1_NON_VN)
    + "ŒœŠšŽžŸƒˆ˜"
)
SUSPECT = re.compile(f"[{SUSPECT_CLASS}]")
# The Latin-1 bytes that are fine (for ASCII text: controls are the only suspects).
LATIN1_OK = bytes(c for c in range(256) if not SUSPECT.match(chr(c)))
# A suspect character that touches a word: a suspect letter (ü, ß), a control, or a
# suspect symbol next to a letter or digit ("Tr\u00adêng", "c«ng", "30°C"). A line
# whose only suspects stand alone ("© 2026", "½ giờ", "« Bonjour »") is not legacy text.
_SYMBOLS = "\x7f-\x9f\xa1-\xbf\xd7\xf7ŠšŒœŽžŸƒˆ˜"
_LETTERS = re.escape(_LATIN1_NON_VN.replace("\xd7", "").replace("\xf7", ""))
SUSPECT_IN_WORD = re.compile(
    f"[{_LETTERS}\x01-\x08\x0b\x0e-\x1f]"
    rf"|[^\W_][{_SYMBOLS}]|[{_SYMBOLS}][^\W_]")
CONTROL = re.compile("[\x01-\x08\x0b\x0e-\x1f]")  # TCVN3/VISCII put capitals here
# A character beyond Latin-1 that no 8-bit legacy text can show: the text is Unicode.
BEYOND_LEGACY = re.compile("[^\x00-\xff" + re.escape("".join(sorted(CP1252_SPECIALS))) + "]")
# A line holding no character beyond what 8-bit text can show, with a Latin-1
# Vietnamese-looking letter: Windows-1258 or TCVN3 text may hide there.
# Possessive, so each line is read once; LATIN1_LINE finds one after a line break
# (re looks for the "\n" first, which is fast), FIRST_LATIN1_LINE at the start.
_SPECIALS = re.escape("".join(sorted(CP1252_SPECIALS)))
_LATIN1_LINE = (f"[\x00-\x09\x0b-\xbf{_SPECIALS}]*+[\xc0-\xff]"
                f"[\x00-\x09\x0b-\xff{_SPECIALS}]*+(?=\n|\\Z)")
LATIN1_LINE = re.compile("\n" + _LATIN1_LINE)
FIRST_LATIN1_LINE = re.compile(_LATIN1_LINE)
COMBINING = re.compile("[\u0300-\u036f]")
# What clean Vietnamese text is made of: printable ASCII, tab and line breaks, the
# 134 letters of TCVN 6909, NBSP and the usual typographic punctuation. None is
# suspect, and none is decomposed or composes with what precedes it, so text of
# these alone is clean and NFC (tests/test_vntext_fastpath.py proves both). A
# ``[…]*`` full match runs in re's tight repeat loop: about twice the speed of a
# search for the suspect characters, and it spares the NFC check.
PLAIN_PUNCTUATION = "\u00a0\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026"
PLAIN_TEXT = re.compile(
    "[\t\n\r\x20-\x7e"
    + re.escape("".join(sorted(c for c in VIETNAMESE_LETTERS if ord(c) > 0x7f)))
    + PLAIN_PUNCTUATION + "]*")
LATIN1_VN = re.compile("[" + "".join(c for c in VIETNAMESE_LETTERS if ord(c) < 0x100) + "]")


_FOREIGN_LETTER = re.compile(r"[^\W\d_\x00-\x7f]")


def has_foreign_letters(text: str) -> bool:
    """Any non-ASCII letter? (VIQR lines hold none; “–” and « » may appear.)"""
    return _FOREIGN_LETTER.search(text) is not None


def is_unicode_only(word: str) -> bool:
    """Does the word hold a character no 8-bit legacy text can show (ư, ạ, ơ, CJK…)?"""
    return BEYOND_LEGACY.search(word) is not None


def _is_letter(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LM"


@lru_cache(maxsize=65536)
def acceptable(token: str) -> bool:
    """Is the token clean text: no suspect characters, every word part a Vietnamese
    syllable, an initialism, or plain ASCII (names, English words, numbers)?"""
    if SUSPECT.search(token):
        return False
    token = unicodedata.normalize("NFC", token)
    part: list[str] = []
    for ch in token + " ":
        if _is_letter(ch):
            part.append(ch)
            continue
        if part:
            word = "".join(part)
            part = []
            if word.isascii():
                continue
            if unicodedata.category(word[0]) == "Mn" or any(
                unicodedata.category(c) == "Mn" for c in word
            ):
                return False  # a stray combining mark
            if not (is_syllable(word) or is_abbreviation(word)):
                return False
            if not (word.islower() or word.isupper() or word.istitle()):
                return False  # "mỠ": case changes inside a word
    return True


def has_syllable(text: str) -> bool:
    """Does the text hold a Vietnamese syllable with a letter beyond ASCII (not just "ĐT")?"""
    part: list[str] = []
    for ch in unicodedata.normalize("NFC", text) + " ":
        if _is_letter(ch):
            part.append(ch)
            continue
        word = "".join(part)
        part = []
        if word and any(c in VIETNAMESE_LETTERS for c in word) and is_syllable(word):
            return True
    return False


def strip_edges(token: str) -> tuple[str, str, str]:
    core = token.lstrip(EDGE_PUNCT)
    lead = token[: len(token) - len(core)]
    core2 = core.rstrip(EDGE_PUNCT)
    return lead, core2, core[len(core2):]
