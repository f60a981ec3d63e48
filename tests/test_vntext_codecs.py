"""Round trips over the whole Vietnamese repertoire for every legacy encoding."""

from __future__ import annotations

import unicodedata

import pytest

from auditor.vntext import codecs, tables
from auditor.vntext.letters import LOWER_REPERTOIRE, REPERTOIRE, is_syllable

EIGHT_BIT = ("tcvn3", "vni", "viscii", "cp1258")


def test_repertoire_is_134_letters_67_each_case() -> None:
    assert len(REPERTOIRE) == len(set(REPERTOIRE)) == 134
    assert len(LOWER_REPERTOIRE) == 67
    assert all(c.islower() for c in LOWER_REPERTOIRE)
    assert all(unicodedata.is_normalized("NFC", c) and len(c) == 1 for c in REPERTOIRE)
    assert {c.upper() for c in LOWER_REPERTOIRE} == set(REPERTOIRE[67:])


@pytest.mark.parametrize("enc", EIGHT_BIT)
@pytest.mark.parametrize("letter", REPERTOIRE)
def test_every_letter_round_trips(enc: str, letter: str) -> None:
    seen = codecs.encode(letter, enc)
    assert seen != letter or enc in ("vni", "viscii", "cp1258", "tcvn3")
    assert codecs.decode(seen, enc) == letter
    assert codecs.from_bytes(codecs.to_bytes(letter, enc), enc) == letter


@pytest.mark.parametrize("enc", EIGHT_BIT)
def test_distinct_letters_get_distinct_encodings(enc: str) -> None:
    encoded = {codecs.encode(c, enc) for c in REPERTOIRE}
    assert len(encoded) == 134


@pytest.mark.parametrize("enc", (*EIGHT_BIT, "viqr"))
def test_whole_repertoire_as_text_round_trips(enc: str) -> None:
    text = " ".join(REPERTOIRE) + "."
    assert codecs.decode(codecs.encode(text, enc), enc) == text


def test_vntimeh_upper_case_text_round_trips() -> None:
    upper = " ".join(REPERTOIRE[67:]) + " TRƯỜNG THCS NGỌC HẢI"
    seen = codecs.encode(upper, "tcvn3h")
    # .VnTimeH reuses the lower-case bytes for Vietnamese letters
    assert seen.split()[0] == codecs.encode("á", "tcvn3")
    assert codecs.decode(seen, "tcvn3h") == upper


@pytest.mark.parametrize(
    ("enc", "word", "seen"),
    [  # examples given in DOMAIN.md
        ("tcvn3", "Trường", "Tr\u00adêng"),
        ("tcvn3", "Cộng hòa", "Céng hßa"),
        ("tcvn3", "Việt", "ViÖt"),
        ("tcvn3", "Độc lập", "§éc lËp"),
        ("vni", "Trường", "Tröôøng"),
        ("vni", "Cộng hòa", "Coäng hoøa"),
        ("vni", "Việt", "Vieät"),
        ("vni", "Độc", "Ñoäc"),
        ("viscii", "Trường", "Trß¶ng"),
        ("viqr", "Việt Nam", "Vie^.t Nam"),
        ("viqr", "Trường", "Tru+o+`ng"),
        ("viqr", "đi", "ddi"),
    ],
)
def test_documented_examples(enc: str, word: str, seen: str) -> None:
    assert codecs.encode(word, enc) == seen
    assert codecs.decode(seen, enc) == word


def test_tcvn3_table_is_libiconvs() -> None:
    # spot checks against lib/tcvn.h (tcvn_2uni_2) and lib/viscii.h (viscii_2uni_2)
    assert tables.TCVN3_BYTES[0xAD] == 0x01B0  # ư
    assert tables.TCVN3_BYTES[0xA7] == 0x0110  # Đ
    assert tables.TCVN3_BYTES[0xFE] == 0x1EF5  # ỵ
    assert tables.TCVN3_BYTES[0xB0] == 0x0300  # combining grave
    assert tables.VISCII_BYTES[0xDF] == 0x01B0  # ư
    assert tables.VISCII_BYTES[0xF0] == 0x0111  # đ
    assert len(tables.VISCII_BYTES) == 128 + 6


def test_tcvn3_combining_tone_marks_compose() -> None:
    # TCVN3 0xB0–0xB4 are combining tone marks: "a" + 0xB3 (acute) is "á"
    assert codecs.from_bytes(b"a\xb3", "tcvn3") == "á"


def test_cp1258_agrees_with_python_codec() -> None:
    text = "Cộng hòa xã hội chủ nghĩa Việt Nam"
    raw = codecs.to_bytes(text, "cp1258")
    assert unicodedata.normalize("NFC", raw.decode("cp1258")) == text
    # separate tone marks: "ộ" is ô (0xF4) + dot below (0xF2)
    assert b"\xf4\xf2" in raw


def test_vni_accepts_diacritic_bytes_in_the_other_case() -> None:
    assert codecs.decode("TROÀNG", "vni") == "TRỒNG"
    assert codecs.decode("TROàNG", "vni") == "TRỒNG"
    assert codecs.decode("Tröôøng", "vni") == codecs.decode("TröÔØng", "vni").replace("Ờ", "ờ")


def test_viqr_escape_keeps_literal_marks() -> None:
    assert codecs.decode("Ba\\. Bon", "viqr") == "Ba. Bon"
    assert codecs.encode("Ba. Bon", "viqr") == "Ba\\. Bon"
    assert codecs.decode("Em ddi dda^u?", "viqr") == "Em đi đâu?"


@pytest.mark.parametrize("word", ["trường", "nghiêng", "khuya", "quốc", "giữa", "gì", "huỳnh",
                                  "khuếch", "thuở", "xoong", "oanh", "ạ"])
def test_syllables(word: str) -> None:
    assert is_syllable(word)
    assert is_syllable(word.upper())


@pytest.mark.parametrize("word", ["mỹller", "tớch", "céng", "kà", "ghá", "ngi", "tr", "bọr",
                                  "ăc", "hóạ"])
def test_not_syllables(word: str) -> None:
    assert not is_syllable(word)
