"""Builds a crawled site (SiteSnapshot) for rule cases: the ``site`` key of a case.

```toml
[case.site]
pages = [
  { path = "/", links = ["/tin/a/ct/1/1", "/tep/a.pdf"] },   # status 200 by default
  { path = "/tin/a/ct/1/1", status = 404 },
  { path = "/tep/a.pdf", kind = "attachment" },
  { path = "/chan", status = 0, error = "robots.txt … không cho phép" },  # 0: no answer
]
site_posts = [{ post_id = "1", path = "/tin/a/ct/1/1", published_at = 2026-10-01T08:00:00 }]
```

When the case also has ``posts`` (the CMS export), the site is reconciled with
them as ``auditor check`` does (``AuditContext.reconciliation``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from auditor.model import Post, PostStatus, Provenance
from auditor.site.reconcile import reconcile
from auditor.site.snapshot import Page, SitePost, SiteSnapshot
from tests import site_rule_inputs

SCHOOL = "https://thcsthunghiem.haiphong.edu.vn"


def _abs(path: str) -> str:
    return path if path.startswith("http") else SCHOOL + path


def site(case: dict[str, Any], zone: ZoneInfo) -> dict[str, Any]:
    from tests.rule_inputs import posts as export_posts
    from tests.rule_inputs import when

    raw = case["site"]
    pages = {}
    for spec in raw.get("pages", []):
        url = _abs(spec["path"])
        status = spec.get("status", 200) or None
        pages[url] = Page(url=url, status=status, final_url=url,
                          content_type=spec.get("content_type", "text/html"),
                          error=spec.get("error"), kind=spec.get("kind", "other"),
                          links=tuple(_abs(link) for link in spec.get("links", [])))
    site_posts = []
    for spec in raw.get("site_posts", []):
        url = _abs(spec["path"])
        listed = spec.get("listed", True)
        post = Post(post_id=str(spec["post_id"]), title=spec.get("title", f"Bài {spec['post_id']}"),
                    status=PostStatus.PUBLISHED if listed else PostStatus.HIDDEN,
                    category=spec.get("category"), url=url,
                    published_at=when(spec.get("published_at"), zone),
                    provenance=Provenance("site", url=url))
        site_posts.append(SitePost(post=post, urls=(url,), listed=listed,
                                   status=pages[url].status if url in pages else 200,
                                   meta_published=post.published_at))
    snapshot = SiteSnapshot(base_url=SCHOOL + "/", profile="haiphong-edu", pages=pages,
                            site_posts=tuple(site_posts))
    if "posts" in case or "bulk" in case:
        exported: tuple[Post, ...] = export_posts(case, zone)["posts"]
        exported = tuple(p if p.url is None else _with_abs_url(p) for p in exported)
        snapshot = site_rule_inputs.extend(snapshot, raw)
        return {"site": snapshot,
                "reconciliation": reconcile(exported, snapshot, timedelta(hours=24))}
    return {"site": site_rule_inputs.extend(snapshot, raw)}


def _with_abs_url(post: Post) -> Post:
    return replace(post, url=_abs(post.url or ""))
