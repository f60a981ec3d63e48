"""Fetches the Word attachments of posts after a crawl, so that text.tcvn6909
can read their fonts and runs (Điều 6.4). The crawler itself keeps only HTML.

Politeness is the crawler's: its User-Agent, robots.txt, pacing, wall-clock
limit and byte cap, one request at a time, never outside the crawled host.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from auditor.crawl import CrawlSettings
from auditor.crawl.client import PageFetcher, SiteClient, same_host
from auditor.crawl.settings import host_of
from auditor.crawl.types import ERROR_REASONS_EN
from auditor.site.snapshot import SiteSnapshot

DOCUMENT_SUFFIXES = (".docx",)


@dataclass(frozen=True, slots=True)
class FetchedDocuments:
    """The documents read, by address (as the snapshot shows it), and those refused
    with the reason (Vietnamese, English)."""

    found: Mapping[str, bytes] = field(default_factory=dict)
    refused: Mapping[str, tuple[str, str]] = field(default_factory=dict)


def document_urls(snapshot: SiteSnapshot) -> list[str]:
    urls: list[str] = []
    items: Iterable = snapshot.disclosure.items if snapshot.disclosure else ()
    groups = [sp.attachments for sp in snapshot.site_posts] + [i.attachments for i in items]
    for attachments in groups:
        for att in attachments:
            path = urlsplit(att.url).path.lower()
            if path.endswith(DOCUMENT_SUFFIXES) and att.url not in urls \
                    and att.status in (None, 200):
                urls.append(att.url)
    return urls


class DocumentCache:
    """Documents from earlier runs with their validators, for conditional requests:
    a weekly run downloads only the documents that changed."""

    def __init__(self, path: Path | None) -> None:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path) if path else ":memory:")
        self.db.execute("CREATE TABLE IF NOT EXISTS auditor_documents (url TEXT PRIMARY KEY, "
                        "etag TEXT, last_modified TEXT, body BLOB)")

    def get(self, url: str) -> tuple[str | None, str | None, bytes] | None:
        row = self.db.execute("SELECT etag, last_modified, body FROM auditor_documents "
                              "WHERE url = ?", (url,)).fetchone()
        return (row[0], row[1], bytes(row[2])) if row else None

    def put(self, url: str, etag: str | None, last_modified: str | None, body: bytes) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO auditor_documents VALUES (?, ?, ?, ?)",
                            (url, etag, last_modified, body))

    def close(self) -> None:
        self.db.close()


def fetch_documents(snapshot: SiteSnapshot, settings: CrawlSettings, *, served: str,
                    shown: str | None, limit: int, cache_path: Path | None = None,
                    fetcher: PageFetcher | None = None) -> FetchedDocuments:
    """At most `limit` documents: address (as the snapshot shows it) → bytes, and the
    documents refused.

    `served` is where the site was actually crawled (the demo's loopback port),
    `shown` the origin the snapshot names instead; a document is fetched from
    the served origin and filed under its shown address. Every download goes
    through the audit's fetcher (robots.txt, pacing, the byte cap, a wall-clock
    limit, the crawl's deadline plus crawl.tail_time); a document refused is
    recorded with its reason (Vietnamese, English) in ``refused`` (the snapshot's
    ``attachments_refused`` once the loader files it there).
    """
    served_origin = "{0.scheme}://{0.netloc}".format(urlsplit(served))
    client = fetcher or SiteClient.after_crawl(settings, snapshot.fetched_at,
                                               hosts=frozenset({host_of(served)}))
    found: dict[str, bytes] = {}
    refused: dict[str, tuple[str, str]] = {}
    cache = DocumentCache(cache_path)
    try:
        for url in document_urls(snapshot)[:limit]:
            target = (served_origin + url[len(shown):] if shown and url.startswith(shown)
                      else url)
            if "{0.scheme}://{0.netloc}".format(urlsplit(target)) != served_origin:
                continue  # only the crawled host
            body, why = _fetch(client, target, url, cache, settings.max_bytes)
            if body is not None:
                found[url] = body
            elif why is not None:
                refused[url] = why
    finally:
        cache.close()
    return FetchedDocuments(found, refused)


def _fetch(client: PageFetcher, target: str, url: str, cache: DocumentCache,
           max_bytes: int) -> tuple[bytes | None, tuple[str, str] | None]:
    """(the document, None) or (None, why not); (None, None) for an HTTP error status,
    which is site.broken-links' business."""
    known = cache.get(url)
    conditional: dict[str, str] = {}
    if known and known[0]:
        conditional["If-None-Match"] = known[0]
    if known and known[1]:
        conditional["If-Modified-Since"] = known[1]
    got = client.get(target, within=same_host(target), headers=conditional, binary=True)
    if got.error is not None:
        return None, (got.error, ERROR_REASONS_EN.get(got.error_code or "", got.error))
    if got.status == 304 and known:
        return known[2], None
    if got.status != 200 or got.body is None:
        return None, None
    if got.truncated:
        return None, (f"tệp lớn hơn giới hạn {max_bytes:,} byte (crawl.max_bytes): không tải hết",
                      f"larger than the {max_bytes:,}-byte limit (crawl.max_bytes): not read")
    cache.put(url, got.etag, got.last_modified, got.body)
    return got.body, None
