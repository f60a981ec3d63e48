"""Multi-run scenario on the demo site (served on 127.0.0.1), with the clock the test sets.

Day 1 (02/11/2026): a clean section, its address reported the same day.
Day 2 (03/11): one item removed (its page deleted), one hidden with CSS, one renamed.
Day 3 (04/11): the items are back; the section moves to a new address.
Day 9 (10/11): the new address reported on day 3 after the move → pass;
               reported on day 6 → violation; never reported → violation.
Then the menu entry disappears → the section is no longer reachable.
Each of the four rules passes in some run and fails in another.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.cli.disclosure import app as disclosure_app
from auditor.cli.history import app as history_app
from auditor.history import HistoryStore, finding_history
from auditor.resources import demo_dir
from tests._demo_runs import (
    SECTION,
    add_item,
    audit_day,
    copy_site,
    drop_menu_entry,
    hide_item,
    item_path,
    move_section,
    remove_item,
    rename_item,
    result,
    statuses,
    unhide_all,
)

OFFICIAL = "https://thcshoaphuong.haiphong.edu.vn"
NEW_SECTION = "/cong-khai-2026/c/2040"
DAY1, DAY2, DAY3, DAY9 = date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 4), date(2026, 11, 10)
runner = CliRunner()


def _post_key(href: str) -> str:
    return "item:post:" + href.rstrip("/").rsplit("/", 1)[-1]


def _report_link(db: Path, url: str, day: date) -> None:
    res = runner.invoke(disclosure_app, [
        "report-link", url, "--date", f"{day:%d/%m/%Y}", "--note", "Công văn gửi Phòng GD&ĐT",
        "--config", str(demo_dir() / "auditor.toml"), "--history", str(db)])
    assert res.exit_code == 0, res.output


def _baseline(root: Path) -> None:
    """The demo as a school that does everything right: nothing hidden, form 12 present."""
    unhide_all(root)
    add_item(root, "Biểu mẫu 11",
             "Công khai đội ngũ nhà giáo, cán bộ quản lý năm học 2026-2027 (Biểu mẫu 12)",
             "/cong-khai/cong-khai-doi-ngu-nam-hoc-2026-2027-bieu-mau-12/ct/1025/19012")


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    base = tmp_path_factory.mktemp("runs")
    db = base / "history.sqlite3"
    clean = copy_site(base / "clean")
    _baseline(clean)
    out: dict[str, object] = {"base": base, "db": db}

    # Day 1: everything in order; the address is reported the same day.
    _report_link(db, OFFICIAL + SECTION, DAY1)
    out["run1"] = audit_day(clean, DAY1, db)

    # Day 2: an item removed, another hidden by CSS, a third renamed.
    day2 = shutil.copytree(clean, base / "day2")
    out["removed"] = remove_item(day2, "Biểu mẫu 11")
    out["hidden"] = hide_item(day2, "Biểu mẫu 09", "visibility: hidden")
    out["renamed"] = rename_item(day2, "tài chính",
                                 "Thông báo số 15/TB-THCS về các khoản thu năm 2026")
    out["run2"] = audit_day(day2, DAY2, db)

    # Day 3: the items are back, the section moves to a new address.
    day3 = shutil.copytree(clean, base / "day3")
    move_section(day3, SECTION, NEW_SECTION)
    out["run3"] = audit_day(day3, DAY3, db)
    out["day3"] = day3
    return out


def test_day1_every_rule_passes(scenario: dict) -> None:
    _, report = scenario["run1"]
    assert statuses(report) == {rule: "pass" for rule in statuses(report)}
    assert len(statuses(report)) == 4
    reach = result(report, "disclosure.reachable")
    assert reach.findings == ()


def test_day2_removed_and_css_hidden_items_are_violations_the_renamed_one_is_not(
        scenario: dict) -> None:
    _, report = scenario["run2"]
    visible = result(report, "disclosure.always-visible")
    assert visible.status.value == "fail"
    by_subject = {f.subject: f for f in visible.findings}
    removed, hidden = _post_key(scenario["removed"]), _post_key(scenario["hidden"])
    assert set(by_subject) == {removed, hidden}  # nothing about the renamed item
    assert by_subject[removed].evidence["reason"] == "http:404"  # confirmed by a second fetch
    assert "lần cuối thấy hiển thị ngày 02/11/2026" in by_subject[removed].message
    assert by_subject[hidden].evidence["reason"] == "css"
    assert by_subject[hidden].evidence["last_seen"] == "2026-11-02"
    # The history gives each new finding its first day and "new".
    assert finding_history(report, by_subject[removed]) == (DAY2, "new")

    required = result(report, "disclosure.required-items")
    assert required.status.value == "fail"
    assert {f.subject for f in required.findings} == {
        "item:bm11-co-so-vat-chat", "item:bm09-cam-ket-chat-luong", "item:tai-chinh"}
    assert all("Thông tư 36/2017/TT-BGDĐT" in f.message for f in required.findings)
    assert result(report, "disclosure.reachable").status.value == "pass"


def test_day3_items_back_and_section_moved(scenario: dict) -> None:
    _, report = scenario["run3"]
    assert result(report, "disclosure.always-visible").status.value == "pass"
    assert result(report, "disclosure.required-items").status.value == "pass"
    assert report.comparison is not None
    fixed = {f.subject for f in report.comparison.fixed}
    assert _post_key(scenario["removed"]) in fixed and "item:tai-chinh" in fixed
    reach = result(report, "disclosure.reachable")
    assert reach.status.value == "pass"
    [warning] = reach.findings
    assert warning.subject == "address:reported" and warning.severity.value == "warning"
    assert OFFICIAL + NEW_SECTION in warning.message
    # The move was seen today: the report is not due before 09/11; the authority's
    # link (the old address) already answers 404, which is worth a warning.
    link = result(report, "disclosure.link-reported")
    assert link.status.value == "pass"
    [old] = link.findings
    assert (old.subject, old.severity.value) == ("reported-address:" + SECTION, "warning")


@pytest.mark.parametrize(("reported_on", "expected"), [
    (date(2026, 11, 7), "pass"),  # day 3 after the move
    (date(2026, 11, 10), "fail"),  # day 6
    (None, "fail"),  # never
])
def test_day9_link_report_deadline(scenario: dict, tmp_path: Path, reported_on: date | None,
                                   expected: str) -> None:
    db = tmp_path / "history.sqlite3"
    shutil.copy(scenario["db"], db)
    if reported_on is not None:
        _report_link(db, OFFICIAL + NEW_SECTION, reported_on)
    _, report = audit_day(scenario["day3"], DAY9, db)
    link = result(report, "disclosure.link-reported")
    assert link.status.value == expected
    if expected == "pass":
        assert link.findings == ()
        assert result(report, "disclosure.reachable").findings == ()
        return
    violation = next(f for f in link.findings if f.severity.value == "violation")
    assert violation.subject == "address:" + NEW_SECTION
    assert violation.evidence["first_seen"] == "2026-11-04"
    assert violation.evidence["due"] == "2026-11-09"
    if reported_on is not None:
        assert "muộn: ngày 10/11/2026" in violation.message
        assert violation.on == reported_on
    else:
        assert "chưa được báo cáo" in violation.message
        # The address last reported (the old one) now answers 404, twice.
        old = next(f for f in link.findings if f.severity.value == "warning")
        assert old.subject == "reported-address:" + SECTION
        assert old.evidence["status"] == 404


def test_menu_entry_gone_makes_the_section_unreachable(scenario: dict, tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    shutil.copy(scenario["db"], db)
    site = shutil.copytree(scenario["day3"], tmp_path / "site")
    drop_menu_entry(site, "Công khai")
    _, report = audit_day(site, DAY9, db)
    reach = result(report, "disclosure.reachable")
    assert reach.status.value == "fail"
    assert [f.subject for f in reach.findings] == ["section:link"]


def test_history_of_the_scenario(scenario: dict) -> None:
    db = scenario["db"]
    with HistoryStore.open(db) as store:
        assert store.integrity() == "ok"
        runs = store.runs(OFFICIAL)
        assert [r.day for r in runs] == [DAY1, DAY2, DAY3]
        states = [store.disclosure_of(r.id) for r in runs]
        assert [s.url for s in states if s] == [OFFICIAL + SECTION, OFFICIAL + SECTION,
                                                OFFICIAL + NEW_SECTION]
        assert len(states[0].items) == 5 if states[0] else False
    res = runner.invoke(history_app, ["--history", str(db), "--all"])
    assert res.exit_code == 0, res.output
    assert "#2  03/11/2026" in res.output
    assert "disclosure.always-visible" in res.output
    assert "mới 2, còn 0, đã khắc phục 0" in res.output
    assert "mới 0, còn 0, đã khắc phục 2" in res.output  # day 3: both fixed


def test_item_path_helper_reads_the_list(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    assert item_path(site, "Biểu mẫu 09").startswith("/cong-khai/")
