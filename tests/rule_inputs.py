"""Builds the inputs of a rule case (tests/rule_cases/*.toml) into model objects.

Each key of a case that names an input kind ("posts", "events", "bulk", …)
has a builder here. To give the shared runner a new kind of input (a crawled
site, a history), add a builder to BUILDERS: it receives the case table and
the time zone and returns keyword arguments for AuditContext.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from auditor.model import Event, EventKind, Organiser, Post, PostStatus
from tests import disclosure_inputs, site_inputs


def when(value: Any, zone: ZoneInfo) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=zone)
    return datetime.fromisoformat(str(value)).replace(tzinfo=zone)


_TIMES = {"created_at", "submitted_at", "edited_at", "approved_at", "published_at",
          "taken_down_at"}


def build_post(raw: dict[str, Any], index: int, zone: ZoneInfo) -> Post:
    fields = dict(raw)
    fields.setdefault("post_id", f"P{index}")
    fields.setdefault("title", f"Tin bài số {index}")
    fields["status"] = PostStatus(fields.get("status", "published"))
    for key in _TIMES & fields.keys():
        fields[key] = when(fields[key], zone)
    return Post(**fields)


def posts(case: dict[str, Any], zone: ZoneInfo) -> dict[str, Any]:
    built = [build_post(raw, i, zone) for i, raw in enumerate(case.get("posts", []), 1)]
    # [[case.bulk]]: `count` published posts in `month`, `proposed` of them ticked.
    for spec in case.get("bulk", []):
        year, month = (int(p) for p in spec["month"].split("-"))
        for i in range(spec["count"]):
            built.append(Post(
                post_id=f"B{spec['month']}-{i}", title=f"Tin bài {spec['month']} số {i}",
                status=PostStatus.PUBLISHED, category=spec.get("category", "Tin tức"),
                published_at=datetime(year, month, 1 + i % 28, 9, 0, tzinfo=zone),
                proposed_to_authority=i < spec.get("proposed", 0),
            ))
    return {"posts": tuple(built), "posts_source": case.get("posts_source", "export")}


def events(case: dict[str, Any], zone: ZoneInfo) -> dict[str, Any]:
    built = []
    for i, raw in enumerate(case.get("events", []), 1):
        fields = dict(raw)
        fields.setdefault("event_id", f"E{i}")
        fields["start"] = when(fields["start"], zone)
        fields["end"] = when(fields.get("end", raw["start"]), zone)
        fields["organiser"] = Organiser(fields.get("organiser", "school"))
        fields["kind"] = EventKind(fields.get("kind", "event"))
        if "info_received_at" in fields:
            fields["info_received_at"] = when(fields["info_received_at"], zone)
        built.append(Event(**fields))
    return {"events": tuple(built)}


BUILDERS: dict[str, Callable[[dict[str, Any], ZoneInfo], dict[str, Any]]] = {
    "posts": posts,
    "bulk": posts,
    "events": events,
    "disclosure_site": disclosure_inputs.disclosure_site,
    "history": disclosure_inputs.history,
    "site": site_inputs.site,
}
