"""Audit every school of a registry, several hosts at once, each one politely.

Each school is audited as ``auditor check`` would (its own configuration,
history and crawl cache) and its reports are written to a folder of its own;
then only its :class:`SchoolRow` is kept, appended to ``tong-hop.jsonl``. One
school's failure (site down, bad export, a bug) is its own row and never stops
the others.

Politeness: schools are grouped by the host of their site, and the schools of
one host are audited one after another, so a host is never crawled by two
crawlers at once; each crawl keeps its robots.txt and ``crawl.min_delay``.
Groups run on a pool of threads (the crawl is I/O-bound; a thread holds one
school's data only until its reports are written).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from auditor.audit import AuditOptions, audit_config
from auditor.batch.rollup import STREAM, SchoolRow, append_row
from auditor.batch.schools import Registry, SchoolEntry
from auditor.config import Config, load_config, parse_config
from auditor.errors import AuditorError
from auditor.render.files import FORMATS, school_tag, write_reports
from auditor.results import AuditReport, FindingStatus, RuleStatus, Severity

DEFAULT_CONCURRENCY = 8


@dataclass(frozen=True)
class BatchOptions:
    out_dir: Path
    month: str | None = None
    as_of: date | None = None
    concurrency: int = DEFAULT_CONCURRENCY
    history_dir: Path | None = None  # one history file per school here; default: as `check`
    cache_dir: Path | None = None  # one crawl cache per school here; default: the user cache
    formats: tuple[str, ...] = FORMATS
    lang: str = "vi"
    quick: bool = False


def school_config(entry: SchoolEntry, registry: Registry, opts: BatchOptions) -> Config:
    """The school's auditor.toml, or one made from its registry row (and the registry's
    [crawl]); the crawl cache moved to a file of the school's own."""
    if entry.config is not None:
        config = load_config(entry.config)
    else:
        school: dict[str, object] = {"name": entry.name}
        if entry.site:
            school["url"] = entry.site
        if entry.kind:
            school["kind"] = entry.kind
        raw: dict[str, object] = {"school": school}
        if registry.crawl:
            raw["crawl"] = registry.crawl
        config = parse_config(raw, f"{registry.path.name}, dòng {entry.row}",
                              registry.path.resolve().parent)
    if config.crawl.cache is None:
        from auditor.crawl.settings import default_cache_path

        base = opts.cache_dir or default_cache_path().parent / "batch"
        cache = str((base / f"{school_tag(entry.name)}.sqlite").resolve())
        config = config.model_copy(update={"crawl": config.crawl.model_copy(
            update={"cache": cache})})
    return config


def summarise(report: AuditReport, entry: SchoolEntry, folder: str,
              reports: Sequence[Path], seconds: float) -> SchoolRow:
    open_findings = [f for f in report.findings if f.status is FindingStatus.OPEN]
    new = report.comparison.new_count(report.findings) if report.comparison else 0
    gaps = report.incomplete
    return SchoolRow(
        name=entry.name, kind=entry.kind or report.school.kind,
        site=entry.site or report.school.url, folder=folder, audited=True,
        violations=sum(f.severity is Severity.VIOLATION for f in open_findings),
        warnings=sum(f.severity is Severity.WARNING for f in open_findings),
        not_checked=sum(r.status is RuleStatus.NOT_CHECKED for r in report.results),
        rules={r.rule: r.status.value for r in report.results},
        reports=tuple(p.name for p in reports), seconds=round(seconds, 1), new_findings=new,
        incomplete=bool(gaps),  # a source failed: the rules that need it are not checked
        error=" ".join(g.reason for g in gaps) or None,
        error_en=" ".join(g.reason_en for g in gaps) or None,
    )


def audit_school(entry: SchoolEntry, registry: Registry, opts: BatchOptions) -> SchoolRow:
    """One school, start to end; whatever goes wrong becomes its row's reason."""
    started = time.monotonic()
    tag = school_tag(entry.name)
    try:
        config = school_config(entry, registry, opts)
        history = opts.history_dir / f"{tag}.sqlite" if opts.history_dir else None
        audit_opts = AuditOptions(site=entry.site, export=entry.export, events=entry.events,
                                  month=opts.month, as_of=opts.as_of, history=history,
                                  lang=opts.lang, quick=opts.quick)
        report = audit_config(config, audit_opts)
        paths = write_reports(report, opts.out_dir / tag, formats=opts.formats, lang=opts.lang)
        return summarise(report, entry, tag, paths, time.monotonic() - started)
    except AuditorError as exc:
        vi, en = exc.text("vi"), exc.text("en")
    except Exception as exc:  # a bug in one school's audit must not stop the province's
        vi = f"Lỗi nội bộ, kiểm tra không hoàn tất: {exc!r}"
        en = f"Internal error, the check did not complete: {exc!r}"
    return SchoolRow(name=entry.name, kind=entry.kind, site=entry.site, folder=None,
                     audited=False, error=vi, error_en=en,
                     seconds=round(time.monotonic() - started, 1))


def host_groups(schools: Sequence[SchoolEntry]) -> list[list[SchoolEntry]]:
    """Schools sharing a site host, in one list each (audited one after another)."""
    groups: dict[str, list[SchoolEntry]] = {}
    alone: list[list[SchoolEntry]] = []
    for s in schools:
        host = (urlsplit(s.site).netloc.lower() if s.site else "") or None
        if host is None:
            alone.append([s])
        else:
            groups.setdefault(host, []).append(s)
    return [*groups.values(), *alone]


def run_batch(registry: Registry, opts: BatchOptions,
              on_row: Callable[[SchoolRow, int, int], None] | None = None) -> Path:
    """Audit every school; rows stream to ``out_dir/tong-hop.jsonl`` (returned)."""
    opts.out_dir.mkdir(parents=True, exist_ok=True)
    stream = opts.out_dir / STREAM
    stream.unlink(missing_ok=True)  # a new run: the last run's rows are in its roll-up
    total = len(registry.schools)
    done = 0
    lock = threading.Lock()
    stop = threading.Event()  # Ctrl-C: the schools in progress finish, no other starts

    def run_group(group: list[SchoolEntry]) -> None:
        nonlocal done
        for entry in group:
            if stop.is_set():
                return
            row = audit_school(entry, registry, opts)
            with lock:
                append_row(stream, row)
                done += 1
                if on_row is not None:
                    on_row(row, done, total)

    pool = ThreadPoolExecutor(max_workers=max(1, opts.concurrency),
                              thread_name_prefix="auditor-batch")
    try:
        futures = [pool.submit(run_group, g) for g in host_groups(registry.schools)]
        for future in as_completed(futures):
            future.result()
    except BaseException:
        stop.set()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return stream
