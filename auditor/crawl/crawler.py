"""The scheduler: frontier, per-host workers, limits, trap bounds, incremental runs.

Each host has its own queue (home page and shallow pages first) and
`per_host_concurrency` workers; a global semaphore caps all hosts together.
Requests to one host are spaced by min_delay or robots.txt's crawl-delay
(fetch.HostGate).
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from auditor.crawl.cache import CachedPage, PageCache
from auditor.crawl.discover import parse_sitemap
from auditor.crawl.fetch import TEXT_TYPES, Fetcher, HostGate, Outcome
from auditor.crawl.pagination import is_pagination
from auditor.crawl.policy import DefaultPolicy, LinkPolicy
from auditor.crawl.progress import Progress
from auditor.crawl.robots import RobotsCache
from auditor.crawl.settings import CrawlSettings, host_of
from auditor.crawl.types import CrawlResult, CrawlStats, FetchedPage, PageKind
from auditor.crawl.urls import (
    canonicalize,
    in_scope,
    looks_like_trap,
    url_shape,
    with_www_twins,
)

XML_TYPES = frozenset({"application/xml", "text/xml", "application/rss+xml",
                       "application/atom+xml", "application/rdf+xml"})
# Stylesheets are read too: a class they hide hides a Công khai item (Điều 13.1.c).
_STYLESHEET = re.compile(r"<link\b[^>]*\brel\s*=\s*[\"']?stylesheet[^>]*>", re.IGNORECASE)
_HREF = re.compile(r"\bhref\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.IGNORECASE)


@dataclass(frozen=True)
class _Task:
    url: str  # canonical
    requested: str  # what is fetched
    depth: int
    kind: PageKind
    referrer: str | None = None
    sitemap_lastmod: datetime | None = None
    listing: str | None = None  # listing key of the list that led here
    trust_cache: bool = False  # carried over from the last crawl: no request
    stylesheet: bool = False  # a <link rel=stylesheet>: its text is kept


def _kind_of(outcome: Outcome, hint: PageKind) -> PageKind:
    media = outcome.content_type
    if media in ("text/html", "application/xhtml+xml"):
        return "page" if hint != "sitemap" else "sitemap"
    if media in XML_TYPES or (media == "text/plain" and hint in ("sitemap", "feed")):
        head = (outcome.text or "")[:2048].lower()
        if "<urlset" in head or "<sitemapindex" in head:
            return "sitemap"
        if "<rss" in head or "<feed" in head or "<rdf:rdf" in head:
            return "feed"
        return hint if hint in ("sitemap", "feed") else "asset"
    return "asset"


class _Crawl:
    def __init__(self, seeds: Sequence[str], settings: CrawlSettings, cache: PageCache | None,
                 policy: LinkPolicy, progress: Progress | None) -> None:
        self.settings = settings
        self.cache = cache
        self.policy = policy
        self.progress = progress
        self.stats = CrawlStats()
        self.gate = HostGate(settings)
        self.fetcher = Fetcher(settings, self.stats, self.gate)
        self.robots = RobotsCache(self.fetcher)
        canon = [policy.canonical(s) for s in seeds]
        self.seeds = tuple(c for c in canon if c)
        self.seed_requested = {c: s for c, s in zip(canon, seeds, strict=True) if c}
        hosts = settings.hosts or frozenset(host_of(s) for s in self.seeds)
        self.hosts = with_www_twins(frozenset(h.lower() for h in hosts))
        self.pages: dict[str, FetchedPage] = {}
        self.seen: set[str] = set()
        self.shapes: Counter[str] = Counter()
        self.off_scope: dict[str, None] = {}
        self.robots_blocked: dict[str, None] = {}
        self.sitemaps: dict[str, None] = {}
        self.feeds: dict[str, None] = {}
        self.queues: dict[str, asyncio.PriorityQueue[tuple[int, int, _Task]]] = {}
        self.workers: list[asyncio.Task[None]] = []
        self.global_sem = asyncio.Semaphore(settings.concurrency)
        self.pending = 0
        self.counter = 0
        self.accepted = 0
        self.done = asyncio.Event()
        self.deadline = time.monotonic() + settings.total_time
        self.known: set[str] = cache.known_urls() if cache and settings.incremental else set()
        self.run_id = cache.begin_run(self.seeds) if cache else None
        self.started_at = datetime.now(UTC)
        self._link_memo: dict[str, tuple[str, str, bool] | None] = {}
        # Dedup keys of URLs a limit kept out, by limit (how many were left, at the end).
        self.refused: dict[str, set[str]] = {}
        self.unfinished: set[str] = set()  # pages queued and not yet stored

    # -- frontier ---------------------------------------------------------------
    def in_scope(self, url: str) -> bool:
        return in_scope(url, self.hosts)

    def _canonical(self, link: str) -> str | None:
        info = self._info(link)
        return info[0] if info else None

    def _info(self, link: str) -> tuple[str, str, bool] | None:
        """(canonical, dedup key, in scope?) of a link; memoised, as menus repeat on every page."""
        memo = self._link_memo
        if link in memo:
            return memo[link]
        url = self.policy.canonical(link)
        info = (url, self.policy.dedup_key(url), self.in_scope(url)) if url else None
        if len(memo) < 200_000:
            memo[link] = info
        return info

    def offer(self, link: str, depth: int, kind: PageKind, referrer: str | None = None,
              sitemap_lastmod: datetime | None = None, listing: str | None = None,
              trust_cache: bool = False) -> None:
        """Queue `link` unless it is off scope, already seen, a trap, or past a limit."""
        info = self._info(link)
        if info is None:
            return
        url, key, scoped = info
        if not scoped:
            self.off_scope.setdefault(url, None)
            return
        if key in self.seen:
            return
        if depth > self.settings.max_depth and kind not in ("sitemap",):
            self._refuse("max_depth", key, kind)
            return
        if looks_like_trap(url, self.settings.max_url_length):
            self.stats.traps_bounded += 1
            self.seen.add(key)
            return
        shape, calendar = url_shape(url)
        bound = self.settings.max_calendar_pages if calendar else self.settings.max_pattern_pages
        if self.shapes[shape] >= bound:
            self.stats.traps_bounded += 1
            if not calendar:  # a calendar is a trap; many pages of one shape may be content
                self._refuse("max_pattern_pages", key, kind)
            self.seen.add(key)
            return
        if self.accepted >= self.settings.max_pages:
            self.stats.stopped = self.stats.stopped or "max_pages"
            self._refuse("max_pages", key, kind)
            return
        self.shapes[shape] += 1
        self.seen.add(key)
        self.accepted += 1
        requested = self.seed_requested.get(url, link)
        self._enqueue(_Task(url, requested, depth, kind, referrer, sitemap_lastmod, listing,
                            trust_cache))

    def _enqueue(self, task: _Task) -> None:
        url, depth, kind = task.url, task.depth, task.kind
        if kind in ("page", "feed"):
            self.unfinished.add(url)
        host = host_of(url)
        queue = self.queues.get(host)
        if queue is None:
            queue = self.queues[host] = asyncio.PriorityQueue()
            for _ in range(self.settings.per_host_concurrency):
                self.workers.append(asyncio.create_task(self._worker(queue)))
        self.counter += 1
        self.pending += 1
        # Sitemaps and feeds first (they name the pages), then shallow pages.
        priority = -1 if kind in ("sitemap", "feed") and depth == 0 else depth
        queue.put_nowait((priority, self.counter, task))

    def _refuse(self, limit: str, key: str, kind: PageKind) -> None:
        if kind in ("page", "feed"):  # assets and stylesheets are not pages left unread
            self.refused.setdefault(limit, set()).add(key)

    async def _worker(self, queue: asyncio.PriorityQueue[tuple[int, int, _Task]]) -> None:
        while True:
            _, _, task = await queue.get()
            try:
                if time.monotonic() < self.deadline:
                    async with self.global_sem:
                        await self._process(task)
            except Exception as exc:  # a bug on one page must not stall the crawl
                self.stats.errors += 1
                self.pages.setdefault(task.url, dataclasses.replace(
                    self._blocked(task), error=f"lỗi nội bộ khi xử lý trang: {exc!r}",
                    error_code="protocol"))
            finally:
                self.pending -= 1
                if self.progress is not None:
                    self.progress.update(self.stats, self.pending)
                if self.pending == 0:
                    self.done.set()

    # -- one URL ----------------------------------------------------------------
    async def _process(self, task: _Task) -> None:
        if self.settings.obey_robots and not task.trust_cache:
            robots = await self.robots.for_url(task.requested)
            if not robots.allows(task.requested):
                self.robots_blocked.setdefault(task.url, None)
                blocked = self._blocked(task)
                if robots.refusal:  # robots.txt 5xx or unreachable (RFC 9309)
                    blocked = dataclasses.replace(blocked, error=robots.refusal,
                                                  error_code=robots.refusal_code)
                self._store(blocked, None)
                return
        cached = self.cache.lookup(task.url) if self.cache and self.settings.incremental else None
        if cached is not None and cached.page.ok and self._trust(task, cached):
            page = dataclasses.replace(
                cached.page, from_cache=True, not_modified=False, size=0, depth=task.depth,
                referrer=task.referrer or cached.page.referrer,
                sitemap_lastmod=task.sitemap_lastmod or cached.page.sitemap_lastmod)
            self.stats.from_cache += 1
            self._store(page, cached)
            self._follow(page, task, cached)
            return
        if task.trust_cache:
            self.unfinished.discard(task.url)
            return  # carried over but gone from the cache: nothing to show
        validators = None
        if cached is not None and cached.page.ok and (cached.etag or cached.last_modified):
            validators = (cached.etag, cached.last_modified)
        wants = (lambda media: media in TEXT_TYPES) if task.kind != "asset" else (
            (lambda media: media == "text/css") if task.stylesheet else (lambda m: False))
        outcome = await self.fetcher.fetch(task.requested, in_scope=self.in_scope,
                                           validators=validators, read_body=wants)
        if outcome.off_scope_target:
            self.off_scope.setdefault(outcome.off_scope_target, None)
        page = self._page(task, outcome, cached)
        self._store(page, cached, outcome)
        self._follow(page, task, cached)

    def _trust(self, task: _Task, cached: CachedPage) -> bool:
        """Use the cached copy with no request at all?"""
        if task.trust_cache:
            return True
        # Sitemap lastmod no later than our copy: the page has not changed since.
        lastmod = task.sitemap_lastmod
        return lastmod is not None and cached.page.fetched_at >= lastmod

    def _blocked(self, task: _Task) -> FetchedPage:
        return FetchedPage(
            url=task.url, requested_url=task.requested, final_url=task.requested, status=None,
            headers={}, content_type=None, size=0, fetched_at=datetime.now(UTC), elapsed=0.0,
            error="robots.txt của trang không cho phép tải địa chỉ này", error_code="robots",
            depth=task.depth, kind=task.kind, referrer=task.referrer,
        )

    def _page(self, task: _Task, outcome: Outcome, cached: CachedPage | None) -> FetchedPage:
        if outcome.not_modified and outcome.error is None and cached is not None:
            self.stats.not_modified += 1
            self.stats.from_cache += 1
            self.stats.pages_fetched += 1
            return dataclasses.replace(
                cached.page, requested_url=task.requested, size=outcome.size,
                fetched_at=outcome.fetched_at, elapsed=outcome.elapsed, from_cache=True,
                not_modified=True, depth=task.depth, referrer=task.referrer,
                redirect_chain=outcome.redirect_chain,
                sitemap_lastmod=task.sitemap_lastmod or cached.page.sitemap_lastmod,
            )
        if outcome.error is not None:
            self.stats.errors += 1
        else:
            self.stats.pages_fetched += 1
        answered = outcome.status is not None and outcome.status < 400
        kind = _kind_of(outcome, task.kind) if answered else task.kind
        if kind == "sitemap":
            self.sitemaps.setdefault(task.url, None)
        elif kind == "feed":
            self.feeds.setdefault(task.url, None)
        return FetchedPage(
            url=task.url, requested_url=task.requested, final_url=outcome.final_url,
            status=outcome.status, headers=outcome.headers, content_type=outcome.content_type,
            size=outcome.size, fetched_at=outcome.fetched_at, elapsed=outcome.elapsed,
            redirect_chain=outcome.redirect_chain, text=outcome.text, encoding=outcome.encoding,
            declared_charset=outcome.declared_charset, truncated=outcome.truncated,
            error=outcome.error, error_code=outcome.error_code, depth=task.depth, kind=kind,
            referrer=task.referrer, sitemap_lastmod=task.sitemap_lastmod,
        )

    def _store(self, page: FetchedPage, cached: CachedPage | None,
               outcome: Outcome | None = None) -> None:
        self.pages[page.url] = page
        self.unfinished.discard(page.url)
        if self.cache is None or self.run_id is None:
            return
        etag = outcome.etag if outcome else (cached.etag if cached else None)
        modified = outcome.last_modified if outcome else (cached.last_modified if cached else None)
        listing = None
        referrer = page.referrer
        if referrer and self.policy.is_listing(referrer):
            # Posts of a list and the list's further pages are carried over together
            # when a later run stops the list's pagination.
            key = self.policy.listing_key(referrer)
            if self.policy.listing_key(page.url) == key or (
                    self.policy.is_post(page.url) and not self.policy.is_listing(page.url)):
                listing = key
        self.cache.record(self.run_id, page, etag=etag, last_modified=modified, listing=listing)

    # -- discovery --------------------------------------------------------------
    def _follow(self, page: FetchedPage, task: _Task, cached: CachedPage | None) -> None:
        if not page.ok or page.text is None:
            return
        if page.kind == "sitemap":
            self._follow_sitemap(page)
            return
        depth = task.depth + 1
        links = list(self.policy.links(page))
        if page.is_html and self.settings.fetch_stylesheets:
            self._offer_stylesheets(page, depth)
        stop_key = self._pagination_stop(page, links)
        self._offer_links(page, task, links, stop_key)
        if stop_key is not None and self.cache is not None:
            for url in self.cache.urls_via_listing(stop_key):
                self.offer(url, depth, "page", referrer=page.url, listing=stop_key,
                           trust_cache=True)

    def _follow_sitemap(self, page: FetchedPage) -> None:
        sitemap = parse_sitemap(page.text or "", page.final_url)
        for entry in sitemap.entries:
            if sitemap.is_index:
                self.offer(entry.url, 0, "sitemap", referrer=page.url)
            else:
                self.offer(entry.url, 1, "page", referrer=page.url,
                           sitemap_lastmod=entry.lastmod)

    def _offer_links(self, page: FetchedPage, task: _Task, links: list[str],
                     stop_key: str | None) -> None:
        """Queue a page's links; a list's further pages keep its depth (read to its end)."""
        depth = task.depth + 1
        listing = self.policy.listing_key(page.url) if self.policy.is_listing(page.url) else None
        for link in links:
            canonical = self._canonical(link)
            if stop_key is not None and canonical and canonical != page.url and \
                    self.policy.listing_key(canonical) == stop_key:
                continue  # further pages of this list: already seen (issue 3.2)
            paged = canonical is not None and is_pagination(page.url, canonical)
            kind: PageKind = "page"  # feeds are recognised by their content type
            if self._is_asset_link(link):
                if not self.settings.check_assets:
                    continue
                kind = "asset"
            self.offer(link, task.depth if paged else depth, kind, referrer=page.url,
                       listing=listing)

    def _pagination_stop(self, page: FetchedPage, links: list[str]) -> str | None:
        """A list page whose posts were all seen by an earlier crawl ends its pagination."""
        if not self.known or not self.settings.stop_pagination:
            return None
        if not self.policy.is_listing(page.url):
            return None
        key = self.policy.listing_key(page.url)
        posts = []
        for link in links:
            canonical = self._canonical(link)
            if canonical is None or not self.in_scope(canonical):
                continue
            if self.policy.is_listing(canonical) or not self.policy.is_post(canonical):
                continue
            posts.append(canonical)
        if key is None or not posts or any(p not in self.known for p in posts):
            return None
        self.stats.pagination_stopped += 1
        return key

    def _offer_stylesheets(self, page: FetchedPage, depth: int) -> None:
        """The page's linked stylesheets (in scope), fetched once each for their text."""
        for tag in _STYLESHEET.findall(page.text or ""):
            found = _HREF.search(tag)
            href = next((g for g in found.groups() if g), None) if found else None
            url = canonicalize(href, page.final_url) if href else None
            if url is None or not self.in_scope(url) or url in self.seen:
                continue
            if self.accepted >= self.settings.max_pages:
                return
            self.seen.add(url)
            self.accepted += 1
            self._enqueue(_Task(url, url, depth, "asset", page.url, stylesheet=True))

    @staticmethod
    def _is_asset_link(link: str) -> bool:
        path = link.split("?", 1)[0].split("#", 1)[0].lower()
        return path.endswith((".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt",
                              ".ods", ".txt", ".csv"))

    # -- run --------------------------------------------------------------------
    async def run(self) -> CrawlResult:
        started = time.monotonic()
        if self.progress is not None:
            self.progress.start()
        try:
            await self._seed()
            if self.pending:
                remaining = self.deadline - time.monotonic()
                try:
                    async with asyncio.timeout(max(remaining, 0.0)):
                        await self.done.wait()
                except TimeoutError:
                    self.stats.stopped = "total_time"
        finally:
            for worker in self.workers:
                worker.cancel()
            await asyncio.gather(*self.workers, return_exceptions=True)
            await self.fetcher.aclose()
        self.stats.elapsed = time.monotonic() - started
        self._count_left()
        result = CrawlResult(
            seeds=self.seeds, pages=self.pages, stats=self.stats,
            robots_blocked=tuple(self.robots_blocked), off_scope=tuple(self.off_scope),
            started_at=self.started_at, sitemap_urls=tuple(self.sitemaps),
            feed_urls=tuple(self.feeds),
        )
        if self.cache is not None and self.run_id is not None:
            self.cache.finish_run(self.run_id, result)
        if self.progress is not None:
            self.progress.finish(self.stats)
        return result

    def _count_left(self) -> None:
        """How many URLs each limit left unread (``stats.left``); the first names ``stopped``."""
        left: dict[str, int] = {}
        unread = len(self.unfinished - self.pages.keys())
        if unread:  # queued and never answered: only the clock leaves them so
            left["total_time"] = unread
        for limit in ("max_pages", "max_depth", "max_pattern_pages"):
            count = len(self.refused.get(limit, set()) - self.seen) if limit == "max_depth" \
                else len(self.refused.get(limit, ()))
            if count:
                left[limit] = count
        cut = sum(1 for p in self.pages.values() if p.truncated)
        if cut:
            left["max_bytes"] = cut
        self.stats.left = left
        if left and self.stats.stopped is None:
            self.stats.stopped = next(iter(left))

    async def _seed(self) -> None:
        for seed in self.seeds:
            self.offer(self.seed_requested[seed], 0, "page")
        if not self.settings.fetch_sitemaps:
            return
        for seed in self.seeds:
            base = seed.split("/", 3)
            root = f"{base[0]}//{base[2]}"
            sitemaps = [f"{root}/sitemap.xml"]
            if self.settings.obey_robots:
                robots = await self.robots.for_url(seed)
                sitemaps = [*robots.sitemaps, *sitemaps]
            for url in sitemaps:
                self.offer(url, 0, "sitemap")


async def crawl(seeds: Sequence[str], settings: CrawlSettings, *, cache: PageCache | None = None,
                policy: LinkPolicy | None = None,
                progress: Progress | None = None) -> CrawlResult:
    """Crawl from `seeds` (the home page first). Never raises for network trouble.

    With a `cache`, the run is incremental (conditional requests, sitemap
    lastmod, pagination stop) and is remembered for `load_offline`.
    """
    return await _Crawl(seeds, settings, cache, policy or DefaultPolicy(), progress).run()


def crawl_sync(seeds: Sequence[str], settings: CrawlSettings, *, cache: PageCache | None = None,
               policy: LinkPolicy | None = None, progress: Progress | None = None) -> CrawlResult:
    """`crawl` for synchronous callers (the CLI)."""
    return asyncio.run(crawl(seeds, settings, cache=cache, policy=policy, progress=progress))


def load_offline(cache: PageCache, seed: str | None = None) -> CrawlResult | None:
    """The last finished crawl (of `seed`, if given) from the cache; None if there is none."""
    run_id = cache.last_run_id(seed)
    return cache.load_run(run_id) if run_id is not None else None
