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
from auditor.errors import ConfigError, NotChecked
from auditor.results import Finding, FindingStatus, RuleResult, RuleStatus, Severity
from auditor.ruleset import RuleConfig
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


def _waive(finding: Finding, waivers: Iterable[WaiverConfig], today: date) -> Finding:
    for w in waivers:
        if w.rule != finding.rule or (w.until and w.until < today):
            continue
        if w.subject and w.subject != finding.subject:
            continue
        if w.fingerprint and w.fingerprint != finding.fingerprint:
            continue
        return dataclasses.replace(finding, status=FindingStatus.WAIVED, waiver_reason=w.reason)
    return finding


def _status(findings: tuple[Finding, ...]) -> RuleStatus:
    violations = [f for f in findings if f.severity is Severity.VIOLATION]
    if any(f.status is FindingStatus.OPEN for f in violations):
        return RuleStatus.FAIL
    return RuleStatus.WAIVED if violations else RuleStatus.PASS


def in_period(finding: Finding, period: Period) -> bool:
    """Findings about no particular day (site-wide) belong to every period."""
    return finding.on is None or finding.on in period


def run_rule(rule: RuleConfig, ctx: AuditContext) -> RuleResult:
    """Run one rule over the whole span; its findings are not yet cut to the period."""
    check_cls = available_checks().get(rule.id)
    rule = dataclasses.replace(rule, title=fill(rule.title, ctx.config),
                               title_en=fill(rule.title_en, ctx.config, "en"))

    def not_checked(reason: str, reason_en: str) -> RuleResult:
        return RuleResult(rule.id, rule.title, rule.title_en, rule.basis,
                          RuleStatus.NOT_CHECKED, reason=reason, reason_en=reason_en)

    if check_cls is None:
        return not_checked("Chưa cài plugin kiểm tra cho quy tắc này.",
                           "No check plugin is installed for this rule.")
    params = check_params(check_cls, rule, ctx.ruleset.files[0].name)
    try:
        raw = tuple(check_cls().run(ctx, params))
    except NotChecked as exc:
        return not_checked(exc.reason_vi, exc.reason_en)
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
                      findings=findings)


def run_all(ctx: AuditContext) -> list[RuleResult]:
    return [run_rule(rule, ctx) for rule in ctx.ruleset.enabled()]


def restrict(result: RuleResult, period: Period) -> RuleResult:
    """The result as the period's report shows it."""
    if result.status is RuleStatus.NOT_CHECKED:
        return result
    kept = tuple(f for f in result.findings if in_period(f, period))
    return dataclasses.replace(result, findings=kept, status=_status(kept))
