"""Fetching a school's live portal: a polite, bounded, incremental crawler.

Public API::

    settings = settings_for(config)                  # or CrawlSettings(...)
    with PageCache(path) as cache:
        result = crawl_sync([home], settings, cache=cache, policy=DefaultPolicy(),
                            progress=make_progress())
    if result.home_unreachable:
        raise AuditIncomplete(result.unreachable_reason(), en=result.unreachable_reason("en"))

Network failures never raise: each FetchedPage carries `error` (Vietnamese) and
`error_code`.
"""

from auditor.crawl.cache import CachedPage, PageCache
from auditor.crawl.crawler import crawl, crawl_sync, load_offline
from auditor.crawl.policy import DefaultPolicy, LinkPolicy
from auditor.crawl.progress import Progress, make_progress, summary_line
from auditor.crawl.settings import (
    CrawlSettings,
    default_cache_path,
    settings_for,
    settings_from_config,
)
from auditor.crawl.types import CrawlResult, CrawlStats, FetchedPage
from auditor.crawl.urls import canonicalize, dedup_key, post_id

__all__ = [
    "CachedPage", "CrawlResult", "CrawlSettings", "CrawlStats", "DefaultPolicy", "FetchedPage",
    "LinkPolicy", "PageCache", "Progress", "canonicalize", "crawl", "crawl_sync",
    "dedup_key", "default_cache_path", "load_offline", "make_progress", "post_id",
    "settings_for", "settings_from_config", "summary_line",
]
