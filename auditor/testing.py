"""Rule cases for any rule, the project's or a plugin's (as sqlfluff's ``utils/testing``).

A rule case file is TOML: the rule id, then ``[[case]]`` tables with the inputs, the
audit's "today" and what the rule must find (the format is in tests/rule_cases/README.md
and CONTRIBUTING.md). A plugin's own tests call this module::

    from auditor.testing import assert_case, load_cases

    @pytest.mark.parametrize("case", load_cases(HERE / "cases.toml"), ids=str)
    def test_my_rule(case, tmp_path):
        assert_case(case, tmp_path, check=MyCheck)

Inputs: ``posts`` (one table per post), ``bulk`` (many published posts of a month) and
``events`` are built here; other kinds of input come as extra builders, each taking the
case table and the time zone and returning keyword arguments of
:class:`~auditor.checks.interface.AuditContext`.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from auditor.checks.interface import AuditContext, Check
from auditor.config import parse_config
from auditor.engine import restrict, run_rule
from auditor.model import Event, EventKind, Organiser, Post, PostStatus
from auditor.people import Directory
from auditor.results import RuleResult
from auditor.ruleset import DEFAULT_RULESET, RuleSet, load_ruleset
from auditor.timeutil import Period, school_year, tz

Builder = Callable[[dict[str, Any], ZoneInfo], dict[str, Any]]

SCHOOL = {"name": "Trường THCS Thử Nghiệm", "url": "https://thcsthunghiem.haiphong.edu.vn"}


@dataclass(frozen=True)
class RuleCase:
    """One ``[[case]]`` of a rule case file."""

    rule: str
    name: str
    data: dict[str, Any]
    path: Path  # the case file: a ``ruleset`` path is relative to its folder
    ruleset: str = DEFAULT_RULESET  # the file's ``ruleset``, unless the case names its own

    @property
    def expect_status(self) -> str:
        return str(self.data["expect_status"])

    def __str__(self) -> str:
        return f"{self.path.stem}::{self.name}"


def load_cases(path: Path) -> list[RuleCase]:
    """The cases of one rule case file."""
    path = Path(path)
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    rule = raw["rule"]
    ruleset = str(raw.get("ruleset", DEFAULT_RULESET))
    return [RuleCase(rule, case["name"], case, path, ruleset) for case in raw["case"]]


def load_folder(folder: Path) -> list[RuleCase]:
    """The cases of every ``*.toml`` in `folder`, by file name."""
    return [case for path in sorted(Path(folder).glob("*.toml")) for case in load_cases(path)]


# --- inputs ---------------------------------------------------------------------------

def when(value: Any, zone: ZoneInfo) -> datetime | None:
    """A TOML date, date-time or ISO text as an aware datetime in `zone`."""
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


BUILDERS: dict[str, Builder] = {"posts": posts, "bulk": posts, "events": events}


# --- running and judging ----------------------------------------------------------------

def _ruleset(case: RuleCase) -> RuleSet:
    ruleset = load_ruleset(str(case.data.get("ruleset", case.ruleset)), case.path.parent)
    if case.rule not in ruleset.rules:
        raise LookupError(f"{case}: the rule set {ruleset.name!r} has no rule {case.rule!r} "
                          "(name a rule set file that adds it: ruleset = \"…toml\")")
    if "params" in case.data:  # a case may try other thresholds
        spec = ruleset.rules[case.rule]
        ruleset.rules[case.rule] = dataclasses.replace(
            spec, params={**spec.params, **case.data["params"]})
    return ruleset


def context_for(case: RuleCase, workdir: Path,
                builders: Mapping[str, Builder] | None = None) -> AuditContext:
    """The audit context a case describes; `workdir` stands for the config's folder."""
    data = case.data
    raw_config: dict[str, Any] = {"school": dict(SCHOOL)}
    raw_config.update(data.get("config", {}))
    config = parse_config(raw_config, "case", workdir)
    zone = tz(config.school.timezone)
    today: date = data["as_of"]
    m, d = config.school.year_start
    year = school_year(today, m, d)
    if "period" in data:
        first, last = (date.fromisoformat(day) for day in data["period"])
        period = Period(first, last)
    else:
        period = Period(year.start, today)
    span = Period(min(period.start, year.start), max(period.end, min(today, year.end)))
    kwargs: dict[str, Any] = {}
    for key, build in {**BUILDERS, **(builders or {})}.items():
        if key in data:
            kwargs.update(build(data, zone))
    return AuditContext(
        config=config, ruleset=_ruleset(case), period=period, span=span, school_year=year,
        as_of=datetime.combine(today, time(23, 59, 59), tzinfo=zone), tz=zone,
        directory=Directory(config), **kwargs,
    )


def run_case(case: RuleCase, workdir: Path, *, builders: Mapping[str, Builder] | None = None,
             check: type[Check] | None = None) -> tuple[RuleResult, AuditContext]:
    """Run the case's rule (`check`: this class, else the registered plugin) over its
    inputs; the result is cut to the period, as the report shows it."""
    ctx = context_for(case, workdir, builders)
    return restrict(run_rule(ctx.ruleset.rules[case.rule], ctx, check=check), ctx.period), ctx


def assert_result(case: RuleCase, result: RuleResult) -> None:
    """The status and the findings (subject, severity and the details named) the case expects."""
    data = case.data
    assert result.status.value == data["expect_status"], (
        f"{case}: status {result.status.value}, expected {data['expect_status']}",
        result.reason, result.findings)
    got = sorted((f.subject, f.severity.value) for f in result.findings)
    want = sorted((e["subject"], e["severity"]) for e in data.get("expect", []))
    assert got == want, f"{case}: findings {got}, expected {want}"
    for expected in data.get("expect", []):
        finding = next(f for f in result.findings if f.subject == expected["subject"])
        for key in ("department", "person", "post_id"):
            if key in expected:
                assert getattr(finding, key) == expected[key], f"{case}: {key}"
        for key, value in expected.get("evidence", {}).items():
            assert finding.evidence[key] == value, f"{case}: evidence {key}"
        if "message_contains" in expected:
            assert expected["message_contains"] in finding.message, f"{case}: message"


def assert_case(case: RuleCase, workdir: Path, *,
                builders: Mapping[str, Builder] | None = None,
                check: type[Check] | None = None) -> RuleResult:
    """Run one case and assert what it expects; returns the result for further checks."""
    result, _ = run_case(case, workdir, builders=builders, check=check)
    assert_result(case, result)
    return result


def coverage(cases: list[RuleCase]) -> dict[str, set[str]]:
    """The statuses the cases expect, by rule id (every rule needs a pass and a fail)."""
    covered: dict[str, set[str]] = {}
    for case in cases:
        covered.setdefault(case.rule, set()).add(case.expect_status)
    return covered
