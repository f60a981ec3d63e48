"""Fetches the Word attachments of posts after a crawl, so that text.tcvn6909
can read their fonts and runs (Điều 6.4). The crawler itself keeps only HTML.

Politeness is the crawler's: its User-Agent, timeout and byte cap, one
request at a time, never outside the crawled host.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

import httpx

from auditor.crawl import CrawlSettings
from auditor.site.model import SiteSnapshot

DOCUMENT_SUFFIXES = (".docx",)


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


def fetch_documents(snapshot: SiteSnapshot, settings: CrawlSettings, *, served: str,
                    shown: str | None, limit: int) -> dict[str, bytes]:
    """Address (as the snapshot shows it) → bytes, for at most `limit` documents.

    `served` is where the site was actually crawled (the demo's loopback port),
    `shown` the origin the snapshot names instead; a document is fetched from
    the served origin and filed under its shown address.
    """
    served_origin = "{0.scheme}://{0.netloc}".format(urlsplit(served))
    found: dict[str, bytes] = {}
    headers = {"User-Agent": settings.user_agent}
    with httpx.Client(timeout=settings.timeout, headers=headers,
                      follow_redirects=False) as client:
        for url in document_urls(snapshot)[:limit]:
            target = served_origin + url[len(shown):] if shown and url.startswith(shown) else url
            if "{0.scheme}://{0.netloc}".format(urlsplit(target)) != served_origin:
                continue  # only the crawled host
            try:
                with client.stream("GET", target) as response:
                    if response.status_code != 200:
                        continue
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body += chunk
                        if len(body) > settings.max_bytes:
                            break
                    else:
                        found[url] = bytes(body)
            except httpx.HTTPError:
                continue  # a document that cannot be fetched is site.broken-links' business
    return found
