"""Orchestration: configuration and sources → audit context → engine → report.

The CLI calls :func:`run_audit`; tests and benchmarks may call
:func:`audit_files` to audit files with no configuration at all.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from auditor import __version__
from auditor.checks.interface import AuditContext
from auditor.config import Config, adhoc_config, load_config
from auditor.engine import restrict, run_all, unused_waivers
from auditor.errors import ConfigError, UsageError, os_reason
from auditor.model import Event, Post, PostStatus
from auditor.people import Directory
from auditor.resources import demo_dir
from auditor.results import (
    AuditReport,
    DisclosureRow,
    Finding,
    Gap,
    ReportSections,
    RuleResult,
    SchoolInfo,
    Signatories,
)
from auditor.ruleset import RuleSet, load_ruleset
from auditor.tally import (
    department_months,
    department_tallies,
    person_tallies,
    unassigned_tally,
)
from auditor.timeutil import Period, month_bounds, months_between, school_year, tz

if TYPE_CHECKING:
    from auditor.site.reconcile import Reconciliation
    from auditor.site.snapshot import SiteSnapshot, SiteUnavailable
    from auditor.sources.headers import ColumnReport
    from auditor.sources.problems import RowWarning
    from auditor.sources.tabular import Limits


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
    only: tuple[str, ...] = ()  # --only RULE: run these rules alone
    cache: Path | None = None  # --cache FILE: the crawl cache
    quick: bool = False  # --quick: Điều 12.2's twice-daily check (see auditor.quick)


@dataclass(frozen=True)
class SourceGap:
    """A source that was asked for and failed: the rules that need it are not checked."""

    source: str  # "posts", "events", "site" (the names of Check.needs) or "history"
    reason: str
    reason_en: str


_Loaded = TypeVar("_Loaded")


@dataclass
class Inputs:
    """Model objects read from the sources, and what the reading noticed."""

    posts: tuple[Post, ...] | None = None
    posts_source: str | None = None
    events: tuple[Event, ...] | None = None
    site: SiteSnapshot | None = None
    reconciliation: Reconciliation | None = None
    site_unavailable: SiteUnavailable | None = None
    notices: list[str] = field(default_factory=list)
    export_columns: ColumnReport | None = None
    failed: list[SourceGap] = field(default_factory=list)


def select_rules(ruleset: RuleSet, only: Sequence[str]) -> RuleSet:
    """The rule set with only the rules `--only` names (all of them when none)."""
    if not only:
        return ruleset
    import difflib

    for rule_id in only:
        if rule_id not in ruleset.rules:
            near = difflib.get_close_matches(rule_id, list(ruleset.rules), n=1)
            guess_vi = f"; ý bạn là '{near[0]}'?" if near else "."
            guess_en = f"; did you mean '{near[0]}'?" if near else "."
            raise UsageError(f"--only: bộ quy tắc không có quy tắc '{rule_id}'{guess_vi}",
                             hint="Xem danh sách bằng 'auditor rules list'.",
                             en=f"--only: the rule set has no rule '{rule_id}'{guess_en}",
                             hint_en="See the list with 'auditor rules list'.")
    rules = {k: (r if k in only else dataclasses.replace(r, enabled=False))
             for k, r in ruleset.rules.items()}
    return dataclasses.replace(ruleset, rules=rules)


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


def _requested(config: Config, opts: AuditOptions) -> dict[str, bool]:
    src = config.sources
    return {"posts": bool(opts.export or src.export), "events": bool(opts.events or src.events),
            "site": bool(opts.demo or opts.site or src.site)}


def _partial(name: str, config: Config, opts: AuditOptions) -> bool:
    """A failing source costs only its rules when another source was asked for too;
    when it is the only one there is nothing to audit, and its error stops the run."""
    return any(on for other, on in _requested(config, opts).items() if other != name)


def read_inputs(config: Config, opts: AuditOptions) -> Inputs:
    """Read the export, the calendar and the site; command-line paths win over the config.

    With more than one source, an unreadable one becomes a :class:`SourceGap`: the
    rules that need it are "not checked", the others judge (a partial audit, exit 3).
    """
    from auditor.sources.bulk import long_lived
    from auditor.sources.tabular import Limits

    inputs = Inputs()
    src = config.sources
    limits = Limits(max_rows=src.max_rows, max_field_chars=src.max_field_chars,
                    max_unpacked_bytes=src.max_unpacked_mb << 20)
    export = opts.export or config.resolve(src.export)
    events = opts.events or config.resolve(src.events)
    with long_lived():
        if export is not None:
            _read_export(Path(export), config, opts, limits, inputs)
        if events is not None:
            _read_events(Path(events), config, opts, limits, inputs)
    return inputs


def _read_export(path: Path, config: Config, opts: AuditOptions, limits: Limits,
                 inputs: Inputs) -> None:
    """The CMS export into `inputs`: its posts and notices, or its gap."""
    from auditor.sources.export import load_export

    src = config.sources
    data = _load_or_gap(
        lambda: load_export(path, columns=src.export_columns or None, sheet=src.export_sheet,
                            tz=tz(config.school.timezone), limits=limits),
        SourceGap("posts", "Không đọc được tệp xuất CMS", "The CMS export could not be read"),
        config, opts, inputs)
    if data is None:
        return
    inputs.posts = normalise_people(data.posts, Directory(config))
    inputs.posts_source = "export"
    inputs.export_columns = data.columns
    _said(data.columns, data.warnings, opts, inputs)


def _read_events(path: Path, config: Config, opts: AuditOptions, limits: Limits,
                 inputs: Inputs) -> None:
    """The event calendar into `inputs`: its events and notices, or its gap."""
    from auditor.sources.calendar import load_events

    src = config.sources
    cal = _load_or_gap(
        lambda: load_events(path, columns=src.events_columns or None, sheet=src.events_sheet,
                            tz=tz(config.school.timezone), limits=limits),
        SourceGap("events", "Không đọc được lịch công tác", "The event calendar could not be read"),
        config, opts, inputs)
    if cal is None:
        return
    inputs.events = cal.events
    _said(cal.columns, cal.warnings, opts, inputs)


def _load_or_gap(load: Callable[[], _Loaded], gap: SourceGap, config: Config,
                 opts: AuditOptions, inputs: Inputs) -> _Loaded | None:
    """What `load` read; None, with `gap` (its reasons followed by the error's) noted in
    `inputs`, when it failed and other sources can still be audited (a partial audit)."""
    from auditor.errors import InputError

    try:
        return load()
    except InputError as exc:
        if not _partial(gap.source, config, opts):
            raise
        inputs.failed.append(SourceGap(gap.source, f"{gap.reason}: {exc.text('vi')}",
                                       f"{gap.reason_en}: {exc.text('en')}"))
        return None


def _said(columns: ColumnReport | None, warnings: Sequence[RowWarning], opts: AuditOptions,
          inputs: Inputs) -> None:
    """A source's notices: which header became which field (said once), then its warnings."""
    if columns is not None:
        inputs.notices.append(columns.notice(opts.lang))
    inputs.notices += [w.label() for w in warnings]


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
        site=inputs.site, reconciliation=inputs.reconciliation,
        site_unavailable=inputs.site_unavailable,
        export_columns=inputs.export_columns,
    )


def report_sections(ctx: AuditContext, findings: list[Finding],
                    year_to_date: Period) -> ReportSections:
    """The sheets' statistics: months from the school year's start to the period's end
    (the trend), the events due in the period, the Công khai section as this run saw it."""
    from auditor.checks.disclosure_common import disclosure_snapshot

    built = ctx.sections
    first = min(ctx.school_year.start, ctx.period.start)
    monthly = tuple(row for key, row in sorted(built.monthly.items())
                    if Period.month(key).end >= first and Period.month(key).start <= ctx.period.end)
    events = None if built.events is None else tuple(
        row for row in built.events if row.deadline.date() in ctx.period)
    disclosure = None if built.disclosure is None else tuple(built.disclosure)
    if disclosure is None:
        state = disclosure_snapshot(ctx)
        if state is not None and state.items:
            disclosure = tuple(DisclosureRow(**row) for row in state.report_rows(ctx.as_of))
    months = months_between(first, ctx.period.end)
    return ReportSections(
        monthly=monthly or None, events=events, disclosure=disclosure,
        departments_by_month=department_months(findings, months),
        unassigned=unassigned_tally(findings, ctx.period, year_to_date,
                                    ctx.ruleset.emulation_threshold),
        custom=tuple(built.custom))


def build_report(ctx: AuditContext, results: list[RuleResult], notices: Sequence[str],
                 generated_at: datetime | None = None) -> AuditReport:
    everything = [f for r in results for f in r.findings]
    threshold = ctx.ruleset.emulation_threshold
    from auditor.site.inputs import report_coverage

    # Who signs the printed report (Người lập biểu, Hiệu trưởng): the board of auditor.toml.
    signature = Signatories(preparer=ctx.config.board.secretary,
                            principal=ctx.config.board.head)
    # A report for a period counts what happened up to the period's end, not after it.
    year_to_date = Period(ctx.school_year.start, min(ctx.period.end, ctx.school_year.end))
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
        departments=department_tallies(everything, ctx.period, year_to_date, threshold,
                                       known=ctx.directory.departments),
        persons=person_tallies(everything, ctx.period, year_to_date, threshold),
        emulation_threshold=threshold,
        notices=tuple(notices),
        sections=report_sections(ctx, everything, year_to_date),
        signature=signature,
        coverage=report_coverage(ctx.site),  # what the crawl could read (JSON "coverage")
    )


def read_site_into(inputs: Inputs, config: Config, ruleset: RuleSet,
                   opts: AuditOptions) -> None:
    """Crawl the site (or serve and crawl the demo) and let the posting rules count
    only what the public can see (Điều 16.3: posts *on the portal*).

    A site that cannot be read (down, refusing, nothing cached for --offline) with
    other sources at hand is a :class:`SourceGap`: the site's rules are not checked,
    the posting rules use the export alone.
    """
    from auditor.crawl.progress import make_progress
    from auditor.errors import AuditIncomplete
    from auditor.site.inputs import read_site, unavailable_notice, wants_site
    from auditor.site.load import HomeRedirectedOffSite
    from auditor.site.snapshot import SiteUnavailable

    if not wants_site(config, demo=opts.demo, url=opts.site):
        return
    try:
        site = read_site(config, inputs.posts, ruleset=ruleset, demo=opts.demo,
                         offline=opts.offline, url=opts.site, lang=opts.lang,
                         cache_path=opts.cache, period=resolve_dates(config, opts)[1],
                         progress=make_progress(lang=opts.lang, enabled=opts.progress))
    except HomeRedirectedOffSite:
        raise
    except sqlite3.Error as exc:  # the crawl cache (SQLite): named, one line
        raise cache_error(config, opts, exc) from None
    except OSError as exc:  # the cache's folder cannot be made (read-only, a file there)
        where = cache_file(config, opts)
        if exc.filename is None or Path(exc.filename) not in (where, *where.parents):
            raise
        raise cache_error(config, opts, exc) from None
    except AuditIncomplete as exc:
        if not _partial("site", config, opts):
            if opts.offline:  # never suggest --offline to a run that used it
                exc.hint = "Chạy lại khi có mạng, không dùng --offline."
                exc.hint_en = "Run again while online, without --offline."
            raise
        if opts.offline:
            todo_vi, todo_en = ("Chạy lại khi có mạng, không dùng --offline.",
                                "Run again while online, without --offline.")
        else:
            todo_vi, todo_en = ("Kiểm tra địa chỉ và kết nối mạng rồi chạy lại.",
                                "Check the address and the network connection, then run again.")
        gone = SiteUnavailable(home=opts.site or config.sources.site or config.school.url or "",
                               reason_vi=f"{exc.text('vi').rstrip('. ')}. {todo_vi}",
                               reason_en=f"{exc.text('en').rstrip('. ')}. {todo_en}")
        inputs.site_unavailable = gone
        inputs.failed.append(SourceGap("site", gone.reason_vi, gone.reason_en))
        inputs.notices.append(unavailable_notice(gone, opts.lang, inputs.posts is not None))
        return
    inputs.site = site.snapshot
    inputs.reconciliation = site.reconciliation
    inputs.site_unavailable = site.unavailable
    inputs.posts, inputs.posts_source = site.posts, site.posts_source
    inputs.notices += site.notices


def cache_file(config: Config, opts: AuditOptions) -> Path:
    """--cache wins; then ``[crawl] cache`` (beside auditor.toml); then the per-user one."""
    from auditor.crawl.settings import default_cache_path

    if opts.cache is not None:
        return opts.cache
    configured = config.resolve(config.crawl.cache) if config.crawl.cache else None
    return configured or default_cache_path()


def cache_error(config: Config, opts: AuditOptions, exc: Exception) -> ConfigError:
    where = cache_file(config, opts)
    if isinstance(exc, OSError):
        why, why_en = os_reason(exc)
    elif "locked" in str(exc) or "busy" in str(exc):
        why, why_en = ("một lần chạy khác đang ghi bộ nhớ đệm; đã chờ mà chưa xong",
                       "another run is writing the cache; waited and it is not done")
    else:
        why_en = str(exc)
        why = "ổ đĩa đã đầy" if "full" in why_en else (
            "tệp bị hỏng" if "malformed" in why_en or "not a database" in why_en
            else "thư mục không tồn tại, chỉ cho đọc hoặc không có quyền ghi")
    return ConfigError(f"{where}: không dùng được bộ nhớ đệm thu thập ({why}).",
                       hint="Chọn chỗ ghi được bằng --cache TỆP hoặc [crawl] cache.",
                       en=f"{where}: the crawl cache cannot be used ({why_en}).",
                       hint_en="Choose a writable place with --cache FILE or [crawl] cache.")


def history_file(config: Config, opts: AuditOptions, scratch: Path) -> Path:
    """--history wins; the demo otherwise uses a throw-away file (never a school's real
    history); else ``[history] path`` or the per-user default."""
    from auditor.history.paths import history_path

    if opts.history is None and opts.demo:
        return scratch / "demo-history.sqlite"
    return history_path(config, opts.history)


def record_or_say(store: Any, ctx: AuditContext, report: AuditReport,
                  lang: str = "vi") -> AuditReport:
    """Annotate and record the run; a history that fails now (disk full, held by another
    run, damaged) costs the record, not the report: it says so and the audit is incomplete."""
    import sqlite3

    from auditor.checks.disclosure_common import disclosure_snapshot
    from auditor.errors import HistoryError
    from auditor.history.recording import record_audit

    try:
        _run_id, annotated = record_audit(store, report, disclosure_snapshot(ctx))
        return annotated
    except (sqlite3.Error, OSError, HistoryError) as exc:
        locked = "locked" in str(exc) or "busy" in str(exc)
        why_vi = ("một lần kiểm tra khác đang giữ tệp" if locked else str(exc))
        why_en = ("another run holds the file" if locked else str(exc))
        return mark_incomplete(
            report, "history",
            f"Không ghi được lần kiểm tra này vào lịch sử {store.path} ({why_vi}); báo cáo "
            "vẫn đầy đủ nhưng lần sau sẽ không so sánh được với lần này.",
            f"This run was not recorded in the history {store.path} ({why_en}); the report "
            "is complete but the next run cannot compare with this one.", lang)


def mark_incomplete(report: AuditReport, source: str, reason: str, reason_en: str,
                    lang: str = "vi", noticed: bool = False) -> AuditReport:
    """Record in the report that a source failed (exit 3: the audit is incomplete);
    the reason joins the notices unless a notice already said it (`noticed`)."""
    gaps = (*report.incomplete, Gap(source, reason, reason_en))
    notices = report.notices if noticed else (
        *report.notices, reason_en if lang == "en" else reason)
    return dataclasses.replace(report, notices=notices, incomplete=gaps)


def run_audit(opts: AuditOptions) -> AuditReport:
    """The whole audit the `check` command performs: sources, checks, history.

    The history is opened first: a history that cannot be used (newer schema,
    damaged, not writable) stops the run before any crawling, in one line.
    """
    return audit_config(load_setup(opts), opts)


def audit_config(config: Config, opts: AuditOptions) -> AuditReport:
    """`run_audit` with the configuration already in hand (``auditor batch`` builds one
    per school from its registry row)."""
    import tempfile

    from auditor.history.store import HistoryStore

    ruleset = select_rules(load_ruleset(config.rules.set, config.base_dir), opts.only)
    resolve_dates(config, opts)  # a bad --month or --from fails before any crawling
    if opts.quick:  # the site's front only: no export, no calendar, no posting rules
        from auditor.quick import quick_config, quick_ruleset

        config, ruleset = quick_config(config, ruleset), quick_ruleset(ruleset)
    with tempfile.TemporaryDirectory(prefix="auditor-demo-") as scratch, \
            HistoryStore.open(history_file(config, opts, Path(scratch))) as store:
        inputs = Inputs() if opts.quick else read_inputs(config, opts)
        read_site_into(inputs, config, ruleset, opts)
        ctx = dataclasses.replace(build_context(config, ruleset, opts, inputs), history=store)
        failed = {g.source: (g.reason, g.reason_en) for g in inputs.failed}
        results = run_all(ctx, failed)
        unused = unused_waivers(results, config.waivers, ctx.today, ruleset.rules)
        notices = [*inputs.notices, *(en if opts.lang == "en" else vi for vi, en in unused)]
        report = build_report(ctx, results, notices)
        for gap in inputs.failed:
            report = mark_incomplete(report, gap.source, gap.reason, gap.reason_en, opts.lang,
                                     noticed=gap.source == "site")
        if opts.quick:  # a partial look: compared with the history, not recorded in it
            from auditor.quick import compare_only

            report = compare_only(store, report)
        else:
            report = record_or_say(store, ctx, report, opts.lang)
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
