"""One parametrised runner over the pass/fail cases of every rule.

Cases live in tests/rule_cases/<rule id>.toml (format in the README there).
"""

from __future__ import annotations

import tomllib
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest

from auditor.checks.interface import AuditContext
from auditor.config import parse_config
from auditor.engine import restrict, run_rule
from auditor.people import Directory
from auditor.ruleset import load_ruleset
from auditor.timeutil import Period, school_year, tz
from tests.rule_inputs import BUILDERS

CASES = Path(__file__).parent / "rule_cases"


def _cases() -> list[Any]:
    found = []
    for path in sorted(CASES.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for case in data["case"]:
            found.append(pytest.param(data["rule"], case, id=f"{path.stem}::{case['name']}"))
    return found


def context_for(rule: str, case: dict[str, Any], tmp_path: Path) -> AuditContext:
    raw_config = {"school": {"name": "Trường THCS Thử Nghiệm",
                             "url": "https://thcsthunghiem.haiphong.edu.vn"}}
    raw_config.update(case.get("config", {}))
    config = parse_config(raw_config, "case", tmp_path)
    ruleset = load_ruleset(case.get("ruleset", "qd111-thcs"))
    if "params" in case:  # a case may try other thresholds
        spec = ruleset.rules[rule]
        ruleset.rules[rule] = type(spec)(**{**spec.__dict__,
                                            "params": {**spec.params, **case["params"]}})
    zone = tz(config.school.timezone)
    today: date = case["as_of"]
    m, d = config.school.year_start
    year = school_year(today, m, d)
    if "period" in case:
        first, last = (date.fromisoformat(d) for d in case["period"])
        period = Period(first, last)
    else:
        period = Period(year.start, today)
    span = Period(min(period.start, year.start), max(period.end, min(today, year.end)))
    kwargs: dict[str, Any] = {}
    for key, build in BUILDERS.items():
        if key in case:
            kwargs.update(build(case, zone))
    return AuditContext(
        config=config, ruleset=ruleset, period=period, span=span, school_year=year,
        as_of=datetime.combine(today, time(23, 59, 59), tzinfo=zone), tz=zone,
        directory=Directory(config), **kwargs,
    )


@pytest.mark.parametrize(("rule", "case"), _cases())
def test_rule_case(rule: str, case: dict[str, Any], tmp_path: Path) -> None:
    ctx = context_for(rule, case, tmp_path)
    result = restrict(run_rule(ctx.ruleset.rules[rule], ctx), ctx.period)
    assert result.status.value == case["expect_status"], (result.reason, result.findings)
    got = sorted((f.subject, f.severity.value) for f in result.findings)
    want = sorted((e["subject"], e["severity"]) for e in case.get("expect", []))
    assert got == want
    for expected in case.get("expect", []):
        finding = next(f for f in result.findings if f.subject == expected["subject"])
        for key in ("department", "person", "post_id"):
            if key in expected:
                assert getattr(finding, key) == expected[key]
        for key, value in expected.get("evidence", {}).items():
            assert finding.evidence[key] == value, key
        if "message_contains" in expected:
            assert expected["message_contains"] in finding.message


def test_every_rule_has_pass_and_fail_cases() -> None:
    """Each enabled rule of the default rule set has at least one passing and one failing case."""
    ruleset = load_ruleset()
    covered: dict[str, set[str]] = {}
    for param in _cases():
        rule, case = param.values
        covered.setdefault(rule, set()).add(case["expect_status"])
    for rule in ruleset.enabled():
        assert {"pass", "fail"} <= covered.get(rule.id, set()), rule.id
