"""The date fast paths give exactly what the general parser gives.

`fast_when` (24/11/2026 and 24/11/2026 08:15[:30], pieces parsed once) and
RowReader.datetimes' shortcuts (Excel date cells, those texts) must agree with
the regex parser on every style staff type, valid or not; on anything else the
fast path must step aside (None) rather than guess.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from auditor.sources.dates import DateError, _local, _parse_text, fast_when, parse_when
from auditor.sources.rows import RowReader
from auditor.sources.tabular import Table

TZ = ZoneInfo("Asia/Ho_Chi_Minh")

STYLES = [
    "24/11/2026", "4/1/2026", "04/01/2026", "24/11/2026 08:15", "24/11/2026 8:15",
    "24/11/2026 08:15:30", "24/11/2026 23:59:59", "24/11/2026 00:00", "1/1/2026 0:00",
    "24-11-2026", "24-11-2026 08:15", "24.11.2026", "24/11/26", "24/11/26 2:30 CH",
    "24/11/2026T08:15", "24/11/2026  08:15", "24/11/2026 08h15", "24/11/2026 8 giờ",
    "2026-11-24", "2026-11-24 08:15", "2026-11-24T08:15", "2026-11-24T08:15:00+07:00",
    "2026-11-24T01:15:00Z", "46350", "46350.35", "46350,5", "Thứ Hai, 24/11/2026 08:15",
    "08h15 ngày 24/11/2026", "ngày 24 tháng 11 năm 2026", "24/11/2026 08:15 SA",
    # not dates, or not valid ones
    "31/02/2026", "29/02/2026", "29/02/2028", "00/11/2026", "24/13/2026",
    "24/11/2026 24:00", "24/11/2026 08:60", "24/11/2026 08:15:61", "24/11/2026 08:1",
    "24/11/2026 08", "24/11/2026 :15", "24/11/2026 08:15:", "24/11/2026 8:15 ", " 24/11/2026",
    "24/11/2026 ", "24/11/2026 hoặc 25/11", "24/11", "2026", "abc", "24/11/20266",
    "124/11/2026", "24//11/2026", "+4/11/2026", "4/+1/2026 08:15", "24/11/2026 +8:15",
    "٢٤/١١/٢٠٢٦", "24/11/2026 ٠٨:١٥", "²4/11/2026", "24/11/2026\n08:15", "24/11/2026\t08:15",
]


def reference(value: Any) -> tuple[datetime, bool] | None:
    """parse_when as written before the fast path: the regex parser for text."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            naive, has_time = _parse_text.__wrapped__(text)
        except ValueError as exc:
            raise DateError(text) from exc
        return _local(naive, TZ), has_time
    return parse_when(value, TZ)


def outcome(fn: Any, value: Any) -> Any:
    try:
        got = fn(value)
    except DateError:
        return "DateError"
    if got is None:
        return None
    return got[0], got[0].utcoffset(), got[0].tzinfo, got[1]


def _random_texts(n: int) -> list[str]:
    rnd = random.Random(6909)
    out = []
    for _ in range(n):
        d, m = rnd.randrange(0, 35), rnd.randrange(0, 15)
        y = rnd.choice([2024, 2025, 2026, 2028, 26, 999])
        text = f"{d:0{rnd.choice([1, 2])}d}{rnd.choice('/-./')}{m:0{rnd.choice([1, 2])}d}" \
               f"/{y}"
        if rnd.random() < 0.7:
            hh, mm = rnd.randrange(0, 26), rnd.randrange(0, 62)
            text += f"{rnd.choice([' ', ' ', 'T', '  '])}{hh:0{rnd.choice([1, 2])}d}:{mm:02d}"
            if rnd.random() < 0.3:
                text += f":{rnd.randrange(0, 62):02d}"
        out.append(text)
    return out


def _agrees(text: str) -> None:
    want = outcome(reference, text)
    assert outcome(lambda v: parse_when(v, TZ), text) == want, text
    fast = fast_when(text, TZ)
    if fast is not None:  # the fast path may step aside, never differ
        assert outcome(lambda _v: fast, text) == want, text


@pytest.mark.parametrize("text", STYLES)
def test_text_dates_agree_with_the_regex_parser(text: str) -> None:
    _agrees(text)


def test_random_text_dates_agree_with_the_regex_parser() -> None:
    for text in _random_texts(5000):
        _agrees(text)


def test_the_fast_path_takes_the_common_forms() -> None:
    for text in ("24/11/2026", "4/1/2026", "24/11/2026 08:15", "24/11/2026 8:15:30"):
        assert fast_when(text, TZ) is not None
    for text in ("24-11-2026", "2026-11-24", "24/11/2026T08:15", "31/02/2026", "46350"):
        assert fast_when(text, TZ) is None


CELLS: list[Any] = [
    datetime(2026, 11, 24, 8, 15), datetime(2026, 11, 24), datetime(2026, 11, 24, 8, 15, 0, 5),
    datetime(2026, 11, 24, 1, 15, tzinfo=ZoneInfo("UTC")), date(2026, 11, 24),
    46350.35, 46350, 1023, True, time(8, 15), *STYLES[:40],
]


def test_row_reader_dates_agree_with_parse_when() -> None:
    """RowReader.datetimes (with its shortcuts and cache) = parse_when, cell by cell;
    a cell parse_when rejects is left out and warned about."""
    names = [f"c{i}" for i in range(len(CELLS))]
    table = Table("t.csv", {n: i for i, n in enumerate(names)}, names, iter(()))
    reader = RowReader(table, TZ)
    plan = reader.plan(names)
    for _round in range(2):  # the second round reads from the caches
        reader.load(2, CELLS)
        into: dict[str, Any] = {}
        reader.datetimes(plan, into)
        for name, cell in zip(names, CELLS, strict=True):
            want = outcome(reference, cell)
            if want in ("DateError", None):
                assert name not in into, cell
            else:
                got = into[name]
                assert (got, got.utcoffset(), got.tzinfo) == want[:3], cell
    warned = {w.column for w in reader.warnings}
    assert warned == {n for n, c in zip(names, CELLS, strict=True)
                      if outcome(reference, c) == "DateError"}
