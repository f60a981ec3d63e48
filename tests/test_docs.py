"""Documentation that cannot drift: the README names every rule and every
setting, and every check documents itself (STYLE.md §2, §9)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel

from auditor.checks.registry import available_checks
from auditor.config import Config
from auditor.ruleset import load_ruleset

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def settings(model: type[BaseModel], prefix: str = "") -> Iterator[str]:
    for name, info in model.model_fields.items():
        if name == "base_dir":
            continue
        ann = info.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            yield from settings(ann, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}"


@pytest.mark.parametrize("key", list(settings(Config)))
def test_every_setting_is_in_the_readme(key: str) -> None:
    section, _, leaf = key.rpartition(".")
    if not section:
        assert f"[[{key}]]" in README or f"`{key}" in README, key
        return
    assert f"`{key}`" in README or (f"`{section}." in README and f".{leaf}`" in README), key


@pytest.mark.parametrize("rule", sorted(load_ruleset().rules))
def test_every_rule_is_in_the_readme(rule: str) -> None:
    assert f"`{rule}`" in README


@pytest.mark.parametrize("rule", sorted(available_checks()))
def test_every_check_documents_itself(rule: str) -> None:
    check = available_checks()[rule]
    doc = check.doc()
    assert "Fails:" in doc and "Passes:" in doc, rule
    assert "Điều" in doc, rule  # the article it enforces
    spec = load_ruleset().rules[rule]  # every plugin has its table in the default set
    assert {p.name for p in check.parameters} <= set(spec.params), rule
