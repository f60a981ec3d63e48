"""Builders shared by the history and disclosure tests."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from auditor.results import (
    AuditReport,
    Finding,
    LegalBasis,
    RuleResult,
    RuleStatus,
    SchoolInfo,
)

VN = timezone(timedelta(hours=7))
SCHOOL_URL = "https://thcshoaphuong.haiphong.edu.vn"
BASIS = LegalBasis("Quy chế kèm QĐ 111/QĐ-THCS", "Điều 16", "khoản 3")


def finding(rule: str, subject: str, message: str = "Vi phạm.") -> Finding:
    return Finding(rule=rule, subject=subject, message=message, message_en="Violation.")


def report(day: date, findings: list[Finding], *, not_checked: tuple[str, ...] = (),
           passed: tuple[str, ...] = (), school_url: str = SCHOOL_URL,
           name: str = "Trường THCS Hoa Phượng") -> AuditReport:
    as_of = datetime(day.year, day.month, day.day, 8, 0, tzinfo=VN)
    rules: dict[str, list[Finding]] = {}
    for f in findings:
        rules.setdefault(f.rule, []).append(f)
    results = [
        RuleResult(rule=r, title=r, title_en=r, basis=BASIS,
                   status=RuleStatus.FAIL, findings=tuple(fs))
        for r, fs in rules.items()
    ] + [
        RuleResult(rule=r, title=r, title_en=r, basis=BASIS, status=RuleStatus.PASS)
        for r in passed  # checked and clean: what a run records for a rule with no finding
    ] + [
        RuleResult(rule=r, title=r, title_en=r, basis=BASIS, status=RuleStatus.NOT_CHECKED,
                   reason="Không truy cập được trang.")
        for r in not_checked
    ]
    return AuditReport(
        tool_version="0.1.0",
        school=SchoolInfo(name=name, url=school_url, kind="THCS", authority="Phòng GD&ĐT"),
        period_start=day.replace(day=1), period_end=day, as_of=as_of, generated_at=as_of,
        school_year_start=date(2026, 8, 1), school_year_end=date(2027, 7, 31),
        ruleset="qd111-thcs", results=tuple(results), departments=(), persons=(),
        emulation_threshold=3,
    )
