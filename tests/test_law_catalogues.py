"""The law as it stands in 2026 (issue 12): working days over Tết, the catalogue in
force for the school year audited, and the unverified marks `rules explain` shows."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from auditor.checks.disclosure_catalogue import catalogue_for, load_catalogue
from auditor.cli import main
from auditor.config import parse_config
from auditor.errors import ConfigError
from auditor.workdays import WorkCalendar

CHANGE = date(2026, 2, 12)  # a Thursday; Tết Bính Ngọ: 16–20/02/2026 (Monday–Friday)


def test_tet_days_are_not_working_days() -> None:
    cal = WorkCalendar()
    assert [cal.is_working_day(CHANGE + timedelta(days=n)) for n in range(1, 12)] == [
        True,  # Fri 13/02
        False, False,  # the weekend
        False, False, False, False, False,  # Tết, Mon 16 – Fri 20/02 (holidays package)
        False, False,  # the weekend
        True,  # Mon 23/02
    ]
    assert cal.holiday_name(date(2026, 2, 17)) is not None


def test_nine_working_days_over_tet_are_twenty_calendar_days() -> None:
    cal = WorkCalendar()
    published = date(2026, 3, 4)
    assert cal.between(CHANGE, published) == 9
    assert (published - CHANGE).days == 20  # "10 days" read as calendar days: late
    assert cal.add(CHANGE, 10) == date(2026, 3, 5)  # the real deadline
    assert CHANGE + timedelta(days=10) == date(2026, 2, 22)  # the wrong, calendar one


def test_extra_days_off_and_days_worked_from_the_configuration(tmp_path: Path) -> None:
    config = parse_config({"school": {"name": "X"},
                           "workdays": {"days_off": [date(2026, 3, 2)],
                                        "days_worked": [date(2026, 2, 14)]}}, "t", tmp_path)
    cal = WorkCalendar.of(config)
    assert not cal.is_working_day(date(2026, 3, 2))  # a Monday given off
    assert cal.is_working_day(date(2026, 2, 14))  # a Saturday worked
    assert cal.add(CHANGE, 10) == date(2026, 3, 5)  # one more, one less: the same day
    assert WorkCalendar().add(CHANGE, 11) == date(2026, 3, 6)


def test_the_catalogue_follows_the_school_year() -> None:
    assert catalogue_for("auto", 2024).name == "tt09-2024"  # in force 19/7/2024
    assert catalogue_for("auto", 2026).name == "tt09-2024"
    assert catalogue_for("auto", 2023).name == "tt36-2017"
    assert catalogue_for("tt36-2017", 2026).name == "tt36-2017"  # the school's own choice


def test_tt09_clauses_for_a_lower_secondary_school() -> None:
    items = {i.id: i for i in load_catalogue("tt09-2024").items if i.applies_to("THCS")}
    assert items["doi-ngu"].clause == "Điều 8, khoản 1"
    assert items["co-so-vat-chat"].clause == "Điều 8, khoản 2"
    assert items["kiem-dinh"].clause == "Điều 8, khoản 3"
    assert items["ke-hoach-nam-hoc"].clause.startswith("Điều 9")
    assert items["ket-qua-nam-hoc-truoc"].clause.startswith("Điều 9")
    assert "Điều 14" in items["bao-cao-thuong-nien"].clause
    assert "Điều 15, khoản 1, điểm b" in items["bao-cao-thuong-nien"].clause
    assert items["tai-chinh"].covers == "fiscal_year_ended"
    assert items["bao-cao-thuong-nien"].covers == "preceding_year"
    assert not any(i.clause.startswith(("Điều 6", "Điều 7")) for i in items.values())
    assert items["thuc-don-tuan"].only_if == "meals"
    assert not items["tai-chinh"].verified and items["tai-chinh"].note


def test_rules_explain_shows_the_catalogue_and_the_unverified_mark(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "explain", "disclosure.required-items"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "co-so-vat-chat: Cơ sở vật chất và tài liệu học tập sử dụng chung — Điều 8, khoản 2;" \
        in out
    assert "tai-chinh: Công khai thu, chi tài chính — Điều 5; thời điểm: Điều 15, khoản 1, " \
        "điểm a [chưa xác minh]" in out
    assert "năm tài chính vừa kết thúc" in out
    assert "(đến năm học 2023-2024)" in out and "(từ năm học 2024-2025)" in out


def test_a_bad_condition_in_a_catalogue_is_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "cat.toml"
    path.write_text('[catalogue]\ndocument = "X"\n[[items]]\nid = "a"\ntitle = "A"\n'
                    'kinds = ["THCS"]\npatterns = ["a"]\nclause = "Điều 1"\ncovers = "week"\n'
                    'due = "06-30"\nonly_if = "boarding"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_catalogue(str(path))
    assert "only_if = 'boarding'" in str(err.value)
