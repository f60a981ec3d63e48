"""Word documents (.docx): legacy fonts named in ``w:rFonts`` and runs typed in them.

An old Word file typed with the ABC or VNI keyboard keeps its text as the
characters its bytes show in Windows-1252, in a run whose font is ``.VnTime``
or ``VNI-Times``. The font tells the table; the text is converted run by run
and the font replaced by a Unicode one. Read and written with the standard
library and lxml (a .docx is a zip of XML parts), so python-docx is not needed
at run time.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from auditor.errors import InputError
from auditor.vntext.detect import TextScan
from auditor.vntext.markup import font_encoding
from auditor.vntext.segments import fix_pieces, scan_pieces

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": W}
_FONT_ATTRS = ("ascii", "hAnsi", "cs", "eastAsia")
# No DTDs, entities or network: a document's XML is data (XXE, billion laughs).
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False)
_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")


def _q(name: str) -> str:
    return f"{{{W}}}{name}"


@dataclass(frozen=True)
class DocxScan:
    fonts: tuple[str, ...]  # legacy fonts the document uses
    text_scan: TextScan

    @property
    def clean(self) -> bool:
        return self.text_scan.clean and not self.fonts


class _Styles:
    """Fonts of the document's styles and defaults (styles.xml), with basedOn."""

    def __init__(self, xml: bytes | None) -> None:
        self.fonts: dict[str, str | None] = {}
        self.based: dict[str, str] = {}
        self.default: str | None = None
        self.default_paragraph: str | None = None
        if not xml:
            return
        root = _xml(xml, "word/styles.xml")
        rpr = root.find("w:docDefaults/w:rPrDefault/w:rPr", _NS)
        self.default = _run_font(rpr)
        for style in root.findall("w:style", _NS):
            sid = style.get(_q("styleId")) or ""
            self.fonts[sid] = _run_font(style.find("w:rPr", _NS))
            if style.get(_q("type")) == "paragraph" and style.get(_q("default")) in ("1", "true"):
                self.default_paragraph = sid
            based = style.find("w:basedOn", _NS)
            if based is not None:
                self.based[sid] = based.get(_q("val")) or ""

    def font(self, style_id: str | None) -> str | None:
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            if self.fonts.get(style_id):
                return self.fonts[style_id]
            style_id = self.based.get(style_id)
        return None


def _run_font(rpr: etree._Element | None) -> str | None:
    if rpr is None:
        return None
    fonts = rpr.find("w:rFonts", _NS)
    if fonts is None:
        return None
    # Word draws characters above 0x7F in the high-ANSI font: look there first.
    for attr in ("hAnsi", "ascii", "cs"):
        value = fonts.get(_q(attr))
        if value:
            return value
    return None


@dataclass(frozen=True)
class ZipLimits:
    """How much a .docx may unpack to: a zip bomb is refused before it is inflated."""

    member_bytes: int = 50_000_000  # one part (word/document.xml of a long report: a few MB)
    total_bytes: int = 200_000_000  # all parts together
    ratio: float = 200.0  # unpacked / packed size of one part (XML packs 10-30 times)


LIMITS = ZipLimits()


def _read(source: Path | bytes, limits: ZipLimits = LIMITS) -> dict[str, bytes]:
    where = "" if isinstance(source, bytes) else f"{source}: "
    try:
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            _check_sizes(zf.infolist(), limits, where)
            # zipfile stops each member at its declared size, which was checked above.
            return {info.filename: zf.read(info) for info in zf.infolist()}
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, EOFError,
            NotImplementedError) as exc:
        raise InputError(f"{where}không đọc được tệp .docx ({exc}).",
                         en=f"{where}cannot read the .docx file ({exc}).") from exc
    except zlib.error as exc:
        raise InputError(f"{where}không đọc được tệp .docx (dữ liệu nén hỏng: {exc}).",
                         en=f"{where}cannot read the .docx file (bad compressed data: {exc})."
                         ) from exc


def _check_sizes(members: list[zipfile.ZipInfo], limits: ZipLimits, where: str) -> None:
    total = 0
    for info in members:
        total += info.file_size
        packed = max(info.compress_size, 1)
        if info.file_size > limits.member_bytes or total > limits.total_bytes or (
                info.file_size > 1_000_000 and info.file_size / packed > limits.ratio):
            raise InputError(
                f"{where}tệp .docx giải nén quá lớn ({info.filename}: {info.file_size:,} byte "
                f"từ {info.compress_size:,} byte; giới hạn {limits.member_bytes:,} byte mỗi "
                f"phần, {limits.total_bytes:,} byte tổng, tỉ lệ nén {limits.ratio:g}): bỏ qua.",
                en=f"{where}the .docx unpacks too large ({info.filename}: {info.file_size:,} "
                   f"bytes from {info.compress_size:,}; limits {limits.member_bytes:,} bytes a "
                   f"part, {limits.total_bytes:,} in all, ratio {limits.ratio:g}): skipped.")


def _xml(data: bytes, name: str) -> etree._Element:
    """A part of the document; bad XML is a bad document, not an internal error."""
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"tệp .docx có phần {name} không phải XML hợp lệ ({exc}).",
                         en=f"the .docx part {name} is not valid XML ({exc}).") from exc


def _runs(root: etree._Element, styles: _Styles
          ) -> tuple[list[tuple[str, str | None]], list[etree._Element | None], set[str]]:
    """Pieces (text, encoding) paragraph by paragraph, with the w:t element of each."""
    pieces: list[tuple[str, str | None]] = []
    elements: list[etree._Element | None] = []
    fonts: set[str] = set()
    for para in root.iter(_q("p")):
        pstyle = para.find("w:pPr/w:pStyle", _NS)
        para_font = styles.font(pstyle.get(_q("val")) if pstyle is not None
                                else styles.default_paragraph)
        for run in para.iter(_q("r")):
            rpr = run.find("w:rPr", _NS)
            rstyle = rpr.find("w:rStyle", _NS) if rpr is not None else None
            font = (_run_font(rpr) or styles.font(rstyle.get(_q("val")) if rstyle is not None
                                                  else None) or para_font or styles.default)
            enc = font_encoding(font) if font else None
            if enc and font:
                fonts.add(font)
            for t in run.findall("w:t", _NS):
                pieces.append((t.text or "", enc))
                elements.append(t)
        pieces.append(("\n", None))
        elements.append(None)
    return pieces, elements, fonts


def scan_docx(source: Path | bytes, *, min_confidence: float = 0.6) -> DocxScan:
    parts = _read(source)
    styles = _Styles(parts.get("word/styles.xml"))
    pieces: list[tuple[str, str | None]] = []
    fonts: set[str] = set()
    for name in sorted(parts):
        if _PARTS.search(name):
            p, _, f = _runs(_xml(parts[name], name), styles)
            pieces += p
            fonts |= f
    result = scan_pieces(pieces, min_confidence=min_confidence)
    if styles.default and font_encoding(styles.default):
        fonts.add(styles.default)
    return DocxScan(tuple(sorted(fonts)), result)


def _swap_fonts(root: etree._Element) -> None:
    for fonts in root.iter(_q("rFonts")):
        for attr in _FONT_ATTRS:
            value = fonts.get(_q(attr))
            if value and font_encoding(value):
                target = "Arial" if re.search("arial|helve", value, re.I) else "Times New Roman"
                fonts.set(_q(attr), target)


def convert_docx(source: Path | bytes, encoding: str = "auto", *,
                 min_confidence: float = 0.6) -> bytes:
    """The document with every run in NFC Unicode and legacy fonts replaced."""
    parts = _read(source)
    styles = _Styles(parts.get("word/styles.xml"))
    forced = None if encoding == "auto" else encoding
    out = dict(parts)
    for name in sorted(parts):
        if not _PARTS.search(name):
            continue
        root = _xml(parts[name], name)
        pieces, elements, _ = _runs(root, styles)
        pieces = [(t, forced or enc) for t, enc in pieces]
        result = scan_pieces(pieces, min_confidence=min_confidence, forced=forced)
        for el, (old, _), new in zip(elements, pieces, fix_pieces(pieces, result), strict=True):
            if el is not None and new != old:
                el.text = new
                if new != new.strip():
                    el.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        _swap_fonts(root)
        out[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                   standalone=True)
    if "word/styles.xml" in parts:
        root = _xml(parts["word/styles.xml"], "word/styles.xml")
        _swap_fonts(root)
        out["word/styles.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                                standalone=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in out.items():
            zf.writestr(name, data)
    return buffer.getvalue()
