"""The Công khai checklist for the report: one row per item the catalogue requires.

Statistics, not verdicts: the state of each required item as this run saw it
(có / thiếu / ẩn / lỗi 404 / quá hạn), with its form name, Căn cứ, link and
when it was actually seen. The verdicts are ``disclosure.required-items``'s
findings; this row only restates them next to the items that passed.
"""

from __future__ import annotations

from collections.abc import Sequence

from auditor.checks.disclosure_catalogue import RequiredItem
from auditor.checks.interface import AuditContext
from auditor.history.records import DisclosureRecord
from auditor.results import DisclosureRow, Finding


def _broken(record: DisclosureRecord) -> bool:
    return (record.status or 0) >= 400 or (record.hidden or "").startswith("http:")


def checklist_row(ctx: AuditContext, document: str, item: RequiredItem,
                  records: Sequence[DisclosureRecord], findings: Sequence[Finding]
                  ) -> DisclosureRow:
    candidates = [r for r in records if item.matches(r.title)]
    visible = [r for r in candidates if r.visible and not _broken(r)]
    shown = visible[0] if visible else (candidates[0] if candidates else None)
    if visible:
        status = "outdated" if findings else "present"
    elif any(_broken(r) for r in candidates):
        status = "broken"
    elif candidates:
        status = "hidden"
    else:
        status = "missing"
    seen = None
    if visible and ctx.site is not None and "site" in visible[0].source:
        seen = getattr(ctx.site, "fetched_at", None)
    return DisclosureRow(item=item.id, title=item.title, status=status,
                         clause=f"{document}, {item.clause}",
                         url=shown.url if shown else None, last_seen=seen)
