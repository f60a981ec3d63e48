"""The scheduler: frontier, per-host concurrency and delay, limits, traps, incremental runs."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from auditor.crawl.cache import PageCache
from auditor.crawl.policy import LinkPolicy
from auditor.crawl.progress import Progress
from auditor.crawl.settings import CrawlSettings
from auditor.crawl.types import CrawlResult


async def crawl(seeds: Sequence[str], settings: CrawlSettings, *, cache: PageCache | None = None,
                policy: LinkPolicy | None = None,
                progress: Progress | None = None) -> CrawlResult:
    """Crawl from `seeds` (the home page first). Never raises for network trouble."""
    raise NotImplementedError


def crawl_sync(seeds: Sequence[str], settings: CrawlSettings, *, cache: PageCache | None = None,
               policy: LinkPolicy | None = None, progress: Progress | None = None) -> CrawlResult:
    return asyncio.run(crawl(seeds, settings, cache=cache, policy=policy, progress=progress))


def load_offline(cache: PageCache, seed: str | None = None) -> CrawlResult | None:
    """The last finished crawl (of `seed`, if given) from the cache; None if there is none."""
    run_id = cache.last_run_id(seed)
    return cache.load_run(run_id) if run_id is not None else None
