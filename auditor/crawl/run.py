"""Crawl the school's site for an audit, or load the last crawl with --offline.

The one call the audit needs: it opens the cache, crawls (or reads), and
turns "nothing could be fetched" into AuditIncomplete (exit 3, issue 3.8).
Pages that failed stay in the result with their Vietnamese reason, so the
rules that needed them report not_checked rather than a violation.
"""

from __future__ import annotations

from pathlib import Path

from auditor.config import Config
from auditor.crawl.cache import PageCache
from auditor.crawl.crawler import crawl_sync, load_offline
from auditor.crawl.policy import LinkPolicy
from auditor.crawl.progress import Progress
from auditor.crawl.settings import CrawlSettings, default_cache_path, settings_for
from auditor.crawl.types import CrawlResult
from auditor.crawl.urls import canonicalize
from auditor.errors import AuditIncomplete, ConfigError


def site_url(config: Config, site: str | None = None) -> str:
    url = site or config.sources.site or config.school.url
    if not url:
        raise ConfigError("Chưa có địa chỉ trang web của trường để thu thập.",
                          hint="Đặt [school] url trong auditor.toml hoặc dùng --site URL.")
    return url


def cache_path_for(settings: CrawlSettings) -> Path:
    return settings.cache_path or default_cache_path()


def crawl_site(config: Config, *, site: str | None = None, offline: bool = False,
               settings: CrawlSettings | None = None, policy: LinkPolicy | None = None,
               progress: Progress | None = None,
               require_content: bool = True) -> CrawlResult:
    """Crawl `site` (default: the configured one) or, offline, return its last crawl.

    Raises AuditIncomplete (exit 3) when offline with no earlier crawl, or, with
    `require_content`, when not a single page could be fetched.
    """
    url = site_url(config, site)
    settings = settings or settings_for(config, url)
    path = cache_path_for(settings)
    with PageCache(path) as cache:
        if offline:
            result = load_offline(cache, canonicalize(url) or url)
            if result is None:
                raise AuditIncomplete(
                    f"Chưa có lần thu thập nào của {url} trong bộ nhớ đệm {path}.",
                    hint="Chạy 'auditor check' một lần khi có mạng, rồi mới dùng --offline.",
                )
        else:
            result = crawl_sync([url], settings, cache=cache, policy=policy, progress=progress)
    if require_content and result.nothing_fetched:
        raise AuditIncomplete(
            result.unreachable_reason() or f"Không tải được trang nào của {url}.",
            hint="Kiểm tra kết nối mạng và địa chỉ trang web rồi chạy lại.",
        )
    return result
