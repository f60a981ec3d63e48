"""Gambling vocabulary (từ ngữ cờ bạc) and how it is matched in page text and URLs.

The words and brand names are rule-set data (``security.spam-injection``
params), never literals here. Matching is accent-insensitive *only* for text
written without accents: "no hu" and "NỔ HŨ" both match the term "nổ hũ",
but "lo để" (worry about) does not match "lô đề", nor "bán cá" (sell fish)
"bắn cá". Injected spam is often typed without accents; Vietnamese prose
written with accents is compared letter for letter.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

_SEPARATORS = r"[\s\-_.+/]*"
_LETTERS = re.compile(r"[\s\-_.+/]")


class _FoldTable(dict[int, str]):
    """str.translate table filled on first sight of each character (C-speed afterwards)."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch in "đĐ":
            out = "d"
        elif ch.isspace():
            out = " "
        else:
            out = unicodedata.normalize("NFD", ch)[0].casefold()[:1] or ch
        self[code] = out
        return out


_FOLD = _FoldTable()


_DROP = {ord(c): None for c in " -_.+/\t\n\r\f\v"}


def compact(folded: str) -> str:
    """Folded text without separators ("no hu" → "nohu")."""
    return folded.translate(_DROP)


def fold_keep_length(text: str) -> str:
    """Lower-case, accents removed, whitespace as spaces; one output char per input char.

    Keeping the length lets a match found in the folded text be cut from the
    original (NFC) text at the same offsets.
    """
    return text.translate(_FOLD)


@dataclass(frozen=True)
class Term:
    """One word of the vocabulary: "strong" (nổ hũ), "weak" (bóng đá) or "brand" (kuwin)."""

    text: str
    kind: str
    pattern: re.Pattern[str]
    compact: str  # folded, separators dropped: "nohu" (a fast substring pre-check)

    @classmethod
    def make(cls, text: str, kind: str) -> Term:
        text = unicodedata.normalize("NFC", " ".join(text.split()))
        words = [re.escape(w) for w in fold_keep_length(text).split()]
        body = _SEPARATORS.join(words)
        return cls(text, kind, re.compile(rf"(?<![a-z0-9]){body}(?![a-z0-9])"),
                   compact(fold_keep_length(text)))

    def accepts(self, span: str) -> bool:
        """The original text matched: unaccented, or the same letters with the same accents."""
        if span.isascii():
            return True
        return _LETTERS.sub("", span).casefold() == _LETTERS.sub("", self.text).casefold()


@dataclass(frozen=True)
class Hit:
    term: Term
    start: int
    end: int


@dataclass(frozen=True)
class TermSet:
    """The gambling vocabulary of the rule set."""

    terms: tuple[Term, ...]
    tlds: tuple[str, ...] = ()  # top-level domains of gambling sites: "bet", "casino"…

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> TermSet:
        terms = [Term.make(t, "strong") for t in params.get("gambling_terms", ())]
        terms += [Term.make(t, "weak") for t in params.get("weak_terms", ())]
        terms += [Term.make(t, "brand") for t in params.get("brands", ())]
        tlds = tuple(str(t).lower().lstrip(".") for t in params.get("gambling_tlds", ()))
        return cls(tuple(terms), tlds)

    def hits(self, text: str, kinds: Iterable[str] = ("strong", "weak", "brand")) -> list[Hit]:
        """Every accepted match in `text` (which should be NFC), in order."""
        wanted = set(kinds)
        folded = fold_keep_length(text)
        # Substring search first (fast): most texts hold none of the terms at all.
        squeezed = compact(folded)
        candidates = [t for t in self.terms if t.kind in wanted and t.compact in squeezed]
        found = []
        for term in candidates:
            for m in term.pattern.finditer(folded):
                if term.accepts(text[m.start():m.end()]):
                    found.append(Hit(term, m.start(), m.end()))
        return sorted(found, key=lambda h: (h.start, -h.end))

    def words(self, text: str, kinds: Iterable[str] = ("strong", "weak", "brand")) -> tuple[
            str, ...]:
        """The distinct terms found in `text`, in first-seen order."""
        return tuple(dict.fromkeys(h.term.text for h in self.hits(text, kinds)))

    def brands(self, text: str) -> tuple[str, ...]:
        return self.words(text, ("brand",))

    def in_url(self, url: str) -> tuple[str, ...]:
        """Terms in a URL's host and path ("/nha-cai-uy-tin" → "nhà cái"), and a gambling TLD."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        found = list(self.words(unquote(f"{host} {parts.path} {parts.query}")))
        tld = host.rsplit(".", 1)[-1] if "." in host else ""
        if tld and tld in self.tlds:
            found.append(f".{tld}")
        return tuple(found)


def excerpt(text: str, start: int, end: int, width: int) -> str:
    """About `width` characters of `text` around [start, end), on one line."""
    pad = max(0, (width - (end - start)) // 2)
    left, right = max(0, start - pad), min(len(text), end + pad)
    snippet = " ".join(text[left:right].split())
    return ("…" if left > 0 else "") + snippet + ("…" if right < len(text) else "")


def bare_host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().rstrip(".")


def host_allowed(host: str, allowed: Sequence[str]) -> bool:
    """`host` is one of `allowed` ("example.vn", or "*.example.vn" for any sub-domain)."""
    host = host.lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    for entry in allowed:
        entry = entry.lower().strip().rstrip(".")
        if entry.startswith("www."):
            entry = entry[4:]
        if entry.startswith("*."):
            if host == entry[2:] or host.endswith(entry[1:]):
                return True
        elif host == entry:
            return True
    return False
