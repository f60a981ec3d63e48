"""Tallies for Điều 19.2: what counts as one violation, and the threshold."""

from __future__ import annotations

from datetime import date

from auditor.results import Finding, FindingStatus, Severity
from auditor.tally import department_tallies, person_tallies
from auditor.timeutil import Period

YEAR = Period(date(2026, 8, 1), date(2027, 7, 31))
OCT = Period(date(2026, 10, 1), date(2026, 10, 31))


def f(rule: str, subject: str, on: date, *, post: str | None = None,
      sev: Severity = Severity.VIOLATION, status: FindingStatus = FindingStatus.OPEN,
      dept: str = "Tổ Ngữ văn", person: str = "Hoàng Thị Mai") -> Finding:
    return Finding(rule=rule, subject=subject, message="m", message_en="m", severity=sev,
                   status=status, department=dept, person=person, on=on, post_id=post)


def test_three_findings_about_one_post_are_one_violation() -> None:
    findings = [f("text.tcvn6909", f"post:7:{field}", date(2026, 10, 3), post="7")
                for field in ("title", "body", "page")]
    (tally,) = department_tallies(findings, OCT, YEAR, 3)
    assert (tally.violations_in_period, tally.violations_school_year) == (1, 1)
    assert not tally.emulation_deduction


def test_three_breaches_in_the_year_mark_the_deduction() -> None:
    findings = [
        f("posts.event-deadline", "event:E1", date(2026, 9, 14)),
        f("posts.event-deadline", "event:E2", date(2026, 10, 18)),
        f("text.tcvn6909", "post:7:title", date(2026, 10, 3), post="7"),
        f("text.tcvn6909", "post:7:body", date(2026, 10, 3), post="7"),
        f("text.tcvn6909", "post:8:body", date(2026, 11, 3), post="8", sev=Severity.WARNING),
        f("posts.event-deadline", "event:E3", date(2026, 10, 20), status=FindingStatus.WAIVED),
        f("posts.event-deadline", "event:E0", date(2026, 5, 20)),  # last school year
    ]
    (tally,) = department_tallies(findings, OCT, YEAR, 3)
    assert (tally.violations_in_period, tally.violations_school_year) == (2, 3)
    assert tally.emulation_deduction
    (person,) = person_tallies(findings, OCT, YEAR, 3)
    assert person.name == "Hoàng Thị Mai" and person.emulation_deduction


def test_known_departments_without_findings_are_listed_with_zero() -> None:
    tallies = department_tallies([], OCT, YEAR, 3, known=["Tổ Văn phòng"])
    assert [(t.name, t.violations_school_year) for t in tallies] == [("Tổ Văn phòng", 0)]
