"""The layers stay enforced: import-linter's contracts in pyproject.toml, run by CI (issue 17.4).

`lint-imports` in .ci/run checks every contract on every push; these tests keep the
contracts from being weakened or dropped in passing, and check the four import rules of
the issue on the package as it is.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _contracts() -> dict[str, dict[str, Any]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    linter = config["tool"]["importlinter"]
    assert linter["root_package"] == "auditor"
    return {c["id"]: c for c in linter["contracts"]}


def _forbids(contract: dict[str, Any], source: str, *targets: str) -> bool:
    """A forbidden contract from `source` to every target, indirect imports included."""
    return (contract["type"] == "forbidden" and contract["source_modules"] == [source]
            and set(targets) <= set(contract["forbidden_modules"])
            and not contract.get("allow_indirect_imports", False)
            and not contract.get("ignore_imports"))


def test_every_top_level_module_has_a_layer_and_render_sits_below_audit() -> None:
    layers = _contracts()["layers"]
    assert layers["type"] == "layers" and layers["containers"] == ["auditor"]
    assert layers["exhaustive"] is True and not layers.get("ignore_imports")
    order = [re.split(r"\s*[|:]\s*", layer) for layer in layers["layers"]]
    where = {name.strip("()"): i for i, names in enumerate(order) for name in names}
    assert where["cli"] < where["audit"] < where["render"] < where["checks"] < where["crawl"]
    assert where["checks"] < where["history"] and where["checks"] < where["site"]
    assert where["site"] < where["crawl"] and where["sources"] < where["crawl"]


def test_the_four_import_rules_of_the_issue_are_contracts() -> None:
    contracts = _contracts()
    assert _forbids(contracts["render-reads-results"], "auditor.render",
                    "auditor.checks", "auditor.engine")
    assert _forbids(contracts["crawl-below-site"], "auditor.crawl",
                    "auditor.site", "auditor.history")
    assert _forbids(contracts["history-below-checks"], "auditor.history", "auditor.checks")
    assert _forbids(contracts["sources-on-utilities"], "auditor.sources", "auditor.crawl",
                    "auditor.site", "auditor.history", "auditor.checks", "auditor.render")
    cycles = contracts["no-cycles"]
    assert cycles["type"] == "acyclic_siblings" and cycles["ancestors"] == ["auditor"]
    assert not cycles.get("ignore_imports")


def test_ci_runs_lint_imports_and_stops_when_a_contract_is_broken() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line.strip() for line in ci.splitlines() if not line.lstrip().startswith("#")]
    assert "set -euo pipefail" in commands, ".ci/run must stop at the first failing step"
    assert any(re.fullmatch(r"lint-imports(\s.*)?", c) for c in commands), \
        ".ci/run does not run lint-imports"


def test_the_package_keeps_the_import_rules() -> None:
    """render never reaches the checks, crawl never the site or the history, the history
    never the checks, sources only the utilities (the layers and cycles: CI's full run)."""
    exe = shutil.which("lint-imports")
    if exe is None:
        pytest.fail("lint-imports is not installed: pip install -e '.[test]'")
    ids = ["render-reads-results", "crawl-below-site", "history-below-checks",
           "sources-on-utilities"]
    run = subprocess.run([exe, "--no-cache", *(a for i in ids for a in ("--contract", i))],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert run.stdout.count("KEPT") == len(ids)
