"""fold()'s translation table: what it maps, character by character."""

from __future__ import annotations

import random
import unicodedata

from auditor.people import _STRIP, fold


def _reference_char(ch: str) -> str:
    """Precomposed Latin letters lose their marks, đ/Đ become d/D, all else stays."""
    if ch in "đĐ":
        return "d" if ch == "đ" else "D"
    if 0xC0 <= ord(ch) < 0x2000:
        base = "".join(c for c in unicodedata.normalize("NFD", ch)
                       if not unicodedata.combining(c))
        if base != ch and base.isascii():
            return base
    return ch


def test_the_table_maps_each_character_as_documented() -> None:
    for cp in range(0x3000):
        ch = chr(cp)
        assert ch.translate(_STRIP) == _reference_char(ch), hex(cp)


def test_fold_of_mixed_text() -> None:
    rnd = random.Random(6909)
    alphabet = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ ÀÁẢÃẠàáảãạếềểễệ\u0301\u0323ð中文,.:1"
    for _ in range(2000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 30)))
        stripped = "".join(_reference_char(c) for c in text)
        if not stripped.isascii():
            decomposed = unicodedata.normalize("NFD", stripped)
            stripped = "".join(_reference_char(c) for c in decomposed
                               if not unicodedata.combining(c))
        assert fold.__wrapped__(text) == " ".join(stripped.casefold().split()), text
    assert fold("Nguyễn Văn An") == "nguyen van an"
    assert fold("ĐỖ  THỊ\tHoa") == "do thi hoa"
