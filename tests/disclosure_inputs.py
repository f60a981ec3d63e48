"""Builders of the disclosure rules' case inputs (registered in tests/rule_inputs.py).

``[case.disclosure_site]`` — a crawled site reduced to what the Công khai rules
read: the menu, and the section with its items::

    [case.disclosure_site]
    section = "/cong-khai/c/1025"        # omit: the menu names no section
    click_path = ["Công khai"]           # default: [title of the menu entry]
    status = 200
    nav = [{ title = "Công khai", url = "/cong-khai/c/1025" }]
    items = [{ title = "…", url = "/cong-khai/x/ct/1025/15127", status = 200,
               hidden_by_css = false, published_at = 2026-09-12 }]

``[case.history]`` — earlier runs kept in a real (in-memory) history store::

    link_reports = [{ url = "/cong-khai/c/2040", on = 2026-11-05 }]
    [[case.history.runs]]
    as_of = 2026-11-02
    section = "/cong-khai/c/1025"
    items = [{ title = "…", url = "…", hidden = "css" }]

Paths are relative to the runner's school address. A second fetch during a
case goes to 127.0.0.1:9, where nothing listens: a real, immediate network
failure, never a request off the machine.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from auditor.checks.disclosure_common import item_key
from auditor.history import DisclosureRecord, DisclosureState, HistoryStore
from auditor.site.snapshot import DisclosureItem, DisclosureSection, NavItem, SiteSnapshot
from tests._history_support import report

SCHOOL = "https://thcsthunghiem.haiphong.edu.vn"
NOWHERE = "http://127.0.0.1:9"


def _abs(url: str | None) -> str | None:
    return SCHOOL + url if url and url.startswith("/") else url


def _nav(raw: dict[str, Any]) -> NavItem:
    return NavItem(raw["title"], _abs(raw.get("url")),
                   tuple(_nav(c) for c in raw.get("children", [])))


def _when(value: Any, zone: ZoneInfo) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, 8, 0, tzinfo=zone)
    return None


def _status(value: Any) -> int | None:
    """``"none"``: the fetch failed (no HTTP answer)."""
    return None if value == "none" else int(value)


def disclosure_site(case: dict[str, Any], zone: ZoneInfo) -> dict[str, Any]:
    raw = case["disclosure_site"]
    nav = tuple(_nav(n) for n in raw.get("nav", []))
    section = None
    if "section" in raw:
        url = _abs(raw["section"]) or ""
        title = next((n.title for n in nav if n.url == url), "Công khai")
        items = tuple(
            DisclosureItem(title=i["title"], url=_abs(i.get("url")),
                           status=_status(i.get("status", 200)),
                           hidden_by_css=i.get("hidden_by_css", False),
                           published_at=_when(i.get("published_at"), zone))
            for i in raw.get("items", []))
        section = DisclosureSection(
            url=url, menu_title=title, click_path=tuple(raw.get("click_path", [title])),
            linked_from_home=raw.get("linked_from_home", True),
            status=_status(raw.get("status", 200)),
            final_url=url, items=items)
    site = SiteSnapshot(base_url=SCHOOL + "/", profile="haiphong-edu", nav=nav,
                        disclosure=section, served_from=NOWHERE)
    return {"site": site}


def history(case: dict[str, Any], zone: ZoneInfo) -> dict[str, Any]:
    raw = case["history"]
    store = HistoryStore.open(":memory:")
    for run in raw.get("runs", []):
        items = tuple(
            DisclosureRecord(key=item_key(_abs(i.get("url")), i.get("post_id"), i["title"]),
                             title=i["title"], url=_abs(i.get("url")), status=i.get("status"),
                             hidden=i.get("hidden"), source=i.get("source", "site"),
                             post_id=i.get("post_id"))
            for i in run.get("items", []))
        state = DisclosureState(url=_abs(run.get("section")), status=200, items=items)
        store.record_run(report(run["as_of"], [], school_url=SCHOOL), snapshot_disclosure=state)
    for link in raw.get("link_reports", []):
        store.add_link_report(SCHOOL, _abs(link["url"]) or "", link["on"], link.get("note"))
    return {"history": store}
