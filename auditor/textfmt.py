"""Numbers and dates as a Vietnamese reader writes them."""

from __future__ import annotations

from datetime import date, datetime


def num(value: float, lang: str = "vi") -> str:
    """13.5 → "13,5" in Vietnamese; 38.0 → "38"."""
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "vi" else text


def day(value: date | datetime) -> str:
    return value.strftime("%d/%m/%Y")


def moment(value: datetime) -> str:
    return value.strftime("%H:%M %d/%m/%Y")


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    """English count and noun: "1 post", "2 posts" (Vietnamese nouns do not change)."""
    return f"{n} {noun if n == 1 else nouns or noun + 's'}"
