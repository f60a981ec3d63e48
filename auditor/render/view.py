"""The report as rows and labels, shared by the Excel, HTML and CSV renderers.

Nothing here decides whether the school complies: verdicts come from the
checks (`RuleResult.status`, findings). This module only turns the frozen
:class:`~auditor.results.AuditReport` and its ``extras`` statistics into
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
from datetime import date, datetime, tzinfo
from typing import Any
from urllib.parse import urlsplit

from auditor.results import (
    AuditReport,
    Finding,
    FindingStatus,
    RuleResult,
    RuleStatus,
    Severity,
    Tally,
)
from auditor.timeutil import DEFAULT_TZ, month_bounds, tz

TCVN_RULE = "text.tcvn6909"
Tone = str  # "fail" | "warn" | "pass" | "none"


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
RULE_STATUS: dict[str, tuple[str, str, Tone]] = {
    RuleStatus.PASS: ("Đạt", "Pass", "pass"),
    RuleStatus.FAIL: ("Không đạt", "Fail", "fail"),
    RuleStatus.NOT_CHECKED: ("Chưa kiểm tra", "Not checked", "warn"),
    RuleStatus.WAIVED: ("Miễn trừ", "Waived", "none"),
}
SEVERITY: dict[str, tuple[str, str, Tone]] = {
    Severity.VIOLATION: ("Vi phạm", "Violation", "fail"),
    Severity.WARNING: ("Cảnh báo", "Warning", "warn"),
    Severity.INFO: ("Thông tin", "Info", "none"),
}
FINDING_STATUS: dict[str, tuple[str, str, Tone]] = {
    FindingStatus.OPEN: ("Chưa khắc phục", "Open", "none"),
    FindingStatus.WAIVED: ("Miễn trừ", "Waived", "none"),
    # With the history (extras["history"]): how an open finding compares with the last run.
    "new": ("Mới phát hiện", "New", "none"),
    "open": ("Còn tồn tại", "Still open", "none"),
}
EVENT_STATUS: dict[str, tuple[str, str, Tone]] = {
    "on_time": ("Đúng hạn", "On time", "pass"),
    "late": ("Đưa tin chậm", "Late", "fail"),
    "missing": ("Chưa đưa tin", "Missing", "fail"),
    "pending": ("Chưa đến hạn", "Not yet due", "warn"),
}
DISCLOSURE_STATUS: dict[str, tuple[str, str, Tone]] = {
    "present": ("Có", "Present", "pass"),
    "ok": ("Có", "Present", "pass"),
    "pass": ("Đạt", "Pass", "pass"),
    "missing": ("Thiếu", "Missing", "fail"),
    "hidden": ("Bị ẩn", "Hidden", "fail"),
    "removed": ("Bị gỡ", "Removed", "fail"),
    "fail": ("Không đạt", "Fail", "fail"),
    "outdated": ("Chưa cập nhật", "Out of date", "warn"),
    "stale": ("Chưa cập nhật", "Out of date", "warn"),
    "not_checked": ("Chưa kiểm tra", "Not checked", "warn"),
}
QUOTA_STATUS: dict[str, tuple[str, str, Tone]] = {
    "enough": ("Đủ", "Enough", "pass"),
    "short": ("Thiếu", "Short", "fail"),
    "running": ("Chưa hết tháng", "Month in progress", "warn"),
}
DEDUCTION: dict[str, tuple[str, str, Tone]] = {
    "yes": ("Xem xét trừ điểm", "Deduction", "fail"),
    "no": ("Không", "No", "pass"),
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


def signature_date(day: date, place: str | None) -> str:
    """The place-and-date line of a Vietnamese administrative document."""
    where = place.strip() if place and place.strip() else "……………"
    return f"{where}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year:04d}"


def fold(text: str) -> str:
    """ASCII-fold Vietnamese: 'Trường THCS Hoa Phượng' → 'Truong THCS Hoa Phuong'."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).encode(
        "ascii", "ignore").decode()


def slug(text: str, limit: int = 60) -> str:
    """A file-name part that Windows and every shell accept."""
    out = re.sub(r"[^a-z0-9]+", "-", fold(text).lower()).strip("-")
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
    documents: tuple[str, ...] = ()  # the texts the rules' legal bases cite
    comparison: str | None = None  # against the previous run, when the history is known
    fixed: tuple[dict[str, Any], ...] = ()  # findings of the previous run no longer seen
    signature: dict[str, str | None] = field(default_factory=dict)


def _no_data(lang: str, what: str) -> str:
    return _pick(lang, f"Không có dữ liệu: {what}", f"No data: {what}")


def overall_status(results: Iterable[RuleResult], findings: Iterable[Finding],
                   lang: str) -> Label:
    statuses = {r.status for r in results}
    if RuleStatus.FAIL in statuses:
        return Label(_pick(lang, "Không đạt", "Fail"), "fail")
    if RuleStatus.NOT_CHECKED in statuses:
        return Label(_pick(lang, "Chưa kiểm tra đủ", "Not fully checked"), "warn")
    if any(f.severity is Severity.WARNING and f.status is FindingStatus.OPEN for f in findings):
        return Label(_pick(lang, "Đạt, có cảnh báo", "Pass with warnings"), "warn")
    return Label(_pick(lang, "Đạt", "Pass"), "pass")


def _rule_rows(report: AuditReport, lang: str) -> Table:
    rows = []
    for no, r in enumerate(report.results, 1):
        open_ = [f for f in r.findings if f.status is FindingStatus.OPEN]
        note = _pick(lang, r.reason or "", r.reason_en or r.reason or "")
        waived = len(r.findings) - len(open_)
        if waived:
            note = (note + "; " if note else "") + _pick(lang, f"{waived} phát hiện được miễn trừ",
                                                          f"{waived} findings waived")
        rows.append({
            "no": no, "rule": r.rule, "title": r.title_in(lang), "basis": r.basis.short(),
            "basis_full": r.basis.full(), "status": label(RULE_STATUS, r.status, lang),
            "findings": len(open_), "note": note,
        })
    return Table(rows, None if rows else _no_data(lang, _pick(lang, "chưa có quy tắc nào chạy",
                                                             "no rule ran")))


def _monthly_rows(report: AuditReport, lang: str) -> Table:
    raw = report.extras.get("monthly")
    if not raw:
        return Table([], _no_data(lang, _pick(lang, "chưa có thống kê tin bài theo tháng",
                                              "no monthly post statistics")))
    rows = []
    for m in raw:
        running = bool(m.get("in_progress"))

        def quota(count: int, minimum: int, running: bool = running) -> Label:
            key = "enough" if count >= minimum else ("running" if running else "short")
            return label(QUOTA_STATUS, key, lang)

        year, month = (int(p) for p in str(m["month"]).split("-"))
        rows.append({
            "month": f"{month:02d}/{year:04d}", "month_key": m["month"],
            "posts": int(m.get("posts", 0)), "min_posts": int(m.get("min_posts", 0)),
            "posts_status": quota(int(m.get("posts", 0)), int(m.get("min_posts", 0))),
            "proposals": int(m.get("proposals", 0)),
            "min_proposals": int(m.get("min_proposals", 0)),
            "proposals_status": quota(int(m.get("proposals", 0)), int(m.get("min_proposals", 0))),
            "note": _pick(lang, "Tháng chưa kết thúc", "Month not over") if running else "",
        })
    return Table(rows)


def _event_rows(report: AuditReport, lang: str, zone: tzinfo) -> Table:
    raw = report.extras.get("events")
    if raw is None:
        return Table([], _no_data(lang, _pick(lang, "chưa có lịch công tác (sự kiện)",
                                              "no event calendar")))
    if not raw:
        return Table([], _pick(lang, "Không có sự kiện nào cần đưa tin trong kỳ.",
                               "No event needed a post in this period."))
    rows = []
    for no, e in enumerate(raw, 1):
        org = str(e.get("organiser") or "")
        org_text = {"school": _pick(lang, "Nhà trường", "School"),
                    "authority": report.school.authority}.get(org, org)
        kind = EVENT_KIND.get(str(e.get("kind")))
        delay = e.get("delay_hours")
        rows.append({
            "no": no, "event_id": e.get("event_id"), "title": e.get("title"),
            "organiser": org_text,
            "kind": _pick(lang, *kind) if kind else str(e.get("kind") or ""),
            "department": e.get("department"), "person": e.get("person"),
            "start": local(e.get("start"), zone), "end": local(e.get("end"), zone),
            "deadline": local(e.get("deadline"), zone),
            "post_id": e.get("post_id"),
            "post_title": link(e.get("post_url"), e.get("post_title")) or e.get("post_title"),
            "post_url": link(e.get("post_url")),
            "published_at": local(e.get("published_at"), zone),
            "delay_hours": round(float(delay), 1) if delay is not None else None,
            "status": label(EVENT_STATUS, e.get("status"), lang),
        })
    return Table(rows)


def _disclosure_rows(report: AuditReport, lang: str, zone: tzinfo) -> Table:
    raw = report.extras.get("disclosure")
    if not raw:
        reason = _pick(lang, "chưa kiểm tra chuyên mục Công khai (cần địa chỉ cổng hoặc lịch sử)",
                       "the disclosure section was not checked")
        return Table([], _no_data(lang, reason))
    rows = []
    for no, d in enumerate(raw, 1):
        seen = d.get("last_seen")
        if isinstance(seen, datetime):
            seen = local(seen, zone)
        rows.append({
            "no": no, "item": d.get("item"), "title": d.get("title"), "clause": d.get("clause"),
            "status": label(DISCLOSURE_STATUS, d.get("status"), lang),
            "last_seen": seen, "url": link(d.get("url")),
        })
    return Table(rows)


def _tcvn_rows(report: AuditReport, lang: str) -> Table:
    result = next((r for r in report.results if r.rule == TCVN_RULE), None)
    if result is None:
        return Table([], _no_data(lang, _pick(lang, "quy tắc text.tcvn6909 chưa chạy",
                                              "rule text.tcvn6909 did not run")))
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
                history: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """One finding as a row; `history` is its entry of extras["history"]["findings"]."""
    first_seen = change = None
    if history:
        change = history.get("change")
        try:
            first_seen = date.fromisoformat(str(history.get("first_seen")))
        except ValueError:
            first_seen = None
    status_key = change if f.status is FindingStatus.OPEN and change in ("new", "open") \
        else f.status
    return {
        "no": no, "rule": f.rule, "rule_title": result.title_in(lang),
        "basis": result.basis.short(), "severity": label(SEVERITY, f.severity, lang),
        "status": label(FINDING_STATUS, status_key, lang), "first_seen": first_seen,
        "message": f.text(lang),
        "department": f.department, "person": f.person, "date": f.on, "month": f.month,
        "evidence": format_evidence(f.evidence), "url": link(f.url), "post_id": f.post_id,
        "source": f.source, "waiver": f.waiver_reason, "fingerprint": f.fingerprint,
    }


def _finding_rows(report: AuditReport, lang: str) -> Table:
    rows: list[dict[str, Any]] = []
    seen = (report.extras.get("history") or {}).get("findings") or {}
    for r in report.results:
        for f in r.findings:
            rows.append(finding_row(len(rows) + 1, f, r, lang, seen.get(f.fingerprint)))
    return Table(rows, None if rows else _pick(lang, "Không có phát hiện nào trong kỳ.",
                                               "No findings in this period."))


def _emulation_rows(report: AuditReport, lang: str) -> Table:
    def rows_of(kind: str, tallies: Iterable[Tally]) -> list[dict[str, Any]]:
        return [{
            "kind": kind, "name": t.name, "in_period": t.violations_in_period,
            "school_year": t.violations_school_year,
            "deduction": label(DEDUCTION, "yes" if t.emulation_deduction else "no", lang),
        } for t in tallies]

    rows = rows_of(_pick(lang, "Tổ chuyên môn", "Department"), report.departments)
    rows += rows_of(_pick(lang, "Cá nhân", "Person"), report.persons)
    return Table(rows, None if rows else _no_data(
        lang, _pick(lang, "không có tổ chuyên môn hay cá nhân nào được ghi nhận",
                    "no department or person recorded")))


def _comparison(report: AuditReport, lang: str) -> tuple[str | None, tuple[dict[str, Any], ...]]:
    history = report.extras.get("history")
    if not history:
        return None, ()
    changes = [e.get("change") for e in (history.get("findings") or {}).values()]
    fixed = tuple(history.get("fixed") or ())
    new, still = changes.count("new"), changes.count("open")
    prev = history.get("previous_run")
    if not prev:
        return _pick(lang, "Lần kiểm tra đầu tiên được lưu trong lịch sử.",
                     "First run in the history."), fixed
    try:
        when = vn_date(datetime.fromisoformat(str(prev.get("as_of"))).date())
    except ValueError:
        when = str(prev.get("as_of"))
    return _pick(lang, f"So với lần kiểm tra ngày {when}: {new} phát hiện mới, {still} còn "
                       f"tồn tại, {len(fixed)} đã khắc phục.",
                 f"Compared with the run of {when}: {new} new, {still} still open, "
                 f"{len(fixed)} fixed."), fixed


def build_view(report: AuditReport, lang: str = "vi") -> ReportView:
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
    sig = report.extras.get("signature") or {}
    comparison, fixed = _comparison(report, lang)
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
        comparison=comparison, fixed=fixed,
        documents=tuple(dict.fromkeys(r.basis.document for r in report.results
                                      if r.basis.document)),
        signature={k: sig.get(k) for k in ("place", "preparer", "principal")},
    )
