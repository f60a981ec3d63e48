"""Where the bundled data lives: rules/, reports/ and the demo school.

In a wheel they are copied into ``auditor/_data``; in a source checkout they
sit at the repository's top level.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_path(*parts: str) -> Path:
    installed = _PACKAGE / "_data"
    if installed.is_dir():
        return installed.joinpath(*parts)
    return _PACKAGE.parent.joinpath(*parts)


def rules_dir() -> Path:
    return data_path("rules")


def reports_dir() -> Path:
    return data_path("reports")


def demo_dir() -> Path:
    return data_path("fixtures", "demo")
