"""One meaning per name (issue 17): no two modules of the package share a file name.

`registry.py` in three packages, `model.py` in two… meant a reader had to look at the
folder to know which "registry" an import brought in. Each module is named by what
it holds; a new module named like an existing one fails here, naming both.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import auditor

PACKAGE = Path(auditor.__file__).parent
# A package's own files, not modules a reader imports by name.
EXEMPT = {"__init__.py", "__main__.py"}
# Deliberate: a module of the command-line package is named after the command it mounts
# (``auditor disclosure`` → cli/disclosure.py, ``auditor report`` → cli/report.py); the
# commands are fixed by DESIGN.md, and the folder is the name's meaning.
COMMANDS = "cli"


def module_basenames(root: Path) -> dict[str, list[str]]:
    """File name → every module path (relative to the package) that has it."""
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if path.name not in EXEMPT and rel.parts[0] != COMMANDS:
            found[path.name].append(rel.as_posix())
    return found


def shared(found: dict[str, list[str]]) -> dict[str, list[str]]:
    return {name: paths for name, paths in found.items() if len(paths) > 1}


def test_no_two_modules_of_the_package_share_a_file_name() -> None:
    found = module_basenames(PACKAGE)
    assert len(found) > 100, "the scan must see the whole package"
    assert shared(found) == {}, "rename so that each file name has one meaning"


def test_the_check_names_both_modules_of_a_shared_name(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "batch").mkdir()
    (tmp_path / "cli").mkdir()
    for rel in ("site/__init__.py", "batch/__init__.py", "site/registry.py",
                "batch/registry.py", "batch/schools.py", "__main__.py", "cli/schools.py"):
        (tmp_path / rel).write_text("", encoding="utf-8")
    assert shared(module_basenames(tmp_path)) == {
        "registry.py": ["batch/registry.py", "site/registry.py"]}
