"""Detection over the fixture corpora: ≥ 99 % of legacy sentences found and decoded
exactly; no finding at all on clean text (foreign names, symbols, maths, emoji, CJK)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from auditor.vntext import codecs, scan

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "text"
SENTENCES = (CORPUS / "vi-sentences.txt").read_text(encoding="utf-8").splitlines()
MIXED = (CORPUS / "clean-mixed.txt").read_text(encoding="utf-8").splitlines()

FORMS: dict[str, tuple[str, Callable[[str], str], Callable[[str], str]]] = {
    # name: (expected detection, how the text is damaged, expected corrected text)
    "tcvn3": ("tcvn3", lambda s: codecs.encode(s, "tcvn3"), str),
    "tcvn3h": ("tcvn3", lambda s: codecs.encode(s.upper(), "tcvn3h"), str.upper),
    "vni": ("vni", lambda s: codecs.encode(s, "vni"), str),
    "viscii": ("viscii", lambda s: codecs.encode(s, "viscii"), str),
    "viqr": ("viqr", lambda s: codecs.encode(s, "viqr"), str),
    "cp1258": ("cp1258", lambda s: codecs.encode(s, "cp1258"), str),
    "mojibake-cp1252": ("mojibake", lambda s: codecs.seen_of_bytes(s.encode()), str),
    "mojibake-latin1": ("mojibake", lambda s: s.encode().decode("latin-1"), str),
    "nfd": ("nfd", lambda s: unicodedata.normalize("NFD", s), str),
}


def test_corpora_are_big_enough_and_cover_the_repertoire() -> None:
    from auditor.vntext.letters import REPERTOIRE

    assert len(SENTENCES) >= 200
    assert len(SENTENCES) + len(MIXED) >= 280
    text = "\n".join(SENTENCES)
    assert unicodedata.is_normalized("NFC", text)
    assert [c for c in REPERTOIRE if c not in text] == []


@pytest.mark.parametrize("form", FORMS)
def test_legacy_sentences_are_detected_and_decoded(form: str) -> None:
    expected_enc, damage, want = FORMS[form]
    exact = 0
    for sentence in SENTENCES:
        result = scan(damage(sentence))
        if (len(result.detections) == 1 and result.detections[0].encoding == expected_enc
                and result.fixed == want(sentence)):
            exact += 1
    assert exact / len(SENTENCES) >= 0.99, f"{form}: {exact}/{len(SENTENCES)}"


@pytest.mark.parametrize("line", SENTENCES + MIXED)
def test_clean_text_has_no_finding(line: str) -> None:
    result = scan(line)
    assert result.detections == ()
    assert result.fixed == line


def test_clean_corpus_as_one_text_has_no_finding() -> None:
    assert scan("\n".join(SENTENCES + MIXED)).clean


def test_detection_carries_line_and_confidence() -> None:
    text = "Dòng một sạch.\n" + codecs.encode("Trường THCS Ngọc Hải thông báo", "vni")
    result = scan(text)
    (found,) = result.detections
    assert found.encoding == "vni" and found.legacy
    assert found.line == 2 and text[found.start:found.end] == found.original
    assert 0.6 <= found.confidence <= 1.0
    assert result.fixed == "Dòng một sạch.\nTrường THCS Ngọc Hải thông báo"


def test_unicode_paragraph_keeps_its_unicode_words() -> None:
    # a TCVN3 fragment pasted into a Unicode line: only the fragment changes
    line = "Thông báo lịch thi " + codecs.encode("học kỳ một của khối chín", "tcvn3")
    result = scan(line)
    assert [d.encoding for d in result.detections] == ["tcvn3"]
    assert result.fixed == "Thông báo lịch thi học kỳ một của khối chín"


def test_soft_hyphen_inside_a_word_is_a_warning() -> None:
    result = scan("Học sinh được nghỉ\u00adhọc vì trời mưa to, cô giáo thông báo.")
    (found,) = result.detections
    assert found.encoding == "soft-hyphen" and not found.legacy
    assert "\u00ad" not in result.fixed


def test_cp1258_decoded_text_with_separate_tones_is_named_cp1258() -> None:
    decoded = codecs.to_bytes("Cộng hòa xã hội", "cp1258").decode("cp1258")
    assert not unicodedata.is_normalized("NFC", decoded)
    (found,) = scan(decoded).detections
    assert found.encoding == "cp1258" and found.fixed == "Cộng hòa xã hội"


def test_vntimeh_forced_by_font_gives_capitals() -> None:
    seen = codecs.encode("trường thcs ngọc hải", "tcvn3")
    result = scan(seen, forced="tcvn3h")
    assert result.fixed == "TRƯỜNG THCS NGỌC HẢI"
