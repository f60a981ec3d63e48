"""HTML and .docx: legacy fonts, charsets, &shy; inside words, and conversion that keeps
the markup — on real documents built here and re-opened."""

from __future__ import annotations

import io
import zipfile

import docx

from auditor.vntext import encode
from auditor.vntext.docx import convert_docx, scan_docx
from auditor.vntext.markup import (
    convert_html,
    declared_charsets,
    font_encoding,
    legacy_fonts,
    scan_html,
    signals,
)

TITLE = "Trường THCS Hoa Phượng thông báo lịch học"


def test_font_names_map_to_encodings() -> None:
    assert font_encoding(".VnTime") == "tcvn3"
    assert font_encoding("'.VnArial', sans-serif") == "tcvn3"
    assert font_encoding(".VnTimeH") == "tcvn3h"
    assert font_encoding("VNI-Times") == "vni"
    assert font_encoding("VNI-Helve, Arial") == "vni"
    assert font_encoding("Times New Roman") is None
    assert legacy_fonts("color:red; font-family: Arial, '.VnTime'") == [".VnTime"]
    assert legacy_fonts("p { font: 12pt VNI-Times }") == ["VNI-Times"]


def test_signals_fonts_charsets_and_soft_hyphens() -> None:
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; '
            'charset=windows-1258"><style>.a{font-family:.VnArial}</style></head>'
            '<body><font face="VNI-Times">x</font><p>Tr&shy;êng, ph&#173;îng</p>'
            '<p>Số&shy; 5</p></body></html>')
    got = {(s.kind, s.detail, s.where) for s in signals(page)}
    assert got == {("legacy-font", ".VnArial", "stylesheet"),
                   ("legacy-font", "VNI-Times", "font"),
                   ("charset", "windows-1258", "meta"),
                   ("soft-hyphen", "2", "text")}
    assert declared_charsets('<meta charset="UTF-8">') == ["utf-8"]
    assert signals('<p style="font-family:Arial">Trường © 2026</p>') == []


def test_scan_html_uses_the_font_of_each_stretch() -> None:
    page = ('<p>Sáng nay, <span style="font-family:.VnTime">'
            + encode("học sinh khối 9 tham gia ngoại khóa", "tcvn3") + "</span>.</p>"
            '<h2 style="font-family:.VnTimeH">' + encode("KẾ HOẠCH", "tcvn3h") + "</h2>"
            "<p>Müller và José — 30°C</p>")
    result = scan_html(page).text_scan
    assert [d.encoding for d in result.detections] == ["tcvn3", "tcvn3h"]
    lines = [ln for ln in result.fixed.split("\n") if ln]
    assert lines == ["Sáng nay, học sinh khối 9 tham gia ngoại khóa.", "KẾ HOẠCH",
                     "Müller và José — 30°C"]


def test_convert_html_keeps_inline_markup_and_attributes() -> None:
    page = ('<div class="nd"><p>' + encode("Trường", "vni") + ' <a href="/a.pdf" title="x">'
            + encode("Hoa Phượng", "vni") + "</a>!</p></div>")
    out = convert_html(page)
    assert out == '<div class="nd"><p>Trường <a href="/a.pdf" title="x">Hoa Phượng</a>!</p></div>'


def test_convert_html_nfd_and_soft_hyphen() -> None:
    out = convert_html("<p>Tho\u0302ng ba\u0301o</p><p>Học\u00adsinh giỏi</p>")
    assert out == "<p>Thông báo</p><p>Họcsinh giỏi</p>"


def _document(runs: list[tuple[str, str | None]]) -> bytes:
    document = docx.Document()
    for text, font in runs:
        run = document.add_paragraph().add_run(text)
        if font:
            run.font.name = font
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_font_from_the_paragraph_style() -> None:
    document = docx.Document()
    document.styles["Normal"].font.name = ".VnTime"
    document.add_paragraph(encode(TITLE, "tcvn3"))
    buffer = io.BytesIO()
    document.save(buffer)
    result = scan_docx(buffer.getvalue())
    assert ".VnTime" in result.fonts
    assert result.text_scan.fixed.strip() == TITLE
    converted = convert_docx(buffer.getvalue())
    with zipfile.ZipFile(io.BytesIO(converted)) as zf:
        assert b".VnTime" not in zf.read("word/styles.xml")
        assert TITLE.encode() in zf.read("word/document.xml")


def test_docx_vni_and_unicode_runs_side_by_side() -> None:
    data = _document([(encode(TITLE, "vni"), "VNI-Times"), ("Đoạn Unicode © 2026", "Arial")])
    converted = docx.Document(io.BytesIO(convert_docx(data)))
    assert [p.text for p in converted.paragraphs] == [TITLE, "Đoạn Unicode © 2026"]
    assert [r.font.name for p in converted.paragraphs for r in p.runs] == [
        "Times New Roman", "Arial"]


def test_clean_docx_is_clean() -> None:
    assert scan_docx(_document([("Trường THCS — Müller, José", "Times New Roman")])).clean
