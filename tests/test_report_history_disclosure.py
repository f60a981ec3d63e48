"""`auditor report --month` rebuilt from the history shows the Công khai checklist the live
report showed (issue 14.5): the catalogue's form names, Căn cứ and states, not CMS ids."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import openpyxl
import pytest

from auditor.checks.disclosure_catalogue import builtin_catalogues, load_catalogue
from auditor.cli import main
from auditor.history import HistoryStore


def disclosure_sheet(path: Path) -> list[tuple[object, ...]]:
    ws = openpyxl.load_workbook(path)["Công khai"]
    return [tuple(r) for r in ws.iter_rows(min_row=3, values_only=True)]


def test_report_from_history_lists_the_same_checklist_as_the_live_report(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    db, rebuilt = tmp_path / "h.sqlite3", tmp_path / "rebuilt.xlsx"
    pinned = ("--demo", "--month", "2026-10", "--as-of", "2026-11-26", "--history", str(db))
    out = tmp_path / "live"
    assert main(["check", *pinned, "--report-dir", str(out)]) == 1  # the demo has violations
    [live] = out.glob("*.xlsx")
    capsys.readouterr()
    assert main(["report", *pinned, "--xlsx", str(rebuilt)]) == 0
    assert "Nguồn: lịch sử" in capsys.readouterr().out  # rebuilt, not audited again

    shown, kept = disclosure_sheet(live), disclosure_sheet(rebuilt)
    assert kept == shown
    # The rows are the catalogue's required forms, by form name, with their Căn cứ.
    forms = {(i.id, i.title) for ref in builtin_catalogues() for i in load_catalogue(ref).items}
    assert kept and all((row[1], row[2]) in forms for row in kept)
    assert all(row[3] for row in kept)  # Căn cứ in every row
    states = {row[1]: row[4] for row in kept}
    assert states["bm12-doi-ngu"] == "Thiếu"  # a missing form is listed as missing
    assert states["bm10-chat-luong-thuc-te"] == "Bị ẩn"
    assert states["bm09-cam-ket-chat-luong"] == "Có"


def test_a_run_recorded_before_the_checklist_was_kept_falls_back_to_the_items(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    db, rebuilt = tmp_path / "h.sqlite3", tmp_path / "rebuilt.xlsx"
    pinned = ("--demo", "--month", "2026-10", "--as-of", "2026-11-26", "--history", str(db))
    assert main(["check", *pinned]) == 1
    # As a file written before m005 holds it: no stored checklist rows.
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE run_statistics SET disclosure = NULL")
    with HistoryStore.open(db) as store:
        [run] = store.runs()
        assert "disclosure" not in store.statistics(run.id)
    capsys.readouterr()
    assert main(["report", *pinned, "--xlsx", str(rebuilt)]) == 0
    kept = disclosure_sheet(rebuilt)
    # The section's items as the run saw them (CMS ids), not an empty sheet.
    assert kept and all(str(row[1]).isdigit() for row in kept if row[1])
