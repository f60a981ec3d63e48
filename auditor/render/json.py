"""The JSON report, exactly per the DESIGN.md contract (plus extra fields)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from auditor.results import AuditReport, Finding, RuleResult, Tally


def _default(value: object) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)


def _rule(r: RuleResult, lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": r.rule, "title": r.title_in(lang), "legal_basis": r.basis.full(),
        "status": r.status.value, "findings": len(r.findings),
    }
    if r.reason:
        out["reason"] = r.reason_en if lang == "en" else r.reason
    return out


def _finding(f: Finding, lang: str, report: AuditReport) -> dict[str, Any]:
    from auditor.history import json_fields

    return {
        "rule": f.rule, "severity": f.severity.value, "status": f.status.value,
        "message": f.text(lang), "department": f.department, "person": f.person,
        "month": f.month, "url": f.url, "post_id": f.post_id, "evidence": f.evidence,
        "fingerprint": f.fingerprint, "subject": f.subject,
        "date": f.on.isoformat() if f.on else None, "source": f.source,
        "waiver_reason": f.waiver_reason,
        **json_fields(report, f),
    }


def _tally(t: Tally) -> dict[str, Any]:
    return {"name": t.name, "violations_in_period": t.violations_in_period,
            "violations_school_year": t.violations_school_year,
            "emulation_deduction": t.emulation_deduction}


def _sheets(report: AuditReport, lang: str) -> dict[str, Any]:
    """The rows of the Excel sheets 2–4 and the trend, as the sheets show them."""
    from auditor.render.view import build_view

    view = build_view(report, lang)

    def plain(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: _plain(v) for k, v in row.items()} for row in rows]

    return {
        "monthly": plain(view.monthly.rows), "events": plain(view.events.rows),
        "disclosure": plain(view.disclosure.rows),
        "departments_by_month": [
            {"department": r["department"], "months": {m: r["months"].get(m, 0)
                                                        for m in view.trend_months},
             "total": r["total"]} for r in view.departments_by_month.rows],
    }


def _plain(value: Any) -> Any:
    from auditor.render.view import Label, Link

    if isinstance(value, Label):
        return value.text
    if isinstance(value, Link):  # its text: a title where one was linked, else the address
        return value.text
    return value


def report_dict(report: AuditReport, lang: str = "vi") -> dict[str, Any]:
    return {
        "tool": {"name": "auditor", "version": report.tool_version},
        "school": {"name": report.school.name, "url": report.school.url,
                   "kind": report.school.kind, "authority": report.school.authority},
        "period": {"from": report.period_start.isoformat(), "to": report.period_end.isoformat()},
        "as_of": report.as_of.isoformat(),
        "school_year": {"from": report.school_year_start.isoformat(),
                        "to": report.school_year_end.isoformat()},
        "generated_at": report.generated_at.isoformat(),
        "ruleset": report.ruleset,
        "rules": [_rule(r, lang) for r in report.results],
        "findings": [_finding(f, lang, report) for f in report.findings],
        "fixed": [f.to_json() for f in report.comparison.fixed] if report.comparison else [],
        "departments": [_tally(t) for t in report.departments],
        "persons": [_tally(t) for t in report.persons],
        "emulation_threshold": report.emulation_threshold,
        "notices": list(report.notices),
        "coverage": {"site": report.coverage.to_json()} if report.coverage else {},
        **_sheets(report, lang),
        "sections": [{"key": s.key, "title": s.title_in(lang), "columns": list(s.columns_in(lang)),
                      "rows": [list(row) for row in s.rows]} for s in report.sections.custom],
    }


def render_json(report: AuditReport, lang: str = "vi") -> str:
    return json.dumps(report_dict(report, lang), ensure_ascii=False, indent=2,
                      default=_default) + "\n"
