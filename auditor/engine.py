"""Runs the enabled checks over an audit context and returns frozen results."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from auditor.authority import fill
from auditor.checks.interface import AuditContext, Check
from auditor.checks.registry import available_checks
from auditor.config import WaiverConfig
from auditor.errors import AuditorError, ConfigError, NotChecked
from auditor.results import Finding, FindingStatus, RuleResult, RuleStatus, Severity
from auditor.ruleset import RuleConfig
from auditor.tally import in_period
from auditor.timeutil import Period

log = logging.getLogger(__name__)


def check_params(check: type[Check], rule: RuleConfig, where: str) -> Mapping[str, Any]:
    """Every declared parameter must be in the rule set, with the right type."""
    for param in check.parameters:
        if param.name not in rule.params:
            raise ConfigError(
                f"{where}: rules.\"{rule.id}\".params thiếu tham số '{param.name}' "
                f"({param.description}).",
                en=f"{where}: rules.\"{rule.id}\".params lacks the parameter '{param.name}' "
                   f"({param.description_en or param.description}).",
            )
        value = rule.params[param.name]
        if isinstance(value, bool) and param.type is not bool or not isinstance(
            value, param.type
        ):
            raise ConfigError(
                f"{where}: rules.\"{rule.id}\".params.{param.name} = {value!r} sai kiểu "
                f"({param.description}).",
                en=f"{where}: rules.\"{rule.id}\".params.{param.name} = {value!r} has the wrong "
                   f"type ({param.description_en or param.description}).",
            )
    return rule.params


def _matches(w: WaiverConfig, finding: Finding, today: date) -> bool:
    if w.rule != finding.rule or (w.until and w.until < today):
        return False
    if w.subject and w.subject != finding.subject:
        return False
    return not (w.fingerprint and w.fingerprint != finding.fingerprint)


def _waive(finding: Finding, waivers: Iterable[WaiverConfig], today: date) -> Finding:
    for w in waivers:
        if _matches(w, finding, today):
            return dataclasses.replace(finding, status=FindingStatus.WAIVED,
                                       waiver_reason=w.reason)
    return finding


def unused_waivers(results: Iterable[RuleResult], waivers: Iterable[WaiverConfig],
                   today: date, known: Iterable[str]) -> list[tuple[str, str]]:
    """Waivers (still in force, of a rule that was checked) that matched no finding — a
    typo in the rule or the subject, or a finding that is gone: (Vietnamese, English).
    `known` is every rule id of the rule set (a waiver of a rule switched off or left out
    by --only is not judged)."""
    checked = {r.rule: r for r in results if r.status is not RuleStatus.NOT_CHECKED}
    ids = set(known)
    out = []
    for w in waivers:
        if w.until and w.until < today:
            continue
        result = checked.get(w.rule)
        if result is not None and any(_matches(w, f, today) for f in result.findings):
            continue
        if result is None and w.rule in ids:
            continue  # not checked this time (off, --only, a source missing): nothing to say
        what = f"rule = '{w.rule}'" + (f", subject = '{w.subject}'" if w.subject else "") + (
            f", fingerprint = '{w.fingerprint}'" if w.fingerprint else "")
        if result is None:
            out.append((f"Miễn trừ [[waivers]] {what}: bộ quy tắc không có quy tắc này "
                        "(gõ nhầm mã?); miễn trừ không có tác dụng.",
                        f"Waiver [[waivers]] {what}: the rule set has no such rule (a typo?); "
                        "the waiver has no effect."))
        else:
            out.append((f"Miễn trừ [[waivers]] {what} không khớp phát hiện nào (gõ nhầm đối "
                        "tượng, hoặc việc đã được khắc phục).",
                        f"Waiver [[waivers]] {what} matches no finding (a typo in the subject, "
                        "or the finding is gone)."))
    return out


def _status(findings: tuple[Finding, ...]) -> RuleStatus:
    violations = [f for f in findings if f.severity is Severity.VIOLATION]
    if any(f.status is FindingStatus.OPEN for f in violations):
        return RuleStatus.FAIL
    return RuleStatus.WAIVED if violations else RuleStatus.PASS


def run_rule(rule: RuleConfig, ctx: AuditContext,
             failed: Mapping[str, tuple[str, str]] | None = None,
             check: type[Check] | None = None) -> RuleResult:
    """Run one rule over the whole span; its findings are not yet cut to the period.

    `failed` maps a source that was asked for and could not be read ("posts",
    "events", "site") to why (Vietnamese, English): a rule that needs it is not
    checked, with that reason. `check` runs that class instead of the registered one
    (auditor.testing: a plugin's tests before it is installed).
    """
    check_cls = check or available_checks().get(rule.id)
    rule = dataclasses.replace(rule, title=fill(rule.title, ctx.config),
                               title_en=fill(rule.title_en, ctx.config, "en"))

    sheet = check_cls.report_sheet if check_cls is not None else None

    def not_checked(reason: str, reason_en: str) -> RuleResult:
        return RuleResult(rule.id, rule.title, rule.title_en, rule.basis,
                          RuleStatus.NOT_CHECKED, reason=reason, reason_en=reason_en,
                          sheet=sheet)

    if check_cls is None:
        return not_checked("Chưa cài plugin kiểm tra cho quy tắc này.",
                           "No check plugin is installed for this rule.")
    params = check_params(check_cls, rule, ctx.ruleset.files[0].name)
    for need in check_cls.needs:
        if failed and need in failed:
            return not_checked(*failed[need])
    try:
        raw = tuple(check_cls().run(ctx, params))
    except NotChecked as exc:
        return not_checked(exc.reason_vi, exc.reason_en)
    except AuditorError as exc:  # an input the check reads itself (a registry) is unusable
        return not_checked(exc.text("vi"), exc.text("en"))
    except Exception as exc:  # a bug in one check must not sink the whole audit
        log.exception("check %s crashed", rule.id)
        return not_checked(f"Lỗi khi chạy kiểm tra: {exc!r}", f"The check crashed: {exc!r}")
    findings = tuple(
        _waive(
            dataclasses.replace(f, severity=rule.severity)
            if f.severity is Severity.VIOLATION else f,
            ctx.config.waivers, ctx.today,
        )
        for f in raw
    )
    return RuleResult(rule.id, rule.title, rule.title_en, rule.basis, _status(findings),
                      findings=findings, sheet=sheet)


def run_all(ctx: AuditContext,
            failed: Mapping[str, tuple[str, str]] | None = None) -> list[RuleResult]:
    return [run_rule(rule, ctx, failed) for rule in ctx.ruleset.enabled()]


def restrict(result: RuleResult, period: Period) -> RuleResult:
    """The result as the period's report shows it."""
    if result.status is RuleStatus.NOT_CHECKED:
        return result
    kept = tuple(f for f in result.findings if in_period(f, period))
    return dataclasses.replace(result, findings=kept, status=_status(kept))
