"""Cloaking (che giấu nội dung): the site shows search engines something else than visitors.

Injected gambling pages are often served only to Googlebot, or only to
visitors who arrive from a Google search (who are redirected), so that the
school sees a clean site (DOMAIN.md). The check fetches the home page and a
sample of pages again as Googlebot with a Google referer (and as a browser
with the same referer) and compares with what the crawl saw:
:func:`compare_cloaking` does the comparison, :func:`fetch_as` the fetching.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bs4 import BeautifulSoup

from auditor.crawl.client import PageFetcher, SiteClient, same_host
from auditor.crawl.settings import CrawlSettings
from auditor.crawl.types import ERROR_REASONS_EN
from auditor.spam.signals import ScanOptions, Signal, page_signals
from auditor.spam.terms import bare_host


@dataclass(frozen=True)
class Refetch:
    """One URL fetched again with another User-Agent and referer."""

    url: str
    status: int | None
    final_url: str
    redirects: tuple[str, ...] = ()
    text: str | None = None
    error: str | None = None
    error_en: str | None = None


def fetch_as(urls: Iterable[str], *, user_agent: str, referer: str, timeout: float,
             fetcher: PageFetcher | None = None) -> dict[str, Refetch]:
    """GET each URL with this User-Agent and Referer through the audit's fetcher; never raises.

    Redirects are followed on the page's own host only: a redirect to another
    host is the finding itself (its target is ``final_url``, with the 3xx
    status), and the tool never requests a spam site. Each fetch has `timeout`
    seconds of wall clock, however slowly the server answers (issue 13.1).
    """
    client = fetcher or SiteClient.until(CrawlSettings(), timeout * 2)
    headers = {"User-Agent": user_agent, "Referer": referer,
               "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"}
    out: dict[str, Refetch] = {}
    for url in urls:
        got = client.get(url, within=same_host(url), headers=headers, time_limit=timeout)
        chain = got.redirect_chain
        if got.error_code == "off_scope" and got.off_scope_target:
            out[url] = Refetch(url, got.status, got.off_scope_target, chain)
        elif got.error is not None or got.status is None:
            out[url] = Refetch(url, None, got.final_url, chain, error=got.error,
                               error_en=ERROR_REASONS_EN.get(got.error_code or "", got.error))
        else:
            out[url] = Refetch(url, got.status, got.final_url, chain, got.text)
    return out


def _words(html: str, opts: ScanOptions) -> tuple[str, ...]:
    soup = BeautifulSoup(html, "lxml")
    text = unicodedata.normalize("NFC", soup.get_text(" ", strip=True))
    hrefs = " ".join(str(a.get("href") or "") for a in soup.find_all("a"))
    found = list(opts.terms.words(text))
    found += [w for w in opts.terms.words(hrefs) if w not in found]
    return tuple(found)


def compare_cloaking(browser_html: str, bot_html: str, *, url: str, opts: ScanOptions,
                     what: str = "Googlebot") -> list[Signal]:
    """Signs that `bot_html` (what a search engine gets) hides spam `browser_html` lacks.

    A gambling word or brand present only for the bot, or a spam sign (hidden
    link, redirect…) present only for the bot, is cloaking. Pages that merely
    differ (a clock, a visitor counter) are not.
    """
    seen_words = set(_words(browser_html, opts))
    only_bot = [w for w in _words(bot_html, opts) if w not in seen_words]
    seen_kinds = {(s.kind, s.key) for s in page_signals(url, browser_html, opts)}
    new_signals = [s for s in page_signals(url, bot_html, opts)
                   if (s.kind, s.key) not in seen_kinds]
    if not only_bot and not new_signals:
        return []
    sample = new_signals[0].excerpt if new_signals else ", ".join(only_bot)
    return [Signal("cloaking", url, sample, f"cloaking:{url}", tuple(only_bot),
                   {"seen_by": what, "terms_only_for_bot": only_bot,
                    "signals_only_for_bot": sorted({s.kind for s in new_signals})})]


def compare_redirect(crawl_final: str, again: Refetch, *, url: str, opts: ScanOptions,
                     what: str) -> list[Signal]:
    """The page sends this visitor to another host although the crawl stayed on the site."""
    if again.status is None or not opts.suspicious(again.final_url) or opts.foreign(crawl_final):
        return []
    chain = [*again.redirects, again.final_url]
    return [Signal("cloaking", url, " → ".join(chain), f"cloaking:{url}",
                   opts.terms.in_url(again.final_url),
                   {"seen_by": what, "redirect_chain": chain,
                    "target_host": bare_host(again.final_url)})]


def cloaking_signals(pages: Sequence[tuple[str, str, str]], opts: ScanOptions, *,
                     agents: Sequence[tuple[str, str]], referer: str,
                     timeout: float, fetcher: PageFetcher | None = None
                     ) -> tuple[list[Signal], dict[str, tuple[str, str]]]:
    """Fetch `pages` [(url, crawl final URL, crawl HTML)] as each (name, User-Agent) and compare.

    Returns the signals and the pages that could not be fetched again (URL → why, in
    Vietnamese and English).
    """
    signals: list[Signal] = []
    failed: dict[str, tuple[str, str]] = {}
    for name, agent in agents:
        again = fetch_as([u for u, _, _ in pages], user_agent=agent, referer=referer,
                         timeout=timeout, fetcher=fetcher)
        for url, final, html in pages:
            got = again[url]
            if got.status is None:
                failed.setdefault(url, (got.error or "không có câu trả lời",
                                        got.error_en or got.error or "no answer"))
                continue
            found = compare_redirect(final, got, url=url, opts=opts, what=name)
            if not found and got.text:
                found = compare_cloaking(html, got.text, url=url, opts=opts, what=name)
            signals += found
    return signals, dict(sorted(failed.items()))
