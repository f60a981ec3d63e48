"""The receiving authority (cơ quan quản lý) as every title and message names it.

Since 1/7/2025 (NĐ 142/2025/NĐ-CP) the district Phòng GD&ĐT is gone: a MN, TH
or THCS school answers to the UBND cấp xã (its Phòng Văn hóa – Xã hội advises
on education) and to the Sở GD&ĐT. Which of them receives the proposals and
the Công khai address is not stated in any text we found, so the name comes
from ``[authority]`` in auditor.toml. Not configured, the wording is the
neutral "cơ quan quản lý" — never the former Phòng GD&ĐT.

Rule titles and check documentation write ``{authority}`` where the name goes;
:func:`fill` puts the configured name in.
"""

from __future__ import annotations

from typing import Any

NEUTRAL = "cơ quan quản lý"
NEUTRAL_EN = "the supervising authority"

# kind → (Vietnamese display name, English)
KINDS: dict[str, tuple[str, str]] = {
    "ubnd-xa": ("UBND xã/phường", "the commune/ward People's Committee"),
    "phong-vhxh": ("Phòng Văn hóa – Xã hội", "the commune's Culture and Society Office"),
    "so-gddt": ("Sở GD&ĐT", "the provincial Department of Education"),
    "phong-gddt": ("Phòng GD&ĐT", "the district education office (before 1/7/2025)"),
}


def default_name(kind: Any) -> str:
    """The display name when only the kind (or nothing) is configured."""
    return KINDS[kind][0] if isinstance(kind, str) and kind in KINDS else NEUTRAL


def authority_name(config: Any, lang: str = "vi") -> str:
    """The name to print: the configured one as is; else the kind's or the neutral wording."""
    auth = config.authority
    if lang != "en":
        return str(auth.name)
    if auth.name not in (NEUTRAL, *(v for v, _ in KINDS.values())):
        return str(auth.name)  # a proper name (UBND phường Ngọc Hải) is not translated
    return KINDS[auth.kind][1] if auth.kind in KINDS else NEUTRAL_EN


def fill(text: str, config: Any | None, lang: str = "vi") -> str:
    """``text`` with ``{authority}`` replaced by the configured authority's name."""
    if "{authority}" not in text:
        return text
    name = authority_name(config, lang) if config is not None else (
        NEUTRAL if lang != "en" else NEUTRAL_EN)
    return text.replace("{authority}", name)
