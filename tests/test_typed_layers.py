"""Typed data between layers (issue 17.1): no dict of "extras" rides on the report, the
audit context or the crawled site, and every field of the audit context has a real type."""

from __future__ import annotations

import dataclasses
import typing
from pathlib import Path

import pytest

from auditor.checks.interface import AuditContext
from auditor.results import AuditReport
from auditor.site.reconcile import Reconciliation
from auditor.site.snapshot import SiteSnapshot

PACKAGE = Path(__file__).resolve().parent.parent / "auditor"


def _hints(cls: type) -> dict[str, object]:
    # Names the modules import for annotations only (TYPE_CHECKING) are given here, so a
    # hint that does not resolve to a real type fails instead of passing unread.
    from auditor.crawl.client import PageFetcher

    return typing.get_type_hints(cls, localns={"PageFetcher": PageFetcher,
                                               "Reconciliation": Reconciliation})


def _mentions_any(hint: object) -> bool:
    if hint is typing.Any:
        return True
    return any(_mentions_any(arg) for arg in typing.get_args(hint))


def test_no_field_of_the_audit_context_is_typed_any() -> None:
    hints = _hints(AuditContext)
    assert {f.name for f in dataclasses.fields(AuditContext)} <= set(hints)
    loose = [name for name, hint in hints.items() if _mentions_any(hint)]
    assert loose == []
    assert hints["site"] == SiteSnapshot | None
    assert typing.get_type_hints(AuditContext.require_site)["return"] is SiteSnapshot


@pytest.mark.parametrize("cls", [AuditReport, AuditContext, SiteSnapshot, Reconciliation])
def test_no_extras_attribute(cls: type) -> None:
    assert "extras" not in {f.name for f in dataclasses.fields(cls)}
    assert not hasattr(cls, "extras")


def test_what_once_rode_in_extras_has_a_type_of_its_own() -> None:
    from auditor.results import Coverage, FixedFinding, Gap, HistoryComparison, Signatories

    report = _hints(AuditReport)
    assert report["comparison"] == HistoryComparison | None
    assert report["signature"] == Signatories | None
    assert report["coverage"] == Coverage | None
    assert report["incomplete"] == tuple[Gap, ...]
    assert typing.get_type_hints(HistoryComparison)["fixed"] == tuple[FixedFinding, ...]
    site = _hints(SiteSnapshot)
    for name in ("served_from", "attachments", "attachments_refused", "crawl_left",
                 "robots_blocked", "stopped"):
        assert not _mentions_any(site[name]), name
    assert _hints(AuditContext)["reconciliation"] == Reconciliation | None


def test_the_package_passes_no_extras_dict() -> None:
    """No code reads or writes an ``extras`` mapping (prose such as "extra cells" aside)."""
    found = [f"{path.relative_to(PACKAGE)}:{no}: {line.strip()}"
             for path in sorted(PACKAGE.rglob("*.py"))
             for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if any(use in line for use in ('extras[', 'extras.', 'extras=', '"extras"',
                                           'extras:', '.extras'))]
    assert found == []
