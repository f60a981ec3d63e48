"""One call for the audit: crawl the site, reconcile it with the export, say what was used.

    site = read_site(config, export_posts, ruleset=ruleset, demo=opts.demo,
                     offline=opts.offline, url=opts.site, progress=progress)
    inputs.site = site.snapshot
    inputs.posts, inputs.posts_source = site.posts, site.posts_source
    inputs.notices += site.notices

``site.posts`` is what the posting rules count: with a crawl, only posts the
public can see (Điều 16.3 counts posts *on the portal*); ``posts_source`` says
which source they rest on ("export+site", or "site" when there is no export).
The reconciliation goes to the checks as ``AuditContext.reconciliation`` (for
the site.broken-links check), and :func:`month_evidence` gives a posting rule
the post ids behind a month's difference between the export and the site.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta, tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from auditor.config import Config
from auditor.crawl import Progress
from auditor.crawl.progress import limit_notices
from auditor.model import Post
from auditor.results import Coverage
from auditor.ruleset import RuleSet
from auditor.site.coverage import FIELD_NAMES
from auditor.site.load import (
    HomeRedirectedOffSite,
    RobotsRefusedSite,
    load_demo_site,
    load_site,
)
from auditor.site.reconcile import (
    DEFAULT_TOLERANCE_HOURS,
    Reconciliation,
    reconcile,
    tolerance_from,
)
from auditor.site.snapshot import SiteSnapshot, SiteUnavailable
from auditor.timeutil import Period


@dataclass
class SiteInputs:
    snapshot: SiteSnapshot | None  # None when the site could not be crawled (`unavailable`)
    reconciliation: Reconciliation | None
    posts: tuple[Post, ...] | None
    posts_source: str | None
    notices: list[str] = field(default_factory=list)
    unavailable: SiteUnavailable | None = None


def month_evidence(rec: Reconciliation | None, month: str, zone: tzinfo,
                   exclude_categories: Sequence[str] = ()) -> dict[str, Any]:
    """What the site changed in one month's count, for a posting rule's evidence.

    ``{"site_not_counted": {"hidden": [...], "broken": [...]}, "site_only": [...],
    "date_mismatch": [...]}`` (post ids); empty when there was no crawl.
    """
    if rec is None or rec.source != "export+site":
        return {}
    raw = rec.month_evidence(month, zone, exclude_categories)
    out: dict[str, Any] = {}
    hidden = {k.removeprefix("not_counted_"): v for k, v in raw.items()
              if k.startswith("not_counted_")}
    if hidden:
        out["site_not_counted"] = hidden
    for key in ("site_only", "date_mismatch"):
        if key in raw:
            out[key] = raw[key]
    return out


def report_coverage(site: SiteSnapshot | None) -> Coverage | None:
    """What the crawl could read, as the report carries it (JSON "coverage.site")."""
    cov = site.coverage if site is not None else None
    if cov is None:
        return None
    ratio = cov.date_ratio
    return Coverage(pages_like_posts=cov.pages_like_posts, posts_read=cov.posts_read,
                    posts_dated=cov.posts_dated,
                    date_ratio=None if ratio is None else round(ratio, 4),
                    fields=tuple((name, getattr(cov.fields, name)) for name in FIELD_NAMES))


def wants_site(config: Config, *, demo: bool, url: str | None) -> bool:
    """Is there a site to crawl? --demo, --site, or ``[sources] site`` in auditor.toml.

    ``[school] url`` alone is the official address (Điều 2) the site rules
    compare against; crawling is asked for as a source, like the export.
    """
    return demo or bool(url or config.sources.site)


def profile_notice(snapshot: SiteSnapshot, lang: str = "vi") -> str:
    if lang == "en":
        return (f"Site {snapshot.base_url}: profile {snapshot.profile} "
                f"({snapshot.profile_reason or 'configured'}); {len(snapshot.pages)} pages, "
                f"{len(snapshot.site_posts)} posts read.")
    return (f"Trang web {snapshot.base_url}: dùng hồ sơ nền tảng {snapshot.profile} "
            f"({snapshot.profile_reason or 'theo cấu hình'}); đọc {len(snapshot.pages)} trang, "
            f"{len(snapshot.site_posts)} tin bài.")


def unavailable_notice(info: SiteUnavailable, lang: str = "vi", export: bool = True) -> str:
    if lang == "en":
        rest = "; the posting rules use the CMS export alone." if export else "."
        return f"{info.reason_en} Rules that read the site's content are not checked{rest}"
    rest = "; các quy tắc về tin bài chỉ dựa vào tệp xuất CMS." if export else "."
    return f"{info.reason_vi} Các quy tắc cần nội dung trang được ghi là chưa kiểm tra{rest}"


def _allowed_hosts(config: Config, ruleset: RuleSet | None) -> tuple[str, ...]:
    """The official host and the others site.official-domain allows: a home page
    that redirects there is crawled there."""
    rule = ruleset.rules.get("site.official-domain") if ruleset is not None else None
    hosts = rule.params.get("allowed_hosts") if rule is not None else None
    listed = [h for h in hosts if isinstance(h, str)] if isinstance(hosts, list) else []
    official = urlsplit(config.school.url or "").hostname
    return tuple([official, *listed] if official else listed)


def read_site(config: Config, export_posts: Sequence[Post] | None, *,
              ruleset: RuleSet | None = None, demo: bool = False, offline: bool = False,
              url: str | None = None, cache_path: Path | None = None,
              progress: Progress | None = None, lang: str = "vi",
              period: Period | None = None) -> SiteInputs:
    """Crawl (or serve and crawl the demo), then reconcile with the export.

    A home page that redirects to another host gives no snapshot: ``unavailable``
    says why, and the posts are the export's, exactly as with no site at all.
    """
    # The export's addresses of published posts are fetched too, so that a post
    # nothing links to is seen as hidden or broken rather than merely absent.
    extra = [p.url for p in export_posts or () if p.is_published and p.url]
    if demo:
        snapshot = load_demo_site(config, cache_path=cache_path, progress=progress,
                                  extra_urls=extra)
    else:
        try:
            snapshot = load_site(config, offline=offline, cache_path=cache_path,
                                 progress=progress, url=url, extra_urls=extra,
                                 allowed_hosts=_allowed_hosts(config, ruleset))
        except (HomeRedirectedOffSite, RobotsRefusedSite) as moved:
            posts = tuple(export_posts) if export_posts is not None else None
            return SiteInputs(None, None, posts, "export" if posts is not None else None,
                              [unavailable_notice(moved.info, lang, posts is not None)],
                              unavailable=moved.info)
    tolerance = (tolerance_from(ruleset) if ruleset is not None
                 else timedelta(hours=DEFAULT_TOLERANCE_HOURS))
    rec = reconcile(tuple(export_posts) if export_posts is not None else None, snapshot,
                    tolerance)
    coverage = [snapshot.coverage.line(lang)] if snapshot.coverage is not None else []
    left = dict(snapshot.crawl_left)
    return SiteInputs(snapshot, rec, rec.visible_posts, rec.source,
                      [profile_notice(snapshot, lang), *limit_notices(left, lang),
                       *rec.notices(lang, within=period), *coverage])
