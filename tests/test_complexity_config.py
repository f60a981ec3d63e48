"""Small functions stay enforced: ruff's C901 at complexity 10, run by CI (issue 17.5)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _ruff_lint() -> dict[str, Any]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    lint: dict[str, Any] = config.get("tool", {}).get("ruff", {}).get("lint", {})
    return lint


def _covers(code: str, selectors: object) -> bool:
    """Does one of ruff's rule selectors ("C", "C9", "C90", "C901", "ALL") take in `code`?"""
    return isinstance(selectors, list) and any(
        s == "ALL" or code.startswith(str(s)) for s in selectors)


def test_ruff_selects_c901_at_complexity_ten() -> None:
    lint = _ruff_lint()
    selected = [*lint.get("select", []), *lint.get("extend-select", [])]
    assert _covers("C901", selected), "C901 is not selected in [tool.ruff.lint]"
    assert not _covers("C901", lint.get("ignore", [])), "C901 is ignored"
    assert not _covers("C901", lint.get("extend-ignore", [])), "C901 is ignored"
    limit = lint.get("mccabe", {}).get("max-complexity")
    # ruff's default is 10 too, but an unset value is one edit away from a silent change.
    assert isinstance(limit, int) and limit <= 10, f"max-complexity = {limit!r}"


def test_ci_runs_ruff_on_the_whole_tree() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line.strip() for line in ci.splitlines() if not line.lstrip().startswith("#")]
    assert any(re.fullmatch(r"ruff check \.", c) for c in commands), ".ci/run does not run ruff"
