"""Loading the live site: crawl it (or read the last crawl offline) and build the model.

    snapshot = load_site(config, offline=False, cache_path=None, progress=None)

``auditor check --demo`` uses :func:`load_demo_site`, which serves the demo
school's snapshot on 127.0.0.1 from inside the tool, crawls it over real HTTP
exactly as it would a real portal, and stops the server afterwards.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from urllib.parse import urljoin

from auditor.config import Config
from auditor.crawl import (
    CrawlResult,
    CrawlSettings,
    PageCache,
    Progress,
    crawl_sync,
    load_offline,
    settings_for,
)
from auditor.crawl.settings import default_cache_path, host_of
from auditor.crawl.urls import canonicalize
from auditor.errors import AuditIncomplete, ConfigError, UsageError
from auditor.profiles import Profile, builtin_profiles, load_profile
from auditor.resources import demo_dir
from auditor.site.build import build_snapshot
from auditor.site.demo_server import serve_site
from auditor.site.documents import fetch_documents
from auditor.site.page_records import PageReader
from auditor.site.profile_policy import ProfilePolicy
from auditor.site.snapshot import SiteSnapshot, SiteUnavailable
from auditor.spam.terms import bare_host, host_allowed
from auditor.timeutil import tz


class HomeRedirectedOffSite(AuditIncomplete):
    """The home page redirects to another host: the portal's content is not crawled.

    Not an audit that could not run: serving the portal from another address
    is what site.official-domain reports (Điều 2). The audit catches this and
    carries :attr:`info` to the checks; other callers still see exit 3.
    """

    def __init__(self, info: SiteUnavailable) -> None:
        super().__init__(info.reason_vi,
                         hint="Kiểm tra tên miền của trường; nếu địa chỉ mới được phép, thêm nó "
                              "vào [crawl] hosts hoặc allowed_hosts của site.official-domain.",
                         en=info.reason_en,
                         hint_en="Check the school's domain; if the new address is allowed, add "
                                 "it to [crawl] hosts or to site.official-domain's allowed_hosts.")
        self.info = info


class RobotsRefusedSite(AuditIncomplete):
    """robots.txt answers a server error: RFC 9309 says crawl nothing from the host until
    it answers, so this run reads no page (issue 13.13). Like a home page moved off
    site, the audit carries :attr:`info` to the checks: the rules that read the site are
    not checked with this reason, the others judge the export and the calendar."""

    def __init__(self, info: SiteUnavailable) -> None:
        super().__init__(info.reason_vi,
                         hint="Sửa lỗi máy chủ ở robots.txt rồi chạy lại.",
                         en=info.reason_en, hint_en="Fix the server error on robots.txt, "
                                                    "then run again.")
        self.info = info


def robots_refusal(result: CrawlResult) -> SiteUnavailable | None:
    """The home page was not fetched because robots.txt answers 5xx (RFC 9309), else None."""
    home = result.home
    if home is None or home.error_code != "robots_error":
        return None
    robots = urljoin(home.requested_url, "/robots.txt")
    return SiteUnavailable(
        home=home.requested_url,
        reason_vi=f"Không thu thập trang web: {home.error}.",
        reason_en=(f"The site was not crawled: {robots} "
                   "answers a server error (5xx); RFC 9309 says to fetch nothing from the "
                   "server until it answers."))


def off_site_redirect(result: CrawlResult) -> SiteUnavailable | None:
    """The home page's redirect chain when it leaves the crawl's hosts, else None."""
    home = result.home
    if home is None or home.error_code != "off_scope":
        return None
    location = home.headers.get("location")
    if not location:
        return None
    target = urljoin(home.final_url, location.strip())
    chain = tuple(dict.fromkeys([home.requested_url, *home.redirect_chain, target]))
    start = chain[0]
    return SiteUnavailable(
        home=start,
        reason_vi=(f"Trang chủ {start} chuyển hướng sang tên miền khác ({target}): "
                   "không thu thập được nội dung cổng."),
        reason_en=(f"The home page {start} redirects to another host ({target}): "
                   "the portal's content could not be crawled."),
        redirect_chain=chain,
    )


def configured_profile(config: Config) -> tuple[Profile | None, str]:
    """The profile the school chose (with its overrides), or None for auto-detection."""
    site = config.site
    if site.profile == "auto":
        return None, ""
    profile = load_profile(site.profile, config.base_dir)
    return _override(profile, config), "cấu hình [site] profile"


def _override(profile: Profile, config: Config) -> Profile:
    site = config.site
    if not (site.selectors or site.urls or site.disclosure_titles):
        return profile
    return profile.with_overrides(site.selectors, site.urls, site.disclosure_titles)


def site_url(config: Config, override: str | None = None) -> str:
    url = override or config.sources.site or config.school.url
    if not url:
        raise UsageError(
            "Chưa có địa chỉ trang web để thu thập.",
            hint="Ghi [school] url trong auditor.toml hoặc dùng --site https://…",
            en="No web address to crawl.",
            hint_en="Set [school] url in auditor.toml or use --site https://…",
        )
    return url.rstrip("/") + "/"


def _crawl(home: str, settings: CrawlSettings, *, offline: bool, cache_path: Path | None,
           progress: Progress | None, extra_urls: Sequence[str],
           policy: ProfilePolicy) -> CrawlResult:
    path = cache_path or settings.cache_path
    if offline:
        cache = PageCache(path) if path else PageCache.open_default()
        with cache:
            found = load_offline(cache, canonicalize(home) or home)
        if found is None:
            raise AuditIncomplete(
                f"Chưa có lần thu thập nào của {home} trong bộ nhớ đệm để kiểm tra ngoại tuyến.",
                hint="Chạy 'auditor check' một lần khi có mạng, rồi mới dùng --offline.",
                en=f"The cache holds no crawl of {home} to check offline.",
                hint_en="Run 'auditor check' once while online, then use --offline.",
            )
        return found
    seeds = [home, *extra_urls]
    cache = PageCache(path) if path else PageCache.open_default()
    with cache:
        return crawl_sync(seeds, settings, cache=cache, policy=policy, progress=progress)


def load_site(config: Config, *, offline: bool = False, cache_path: Path | None = None,
              progress: Progress | None = None, url: str | None = None,
              extra_urls: Sequence[str] = (), settings: CrawlSettings | None = None,
              shown_origin: str | None = None,
              allowed_hosts: Sequence[str] = ()) -> SiteSnapshot:
    """Crawl the school's portal (or read the last crawl with `offline`) into a snapshot.

    `extra_urls` are fetched too (the export's addresses of published posts), so
    that a post the export says is published but no page links to is seen as
    hidden or broken rather than merely absent. Raises AuditIncomplete (exit 3)
    when the home page cannot be fetched, and its subclass HomeRedirectedOffSite
    when the home page redirects to another host. A redirect to the home page's
    own host name (another port) or to a host `allowed_hosts` allows (the official
    host and site.official-domain's list, "*.example.vn" patterns) is followed:
    that host joins the crawl and the portal is read there.
    """
    home = site_url(config, url)
    profile, reason = configured_profile(config)
    zone = tz(config.school.timezone)
    # Each page is read for the model as it arrives (parsed once); the demo, shown under
    # its school's address, is read after its crawl.
    reader = PageReader(profile, zone, canonicalize(home) or home) if not shown_origin else None
    policy = ProfilePolicy([profile] if profile else builtin_profiles(), reader)
    settings = settings or settings_for(config, home)
    # A configured platform's known feeds are fetched even when no page announces
    # them (NukeViet's /rss/): a post its feed lists is visible to the public.
    feeds = [urljoin(home, f) for f in profile.feeds] if profile else []
    result = _crawl(home, settings, offline=offline, cache_path=cache_path, progress=progress,
                    extra_urls=[*extra_urls, *feeds], policy=policy)
    moved = off_site_redirect(result)
    if moved is not None and moved.target and not offline \
            and host_allowed(bare_host(moved.target), [bare_host(home), *allowed_hosts]):
        # Served from an address the rule set allows: crawl the portal there too.
        hosts = settings.hosts or frozenset({host_of(home)})
        settings = settings.with_(hosts=hosts | {host_of(moved.target)})
        result = _crawl(home, settings, offline=offline, cache_path=cache_path,
                        progress=progress, extra_urls=[*extra_urls, *feeds], policy=policy)
        moved = off_site_redirect(result)
    if moved is not None:
        raise HomeRedirectedOffSite(moved)
    refused = robots_refusal(result)
    if refused is not None:
        raise RobotsRefusedSite(refused)
    if result.home_unreachable:
        raise AuditIncomplete(
            result.unreachable_reason() or f"Không tải được {home}.",
            hint="Kiểm tra địa chỉ và kết nối mạng, hoặc dùng --offline.",
            en=result.unreachable_reason("en") or f"Could not fetch {home}.",
            hint_en="Check the address and the network connection, or use --offline.")
    snapshot = build_snapshot(result, profile=profile, profile_reason=reason, zone=zone,
                              shown_origin=shown_origin, reader=reader)
    if profile is None and (config.site.selectors or config.site.urls):
        # Auto-detected, then the school's overrides on top: read the pages again.
        chosen = _override(load_profile(snapshot.profile), config)
        snapshot = build_snapshot(result, profile=chosen, profile_reason=snapshot.profile_reason,
                                  zone=tz(config.school.timezone), shown_origin=shown_origin)
    snapshot = replace(snapshot, crawl_left=dict(result.stats.left))  # limits that cut the crawl
    if not offline and config.crawl.max_documents:
        # Word attachments are read for their fonts and encodings (Điều 6.4).
        docs = fetch_documents(snapshot, settings, served=home, shown=shown_origin,
                               limit=config.crawl.max_documents,
                               cache_path=cache_path or settings.cache_path
                               or default_cache_path())
        snapshot = replace(snapshot, attachments=docs.found, attachments_refused=docs.refused)
    return snapshot


def demo_site_dir() -> Path:
    return demo_dir() / "site"


def load_demo_site(config: Config, *, cache_path: Path | None = None,
                   progress: Progress | None = None,
                   extra_urls: Sequence[str] = ()) -> SiteSnapshot:
    """Serve the demo school's site on 127.0.0.1, crawl it over HTTP, stop the server.

    URLs in the snapshot name the school's official address (the demo *is*
    that site), so findings and fingerprints do not depend on the port.
    """
    official = (config.school.url or "").rstrip("/")
    if not official:
        raise ConfigError("Cấu hình trường mẫu thiếu [school] url.",
                          en="The demo school's configuration lacks [school] url.")
    root = demo_site_dir()
    with serve_site(root, official) as server, tempfile.TemporaryDirectory() as tmp:
        # The port differs on every run, so a lasting cache would only collect dead
        # entries: without an explicit cache the demo uses a throw-away one.
        cache = cache_path or Path(tmp) / "demo-crawl.sqlite"
        served_extra = [server.url + u[len(official):] if u.startswith(official) else u
                        for u in extra_urls]
        settings = replace(settings_for(config, server.url), polite=False, min_delay=0.0,
                           per_host_concurrency=4, cache_path=cache)
        return load_site(config, cache_path=cache, progress=progress, url=server.url,
                         extra_urls=served_extra, settings=settings, shown_origin=official)
