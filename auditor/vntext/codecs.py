"""Encoders and decoders of the legacy Vietnamese encodings, over *seen* text.

``encode(text, enc)`` turns Unicode into what the legacy text looks like once
pasted into a web page (its bytes read as Windows-1252); ``decode`` reverses
it. ``to_bytes``/``from_bytes`` give the raw file bytes. Decoding always ends
in NFC, the form TCVN 6909:2001 text is stored in on the web.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from auditor.vntext import tables, viqr
from auditor.vntext.letters import REPERTOIRE, split_tone

# The encodings the tool knows. "tcvn3h" is TCVN3 in an upper-case font
# (.VnTimeH): the bytes of the lower-case letters, shown as capitals.
ENCODINGS = ("tcvn3", "tcvn3h", "vni", "viscii", "viqr", "cp1258")
NAMES = {
    "tcvn3": "TCVN3 (ABC, .VnTime)",
    "tcvn3h": "TCVN3 chữ hoa (.VnTimeH)",
    "vni": "VNI-Windows",
    "viscii": "VISCII",
    "viqr": "VIQR",
    "cp1258": "Windows-1258",
    "mojibake": "UTF-8 bị đọc nhầm (cp1252/latin-1)",
    "nfd": "Unicode tổ hợp (NFD)",
}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --- VNI ---------------------------------------------------------------------

def _vni_letter(ch: str) -> str:
    base, tone = split_tone(ch)
    upper = base != base.lower()
    low_letter = ch.lower()
    low = base.lower()
    if low_letter in tables.VNI_SINGLE:
        seq = [tables.VNI_SINGLE[low_letter]]
        ascii_base = ""
    elif low in ("ư", "ơ"):
        seq = [tables.VNI_SINGLE[low]] + ([tables.VNI_TONE[tone]] if tone else [])
        ascii_base = ""
    elif low in "âêô" and len(low) == 1:
        ascii_base = {"â": "a", "ê": "e", "ô": "o"}[low]
        seq = [tables.VNI_CIRCUMFLEX[tone]]
    elif low == "ă":
        ascii_base, seq = "a", [tables.VNI_BREVE[tone]]
    else:
        ascii_base, seq = low, [tables.VNI_TONE[tone]]
    shift = 0x20 if upper else 0
    return (ascii_base.upper() if upper else ascii_base) + "".join(
        tables.seen(b - shift) for b in seq)


@cache
def _vni_encode_map() -> dict[int, str]:
    return {ord(c): _vni_letter(c) for c in REPERTOIRE}


@cache
def _vni_decoder() -> tuple[re.Pattern[str], dict[str, str]]:
    seqs: dict[str, str] = {}
    for letter in REPERTOIRE:
        enc = _vni_letter(letter)
        seqs[enc] = letter
        # the same letter typed with the diacritic bytes in the other case
        if enc[0].isascii() and len(enc) > 1:
            tail = enc[1:]
            other = "".join(tables.seen(tables.unseen(c) ^ 0x20)  # type: ignore[operator]
                            for c in tail)
            seqs.setdefault(enc[0] + other, letter)
    keys = sorted(seqs, key=len, reverse=True)
    return re.compile("|".join(re.escape(k) for k in keys)), seqs


def _vni_decode(text: str) -> str:
    pattern, seqs = _vni_decoder()
    return pattern.sub(lambda m: seqs[m.group(0)], text)


# --- Windows-1258 ------------------------------------------------------------

_CP1258_TONE = {1: 0xEC, 2: 0xCC, 3: 0xD2, 4: 0xDE, 5: 0xF2}


def _cp1258_bytes(text: str) -> bytes:
    out = bytearray()
    for ch in nfc(text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, tone = split_tone(ch)
            out += base.encode("cp1258") + (bytes([_CP1258_TONE[tone]]) if tone else b"")
    return bytes(out)


@cache
def _cp1258_decode_map() -> dict[int, str]:
    out: dict[int, str] = {}
    for b in range(0x80, 0x100):
        try:
            uni = bytes([b]).decode("cp1258")
        except UnicodeDecodeError:
            continue
        out[ord(tables.seen(b))] = uni
        out[b] = uni
    return out


# --- public API ----------------------------------------------------------------

def encode(text: str, enc: str) -> str:
    """Unicode → legacy text as it shows when pasted into a web page."""
    text = nfc(text)
    if enc == "tcvn3":
        return text.translate(tables.tcvn3_encode_map())
    if enc == "tcvn3h":  # Vietnamese letters take their lower-case bytes; ASCII stays as typed
        return "".join(c if c.isascii() else c.lower() for c in text).translate(
            tables.tcvn3_encode_map())
    if enc == "vni":
        return text.translate(_vni_encode_map())
    if enc == "viscii":
        return text.translate(tables.viscii_encode_map())
    if enc == "viqr":
        return viqr.encode(text)
    if enc == "cp1258":
        return "".join(tables.seen(b) for b in _cp1258_bytes(text))
    raise ValueError(f"unknown encoding {enc!r}")


def decode(text: str, enc: str) -> str:
    """Legacy (seen) text → Unicode NFC."""
    if enc == "tcvn3":
        return nfc(text.translate(tables.tcvn3_decode_map()))
    if enc == "tcvn3h":
        return nfc(text.translate(tables.tcvn3_decode_map())).upper()
    if enc == "vni":
        return nfc(_vni_decode(text))
    if enc == "viscii":
        return nfc(text.translate(tables.viscii_decode_map()))
    if enc == "viqr":
        return nfc(viqr.decode(text))
    if enc == "cp1258":
        return nfc(text.translate(_cp1258_decode_map()))
    raise ValueError(f"unknown encoding {enc!r}")


def to_bytes(text: str, enc: str) -> bytes:
    """Unicode → the bytes a legacy file holds."""
    if enc == "cp1258":
        return _cp1258_bytes(text)
    return bytes_of_seen(encode(text, enc))


def bytes_of_seen(seen_text: str) -> bytes:
    out = bytearray()
    for ch in seen_text:
        b = tables.unseen(ch)
        if b is None:
            raise UnicodeEncodeError("cp1252", seen_text, 0, 1, f"not a byte: {ch!r}")
        out.append(b)
    return bytes(out)


def seen_of_bytes(data: bytes) -> str:
    """Raw legacy bytes → the characters they show as in Windows-1252."""
    return "".join(tables.seen(b) for b in data)


def from_bytes(data: bytes, enc: str) -> str:
    return decode(seen_of_bytes(data), enc)


def spoil(text: str, kind: str) -> str:
    """Unicode text as a page shows it after a wrong turn: written in a legacy
    encoding (one of ENCODINGS), UTF-8 read as Windows-1252 ("mojibake"), or
    decomposed ("nfd"). What the scanner must find; for fixtures and benchmarks."""
    if kind == "mojibake":
        return seen_of_bytes(text.encode("utf-8"))
    if kind == "nfd":
        return unicodedata.normalize("NFD", text)
    return encode(text, kind)
