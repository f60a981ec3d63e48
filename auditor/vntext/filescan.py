"""Files and addresses the IT teacher hands to ``auditor text``: read, scan, convert.

Bytes are read as UTF-8 when they are UTF-8; an HTML file's declared charset is
honoured; anything else is legacy bytes, seen as Windows-1252 shows them (the
way a legacy font's text reaches a page).
"""

from __future__ import annotations

import codecs as pycodecs
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from auditor.crawl.charset import text_codec
from auditor.errors import InputError
from auditor.vntext.codecs import seen_of_bytes
from auditor.vntext.detect import TextScan, scan
from auditor.vntext.docx import convert_docx, scan_docx
from auditor.vntext.markup import HtmlSignal, convert_html, looks_like_html, scan_html

TEXT_SUFFIXES = (".txt", ".text")
HTML_SUFFIXES = (".html", ".htm")
DOCX_SUFFIXES = (".docx",)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]+)", re.I)


@dataclass(frozen=True)
class FileScan:
    name: str
    kind: str  # "text", "html", "docx"
    text_scan: TextScan
    signals: tuple[HtmlSignal, ...] = ()
    fonts: tuple[str, ...] = ()  # legacy fonts named in a .docx

    @property
    def clean(self) -> bool:
        return self.text_scan.clean and not self.signals and not self.fonts


def kind_of(name: str, data: bytes) -> str:
    low = name.lower()
    if low.endswith(DOCX_SUFFIXES) or data[:4] == b"PK\x03\x04":
        return "docx"
    if low.endswith(HTML_SUFFIXES) or looks_like_html(data[:4000].decode("latin-1")):
        return "html"
    return "text"


def text_of_bytes(data: bytes, kind: str) -> str:
    """Bytes → text: UTF-8 (with or without BOM), UTF-16 with a BOM, an HTML file's
    declared charset, else legacy bytes as Windows-1252 shows them."""
    if data.startswith(pycodecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((pycodecs.BOM_UTF16_LE, pycodecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if kind == "html":
        m = _META_CHARSET.search(data[:4000])
        if m:
            # Only a text encoding: a charset naming another codec (idna, base64…) is ignored.
            name = text_codec(m.group(1).decode("ascii", "replace")) or ""
            if name and name not in ("cp1252", "latin-1", "iso8859-1"):
                return unicodedata.normalize("NFC", data.decode(name, errors="replace"))
    return seen_of_bytes(data)


def scan_bytes(name: str, data: bytes, *, min_confidence: float = 0.6) -> FileScan:
    kind = kind_of(name, data)
    if kind == "docx":
        result = scan_docx(data, min_confidence=min_confidence)
        return FileScan(name, kind, result.text_scan, fonts=result.fonts)
    text = text_of_bytes(data, kind)
    if kind == "html":
        html = scan_html(text, min_confidence=min_confidence)
        return FileScan(name, kind, html.text_scan, html.signals)
    return FileScan(name, kind, scan(text, min_confidence=min_confidence))


def convert_bytes(name: str, data: bytes, encoding: str = "auto", *,
                  min_confidence: float = 0.6) -> bytes:
    """The converted file: NFC UTF-8 text, HTML or .docx."""
    kind = kind_of(name, data)
    if kind == "docx":
        return convert_docx(data, encoding, min_confidence=min_confidence)
    text = text_of_bytes(data, kind)
    if kind == "html":
        return convert_html(text, encoding, min_confidence=min_confidence).encode("utf-8")
    forced = None if encoding == "auto" else encoding
    result = scan(text, min_confidence=min_confidence, forced=forced)
    return unicodedata.normalize("NFC", result.fixed).encode("utf-8")


def check_convertible(path: Path) -> None:
    if not path.name.lower().endswith(TEXT_SUFFIXES + HTML_SUFFIXES + DOCX_SUFFIXES):
        raise InputError(f"{path}: chỉ chuyển được tệp .txt, .html hoặc .docx.",
                         en=f"{path}: only .txt, .html and .docx files can be converted.")
