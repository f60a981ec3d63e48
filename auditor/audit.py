"""Orchestration: configuration and sources → audit context → engine → report.

The CLI calls :func:`run_audit`; tests and benchmarks may call
:func:`audit_files` to audit files with no configuration at all.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from auditor import __version__
from auditor.checks.interface import AuditContext
from auditor.config import Config, adhoc_config, load_config
from auditor.engine import restrict, run_all
from auditor.errors import UsageError
from auditor.model import Event, Post, PostStatus
from auditor.people import Directory
from auditor.resources import demo_dir
from auditor.results import AuditReport, RuleResult, SchoolInfo
from auditor.ruleset import RuleSet, load_ruleset
from auditor.tally import department_tallies, person_tallies
from auditor.timeutil import Period, month_bounds, school_year, tz


@dataclass(frozen=True)
class AuditOptions:
    """What the user asked for on the command line (all optional)."""

    config_path: Path | None = None
    demo: bool = False
    site: str | None = None
    export: Path | None = None
    events: Path | None = None
    month: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    as_of: date | None = None
    offline: bool = False
    progress: bool = False
    history: Path | None = None  # --history FILE; the demo uses a throw-away one otherwise
    lang: str = "vi"


@dataclass
class Inputs:
    """Model objects read from the sources, and what the reading noticed."""

    posts: tuple[Post, ...] | None = None
    posts_source: str | None = None
    events: tuple[Event, ...] | None = None
    site: Any | None = None
    site_unavailable: Any | None = None  # auditor.site.model.SiteUnavailable
    notices: list[str] = field(default_factory=list)


def load_setup(opts: AuditOptions) -> Config:
    """The configuration: the demo school's, the given file's, or an ad-hoc one."""
    if opts.demo:
        return load_config(demo_dir() / "auditor.toml")
    if opts.config_path is not None:
        return load_config(opts.config_path)
    default = Path("auditor.toml")
    if default.is_file():
        return load_config(default)
    if not (opts.export or opts.events or opts.site):
        raise UsageError(
            "Không có gì để kiểm tra: chưa có auditor.toml và chưa chỉ định nguồn dữ liệu.",
            hint="Dùng --demo để thử với trường mẫu, 'auditor init' để tạo cấu hình, "
                 "hoặc --export/--events/--site.",
            en="Nothing to check: there is no auditor.toml and no data source was given.",
            hint_en="Use --demo to try the sample school, 'auditor init' to write a "
                    "configuration, or --export/--events/--site.",
        )
    return adhoc_config(url=opts.site)


def period_for_month(key: str, mode: str) -> Period:
    """A report month: the calendar month, or the 26th of the previous month to the 25th."""
    try:
        start, end = month_bounds(key)
    except ValueError:
        raise UsageError(f"Tháng '{key}' không hợp lệ; cần dạng YYYY-MM, ví dụ 2026-10.",
                         en=f"Month '{key}' is not valid; expected YYYY-MM, e.g. 2026-10."
                         ) from None
    if mode == "25th":
        prev_end = start - timedelta(days=1)
        return Period(prev_end.replace(day=26), start.replace(day=25))
    return Period(start, end)


def resolve_dates(config: Config, opts: AuditOptions) -> tuple[datetime, Period, Period, Period]:
    """(as_of, period, school year, span) — see DESIGN.md, "Dates and time"."""
    zone = tz(config.school.timezone)
    as_of_day = opts.as_of or config.audit.as_of
    # --as-of D audits as if today were D: the whole of day D has passed.
    as_of = (datetime.combine(as_of_day, time(23, 59, 59), tzinfo=zone) if as_of_day
             else datetime.now(zone).replace(microsecond=0))
    today = as_of.date()
    m, d = config.school.year_start
    if opts.month and (opts.date_from or opts.date_to):
        raise UsageError("Chỉ dùng --month hoặc --from/--to, không dùng cả hai.",
                         en="Use either --month or --from/--to, not both.")
    if opts.month:
        period = period_for_month(opts.month, config.output.period)
    elif opts.date_from or opts.date_to:
        start = opts.date_from or school_year(opts.date_to or today, m, d).start
        period = Period(start, opts.date_to or today)
        if period.start > period.end:
            raise UsageError(f"--from {period.start:%d/%m/%Y} sau --to {period.end:%d/%m/%Y}.",
                             en=f"--from {period.start:%d/%m/%Y} is after "
                                f"--to {period.end:%d/%m/%Y}.")
    else:
        period = Period(school_year(today, m, d).start, today)
    year = school_year(min(period.end, today), m, d)
    span = Period(min(period.start, year.start), max(period.end, min(today, year.end)))
    return as_of, period, year, span


def normalise_people(posts: Sequence[Post], directory: Directory) -> tuple[Post, ...]:
    """Authors become the canonical person; a missing department comes from the config."""
    out = []
    for p in posts:
        person = directory.person(p.author)
        dept = p.department or directory.department_of(p.author)
        if person != p.author or dept != p.department:
            p = dataclasses.replace(p, author=person, department=dept)
        out.append(p)
    return tuple(out)


def read_inputs(config: Config, opts: AuditOptions) -> Inputs:
    """Read the export, the calendar and the site; command-line paths win over the config."""
    from auditor.sources.calendar import load_events
    from auditor.sources.export import load_export

    zone = tz(config.school.timezone)
    inputs = Inputs()
    src = config.sources
    export = opts.export or config.resolve(src.export)
    if export is not None:
        data = load_export(Path(export), columns=src.export_columns or None,
                           sheet=src.export_sheet, tz=zone)
        inputs.posts = normalise_people(data.posts, Directory(config))
        inputs.posts_source = "export"
        inputs.notices += [w.label() for w in data.warnings]
    events = opts.events or config.resolve(src.events)
    if events is not None:
        cal = load_events(Path(events), columns=src.events_columns or None,
                          sheet=src.events_sheet, tz=zone)
        inputs.events = cal.events
        inputs.notices += [w.label() for w in cal.warnings]
    return inputs


def as_seen_on(posts: Sequence[Post], as_of: datetime) -> tuple[Post, ...]:
    """The posts as they stood at `as_of`: later ones did not exist yet, and a post
    taken down after `as_of` was still published then (so --as-of is repeatable)."""
    out = []
    for p in posts:
        if p.published_at is not None and p.published_at > as_of:
            continue
        if p.created_at is not None and p.created_at > as_of:
            continue
        if p.status is PostStatus.DELETED and p.taken_down_at and p.taken_down_at > as_of:
            p = dataclasses.replace(p, status=PostStatus.PUBLISHED, taken_down_at=None)
        out.append(p)
    return tuple(out)


def build_context(config: Config, ruleset: RuleSet, opts: AuditOptions,
                  inputs: Inputs) -> AuditContext:
    as_of, period, year, span = resolve_dates(config, opts)
    directory = Directory(config)
    posts = None
    if inputs.posts is not None:  # site posts carry no CMS account: normalise again
        posts = as_seen_on(normalise_people(inputs.posts, directory), as_of)
    return AuditContext(
        config=config, ruleset=ruleset, period=period, span=span, school_year=year,
        as_of=as_of, tz=tz(config.school.timezone), directory=directory,
        posts=posts, posts_source=inputs.posts_source, events=inputs.events,
        site=inputs.site, site_unavailable=inputs.site_unavailable,
    )


def build_report(ctx: AuditContext, results: list[RuleResult], notices: Sequence[str],
                 generated_at: datetime | None = None) -> AuditReport:
    everything = [f for r in results for f in r.findings]
    threshold = ctx.ruleset.emulation_threshold
    extras: dict[str, Any] = dict(ctx.extras)
    # The Công khai section as this run saw it, for the report's sheet.
    from auditor.history.integrate import disclosure_snapshot

    state = disclosure_snapshot(ctx)
    if state is not None and state.items:
        extras["disclosure"] = state.report_rows(ctx.as_of)
    coverage = getattr(ctx.site, "coverage", None)
    if coverage is not None:  # what the crawl could read (JSON "coverage")
        extras.setdefault("coverage", {})["site"] = coverage.to_json()
    # Who signs the printed report (Người lập biểu, Hiệu trưởng): the board of auditor.toml.
    extras["signature"] = {"preparer": ctx.config.board.secretary,
                           "principal": ctx.config.board.head, "place": None}
    if "monthly" in extras:
        extras["monthly"] = [row for key, row in sorted(extras["monthly"].items())
                             if Period.month(key).end >= ctx.period.start
                             and Period.month(key).start <= ctx.period.end]
    if "events" in extras:
        extras["events"] = [row for row in extras["events"]
                            if row["deadline"].date() in ctx.period]
    config = ctx.config
    return AuditReport(
        tool_version=__version__,
        school=SchoolInfo(config.school.name, config.school.url, config.school.kind,
                          config.authority.name),
        period_start=ctx.period.start, period_end=ctx.period.end, as_of=ctx.as_of,
        generated_at=generated_at or datetime.now(ctx.tz).replace(microsecond=0),
        school_year_start=ctx.school_year.start, school_year_end=ctx.school_year.end,
        ruleset=ctx.ruleset.name,
        results=tuple(restrict(r, ctx.period) for r in results),
        departments=department_tallies(everything, ctx.period, ctx.school_year, threshold,
                                       known=ctx.directory.departments),
        persons=person_tallies(everything, ctx.period, ctx.school_year, threshold),
        emulation_threshold=threshold,
        notices=tuple(notices),
        extras=extras,
    )


def read_site_into(inputs: Inputs, config: Config, ruleset: RuleSet,
                   opts: AuditOptions) -> None:
    """Crawl the site (or serve and crawl the demo) and let the posting rules count
    only what the public can see (Điều 16.3: posts *on the portal*)."""
    from auditor.crawl.progress import make_progress
    from auditor.site.integrate import read_site, wants_site

    if not wants_site(config, demo=opts.demo, url=opts.site):
        return
    site = read_site(config, inputs.posts, ruleset=ruleset, demo=opts.demo,
                     offline=opts.offline, url=opts.site, lang=opts.lang,
                     progress=make_progress(lang=opts.lang, enabled=opts.progress))
    inputs.site = site.snapshot
    inputs.site_unavailable = site.unavailable
    inputs.posts, inputs.posts_source = site.posts, site.posts_source
    inputs.notices += site.notices


def run_audit(opts: AuditOptions) -> AuditReport:
    """The whole audit the `check` command performs: sources, checks, history."""
    import tempfile

    from auditor.history.integrate import record_audit, with_history
    from auditor.history.paths import history_path
    from auditor.history.store import HistoryStore

    config = load_setup(opts)
    ruleset = load_ruleset(config.rules.set, config.base_dir)
    resolve_dates(config, opts)  # a bad --month or --from fails before any crawling
    inputs = read_inputs(config, opts)
    read_site_into(inputs, config, ruleset, opts)
    with tempfile.TemporaryDirectory(prefix="auditor-demo-") as scratch:
        # The demo must not write into a school's real history.
        path = opts.history or (Path(scratch) / "demo-history.sqlite" if opts.demo
                                else history_path(config))
        with HistoryStore.open(path) as store:
            ctx = with_history(build_context(config, ruleset, opts, inputs), store)
            report = build_report(ctx, run_all(ctx), inputs.notices)
            _run_id, report = record_audit(store, ctx, report)
    return report


def audit_files(export: Path | None, events: Path | None, as_of: date,
                config: Config | None = None) -> AuditReport:
    """Audit an export and a calendar with no auditor.toml (benchmarks, tests)."""
    opts = AuditOptions(export=export, events=events, as_of=as_of)
    config = config or adhoc_config()
    ruleset = load_ruleset(config.rules.set, config.base_dir)
    inputs = read_inputs(config, opts)
    ctx = build_context(config, ruleset, opts, inputs)
    return build_report(ctx, run_all(ctx), inputs.notices)
