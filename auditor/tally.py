"""Tallies per department (tổ chuyên môn) and per person for Điều 19.2.

Three or more violations in a school year mark a department or person for an
emulation-score deduction (trừ điểm thi đua); the threshold is in the rule set.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from auditor.results import DepartmentMonth, Finding, FindingStatus, Severity, Tally
from auditor.timeutil import Period


def in_period(finding: Finding, period: Period) -> bool:
    """Findings about no particular day (site-wide) belong to every period."""
    return finding.on is None or finding.on in period


def breach(f: Finding) -> tuple[str, str]:
    """What counts as one violation: several findings of one rule about the same post
    (its title, its body, its page) are one breach of the regulation, not three."""
    return (f.rule, f"post:{f.post_id}" if f.post_id else f.subject)


def _counts(findings: Iterable[Finding], key: Callable[[Finding], str | None],
            period: Period) -> Counter[str]:
    seen: set[tuple[str, tuple[str, str]]] = set()
    for f in findings:
        name = key(f)
        if name and f.severity is Severity.VIOLATION and f.status is FindingStatus.OPEN \
                and in_period(f, period):
            seen.add((name, breach(f)))
    return Counter(name for name, _ in seen)


def tallies(findings: list[Finding], key: Callable[[Finding], str | None], period: Period,
            school_year: Period, threshold: int, known: Iterable[str] = ()) -> tuple[Tally, ...]:
    in_p = _counts(findings, key, period)
    in_y = _counts(findings, key, school_year)
    names = sorted(set(known) | set(in_p) | set(in_y),
                   key=lambda n: (-in_y[n], -in_p[n], n))
    return tuple(Tally(n, in_p[n], in_y[n], in_y[n] >= threshold) for n in names)


def department_tallies(findings: list[Finding], period: Period, school_year: Period,
                       threshold: int, known: Iterable[str] = ()) -> tuple[Tally, ...]:
    return tallies(findings, lambda f: f.department, period, school_year, threshold, known)


def person_tallies(findings: list[Finding], period: Period, school_year: Period,
                   threshold: int) -> tuple[Tally, ...]:
    return tallies(findings, lambda f: f.person, period, school_year, threshold)


def unassigned_tally(findings: list[Finding], period: Period, school_year: Period,
                     threshold: int) -> Tally | None:
    """Violations whose department is not known, so the Thi đua sheet adds up to page 1."""
    nobody = "(none)"
    [tally] = tallies(findings, lambda f: nobody if f.department is None else None, period,
                      school_year, threshold, known=[nobody])
    return Tally("", tally.violations_in_period, tally.violations_school_year, False) \
        if tally.violations_school_year else None


def department_months(findings: list[Finding], months: Iterable[str]
                      ) -> tuple[DepartmentMonth, ...]:
    """Violations per department (None: not known) per month, for the report's trend."""
    wanted = list(months)
    seen: set[tuple[str | None, str, tuple[str, str]]] = set()
    for f in findings:
        if f.severity is Severity.VIOLATION and f.status is FindingStatus.OPEN \
                and f.month in wanted:
            seen.add((f.department, f.month or "", breach(f)))
    counts = Counter((dept, month) for dept, month, _ in seen)
    names = sorted({d for d, _ in counts}, key=lambda d: (d is None, d or ""))
    return tuple(DepartmentMonth(name, month, counts[(name, month)])
                 for name in names for month in wanted)
