"""Every format reads the same status words: the console, Excel, HTML and CSV say what a
rule's status is with one table (auditor.render.labels)."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from rich.console import Console

from auditor.render.console import render_console
from auditor.render.files import write_reports
from auditor.render.xlsx_layout import load_layout
from auditor.results import RuleStatus
from tests.report_factory import make_report


def _console_statuses(lang: str) -> dict[str, str]:
    """rule id → the status word the console prints on that rule's row."""
    report = make_report()
    buffer = io.StringIO()
    render_console(report, Console(file=buffer, width=400, no_color=True), lang)
    lines = buffer.getvalue().splitlines()
    words = {"vi": ("Đạt", "Không đạt", "Chưa kiểm tra", "Miễn trừ", "Vi phạm", "Được miễn"),
             "en": ("Pass", "Fail", "Not checked", "Waived")}[lang]
    out = {}
    for r in report.results:
        # the title line holds the status column; the rule id is on the next line
        at = next(i for i, line in enumerate(lines) if line.strip().startswith(r.rule)) - 1
        cells = [c.strip() for c in lines[at].split("  ") if c.strip()]
        out[r.rule] = next(c for c in cells if c in words)
    return out


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_console_and_reports_say_the_same_status(lang: str, tmp_path: Path) -> None:
    report = make_report()
    console = _console_statuses(lang)
    assert {r.status for r in report.results} == set(RuleStatus)  # every status is shown
    paths = {p.suffix: p for p in write_reports(report, tmp_path, lang=lang)}
    layout = load_layout().sheets["summary"]
    ws = openpyxl.load_workbook(paths[".xlsx"])[layout.title(lang)]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    heads = [c.heading(lang) for c in layout.columns]
    header = next(i for i, row in enumerate(rows) if row[:len(heads)] == heads)
    rule_col = heads.index(next(c.heading(lang) for c in layout.columns if c.key == "rule"))
    status_col = heads.index(next(c.heading(lang) for c in layout.columns if c.key == "status"))
    in_excel = {row[rule_col]: row[status_col] for row in rows[header + 1:]
                if row[rule_col] in console}
    assert in_excel == console
    page = paths[".html"].read_text(encoding="utf-8")
    for word in set(console.values()):
        assert f">{word}<" in page, word
    if lang == "vi":
        fail = next(r.rule for r in report.results if r.status is RuleStatus.FAIL)
        assert console[fail] == "Không đạt"



@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_batch_roll_up_says_the_same_status(lang: str) -> None:
    from auditor.batch.rollup_labels import rule_status

    console = _console_statuses(lang)
    report = make_report()
    for r in report.results:
        assert rule_status(lang, r.status.value) == console[r.rule]
