"""The check plugin interface and the audit context checks read.

A check is a class with its metadata as class attributes and a ``run`` method
that yields findings. Its docstring is its documentation: what it checks, the
article it enforces, a failing and a passing example (``auditor rules
explain`` prints it).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from zoneinfo import ZoneInfo

from auditor.config import Config
from auditor.errors import NotChecked
from auditor.history.store import HistoryStore
from auditor.model import Event, Post
from auditor.people import Directory
from auditor.results import Finding, SectionsBuilder, Severity
from auditor.ruleset import RuleSet
from auditor.site.reconcile import Reconciliation
from auditor.site.snapshot import SiteSnapshot, SiteUnavailable
from auditor.sources.headers import ColumnReport
from auditor.timeutil import Period

if TYPE_CHECKING:  # the crawl stack loads when a check first fetches (site_fetcher)
    from auditor.crawl.client import PageFetcher


@dataclass(frozen=True)
class Param:
    """A parameter a check reads from the rule set (never a literal in code)."""

    name: str
    type: type | tuple[type, ...]
    description: str  # Vietnamese
    description_en: str = ""


@dataclass(frozen=True)
class AuditContext:
    """Everything a check may read. Sources that were not given are ``None``."""

    config: Config
    ruleset: RuleSet
    period: Period  # kỳ báo cáo
    span: Period  # what the checks judge: the period and the school year to date
    school_year: Period
    as_of: datetime  # "now", aware, in the school's time zone
    tz: ZoneInfo
    directory: Directory
    posts: tuple[Post, ...] | None = None
    posts_source: str | None = None  # "export", "site" or "export+site"
    events: tuple[Event, ...] | None = None
    site: SiteSnapshot | None = None  # once crawled
    # The export against the crawled site (auditor.site.inputs.read_site), once reconciled.
    reconciliation: Reconciliation | None = None
    # A crawl was asked for but gave no content (the home page redirects to another
    # host); `site` is then None.
    site_unavailable: SiteUnavailable | None = None
    history: HistoryStore | None = None  # when one is open
    # Which fields the export's header gave (None without a tabular export: no export,
    # a crawl only, or a WordPress WXR).
    export_columns: ColumnReport | None = None
    # auditor.crawl.client.PageFetcher: the one HTTP path of checks (tests inject their own);
    # None: site_fetcher() makes one for the crawled site on first use.
    fetcher: PageFetcher | None = None
    # Attachments given to the audit besides the crawl's (tests, a folder of documents):
    # address or file name → bytes or a path.
    attachments: Mapping[str, bytes | Path] = field(default_factory=dict)
    # Statistics for the report's sheets (monthly counts, events, Công khai), typed.
    sections: SectionsBuilder = field(default_factory=SectionsBuilder)

    @property
    def today(self) -> date:
        return self.as_of.date()

    def require_posts(self) -> tuple[Post, ...]:
        if self.posts is None:
            gone = self.site_unavailable
            if gone is not None:
                raise NotChecked(f"Không có dữ liệu tin bài (chưa có tệp xuất CMS). "
                                 f"{gone.reason_vi}",
                                 f"No post data (no CMS export). {gone.reason_en}")
            raise NotChecked(
                "Không có dữ liệu tin bài (chưa có tệp xuất CMS và chưa thu thập trang web).",
                "No post data (no CMS export and no crawl of the site).",
            )
        return self.posts

    def no_site(self, reason_vi: str, reason_en: str) -> NotChecked:
        """NotChecked for a check that needs the crawl: why the site could not be
        crawled when a crawl was asked for, else the check's own reason."""
        gone = self.site_unavailable
        if gone is not None:
            return NotChecked(gone.reason_vi, gone.reason_en)
        return NotChecked(reason_vi, reason_en)

    def require_site(self) -> SiteSnapshot:
        """The crawled site, or NotChecked."""
        if not isinstance(self.site, SiteSnapshot):
            raise self.no_site(
                "Chưa thu thập trang web (dùng --site URL hoặc [sources] site trong "
                "auditor.toml; --offline cần một lần thu thập trước).",
                "The site was not crawled (use --site URL or [sources] site; --offline needs "
                "an earlier crawl).",
            )
        return self.site

    def site_fetcher(self) -> PageFetcher:
        """The fetcher every check's request goes through (auditor.crawl.client): the
        crawl's User-Agent, hosts, byte cap and robots.txt, and a deadline of the crawl's
        start + crawl.total_time + crawl.tail_time shared by all checks (issue 13.1)."""
        if self.fetcher is not None:
            return self.fetcher
        from auditor.crawl.client import SiteClient
        from auditor.crawl.settings import settings_for

        site = self.site
        served = None
        if site is not None:
            served = site.served_from or site.base_url
        client = SiteClient.after_crawl(settings_for(self.config, served),
                                        getattr(site, "fetched_at", None))
        object.__setattr__(self, "fetcher", client)  # once per audit: one shared deadline
        return client

    def require_events(self) -> tuple[Event, ...]:
        if self.events is None:
            raise NotChecked(
                "Không có lịch công tác (chưa cung cấp tệp sự kiện).",
                "No event calendar was given.",
            )
        return self.events


class Check:
    """Base class of every rule plugin."""

    id: ClassVar[str]
    title: ClassVar[str]  # Vietnamese
    title_en: ClassVar[str]
    default_severity: ClassVar[Severity] = Severity.VIOLATION
    parameters: ClassVar[tuple[Param, ...]] = ()
    needs: ClassVar[tuple[str, ...]] = ()  # "posts", "events", "site", "history"
    # The report sheet that lists this rule's findings in detail ("encoding": Mã hóa TCVN
    # 6909), so that no renderer needs to know a rule id.
    report_sheet: ClassVar[str | None] = None

    def run(self, ctx: AuditContext, params: Mapping[str, Any]) -> Iterable[Finding]:
        raise NotImplementedError

    def finding(self, subject: str, message: str, message_en: str, **kw: Any) -> Finding:
        return Finding(rule=self.id, subject=subject, message=message, message_en=message_en,
                       **kw)

    @classmethod
    def doc(cls) -> str:
        return (cls.__doc__ or "").strip()


def with_severity(finding: Finding, severity: Severity) -> Finding:
    return dataclasses.replace(finding, severity=severity)
