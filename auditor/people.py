"""Who belongs where: CMS accounts and names → canonical person and department."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from auditor.config import Config, MemberConfig


def _strip_table() -> dict[int, str | int]:
    """Every precomposed Latin letter → its base letters ("ệ" → "e", "Đ" → "D").

    ASCII maps to itself: str.translate looks every character up in the table,
    and a character missing from it costs a KeyError, which made fold() twice as
    slow on Vietnamese text (half its letters are ASCII)."""
    table: dict[int, str | int] = {cp: cp for cp in range(0x80)}
    table |= {ord("đ"): "d", ord("Đ"): "D"}
    for cp in range(0xC0, 0x2000):
        decomposed = unicodedata.normalize("NFD", chr(cp))
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        if base != chr(cp) and base.isascii():
            table[cp] = base
    return table


_STRIP = _strip_table()


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Accent- and case-insensitive key ("Nguyễn Văn An" → "nguyen van an").

    str.translate does precomposed (NFC) text at C speed; decomposed input
    (NFD) and other scripts take the slow path. Cached: names, categories and
    statuses repeat on every row of an export.
    """
    stripped = text.translate(_STRIP)
    if not stripped.isascii():
        decomposed = unicodedata.normalize("NFD", stripped)
        stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
        stripped = stripped.translate(_STRIP)
    return " ".join(stripped.casefold().split())


class Directory:
    """Maps a name or CMS account to (person, department) from the config."""

    def __init__(self, config: Config) -> None:
        self._people: dict[str, tuple[str, str]] = {}
        self.departments: list[str] = [d.name for d in config.departments]
        for dept in config.departments:
            for member in dept.members:
                m = member if isinstance(member, MemberConfig) else MemberConfig(name=member)
                for key in (m.name, *m.accounts):
                    self._people[fold(key)] = (m.name, dept.name)
        board = config.board
        self.approvers = {fold(n) for n in (board.head, *board.deputies) if n}
        self.head = fold(board.head) if board.head else None

    def person(self, who: str | None) -> str | None:
        if not who:
            return None
        found = self._people.get(fold(who))
        return found[0] if found else who.strip()

    def department_of(self, who: str | None) -> str | None:
        if not who:
            return None
        found = self._people.get(fold(who))
        return found[1] if found else None
