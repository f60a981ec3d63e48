"""VIQR (RFC 1456): Vietnamese in plain ASCII — ``Vie^.t Nam``, ``Tru+o+`ng``, ``dd`` for đ.

A mark follows the vowel it modifies: ``(`` breve, ``^`` circumflex, ``+`` horn,
then a tone: ``'`` sắc, ````` huyền, ``?`` hỏi, ``~`` ngã, ``.`` nặng. A
backslash makes the next character literal (``\\.``). A lone ``.`` or ``?`` at
the very end of a line is read as punctuation: sentences end there.
"""

from __future__ import annotations

from auditor.vntext.letters import compose, split_tone

_SHAPE_IN = {"(": "\u0306", "^": "\u0302", "+": "\u031b"}
_SHAPE_OK = {("a", "("), ("a", "^"), ("e", "^"), ("o", "^"), ("o", "+"), ("u", "+")}
_TONE_IN = {"'": 1, "`": 2, "?": 3, "~": 4, ".": 5}
_SHAPE_OUT = {"ă": "a(", "â": "a^", "ê": "e^", "ô": "o^", "ơ": "o+", "ư": "u+"}
_TONE_OUT = {1: "'", 2: "`", 3: "?", 4: "~", 5: "."}
_MARKS = "(^+'`?~.\\"
_VOWELS = "aeiouyAEIOUY"

_SHAPE_AFTER = {"^": "aeoAEO", "(": "aA", "+": "oOuU", "`": _VOWELS, "~": _VOWELS}


def may_hold_viqr(text: str) -> bool:
    """Cheap test: a vowel directly followed by ^ ( + ` or ~ somewhere. VIQR text of
    any length has one; text without one needs no closer look. Only ``in`` tests,
    which run in C; most text holds none of these marks at all."""
    for mark, vowels in _SHAPE_AFTER.items():
        if mark in text and any(v + mark in text for v in vowels):
            return True
    return False


def viqr_positions(text: str) -> list[int]:
    """Where a vowel is directly followed by ^ ( + ` or ~ (see :func:`may_hold_viqr`)."""
    found = []
    for mark, vowels in _SHAPE_AFTER.items():
        pos = text.find(mark, 1)
        while pos != -1:
            if text[pos - 1] in vowels:
                found.append(pos)
            pos = text.find(mark, pos + 1)
    return found


def encode(text: str) -> str:
    """Unicode → VIQR. Literal mark characters after a vowel are escaped with a backslash."""
    out: list[str] = []
    prev_vowel = False
    for ch in text:
        base, tone = split_tone(ch)
        low = base.lower()
        if low == "đ":
            out.append("DD" if base.isupper() else "dd")
            prev_vowel = False
            continue
        if low in _SHAPE_OUT or (tone and len(base) == 1):
            ascii_base = _SHAPE_OUT.get(low, low)
            if base.isupper():
                ascii_base = ascii_base[0].upper() + ascii_base[1:]
            out.append(ascii_base + (_TONE_OUT[tone] if tone else ""))
            prev_vowel = True
            continue
        if prev_vowel and ch in _MARKS or ch == "\\":
            out.append("\\" + ch)
            prev_vowel = False
            continue
        out.append(ch)
        prev_vowel = ch in _VOWELS
    return "".join(out)


def _decode_line(line: str) -> str:
    out: list[str] = []
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        if ch == "\\" and i + 1 < n:
            out.append(line[i + 1])
            i += 2
            continue
        if ch in "dD" and i + 1 < n and line[i + 1] in "dD" and (
            i == 0 or not line[i - 1].isalpha()
        ):
            out.append("Đ" if ch == "D" else "đ")
            i += 2
            continue
        if ch not in _VOWELS:
            out.append(ch)
            i += 1
            continue
        letter = ch
        j = i + 1
        if j < n and (ch.lower(), line[j]) in _SHAPE_OK:
            letter = compose(ch + _SHAPE_IN[line[j]], 0)
            j += 1
        tone = 0
        if j < n and line[j] in _TONE_IN:
            at_line_end = j == n - 1 or line[j + 1 :].strip() == ""
            if not (line[j] in ".?" and at_line_end):
                tone = _TONE_IN[line[j]]
                j += 1
        out.append(compose(letter, tone) if tone else letter)
        i = j
    return "".join(out)


def decode(text: str) -> str:
    """VIQR → Unicode (NFC)."""
    return "\n".join(_decode_line(line) for line in text.split("\n"))
