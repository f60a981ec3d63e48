"""Turning body bytes into text: BOM, then the declared charset (header, <meta>,
XML declaration), checked against the bytes, with detection as fall-back.

School sites often declare one charset and send another (an old template says
iso-8859-1 around UTF-8 articles). A declaration that the bytes contradict is
not trusted: UTF-8 is self-validating, so valid multi-byte UTF-8 wins.

Only text encodings are honoured (the WHATWG Encoding Standard's list): a
hostile page can name any Python codec (``idna``, ``zlib_codec``, ``base64``,
``rot13``…) in its charset, and such a name is an unknown charset, decoded as
if none had been declared, never an error (issue 13.3).
"""

from __future__ import annotations

import codecs
import re
import unicodedata

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]+encoding\s*=\s*[\"']([\w.:-]+)", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
# WHATWG: these labels mean windows-1252 in a browser.
_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252",
            "iso8859-1": "cp1252", "latin1": "cp1252", "windows-874": "cp874",
            "x-mac-cyrillic": "mac-cyrillic"}
_VIETNAMESE = set(
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
)


def header_charset(content_type: str | None) -> str | None:
    match = _HEADER_CHARSET.search(content_type or "")
    return match[1] if match else None


def meta_charset(body: bytes) -> str | None:
    """Charset from <meta charset>, <meta http-equiv content-type> or <?xml encoding>."""
    head = body[:4096]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return match[1].decode("ascii", "replace") if match else None


# Python's names of the WHATWG Encoding Standard's encodings (and cp1258's, which
# Vietnamese pages declare): every other codec Python knows is not a charset.
TEXT_CODECS = frozenset({
    "utf-8", "utf-16", "utf-16-le", "utf-16-be", "cp866", "iso8859-2", "iso8859-3",
    "iso8859-4", "iso8859-5", "iso8859-9", "iso8859-6", "iso8859-7", "iso8859-8", "iso8859-10",
    "iso8859-13", "iso8859-14", "iso8859-15", "iso8859-16", "koi8-r", "koi8-u", "mac-roman",
    "cp874", "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257",
    "cp1258", "mac-cyrillic", "gbk", "gb18030", "big5", "euc_jp", "iso2022_jp", "shift_jis",
    "euc_kr", "gb2312", "big5hkscs", "cp949", "cp932", "tis-620",
})


def text_codec(label: str | None) -> str | None:
    """The Python codec of a declared charset; None when it is not a text encoding."""
    if not label:
        return None
    label = label.strip().lower()
    label = _ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name in ("iso8859-1", "ascii"):
        return "cp1252"  # WHATWG: latin-1 and ascii labels mean windows-1252
    return name if name in TEXT_CODECS else None


def _utf8(body: bytes, truncated: bool) -> str | None:
    """Strict UTF-8, tolerating a sequence cut at the end of a truncated body."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        return decoder.decode(body, final=not truncated)
    except UnicodeDecodeError:
        return None


_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_WORD = re.compile(r"\w+")


def _vietnamese_score(text: str) -> int:
    """Vietnamese letters in well-formed syllables; a syllable with two tones is a misdecode."""
    score = 0
    for word in _WORD.findall(text.lower()):
        tones = sum(1 for ch in unicodedata.normalize("NFD", word) if ch in _TONES)
        if tones > 1:
            score -= 3 * tones
        else:
            score += sum(1 for ch in word if ch in _VIETNAMESE)
    return score


def _detect(body: bytes) -> tuple[str, str]:
    """No usable declaration: the candidate that reads as the most Vietnamese (DOMAIN.md)."""
    best = ("cp1252", body.decode("cp1252", "replace"))
    best_score: int | None = None
    for candidate in ("cp1258", "cp1252"):
        text = unicodedata.normalize("NFC", body.decode(candidate, "replace"))
        score = _vietnamese_score(text)
        if best_score is None or score > best_score:
            best, best_score = (candidate, text), score
    return best


def decode_body(body: bytes, content_type: str | None,
                truncated: bool = False) -> tuple[str, str, str | None]:
    """(text, encoding used, declared charset as written)."""
    declared = header_charset(content_type) or meta_charset(body)
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(name, "replace"), name, declared
    codec = text_codec(declared)
    as_utf8 = _utf8(body, truncated)
    if codec == "utf-8":
        if as_utf8 is not None:
            return as_utf8, "utf-8", declared
    elif codec is not None:
        if as_utf8 is not None and not body.isascii():
            return as_utf8, "utf-8", declared  # the declaration is wrong; the bytes are UTF-8
        text = body.decode(codec, "replace")
        if codec == "cp1258":  # decodes to base letter + combining tone: compose (DOMAIN.md)
            text = unicodedata.normalize("NFC", text)
        return text, codec, declared
    elif as_utf8 is not None:
        return as_utf8, "utf-8", declared
    encoding, text = _detect(body)
    return text, encoding, declared
