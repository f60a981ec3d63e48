"""More of ``[case.site]`` for the site rules (official domain, sections, spam).

``tests/site_inputs.py`` builds the pages; this adds what those rules read::

    [case.site]
    offline = true                    # default: a case never fetches anything again
    nav = [{ title = "Giới thiệu", url = "/gioi-thieu/c/1", children = [...] }]
    sitemap = ["/tin-tuc/c/1", "/nha-cai-uy-tin/"]   # served as /sitemap.xml
    [[case.site.pages]]
    path = "/"                        # relative to the school's address, or absolute
    final_url = "/"                   # default: path
    redirects = []                    # URLs that answered 3xx, in order
    headers = { location = "https://elsewhere.example/" }
    html = "<html>…</html>"           # or html_file = "spam/hidden-block.html"
                                      # (under fixtures/site-rules/)
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from auditor.site.snapshot import CrawlSummary, NavItem, Page, SiteSnapshot

SCHOOL = "https://thcsthunghiem.haiphong.edu.vn"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "site-rules"


def absolute(url: str) -> str:
    return url if url.startswith("http") else SCHOOL + url


def _nav(raw: dict[str, Any]) -> NavItem:
    url = raw.get("url")
    return NavItem(raw["title"], absolute(url) if url else None,
                   tuple(_nav(c) for c in raw.get("children", [])))


def _page(page: Page, spec: dict[str, Any]) -> Page:
    changes: dict[str, Any] = {}
    if "final_url" in spec:
        changes["final_url"] = absolute(spec["final_url"])
    if "redirects" in spec:
        changes["redirects"] = tuple(absolute(u) for u in spec["redirects"])
    if "headers" in spec:
        changes["headers"] = dict(spec["headers"])
    if "html" in spec:
        changes["text"] = spec["html"]
    if "html_file" in spec:
        changes["text"] = (FIXTURES / spec["html_file"]).read_text(encoding="utf-8")
    return replace(page, **changes) if changes else page


def extend(snapshot: SiteSnapshot, raw: dict[str, Any]) -> SiteSnapshot:
    """The snapshot with redirects, headers, HTML, the menu, a sitemap and the offline flag."""
    pages = dict(snapshot.pages)
    for spec in raw.get("pages", []):
        url = absolute(spec["path"])
        pages[url] = _page(pages[url], spec)
    if "sitemap" in raw:
        locs = "".join(f"<url><loc>{absolute(u)}</loc></url>" for u in raw["sitemap"])
        url = SCHOOL + "/sitemap.xml"
        pages[url] = Page(url=url, status=200, final_url=url, content_type="application/xml",
                          kind="sitemap", text='<?xml version="1.0" encoding="UTF-8"?><urlset '
                          f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>')
    return replace(snapshot, pages=pages, nav=tuple(_nav(n) for n in raw.get("nav", [])),
                   stats=CrawlSummary(pages=len(pages), offline=raw.get("offline", True)))
