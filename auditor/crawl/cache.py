"""The persistent page cache: one SQLite file, keyed by canonical URL.

It makes repeat runs cheap (ETag / Last-Modified conditional requests,
sitemap lastmod, stopping a list's pagination at posts already seen) and lets
`auditor check --offline` audit the last crawl with no network.

Tables: ``pages`` holds the latest good body and validators per URL;
``runs`` and ``run_pages`` remember what each crawl saw (errors included),
so an offline audit sees exactly the last crawl.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import time
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from auditor.crawl.settings import default_cache_path
from auditor.crawl.types import CrawlResult, CrawlStats, FetchedPage
from auditor.sqlite_wait import wait_seconds

SCHEMA_VERSION = 1
KEEP_RUNS = 5

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    body BLOB,               -- zlib(UTF-8 of the decoded text)
    listing TEXT,            -- listing key of the list that led here (pagination stop)
    meta TEXT NOT NULL,      -- the FetchedPage fields as JSON, text excluded
    stored_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    seeds TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    stats TEXT,
    robots_blocked TEXT,
    off_scope TEXT
);
CREATE TABLE IF NOT EXISTS run_pages (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    meta TEXT NOT NULL,
    PRIMARY KEY (run_id, url)
);
"""


@dataclass(frozen=True)
class CachedPage:
    page: FetchedPage  # as last stored, with its text
    etag: str | None
    last_modified: str | None
    listing: str | None


_FIELDS = tuple(f.name for f in dataclasses.fields(FetchedPage) if f.name != "text")


def _to_json(page: FetchedPage) -> str:
    # Not dataclasses.asdict: it deep-copies every header dict (~1 ms a page).
    data = {name: getattr(page, name) for name in _FIELDS}
    data["fetched_at"] = page.fetched_at.isoformat()
    data["sitemap_lastmod"] = page.sitemap_lastmod.isoformat() if page.sitemap_lastmod else None
    return json.dumps(data, ensure_ascii=False)


def _from_json(raw: str, text: str | None) -> FetchedPage:
    data = json.loads(raw)
    data["fetched_at"] = datetime.fromisoformat(data["fetched_at"])
    if data.get("sitemap_lastmod"):
        data["sitemap_lastmod"] = datetime.fromisoformat(data["sitemap_lastmod"])
    data["redirect_chain"] = tuple(data.get("redirect_chain") or ())
    known = {f.name for f in dataclasses.fields(FetchedPage)}
    return FetchedPage(**{k: v for k, v in data.items() if k in known}, text=text)


def _pack(text: str | None) -> bytes | None:
    return None if text is None else zlib.compress(text.encode("utf-8"), 6)


def _unpack(blob: bytes | None) -> str | None:
    return None if blob is None else zlib.decompress(blob).decode("utf-8")


class PageCache:
    """SQLite page cache. Use from one thread (the crawl's event loop runs in the caller's)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Runs at the same time share the cache: wait for each other's commits (as the
        # history does, AUDITOR_HISTORY_WAIT seconds) rather than fail "database is locked".
        self._db = sqlite3.connect(self.path, timeout=wait_seconds())
        if str(self._db.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
            self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(_SCHEMA)
        self._db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
        self._db.commit()
        self._pending = 0
        self._committed = time.monotonic()

    @classmethod
    def open_default(cls) -> PageCache:
        return cls(default_cache_path())

    def close(self) -> None:
        self._db.commit()
        self._db.close()

    def __enter__(self) -> PageCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- lookups during a crawl ------------------------------------------------
    def lookup(self, url: str) -> CachedPage | None:
        row = self._db.execute(
            "SELECT etag, last_modified, body, listing, meta FROM pages WHERE url = ?", (url,)
        ).fetchone()
        if row is None:
            return None
        etag, last_modified, body, listing, meta = row
        return CachedPage(_from_json(meta, _unpack(body)), etag, last_modified, listing)

    def known_urls(self) -> set[str]:
        """Every URL with a stored good answer (what "already seen" means)."""
        return {row[0] for row in self._db.execute("SELECT url FROM pages")}

    def urls_via_listing(self, listing: str) -> list[str]:
        rows = self._db.execute("SELECT url FROM pages WHERE listing = ?", (listing,))
        return [r[0] for r in rows]

    # -- writes ---------------------------------------------------------------
    def begin_run(self, seeds: tuple[str, ...]) -> int:
        cur = self._db.execute(
            "INSERT INTO runs (seeds, started_at) VALUES (?, ?)",
            (json.dumps(list(seeds)), datetime.now(UTC).isoformat()),
        )
        self._db.commit()
        assert cur.lastrowid is not None
        return cur.lastrowid

    def record(self, run_id: int, page: FetchedPage, *, etag: str | None = None,
               last_modified: str | None = None, listing: str | None = None) -> None:
        """Remember `page` in run `run_id`; a good answer also replaces the stored body."""
        meta = _to_json(page)
        self._db.execute("INSERT OR REPLACE INTO run_pages VALUES (?, ?, ?)",
                         (run_id, page.url, meta))
        if page.ok and not page.from_cache:
            self._db.execute(
                "INSERT INTO pages (url, etag, last_modified, body, listing, meta, stored_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET"
                " etag=excluded.etag, last_modified=excluded.last_modified, body=excluded.body,"
                " listing=COALESCE(excluded.listing, pages.listing), meta=excluded.meta,"
                " stored_at=excluded.stored_at",
                (page.url, etag, last_modified, _pack(page.text), listing, meta,
                 datetime.now(UTC).isoformat()),
            )
        elif page.ok and page.from_cache:
            # Revalidated (304) or trusted by sitemap lastmod: keep the body, refresh the record.
            self._db.execute(
                "UPDATE pages SET meta = ?, listing = COALESCE(?, listing) WHERE url = ?",
                (meta, listing, page.url),
            )
        self._pending += 1
        # Commit in batches, and at least every quarter second: another run sharing the
        # cache waits for the write lock only that long, never a whole crawl.
        if self._pending >= 200 or time.monotonic() - self._committed > 0.25:
            self._db.commit()
            self._pending = 0
            self._committed = time.monotonic()

    def finish_run(self, run_id: int, result: CrawlResult) -> None:
        stats = dataclasses.asdict(result.stats)
        self._db.execute(
            "UPDATE runs SET finished_at = ?, stats = ?, robots_blocked = ?, off_scope = ?"
            " WHERE id = ?",
            (datetime.now(UTC).isoformat(), json.dumps(stats), json.dumps(result.robots_blocked),
             json.dumps(result.off_scope), run_id),
        )
        old = [r[0] for r in self._db.execute(
            "SELECT id FROM runs WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT -1 OFFSET ?",
            (KEEP_RUNS,))]
        for rid in old:
            self._db.execute("DELETE FROM run_pages WHERE run_id = ?", (rid,))
            self._db.execute("DELETE FROM runs WHERE id = ?", (rid,))
        self._db.commit()
        self._pending = 0

    # -- the last crawl, offline ----------------------------------------------------
    def last_run_id(self, seed: str | None = None) -> int | None:
        for rid, seeds in self._db.execute(
            "SELECT id, seeds FROM runs WHERE finished_at IS NOT NULL ORDER BY id DESC"
        ):
            if seed is None or seed in json.loads(seeds):
                return int(rid)
        return None

    def load_run(self, run_id: int) -> CrawlResult:
        row = self._db.execute(
            "SELECT seeds, started_at, stats, robots_blocked, off_scope FROM runs WHERE id = ?",
            (run_id,),
        ).fetchone()
        if row is None:
            raise KeyError(run_id)
        seeds, started_at, stats_raw, blocked, off_scope = row
        pages: dict[str, FetchedPage] = {}
        for url, meta in self._db.execute("SELECT url, meta FROM run_pages WHERE run_id = ?",
                                          (run_id,)):
            page = _from_json(meta, None)
            if page.ok:  # an error or a 404 this run must not show an older good body
                body = self._db.execute("SELECT body FROM pages WHERE url = ?", (url,)).fetchone()
                if body is None:
                    continue  # body lost (cache pruned by hand): better absent than empty
                page = dataclasses.replace(page, text=_unpack(body[0]))
            pages[url] = dataclasses.replace(page, from_cache=True, size=0)
        stats = CrawlStats(**json.loads(stats_raw)) if stats_raw else CrawlStats()
        stats.from_cache = sum(1 for p in pages.values() if p.ok)
        return CrawlResult(
            seeds=tuple(json.loads(seeds)), pages=pages, stats=stats,
            robots_blocked=tuple(json.loads(blocked or "[]")),
            off_scope=tuple(json.loads(off_scope or "[]")),
            offline=True, started_at=datetime.fromisoformat(started_at),
        )
