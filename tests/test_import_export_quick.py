"""The export's one-pass row reader (export_quick) gives exactly what the
cell-by-cell reader gives: the same posts, field by field and in field order, the
same provenance and the same warnings, on every fixture export and on generated
rows full of the cells that need a warning."""

from __future__ import annotations

import csv
import random
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from auditor.errors import AuditorError
from auditor.model import Post, Provenance
from auditor.sources import export_quick
from auditor.sources.dates import DayTimeTexts, fast_when
from auditor.sources.export import load_export

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(p for ext in ("csv", "xlsx", "json", "txt", "tsv")
               for p in ROOT.glob(f"fixtures/**/*.{ext}") if "event" not in p.name)


def _load(path: Path, monkeypatch: pytest.MonkeyPatch, *, quick: bool) -> Any:
    with monkeypatch.context() as m:
        if not quick:
            m.setattr(export_quick.QuickRows, "post", lambda self, number, cells: None)
        try:
            data = load_export(path, tz=TZ)
        except AuditorError as exc:
            return (type(exc).__name__, str(exc))
    return ([(p, p.provenance, list(vars(p)), list(vars(p.provenance))) for p in data.posts],
            [(w.label(), w.message_en) for w in data.warnings])


def test_the_model_has_no_post_init() -> None:
    """The quick path fills Post and Provenance without their __init__."""
    assert not hasattr(Post, "__post_init__")
    assert not hasattr(Provenance, "__post_init__")


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT / "fixtures")))
def test_fixtures_read_the_same(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _load(path, monkeypatch, quick=True) == _load(path, monkeypatch, quick=False)


HEADER = ["Mã", "Tiêu đề", "Trạng thái", "Ngày tạo", "Ngày đăng", "Tổ", "Người duyệt",
          "Đề xuất PGD", "Mã sự kiện", "Nội dung"]
ODD: dict[int, list[Any]] = {  # column → its plain value first, then odd ones
    0: ["7", "", " ", "1", 12.0, None, "x" * 100_001],
    1: ["Tin", "", "  ", " Tin có khoảng trắng ", 3.5, None],
    2: ["Đã đăng", "đã đăng", "Nháp", "Chờ duyệt", "", " ", "lạ", "Đã gỡ", 1, None],
    3: ["24/11/2026 08:15", "24/11/2026", "31/02/2026", "24-11-2026", "abc", "",
        "24/11/2026 8:15:30", "24/11/2026 24:00", " 24/11/2026", 46350.5, None,
        datetime(2026, 11, 24, 8, 15)],
    4: ["24/11/2026 08:15", "", "2026-11-24T08:15", "25/11/2026", "hôm qua", None,
        datetime(2026, 11, 24), datetime(2026, 11, 24, 1, 0, tzinfo=ZoneInfo("UTC"))],
    5: ["Tổ Toán", " Tổ Toán ", "", None, 4.0],
    6: ["Vũ Thu Hà", "", None],
    7: ["x", "", "có", "không", "?", "1", 1, 0, 2, None, True],
    8: ["ev-1", "", None],
    9: ["Nội dung", "", "y" * 100_001, None],
}


def _rows(rnd: random.Random, n: int, *, cells: bool) -> list[list[Any]]:
    rows = []
    for i in range(n):
        row = [rnd.choice(ODD[c]) if rnd.random() < 0.3 else ODD[c][0] for c in range(10)]
        if rnd.random() < 0.8:
            row[0] = str(i % (n - 5))  # a few duplicates
        if not cells:
            row = ["" if v is None else v.strftime("%d/%m/%Y %H:%M")
                   if isinstance(v, datetime) else str(v) for v in row]
        cut = rnd.random()
        if cut < 0.05:
            row = row[: rnd.randrange(1, 10)]
        elif cut < 0.1:
            row = [*row, rnd.choice(["", "thừa"])]
        rows.append(row)
    return rows


@pytest.mark.parametrize("seed", range(4))
def test_generated_csv_reads_the_same(seed: int, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "posts.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([HEADER, *_rows(random.Random(seed), 300, cells=False)])
    got = _load(path, monkeypatch, quick=True)
    assert got == _load(path, monkeypatch, quick=False)
    assert len(got[0]) > 100 and len(got[1]) > 20  # both kinds of row were there


@pytest.mark.parametrize("seed", range(2))
def test_generated_xlsx_reads_the_same(seed: int, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "posts.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in _rows(random.Random(100 + seed), 200, cells=True):
        ws.append([v.replace(tzinfo=None) if isinstance(v, datetime) else v
                   if not isinstance(v, str) or len(v) < 32_000 else v[:32_000]
                   for v in row])
    wb.save(path)
    got = _load(path, monkeypatch, quick=True)
    assert got == _load(path, monkeypatch, quick=False)
    assert len(got[0]) > 50 and len(got[1]) > 10


def test_day_time_texts_agree_with_fast_when() -> None:
    when = DayTimeTexts(TZ)
    rnd = random.Random(11)
    texts = ["24/11/2026", "24/11/2026 08:15", "24/11/2026 8:15:30", "31/02/2026",
             "24/11/2026 24:00", "24/11/2026 ", "24/11/2026  08:15", "24-11-2026", ""]
    texts += [f"{rnd.randrange(0, 33)}/{rnd.randrange(0, 14)}/2026 "
              f"{rnd.randrange(0, 26)}:{rnd.randrange(0, 62):02d}" for _ in range(3000)]
    for _round in range(2):  # the second round reads from the caches
        for text in texts:
            fast = fast_when(text, TZ)
            got = when.read(text)
            assert (got, None if got is None else (got.tzinfo, got.fold)) == \
                ((None, None) if fast is None else (fast[0], (fast[0].tzinfo, 0))), text
