"""The report as rows and labels, shared by the Excel, HTML and CSV renderers.

Nothing here decides whether the school complies: verdicts come from the
checks (`RuleResult.status`, findings). This module only turns the frozen
:class:`~auditor.results.AuditReport` and its typed statistics into
labelled rows, in Vietnamese (or English), with a *tone* per status cell —
``fail`` (red), ``warn`` (amber), ``pass`` (green) or ``none`` — so that every
renderer colours the same things the same way.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any
from urllib.parse import urlsplit

from auditor.render.evidence import evidence_sentence
from auditor.render.labels import RULE_STATUS, Tone
from auditor.render.labels import SEVERITY_LABELS as SEVERITY
from auditor.results import (
    AuditReport,
    EventRow,
    Finding,
    FindingChange,
    FindingStatus,
    FixedFinding,
    RuleResult,
    RuleStatus,
    Severity,
    Signatories,
    Tally,
)
from auditor.timeutil import DEFAULT_TZ, month_bounds, tz

ENCODING_SHEET = "encoding"  # Check.report_sheet of the rules the Mã hóa sheet details


@dataclass(frozen=True)
class Label:
    """A status shown to a reader: its words and its colour."""

    text: str
    tone: Tone

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Link:
    """A web address shown as a hyperlink (only http/https ever becomes one)."""

    url: str
    text: str

    def __str__(self) -> str:
        return self.text


def _pick(lang: str, vi: str, en: str) -> str:
    return en if lang == "en" else vi


# (vi, en, tone) for every status a sheet can show.
FINDING_STATUS: dict[str, tuple[str, str, Tone]] = {
    FindingStatus.OPEN: ("Chưa khắc phục", "Open", "none"),
    FindingStatus.WAIVED: ("Miễn trừ", "Waived", "none"),
    # With the history (AuditReport.comparison): how an open finding compares with the last run.
    "new": ("Mới phát hiện", "New", "none"),
    "open": ("Còn tồn tại", "Still open", "none"),
}
EVENT_STATUS: dict[str, tuple[str, str, Tone]] = {
    "on_time": ("Đúng hạn", "On time", "pass"),
    "late": ("Đưa tin chậm", "Late", "fail"),
    "missing": ("Chưa đưa tin", "Missing", "fail"),
    "pending": ("Chưa đến hạn", "Not yet due", "warn"),
    "unconfirmed": ("Cần xác nhận", "To confirm", "warn"),  # a title that only resembles
}
DISCLOSURE_STATUS: dict[str, tuple[str, str, Tone]] = {
    "present": ("Có", "Present", "pass"),
    "ok": ("Có", "Present", "pass"),
    "pass": ("Đạt", "Pass", "pass"),
    "missing": ("Thiếu", "Missing", "fail"),
    "hidden": ("Bị ẩn", "Hidden", "fail"),
    "removed": ("Bị gỡ", "Removed", "fail"),
    "broken": ("Lỗi 404", "Broken (404)", "fail"),
    "fail": ("Không đạt", "Fail", "fail"),
    "outdated": ("Quá hạn", "Out of date", "warn"),
    "stale": ("Quá hạn", "Out of date", "warn"),
    "not_checked": ("Chưa kiểm tra", "Not checked", "warn"),
}
QUOTA_STATUS: dict[str, tuple[str, str, Tone]] = {
    "enough": ("Đủ", "Enough", "pass"),
    "short": ("Thiếu", "Short", "fail"),
    "running": ("Chưa hết tháng", "Month in progress", "warn"),
}
DEDUCTION: dict[str, tuple[str, str, Tone]] = {
    "yes": ("Xem xét trừ điểm", "Deduction", "fail"),
    "near": ("Sắp đến ngưỡng", "Near the threshold", "warn"),
    "no": ("Không", "No", "pass"),
    "none": ("—", "—", "none"),
}
EVENT_KIND = {"event": ("Hoạt động, sự kiện", "Event"), "chuyen_de": ("Chuyên đề", "Topic")}


def label(table: Mapping[str, tuple[str, str, Tone]], key: str | None, lang: str) -> Label:
    if key is not None and key in table:
        vi, en, tone = table[key]
        return Label(_pick(lang, vi, en), tone)
    return Label(key or "", "none")


def labels_by_tone(table: Mapping[str, tuple[str, str, Tone]], lang: str) -> dict[Tone, list[str]]:
    """Every label text of a status table grouped by tone (for Excel's conditional fills)."""
    out: dict[Tone, list[str]] = {}
    for vi, en, tone in table.values():
        text = _pick(lang, vi, en)
        if text not in out.setdefault(tone, []):
            out[tone].append(text)
    return out


# --- small formatting helpers -------------------------------------------------

def safe_url(url: object) -> str | None:
    """The address if a reader may safely follow it: http(s) only, no spaces or controls."""
    if not isinstance(url, str) or len(url) > 2000:
        return None
    url = url.strip()
    if re.search(r"[\s\x00-\x1f\x7f\"<>\\]", url):
        return None
    parts = urlsplit(url)
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def link(url: object, text: object = None) -> Link | str | None:
    """A Link for a safe address; the raw text for anything else (shown, never followed)."""
    if url is None or url == "":
        return None
    good = safe_url(url)
    shown = str(text) if text else str(url)
    return Link(good, shown) if good else shown


def local(value: datetime | date | None, zone: tzinfo) -> datetime | date | None:
    """Wall-clock time in the school's zone, without tzinfo (Excel has no zones)."""
    if value is None or not isinstance(value, datetime):
        return value  # a plain day stays a day
    if value.tzinfo is not None:
        value = value.astimezone(zone)
    return value.replace(tzinfo=None)


def vn_date(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def vn_datetime(value: datetime) -> str:
    return f"{vn_date(value)} {value.hour:02d}:{value.minute:02d}"


def period_text(start: date, end: date, lang: str = "vi") -> str:
    return _pick(lang, f"từ ngày {vn_date(start)} đến ngày {vn_date(end)}",
                 f"from {vn_date(start)} to {vn_date(end)}")


MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")


def signature_date(day: date, place: str | None, lang: str = "vi") -> str:
    """The place-and-date line of a Vietnamese administrative document (or its English)."""
    where = place.strip() if place and place.strip() else "……………"
    if lang == "en":
        return f"{where}, {day.day} {MONTHS_EN[day.month - 1]} {day.year:04d}"
    return f"{where}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year:04d}"


def to_ascii(text: str) -> str:
    """ASCII-fold Vietnamese: 'Trường THCS Hoa Phượng' → 'Truong THCS Hoa Phuong'."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).encode(
        "ascii", "ignore").decode()


def slug(text: str, limit: int = 60) -> str:
    """A file-name part that Windows and every shell accept."""
    out = re.sub(r"[^a-z0-9]+", "-", to_ascii(text).lower()).strip("-")
    return out[:limit].rstrip("-") or "truong"


def period_slug(start: date, end: date) -> str:
    """'2026-10' for a calendar month; '2026-09-26_2026-10-25' for any other span."""
    key = f"{start.year:04d}-{start.month:02d}"
    if (start, end) == month_bounds(key):
        return key
    return f"{start.isoformat()}_{end.isoformat()}"


def format_value(value: Any) -> str:
    if isinstance(value, datetime):
        return vn_datetime(value)
    if isinstance(value, date):
        return vn_date(value)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple | set):
        return ", ".join(format_value(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def format_evidence(evidence: Mapping[str, Any]) -> str:
    """Evidence as one readable line: 'posts: 5; min_posts: 8'."""
    return "; ".join(f"{k}: {format_value(v)}" for k, v in evidence.items() if v is not None)


# --- the view ----------------------------------------------------------------

@dataclass(frozen=True)
class Table:
    """Rows of one sheet / section; `empty` explains why there are none."""

    rows: list[dict[str, Any]]
    empty: str | None = None


@dataclass(frozen=True)
class SectionView:
    """A check's own report section (results.Section) in the report's language."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class ReportView:
    """Everything a renderer shows, already labelled in one language."""

    lang: str
    school: str
    school_url: Link | str | None
    authority: str
    kind: str
    period_start: date
    period_end: date
    period: str
    school_year: str
    as_of: datetime
    generated_at: datetime
    ruleset: str
    tool_version: str
    overall: Label
    counts: dict[str, int]
    rules: Table
    monthly: Table
    events: Table
    disclosure: Table
    tcvn: Table
    findings: Table
    emulation: Table
    emulation_threshold: int
    notices: tuple[str, ...]
    actions: Table = Table([])  # page 1: the most serious open findings, who, by when
    more_actions: int = 0  # open findings not listed in `actions`
    at_risk: Table = Table([])  # page 1: departments and people near or over Điều 19.2
    trend_months: tuple[str, ...] = ()  # YYYY-MM from the school year's start
    departments_by_month: Table = Table([])
    counted_to: date | None = None  # tallies count findings up to this day
    reconcile: str = ""  # how the Thi đua sheet's total meets page 1's count
    documents: tuple[str, ...] = ()  # the texts the rules' legal bases cite
    comparison: str | None = None  # against the previous run, when the history is known
    fixed: tuple[FixedFinding, ...] = ()  # findings of the previous run no longer seen
    signature: dict[str, str | None] = field(default_factory=dict)
    custom: tuple[SectionView, ...] = ()  # sections added by checks, shown by every format


def _no_data(lang: str, what: str) -> str:
    return _pick(lang, f"Không có dữ liệu: {what}", f"No data: {what}")


def overall_status(results: Iterable[RuleResult], findings: Iterable[Finding],
                   lang: str) -> Label:
    statuses = {r.status for r in results}
    if RuleStatus.FAIL in statuses:
        return label(RULE_STATUS, RuleStatus.FAIL, lang)
    if RuleStatus.NOT_CHECKED in statuses:
        return Label(_pick(lang, "Chưa kiểm tra đủ", "Not fully checked"), "warn")
    if any(f.severity is Severity.WARNING and f.status is FindingStatus.OPEN for f in findings):
        return Label(_pick(lang, "Đạt, có cảnh báo", "Pass with warnings"), "warn")
    return Label(_pick(lang, "Đạt", "Pass"), "pass")


def plural(n: int, vi: str, en: str, lang: str, en_many: str | None = None) -> str:
    """'1 finding', '2 findings', '3 phát hiện' (Vietnamese has no plural form)."""
    if lang == "en":
        return f"{n} {en if n == 1 else (en_many or en + 's')}"
    return f"{n} {vi}"


def _who(findings: Iterable[Finding], lang: str) -> str:
    """'Tổ Toán - Tin (2), Tổ Ngữ văn (1)': who the open findings of a rule concern."""
    counts: dict[str, int] = {}
    for f in findings:
        name = f.department or _pick(lang, "chưa rõ tổ", "no department")
        counts[name] = counts.get(name, 0) + 1
    return ", ".join(f"{name} ({n})" for name, n in sorted(counts.items(),
                                                          key=lambda kv: (-kv[1], kv[0])))


def _rule_rows(report: AuditReport, lang: str) -> Table:
    rows = []
    for no, r in enumerate(report.results, 1):
        open_ = [f for f in r.findings if f.status is FindingStatus.OPEN]
        note = _pick(lang, r.reason or "", r.reason_en or r.reason or "")
        if open_:
            note = (note + "; " if note else "") + _who(open_, lang)
        waived = len(r.findings) - len(open_)
        if waived:
            note = (note + "; " if note else "") + _pick(
                lang, f"{waived} phát hiện được miễn trừ",
                plural(waived, "", "finding waived", lang, "findings waived").strip())
        rows.append({
            "no": no, "rule": r.rule, "title": r.title_in(lang), "basis": r.basis.short(),
            "basis_full": r.basis.full(), "status": label(RULE_STATUS, r.status, lang),
            "findings": len(open_), "note": note,
        })
    return Table(rows, None if rows else _no_data(lang, _pick(lang, "chưa có quy tắc nào chạy",
                                                             "no rule ran")))


def month_text(key: str) -> str:
    """'2026-10' → '10/2026' (always text: a spreadsheet must not turn it into a date)."""
    year, month = key.split("-")
    return f"{month}/{year}"


def _change(now: int | None, before: int | None) -> str | None:
    """'+3', '-2', '0' against the month before; None when either is unknown."""
    if now is None or before is None:
        return None
    return f"{now - before:+d}" if now != before else "0"


def _quota(count: int | None, minimum: int | None, forecast: float | None, running: bool,
           lang: str) -> Label | None:
    if count is None or minimum is None:
        return None
    if count >= minimum:
        return label(QUOTA_STATUS, "enough", lang)
    if running:
        on_course = forecast is not None and forecast >= minimum
        return Label(_pick(lang, "Chưa hết tháng, dự kiến đủ" if on_course else
                           "Chưa hết tháng, dự kiến thiếu",
                           "Month in progress, on course" if on_course else
                           "Month in progress, short"), "warn" if on_course else "fail")
    return label(QUOTA_STATUS, "short", lang)


def _monthly_rows(report: AuditReport, lang: str) -> Table:
    stats = report.sections.monthly
    if not stats:
        return Table([], _no_data(lang, _pick(lang, "chưa có thống kê tin bài theo tháng",
                                              "no monthly post statistics")))
    rows = []
    period_months = {f"{report.period_start:%Y-%m}", f"{report.period_end:%Y-%m}"}
    before = None
    for m in stats:
        running = m.in_progress
        note = []
        if running:
            note.append(_pick(lang, "Tháng chưa kết thúc", "Month not over"))
        if m.month in period_months:
            note.append(_pick(lang, "Tháng của kỳ báo cáo", "Month of this report"))
        rows.append({
            "month": month_text(m.month), "month_key": m.month,
            "in_period": m.month in period_months,
            "posts": m.posts, "min_posts": m.min_posts,
            "posts_status": _quota(m.posts, m.min_posts, m.posts_forecast, running, lang),
            "posts_forecast": m.posts_forecast if running else None,
            "posts_change": _change(m.posts, before.posts if before else None),
            "proposals": m.proposals, "min_proposals": m.min_proposals,
            "proposals_status": _quota(m.proposals, m.min_proposals, m.proposals_forecast,
                                       running, lang),
            "proposals_forecast": m.proposals_forecast if running else None,
            "proposals_change": _change(m.proposals, before.proposals if before else None),
            "note": "; ".join(note),
        })
        before = m
    return Table(rows)


def _department_month_rows(report: AuditReport, lang: str) -> tuple[list[str], Table]:
    """Violations per department per month (a pivot: one row per department)."""
    cells = report.sections.departments_by_month
    months = list(dict.fromkeys(c.month for c in cells))
    nobody = _pick(lang, "(Chưa xác định tổ)", "(No department)")
    rows: dict[str, dict[str, Any]] = {}
    for c in cells:
        name = c.department or nobody
        row = rows.setdefault(name, {"department": name, "months": {}, "total": 0})
        row["months"][c.month] = c.violations
        row["total"] += c.violations
    return months, Table(list(rows.values()), None if rows else _pick(
        lang, "Không có vi phạm nào từ đầu năm học.", "No violations this school year."))


def _event_rows(report: AuditReport, lang: str, zone: tzinfo) -> Table:
    raw: tuple[EventRow, ...] | None = report.sections.events
    if raw is None:
        return Table([], _no_data(lang, _pick(lang, "chưa có lịch công tác (sự kiện)",
                                              "no event calendar")))
    if not raw:
        return Table([], _pick(lang, "Không có sự kiện nào cần đưa tin trong kỳ.",
                               "No event needed a post in this period."))
    rows = []
    for no, e in enumerate(raw, 1):
        org_text = {"school": _pick(lang, "Nhà trường", "School"),
                    "authority": report.school.authority}.get(e.organiser, e.organiser)
        kind = EVENT_KIND.get(e.kind)
        rows.append({
            "no": no, "event_id": e.event_id, "title": e.title,
            "organiser": org_text,
            "kind": _pick(lang, *kind) if kind else e.kind,
            "department": e.department, "person": e.person,
            "start": local(e.start, zone), "end": local(e.end, zone),
            "deadline": local(e.deadline, zone),
            "post_id": e.post_id,
            "post_title": link(e.post_url, e.post_title) or e.post_title,
            "post_url": link(e.post_url),
            "published_at": local(e.published_at, zone),
            "delay_hours": round(float(e.delay_hours), 1) if e.delay_hours is not None
            else None,
            "status": label(EVENT_STATUS, e.status, lang),
        })
    return Table(rows)


def _disclosure_rows(report: AuditReport, lang: str, zone: tzinfo) -> Table:
    raw = report.sections.disclosure
    if not raw:
        reason = _pick(lang, "chưa kiểm tra chuyên mục Công khai (cần địa chỉ cổng hoặc lịch sử)",
                       "the disclosure section was not checked")
        return Table([], _no_data(lang, reason))
    rows = []
    for no, d in enumerate(raw, 1):
        rows.append({
            "no": no, "item": d.item, "title": d.title, "clause": d.clause,
            "status": label(DISCLOSURE_STATUS, d.status, lang),
            "last_seen": local(d.last_seen, zone), "url": link(d.url),
        })
    return Table(rows)


def _tcvn_rows(report: AuditReport, lang: str) -> Table:
    result = next((r for r in report.results if r.sheet == ENCODING_SHEET), None)
    if result is None:
        return Table([], _no_data(lang, _pick(lang, "chưa kiểm tra mã hóa văn bản",
                                              "the text encoding was not checked")))
    if result.status is RuleStatus.NOT_CHECKED:
        why = _pick(lang, result.reason or "", result.reason_en or result.reason or "")
        return Table([], _pick(lang, f"Chưa kiểm tra: {why}", f"Not checked: {why}"))
    rows = []
    for no, f in enumerate(result.findings, 1):
        ev = f.evidence
        confidence = ev.get("confidence")
        rows.append({
            "no": no, "where": ev.get("where"), "excerpt": ev.get("excerpt"),
            "encoding": ev.get("encoding_name") or ev.get("encoding"),
            "confidence": float(confidence) if isinstance(confidence, int | float) else None,
            "fix": ev.get("fix"), "severity": label(SEVERITY, f.severity, lang),
            "department": f.department, "person": f.person, "url": link(f.url),
        })
    return Table(rows, None if rows else _pick(
        lang, "Không phát hiện văn bản sai bảng mã (đúng TCVN 6909:2001).",
        "No text in a legacy encoding was found."))


def finding_row(no: int, f: Finding, result: RuleResult, lang: str,
                history: FindingChange | None = None) -> dict[str, Any]:
    """One finding as a row; `history` is how it compares with the school's earlier runs."""
    first_seen = history.first_seen if history else None
    change = history.change if history else None
    status_key = change if f.status is FindingStatus.OPEN and change in ("new", "open") \
        else f.status
    return {
        "no": no, "rule": f.rule, "rule_title": result.title_in(lang),
        "basis": result.basis.short(), "severity": label(SEVERITY, f.severity, lang),
        "status": label(FINDING_STATUS, status_key, lang), "first_seen": first_seen,
        "message": f.text(lang),
        "department": f.department, "person": f.person, "date": f.on, "month": f.month,
        "evidence": evidence_sentence(f.evidence, lang), "url": link(f.url),
        "post_id": f.post_id,
        "source": f.source, "waiver": f.waiver_reason, "fingerprint": f.fingerprint,
    }


def _finding_rows(report: AuditReport, lang: str) -> Table:
    rows: list[dict[str, Any]] = []
    seen = report.comparison
    for r in report.results:
        for f in r.findings:
            rows.append(finding_row(len(rows) + 1, f, r, lang,
                                    seen.change_of(f) if seen else None))
    return Table(rows, None if rows else _pick(lang, "Không có phát hiện nào trong kỳ.",
                                               "No findings in this period."))


def _deduction(t: Tally, threshold: int) -> str:
    if t.emulation_deduction:
        return "yes"
    return "near" if t.violations_school_year == threshold - 1 and threshold > 1 else "no"


def _emulation_rows(report: AuditReport, lang: str) -> Table:
    threshold = report.emulation_threshold

    def rows_of(kind: str, tallies: Iterable[Tally]) -> list[dict[str, Any]]:
        return [{
            "kind": kind, "name": t.name, "in_period": t.violations_in_period,
            "school_year": t.violations_school_year,
            "deduction": label(DEDUCTION, _deduction(t, threshold), lang),
        } for t in tallies]

    rows = rows_of(_pick(lang, "Tổ chuyên môn", "Department"), report.departments)
    nobody = report.sections.unassigned
    if nobody is not None:
        rows.append({"kind": _pick(lang, "Tổ chuyên môn", "Department"),
                     "name": _pick(lang, "(Chưa xác định tổ)", "(No department)"),
                     "in_period": nobody.violations_in_period,
                     "school_year": nobody.violations_school_year,
                     "deduction": label(DEDUCTION, "none", lang)})
    rows += rows_of(_pick(lang, "Cá nhân", "Person"), report.persons)
    return Table(rows, None if rows else _no_data(
        lang, _pick(lang, "không có tổ chuyên môn hay cá nhân nào được ghi nhận",
                    "no department or person recorded")))


def _at_risk(report: AuditReport, lang: str) -> Table:
    """Departments and people at or one short of the Điều 19.2 threshold (the at-risk box)."""
    threshold = report.emulation_threshold
    rows = []
    for kind, tallies in ((_pick(lang, "Tổ chuyên môn", "Department"), report.departments),
                          (_pick(lang, "Cá nhân", "Person"), report.persons)):
        for t in tallies:
            state = _deduction(t, threshold)
            if state != "no":
                rows.append({"kind": kind, "name": t.name, "school_year": t.violations_school_year,
                             "in_period": t.violations_in_period,
                             "deduction": label(DEDUCTION, state, lang)})
    return Table(rows, _pick(lang, f"Không có tổ hay cá nhân nào từ {threshold - 1} vi phạm trở "
                                   "lên.", f"No department or person has {threshold - 1} or "
                                           "more violations."))


def _actions(report: AuditReport, lang: str, limit: int, fix_days: int) -> Table:
    """The most serious open findings: what, who, by when (Việc cần xử lý trước)."""
    open_ = [(f, r) for r in report.results for f in r.findings
             if f.status is FindingStatus.OPEN and f.severity is not Severity.INFO]
    open_.sort(key=lambda fr: (-fr[0].severity.rank, fr[0].department is None,
                               fr[0].on or report.period_end, fr[0].rule))
    # One of each rule first, so the list shows the different things to fix.
    firsts = list({f.rule: (f, r) for f, r in reversed(open_)}.values())
    firsts.sort(key=open_.index)
    open_ = firsts + [fr for fr in open_ if fr not in firsts]
    due = report.as_of.date() + timedelta(days=fix_days)
    rows = [{
        "no": no, "what": f.text(lang), "rule_title": r.title_in(lang),
        "basis": r.basis.short(), "severity": label(SEVERITY, f.severity, lang),
        "who": " · ".join(x for x in (f.department, f.person) if x)
        or _pick(lang, "Ban biên tập", "Editorial board"),
        "due": due, "url": link(f.url),
    } for no, (f, r) in enumerate(open_[:limit], 1)]
    return Table(rows, _pick(lang, "Không có việc nào cần xử lý.", "Nothing to act on."))


def _comparison(report: AuditReport, lang: str) -> tuple[str | None, tuple[FixedFinding, ...]]:
    history = report.comparison
    if history is None:
        return None, ()
    changes = [e.change for e in history.findings.values()]
    fixed = history.fixed
    new, still = changes.count("new"), changes.count("open")
    prev = history.previous_run
    if prev is None:
        return _pick(lang, "Lần kiểm tra đầu tiên được lưu trong lịch sử.",
                     "First run in the history."), fixed
    when = vn_date(prev.as_of.date())
    return _pick(lang, f"So với lần kiểm tra ngày {when}: {new} phát hiện mới, {still} còn "
                       f"tồn tại, {len(fixed)} đã khắc phục.",
                 f"Compared with the run of {when}: {new} new, {still} still open, "
                 f"{len(fixed)} fixed."), fixed


def _reconcile(report: AuditReport, violations: int, lang: str) -> str:
    """The Thi đua total against page 1: equal, or why not (one breach, several findings)."""
    nobody = report.sections.unassigned
    total = sum(t.violations_in_period for t in report.departments) + (
        nobody.violations_in_period if nobody else 0)
    if total == violations:
        return _pick(lang, f"Cộng các tổ (kể cả vi phạm chưa xác định tổ): {total} vi phạm trong "
                           "kỳ, khớp với trang Tổng hợp.",
                     f"All departments (including violations with no department): {total} in "
                     "the period, as on the Summary.")
    return _pick(lang, f"Cộng các tổ (kể cả vi phạm chưa xác định tổ): {total} vi phạm trong kỳ; "
                       f"trang Tổng hợp đếm {violations} phát hiện vi phạm vì nhiều phát hiện về "
                       "cùng một bài (tiêu đề, nội dung, trang) chỉ tính là một lần vi phạm.",
                 f"All departments (including violations with no department): {total} in the "
                 f"period; the Summary counts {violations} findings because several findings "
                 "about one post (title, body, page) are one violation.")


def _documents(report: AuditReport) -> tuple[str, ...]:
    """The legal texts the rules cite, each once ('A; B' bases are split)."""
    out: dict[str, None] = {}
    for r in report.results:
        for part in (r.basis.document or "").split(";"):
            if part.strip():
                out.setdefault(part.strip().rstrip("."), None)
    return tuple(out)


def build_view(report: AuditReport, lang: str = "vi") -> ReportView:
    from auditor.render.xlsx_layout import load_layout

    decision = load_layout().decision
    zone = report.as_of.tzinfo or tz(DEFAULT_TZ)
    findings = report.findings
    open_ = [f for f in findings if f.status is FindingStatus.OPEN]
    counts = {
        "violations": sum(f.severity is Severity.VIOLATION for f in open_),
        "warnings": sum(f.severity is Severity.WARNING for f in open_),
        "info": sum(f.severity is Severity.INFO for f in open_),
        "waived": len(findings) - len(open_),
        "total": len(findings),
    }
    sig = report.signature or Signatories()
    comparison, fixed = _comparison(report, lang)
    months, by_month = _department_month_rows(report, lang)
    actions = _actions(report, lang, decision.actions, decision.fix_within_days)
    serious = sum(f.severity is not Severity.INFO for f in open_)
    return ReportView(
        lang=lang, school=report.school.name, school_url=link(report.school.url),
        authority=report.school.authority, kind=report.school.kind,
        period_start=report.period_start, period_end=report.period_end,
        period=period_text(report.period_start, report.period_end, lang),
        school_year=f"{report.school_year_start.year}-{report.school_year_end.year}",
        as_of=report.as_of.astimezone(zone).replace(tzinfo=None),
        generated_at=report.generated_at.astimezone(zone).replace(tzinfo=None),
        ruleset=report.ruleset, tool_version=report.tool_version,
        overall=overall_status(report.results, findings, lang), counts=counts,
        rules=_rule_rows(report, lang), monthly=_monthly_rows(report, lang),
        events=_event_rows(report, lang, zone), disclosure=_disclosure_rows(report, lang, zone),
        tcvn=_tcvn_rows(report, lang), findings=_finding_rows(report, lang),
        emulation=_emulation_rows(report, lang),
        emulation_threshold=report.emulation_threshold, notices=report.notices,
        comparison=comparison, fixed=fixed, documents=_documents(report),
        signature={"place": sig.place, "preparer": sig.preparer, "principal": sig.principal},
        actions=actions, more_actions=max(0, serious - len(actions.rows)),
        at_risk=_at_risk(report, lang), trend_months=tuple(months),
        departments_by_month=by_month,
        counted_to=min(report.period_end, report.as_of.astimezone(zone).date()),
        reconcile=_reconcile(report, counts["violations"], lang),
        custom=custom_sections(report, lang),
    )


def custom_sections(report: AuditReport, lang: str) -> tuple[SectionView, ...]:
    return tuple(SectionView(s.key, s.title_in(lang), s.columns_in(lang), s.rows)
                 for s in report.sections.custom)
