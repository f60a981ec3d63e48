"""Every rule's pass/fail cases, run by the package's rule-case runner (auditor.testing).

Cases live in tests/rule_cases/<rule id>.toml (format in the README there).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from auditor.checks.interface import AuditContext
from auditor.ruleset import load_ruleset
from auditor.testing import RuleCase, assert_case, coverage, load_folder
from auditor.testing import context_for as case_context
from tests.rule_inputs import BUILDERS

CASES = Path(__file__).parent / "rule_cases"
ALL = load_folder(CASES)


def context_for(rule: str, case: dict[str, Any], tmp_path: Path) -> AuditContext:
    """The context of a case table (for tests that build a case by hand)."""
    return case_context(RuleCase(rule, case.get("name", "by hand"), case, CASES / rule),
                        tmp_path, BUILDERS)


@pytest.mark.parametrize("case", ALL, ids=str)
def test_rule_case(case: RuleCase, tmp_path: Path) -> None:
    assert_case(case, tmp_path, builders=BUILDERS)


def test_every_rule_has_pass_and_fail_cases() -> None:
    """Each enabled rule of the default rule set has at least one passing and one failing case."""
    covered = coverage(ALL)
    for rule in load_ruleset().enabled():
        assert {"pass", "fail"} <= covered.get(rule.id, set()), rule.id
