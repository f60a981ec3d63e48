"""What checks produce and renderers read: frozen findings and results."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
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
    sheet: str | None = None  # the report sheet that details its findings (Check.report_sheet)

    def title_in(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title


# --- the data behind the report's sheets (statistics, not verdicts) ----------------

@dataclass(frozen=True)
class MonthlyStat:
    """Posts and proposals of one calendar month against their quotas (Điều 16.3).

    A count is None when the rule that counts it did not run; the forecast is the
    expected count at the month's end, for the month in progress only."""

    month: str  # YYYY-MM
    in_progress: bool = False
    posts: int | None = None
    min_posts: int | None = None
    posts_forecast: float | None = None
    proposals: int | None = None
    min_proposals: int | None = None
    proposals_forecast: float | None = None


@dataclass(frozen=True)
class EventRow:
    """One event that needed a post (Điều 16.4), with the post found for it."""

    event_id: str
    title: str
    organiser: str  # "school" | "authority" | free text
    kind: str  # "event" | "chuyen_de"
    department: str | None
    person: str | None
    start: datetime | None
    end: datetime | None
    deadline: datetime
    status: str  # "on_time" | "late" | "missing" | "pending" | "unconfirmed"
    post_id: str | None = None
    post_title: str | None = None
    post_url: str | None = None
    published_at: datetime | None = None
    delay_hours: float | None = None
    matched_by: str | None = None


@dataclass(frozen=True)
class DisclosureRow:
    """One item of the Công khai section as this run saw it."""

    item: str  # catalogue id or CMS id
    title: str
    status: str  # "present" | "missing" | "hidden" | "broken" | "outdated" | "not_checked"
    clause: str | None = None  # Căn cứ
    url: str | None = None
    last_seen: datetime | None = None  # when the item was last actually seen


@dataclass(frozen=True)
class Tally:
    """Violations of one department (tổ chuyên môn) or person (Điều 19.2)."""

    name: str
    violations_in_period: int
    violations_school_year: int
    emulation_deduction: bool


@dataclass(frozen=True)
class DepartmentMonth:
    """Violations of one department (None: no department known) in one month."""

    department: str | None
    month: str  # YYYY-MM
    violations: int


@dataclass(frozen=True)
class Section:
    """A report section any check may add (a plugin's own table): a title, column headers
    and rows of text. Every format shows it — the console and the HTML as a table, the
    JSON under "sections", the Excel workbook as a sheet of its own — with no renderer
    to edit. `key` names it in the JSON and must be unique in one report."""

    key: str
    title: str  # Vietnamese
    title_en: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    columns_en: tuple[str, ...] = ()  # empty: the Vietnamese headers

    def title_in(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title

    def columns_in(self, lang: str) -> tuple[str, ...]:
        return self.columns_en if lang == "en" and self.columns_en else self.columns


@dataclass(frozen=True)
class ReportSections:
    """The statistics the report sheets show; a section is None when nothing produced it."""

    monthly: tuple[MonthlyStat, ...] | None = None
    events: tuple[EventRow, ...] | None = None
    disclosure: tuple[DisclosureRow, ...] | None = None
    # From the school year's start to the period's end (the trend).
    departments_by_month: tuple[DepartmentMonth, ...] = ()
    # Violations with no department: the Thi đua sheet's last row.
    unassigned: Tally | None = None
    # Sections added by checks (SectionsBuilder.add), in the order the rules ran.
    custom: tuple[Section, ...] = ()


@dataclass
class SectionsBuilder:
    """Where checks put report statistics while they run (one per audit)."""

    monthly: dict[str, MonthlyStat] = field(default_factory=dict)
    events: list[EventRow] | None = None
    disclosure: list[DisclosureRow] | None = None
    custom: list[Section] = field(default_factory=list)

    def add(self, section: Section) -> None:
        """Add a section of the check's own to every report format."""
        if any(s.key == section.key for s in self.custom):
            raise ValueError(f"report section '{section.key}' added twice")
        width = len(section.columns)
        if section.columns_en and len(section.columns_en) != width or any(
                len(row) != width for row in section.rows):
            raise ValueError(f"report section '{section.key}': every row needs "
                             f"{width} cells, one per column")
        self.custom.append(section)

    def month(self, month: str, in_progress: bool, **values: Any) -> None:
        """Add counts to one month's statistics (posts and proposals come from two rules)."""
        row = self.monthly.get(month) or MonthlyStat(month, in_progress)
        self.monthly[month] = dataclasses.replace(row, **values)

    def disclosure_row(self, row: DisclosureRow) -> None:
        if self.disclosure is None:
            self.disclosure = []
        self.disclosure.append(row)

    def begin_events(self) -> None:
        if self.events is None:
            self.events = []

    def event(self, row: EventRow) -> None:
        self.begin_events()
        assert self.events is not None
        self.events.append(row)


@dataclass(frozen=True)
class SchoolInfo:
    name: str
    url: str | None
    kind: str
    authority: str


# --- what the report carries besides the rules' results ----------------------------

@dataclass(frozen=True, slots=True)
class FindingChange:
    """How one finding of this run compares with the school's earlier runs."""

    first_seen: date
    change: str  # "new" | "open"


@dataclass(frozen=True, slots=True)
class FixedFinding:
    """A finding an earlier run had and this run, covering its rule and day, did not."""

    fingerprint: str
    rule: str
    subject: str
    message: str
    message_en: str
    first_seen: date
    last_seen: date

    def to_json(self) -> dict[str, str]:
        """As the JSON report's "fixed" list shows it (DESIGN.md)."""
        return {"fingerprint": self.fingerprint, "rule": self.rule, "subject": self.subject,
                "message": self.message, "message_en": self.message_en,
                "first_seen": self.first_seen.isoformat(),
                "last_seen": self.last_seen.isoformat(), "change": "fixed"}


@dataclass(frozen=True, slots=True)
class PreviousRun:
    id: int
    as_of: datetime


@dataclass(frozen=True, slots=True)
class HistoryComparison:
    """This run against the history (auditor.history.compare.annotate)."""

    previous_run: PreviousRun | None  # None: the first run the history holds
    findings: Mapping[str, FindingChange]  # by fingerprint
    fixed: tuple[FixedFinding, ...] = ()

    def change_of(self, finding: Finding) -> FindingChange | None:
        return self.findings.get(finding.fingerprint)

    def new_count(self, findings: tuple[Finding, ...]) -> int:
        """Open findings among `findings` that no earlier run had."""
        return sum(1 for f in findings if f.status is FindingStatus.OPEN
                   and (c := self.findings.get(f.fingerprint)) is not None and c.change == "new")


@dataclass(frozen=True, slots=True)
class Signatories:
    """Who signs the printed report (Người lập biểu, Hiệu trưởng) and where."""

    preparer: str | None = None
    principal: str | None = None
    place: str | None = None


@dataclass(frozen=True, slots=True)
class Coverage:
    """How much of the crawled site the profile could read (JSON "coverage.site")."""

    pages_like_posts: int
    posts_read: int
    posts_dated: int
    date_ratio: float | None  # posts dated / pages like posts, rounded to 4 places
    fields: tuple[tuple[str, int], ...]  # (field name, posts that gave it)

    def to_json(self) -> dict[str, object]:
        return {"pages_like_posts": self.pages_like_posts, "posts_read": self.posts_read,
                "posts_dated": self.posts_dated, "date_ratio": self.date_ratio,
                "fields": dict(self.fields)}


@dataclass(frozen=True, slots=True)
class Gap:
    """A source that failed (or a run not recorded): the audit is incomplete (exit 3)."""

    source: str  # "posts", "events", "site" or "history"
    reason: str  # Vietnamese
    reason_en: str


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
    sections: ReportSections = ReportSections()  # data for report sheets
    comparison: HistoryComparison | None = None  # with the history, when one is open
    signature: Signatories | None = None
    coverage: Coverage | None = None  # of the crawl, when the site was read
    incomplete: tuple[Gap, ...] = ()  # sources that failed

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for r in self.results for f in r.findings)

    def worst(self, status: FindingStatus = FindingStatus.OPEN) -> Severity | None:
        ranks = [f.severity for f in self.findings if f.status is status]
        return max(ranks, key=lambda s: s.rank) if ranks else None
