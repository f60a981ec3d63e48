"""disclosure.link-reported reading an inspector's registry file instead of report-link."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

from openpyxl import Workbook

from auditor.engine import run_rule
from auditor.history import json_fields
from auditor.results import FindingChange, HistoryComparison
from tests._history_support import finding, report
from tests.test_rule_cases import context_for

SCHOOL = "https://thcsthunghiem.haiphong.edu.vn"
MOVED = {
    "as_of": date(2026, 11, 26),
    "disclosure_site": {"section": "/cong-khai-moi/c/2040",
                        "nav": [{"title": "Công khai", "url": "/cong-khai-moi/c/2040"}]},
    "history": {"runs": [{"as_of": date(2026, 11, 1), "section": "/cong-khai/c/1025"},
                         {"as_of": date(2026, 11, 2), "section": "/cong-khai-moi/c/2040"}]},
}


def _registry(path: Path, reported: str) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["Trường", "Địa chỉ trang", "Địa chỉ Công khai", "Ngày báo cáo"])
    sheet.append(["Trường THCS Thử Nghiệm", SCHOOL + "/", SCHOOL + "/cong-khai-moi/c/2040",
                  reported])
    sheet.append(["Trường THCS Khác", "https://thcskhac.haiphong.edu.vn",
                  "https://thcskhac.haiphong.edu.vn/ck", "01/11/2026"])
    book.save(path)
    return path


def _run(tmp_path: Path, reported: str):  # type: ignore[no-untyped-def]
    registry = _registry(tmp_path / "so-theo-doi.xlsx", reported)
    case = {**MOVED, "config": {"disclosure": {"registry": str(registry)}}}
    ctx = context_for("disclosure.link-reported", case, tmp_path)
    return run_rule(ctx.ruleset.rules["disclosure.link-reported"], ctx)


def test_registry_report_within_five_days_passes(tmp_path: Path) -> None:
    assert _run(tmp_path, "05/11/2026").status.value == "pass"


def test_registry_report_on_day_six_is_late(tmp_path: Path) -> None:
    result = _run(tmp_path, "08/11/2026")
    assert result.status.value == "fail"
    [late] = result.findings
    assert late.evidence["reported_on"] == "2026-11-08"
    assert late.evidence["reports"][0]["source"] == "registry:so-theo-doi.xlsx:2"


def test_registry_is_read_without_a_history(tmp_path: Path) -> None:
    registry = tmp_path / "so.csv"
    registry.write_text("Trường,Địa chỉ trang,Địa chỉ Công khai,Ngày báo cáo\n"
                        f"Thử Nghiệm,{SCHOOL},{SCHOOL}/cong-khai/c/1025,01/09/2026\n",
                        encoding="utf-8")
    case = {"as_of": date(2026, 11, 26), "disclosure_site": MOVED["disclosure_site"],
            "config": {"disclosure": {"registry": str(registry)}}}
    ctx = context_for("disclosure.link-reported", case, tmp_path)
    assert ctx.history is None
    result = run_rule(ctx.ruleset.rules["disclosure.link-reported"], ctx)
    # No history: the move is first seen today, so nothing is due yet; but the address
    # the registry says the authority has is not the menu's, and it does not answer.
    assert result.status.value == "pass"
    [warning] = result.findings
    assert warning.subject == "reported-address:/cong-khai/c/1025"
    assert warning.severity.value == "warning"


def test_json_fields_of_an_annotated_report() -> None:
    f = finding("a.rule", "x")
    plain = report(date(2026, 11, 2), [f])
    assert json_fields(plain, f) == {"first_seen": None, "change": None}
    annotated = dataclasses.replace(plain, comparison=HistoryComparison(
        None, {f.fingerprint: FindingChange(date(2026, 10, 5), "open")}))
    assert json_fields(annotated, f) == {"first_seen": "2026-10-05", "change": "open"}
