"""The scanner's shortcuts (the plain-text fast path, the flagged lines, the packed
per-word verdicts) give exactly the answer of a look at every line."""

from __future__ import annotations

import random
import sys
import unicodedata
from pathlib import Path

import pytest

from auditor.vntext import scan
from auditor.vntext.codecs import spoil
from auditor.vntext.detect import EIGHT_BIT, TextScan, _check_line, _choose
from auditor.vntext.judge import judge
from auditor.vntext.words import PLAIN_TEXT, SUSPECT

TEXT = Path(__file__).resolve().parents[1] / "fixtures" / "text"
CLEAN = (TEXT / "vi-sentences.txt").read_text(encoding="utf-8").splitlines()
FOREIGN = (TEXT / "clean-mixed.txt").read_text(encoding="utf-8").splitlines()
ODD = [  # lines beyond plain text that are not legacy text, and rarer non-NFC forms
    "Chúc mừng năm mới 🎉🎊", "Giá vé: 100€ — còn ít", "Cost 100€", "Trade™ mark",
    "Ångström: \u212b và Ohm: \u2126", "Ký hiệu Kelvin \u212a", "漢字 và chữ Nôm 𡨸喃",
    "Tôi là giáo viên", "Café olé", "Hello\u00a0world – “quoted” … •", "Tab\there",
    "Tie\u0301ng Vie\u0323t", "Tr\u00adêng học", "Vie^.t Nam dde^'n", "x² + y² = z²",
]
SPOILS = ("tcvn3", "vni", "viscii", "viqr", "cp1258", "mojibake", "nfd")


def _documents(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    docs = []
    for _ in range(count):
        lines = []
        for _ in range(rng.randrange(1, 12)):
            roll = rng.random()
            if roll < 0.15:
                kind = rng.choice(SPOILS)
                lines.append(spoil(rng.choice(CLEAN), kind))
            elif roll < 0.3:
                lines.append(rng.choice(FOREIGN))
            elif roll < 0.4:
                lines.append(rng.choice(ODD))
            else:
                lines.append(rng.choice(CLEAN))
        docs.append("\n".join(lines))
    return docs


def _every_line(text: str) -> TextScan:
    """The scan without shortcuts: every line looked at closely."""
    found, pieces, start = [], [], 0
    for n, line in enumerate(text.split("\n"), start=1):
        hits, fixed = _check_line(line, n, start, None, 0.25, 0.6)
        found += hits
        pieces.append(fixed if hits else line)
        start += len(line) + 1
    return TextScan(text, tuple(found), "\n".join(pieces))


def _plain_characters() -> list[str]:
    return [chr(c) for c in range(sys.maxunicode + 1)
            if not 0xD800 <= c < 0xE000 and PLAIN_TEXT.fullmatch(chr(c))]


def test_plain_characters_are_never_suspect() -> None:
    plain = _plain_characters()
    assert len(plain) > 95 + 134  # printable ASCII and the Vietnamese letters at least
    assert [c for c in plain if SUSPECT.match(c)] == []


def test_text_of_plain_characters_is_always_nfc() -> None:
    """None is a combining mark, changes under NFC, or composes with what precedes it."""
    second: set[str] = {chr(c) for c in (*range(0x1161, 0x1176), *range(0x11A8, 0x11C3))}
    for c in range(sys.maxunicode + 1):
        parts = unicodedata.decomposition(chr(c)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            second.add(chr(int(parts[1], 16)))
    bad = [c for c in _plain_characters()
           if unicodedata.combining(c) or unicodedata.normalize("NFC", c) != c or c in second]
    assert bad == []


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_scan_equals_a_look_at_every_line(seed: int) -> None:
    docs = _documents(150, seed)
    found = 0
    for doc in docs:
        expected = _every_line(doc)
        assert scan(doc) == expected, doc
        found += len(expected.detections)
    assert found > 50  # the documents do hold faulty lines to find


def test_every_table_at_once_chooses_as_one_at_a_time() -> None:
    """The packed per-word counts pick the table (and confidence) that trying the
    tables in turn picks."""
    rng = random.Random(6909)
    lines = [spoil(s, k) for s in rng.sample(CLEAN, 60)
             for k in ("tcvn3", "vni", "viscii", "cp1258", "mojibake")]
    lines += FOREIGN
    for line in lines:
        words = [w for w in line.split() if not w.isascii()]
        if not words:
            continue
        for mixed in (False, True):
            got = _choose(words, EIGHT_BIT, 0.25, mixed)
            best = None
            for enc in EIGHT_BIT:
                verdict = judge(words, enc, mixed)
                conf = verdict.confidence(0.25)
                if conf > 0 and (best is None or conf > best[1]):
                    best = (verdict, conf)
            if best is None:
                assert got is None, line
            else:
                assert got is not None, line
                assert (got[0].encoding, got[0].decoded, got[0].status, got[1]) == (
                    best[0].encoding, best[0].decoded, best[0].status, best[1]), line
