"""What checks produce and renderers read: frozen findings and results."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    VIOLATION = "violation"  # vi phạm
    WARNING = "warning"  # cảnh báo
    INFO = "info"  # thông tin

    @property
    def rank(self) -> int:
        return {"violation": 3, "warning": 2, "info": 1}[self.value]


class RuleStatus(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NOT_CHECKED = "not_checked"
    WAIVED = "waived"


class FindingStatus(StrEnum):
    OPEN = "open"
    WAIVED = "waived"


def fingerprint(rule: str, subject: str) -> str:
    """Stable id of a finding: rule + subject, independent of wording and order."""
    return hashlib.sha1(f"{rule}|{subject}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Finding:
    """One thing that breaks (or may break) the regulation.

    `subject` names what the finding is about ("month:2026-03",
    "event:EV-12"); the fingerprint is built from it and the rule id only.
    `on` is the day the breach happened; tallies use it to place the finding
    in the period and the school year.
    """

    rule: str
    subject: str
    message: str  # Vietnamese
    message_en: str
    severity: Severity = Severity.VIOLATION
    status: FindingStatus = FindingStatus.OPEN
    department: str | None = None
    person: str | None = None
    on: date | None = None
    url: str | None = None
    post_id: str | None = None
    source: str | None = None  # "export", "site", "calendar", …
    evidence: dict[str, Any] = field(default_factory=dict)
    waiver_reason: str | None = None

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.rule, self.subject)

    @property
    def month(self) -> str | None:
        return f"{self.on.year:04d}-{self.on.month:02d}" if self.on else None

    def text(self, lang: str) -> str:
        return self.message_en if lang == "en" else self.message


@dataclass(frozen=True)
class LegalBasis:
    """Căn cứ: document, article, clause — in Vietnamese."""

    document: str
    article: str
    clause: str | None = None

    def short(self) -> str:
        return f"{self.article}" + (f", {self.clause}" if self.clause else "")

    def full(self) -> str:
        return f"{self.short()} — {self.document}"


@dataclass(frozen=True)
class RuleResult:
    rule: str
    title: str
    title_en: str
    basis: LegalBasis
    status: RuleStatus
    findings: tuple[Finding, ...] = ()
    reason: str | None = None  # why not_checked (Vietnamese)
    reason_en: str | None = None

    def title_in(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title


@dataclass(frozen=True)
class Tally:
    """Violations of one department (tổ chuyên môn) or person (Điều 19.2)."""

    name: str
    violations_in_period: int
    violations_school_year: int
    emulation_deduction: bool


@dataclass(frozen=True)
class SchoolInfo:
    name: str
    url: str | None
    kind: str
    authority: str


@dataclass(frozen=True)
class AuditReport:
    """A whole audit: what every renderer reads, and what the history keeps."""

    tool_version: str
    school: SchoolInfo
    period_start: date
    period_end: date
    as_of: datetime
    generated_at: datetime
    school_year_start: date
    school_year_end: date
    ruleset: str
    results: tuple[RuleResult, ...]
    departments: tuple[Tally, ...]
    persons: tuple[Tally, ...]
    emulation_threshold: int
    notices: tuple[str, ...] = ()  # import warnings and other non-findings (Vietnamese)
    extras: dict[str, Any] = field(default_factory=dict)  # data for report sheets

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for r in self.results for f in r.findings)

    def worst(self, status: FindingStatus = FindingStatus.OPEN) -> Severity | None:
        ranks = [f.severity for f in self.findings if f.status is status]
        return max(ranks, key=lambda s: s.rank) if ranks else None
