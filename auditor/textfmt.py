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
