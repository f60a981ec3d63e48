"""content.source-attribution — re-used content names its author and source (Điều 6.3)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from auditor.checks.interface import AuditContext, Check, Param
from auditor.checks.monthly import require_columns
from auditor.errors import NotChecked
from auditor.model import Post
from auditor.people import fold
from auditor.results import Finding, Severity

# "Nguồn: Báo GD&TĐ", "Nguồn tin: …", "Nguồn bài: …" — anywhere in the text.
_SOURCE_LINE = re.compile(r"\bngu[ồo]n(?:\s+tin|\s+bài|\s+bai)?\s*:\s*(?P<src>[^\n()]{2,120})",
                          re.IGNORECASE)
# "Theo Báo Giáo dục và Thời đại" alone on a line, or "(Theo GD&TĐ)" closing the text.
_THEO_LINE = re.compile(r"^\s*\(?\s*theo\s+(?P<src>[^\n()]{2,80}?)\s*\)?\s*\.?\s*$",
                        re.IGNORECASE | re.MULTILINE)
_THEO_END = re.compile(r"\(\s*theo\s+(?P<src>[^()\n]{2,80})\)\s*\.?\s*$", re.IGNORECASE)
_AUTHOR_LINE = re.compile(r"\b(?:tác giả|tac gia|bài(?:,)? ảnh|bai(?:,)? anh)\s*:\s*"
                          r"(?P<who>[^\n()]{2,80})", re.IGNORECASE)
_URL = re.compile(r"https?://([^/\s\"'<>]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Attribution:
    """What a post shows about where its text came from."""

    origins: tuple[str, ...]  # "dateline:GD&TĐ", "link:https://vnexpress.net/…"
    source: str | None  # the source it names
    author: str | None  # the author it names
    readable: bool  # a source, had there been one, could have been read
    where: str  # "export", "site", "export+site"


class SourceAttribution(Check):
    """Tin bài lấy lại, trích dẫn nội dung của nguồn khác phải ghi rõ tác giả và nguồn
    (Điều 6 khoản 3, QĐ 111/QĐ-THCS).

    A published news post reproduces another source when its text opens with
    another outlet's dateline ("(GD&TĐ) - …", "TTO - …", names in
    `datelines`) or its body links an article of a news site (`news_hosts`)
    as its origin. Such a post must name the source: the export's source
    column ("Nguồn"), a source line on its page (`source_selectors`, e.g. the
    portal's ``.qinguontin`` "Nguồn tin: …"), or a line "Nguồn: …" / "Theo
    …" in its text; and the author: the export's "Tác giả gốc", an author
    line (``.qiauthor`` "Tác giả: …"), or "Tác giả: …" in the text. No
    source named is a violation; a source without an author is a warning.
    A post whose source could not have been read (no page crawled and an
    export without source columns in use) gives no verdict; with no such
    evidence at all the rule is not checked.

    Fails: "Bộ GD&ĐT công bố lịch thi tốt nghiệp" opens "(GD&TĐ) - Sáng 10/11…"
    and names no source.
    Passes: the same post with "Nguồn tin: Báo Giáo dục và Thời đại" and
    "Tác giả: Minh Anh" under it.
    """

    id = "content.source-attribution"
    title = "Tin bài lấy lại, trích dẫn ghi rõ tác giả và nguồn"
    title_en = "Re-used content names its author and source"
    parameters = (
        Param("datelines", list, "tên viết tắt mở đầu bài của các báo (GD&TĐ, TTO…)",
              "the datelines other outlets open their articles with (GD&TĐ, TTO…)"),
        Param("news_hosts", list, "tên miền của các trang tin; liên kết tới đó là nguồn gốc bài",
              "news sites' domains; a body link there is the post's origin"),
        Param("body_selectors", list, "bộ chọn CSS phần thân bài trên trang",
              "CSS selectors of the article body on the page"),
        Param("source_selectors", list, "bộ chọn CSS dòng nguồn tin trên trang",
              "CSS selectors of the source line on the page"),
        Param("author_selectors", list, "bộ chọn CSS dòng tác giả trên trang",
              "CSS selectors of the author line on the page"),
        Param("exclude_categories", list, "chuyên mục không phải tin bài",
              "categories that are not news posts"),
    )
    needs = ("posts", "site")

    def run(self, ctx: AuditContext, params: Mapping[str, Any]) -> Iterable[Finding]:
        require_columns(ctx, ("published_at",), "không biết tin bài nào đã đăng",
                        "which posts were published is unknown")
        posts = _posts(ctx, params["exclude_categories"])
        if not posts:
            raise ctx.no_site("Không có tin bài nào (chưa có tệp xuất CMS, chưa thu thập "
                              "trang web).", "No posts (no CMS export and no crawl of the site).")
        pages = _pages(ctx)
        export_sources = any(p.source_name or p.source_author for p in ctx.posts or ()
                             if p.provenance.source == "export")
        judged = unreadable = 0
        no_text = True
        for post in posts:
            html = pages.get(post.post_id)
            if post.body or html:
                no_text = False
            att = attribution(post, html, export_sources, params)
            if not att.origins:
                judged += 1 if (post.body or html) else 0
                continue
            if not att.readable:
                unreadable += 1
                continue
            judged += 1
            yield from self._judge(ctx, post, att)
        if no_text:
            raise NotChecked("Không đọc được nội dung tin bài (tệp xuất không có cột nội dung, "
                             "chưa thu thập trang web).",
                             "No post text could be read (no body column in the export, no "
                             "crawl of the site).")
        if not judged:
            raise NotChecked(f"{unreadable} tin bài lấy từ nguồn khác nhưng không đọc được dòng "
                             "nguồn (tệp xuất không có cột Nguồn, chưa thu thập trang web).",
                             f"{unreadable} posts come from other sources but no source line "
                             "could be read (no source column in the export, no crawl).")

    def _judge(self, ctx: AuditContext, post: Post, att: Attribution) -> Iterable[Finding]:
        on = post.published_at.date() if post.published_at else None
        origin = ", ".join(o.split(":", 1)[1] for o in att.origins[:3])
        evidence: dict[str, Any] = {"origins": list(att.origins), "source": att.source,
                                    "author": att.author, "read_from": att.where}
        common: dict[str, Any] = {
            "department": post.department or ctx.directory.department_of(post.author),
            "person": ctx.directory.person(post.author), "on": on, "url": post.url,
            "post_id": post.post_id, "source": att.where, "evidence": evidence}
        if att.source is None:
            yield self.finding(
                f"post:{post.post_id}",
                f"Tin bài «{post.title}» lấy nội dung từ nguồn khác ({origin}) nhưng không ghi "
                "nguồn và tác giả (Điều 6 khoản 3).",
                f"Post “{post.title}” re-uses content from elsewhere ({origin}) but names no "
                "source or author (Điều 6.3).", **common)
        elif att.author is None:
            yield self.finding(
                f"post:{post.post_id}",
                f"Tin bài «{post.title}» ghi nguồn «{att.source}» nhưng không ghi tác giả "
                "(Điều 6 khoản 3).",
                f"Post “{post.title}” names its source “{att.source}” but not the author "
                "(Điều 6.3).", severity=Severity.WARNING, **common)


def attribution(post: Post, html: str | None, export_sources: bool,
                params: Mapping[str, Any]) -> Attribution:
    """Where the post's text came from, and what source and author it names."""
    origins: list[str] = []
    source = post.source_name or None
    author = post.source_author or None
    texts = [post.body or ""]
    where = {post.provenance.source}
    if html:
        where.add("site")
        soup = BeautifulSoup(html, "lxml")
        body = _first(soup, params["body_selectors"])
        if body is not None:
            texts.append(body.get_text("\n", strip=True))
            origins += _linked(body, post.url or "", params["news_hosts"])
        source = source or _line(soup, params["source_selectors"], _LABEL_SOURCE)
        author = author or _author_line(soup, params["author_selectors"])
        # "Nguồn: …" or "Theo …" right after the body (outside the selectors).
        if body is not None and source is None:
            tail = body.find_next_sibling()
            if isinstance(tail, Tag):
                texts.append(tail.get_text("\n", strip=True))
    for text in texts:
        if not text:
            continue
        origins += _dateline(text, tuple(params["datelines"]))
        origins += [f"link:{h}" for h in _hosts_in(text, params["news_hosts"])]
        source = source or _text_source(text)
        found = _AUTHOR_LINE.search(text)
        author = author or (found.group("who").strip() if found else None)
    readable = bool(html) or export_sources or source is not None
    return Attribution(tuple(dict.fromkeys(origins)), source, author, readable,
                       "+".join(sorted(where, key=lambda w: w != "export")))


_LABEL_SOURCE = re.compile(r"^\s*ngu[ồo]n(?:\s+tin)?\s*:\s*", re.IGNORECASE)
_LABEL_AUTHOR = re.compile(r"^\s*tác giả\s*:\s*", re.IGNORECASE)


def _first(soup: BeautifulSoup, selectors: Sequence[str]) -> Tag | None:
    for sel in selectors:
        found = soup.select_one(sel)
        if found is not None:
            return found
    return None


def _line(soup: BeautifulSoup, selectors: Sequence[str], label: re.Pattern[str]) -> str | None:
    node = _first(soup, selectors)
    if node is None:
        return None
    text = label.sub("", " ".join(node.get_text(" ", strip=True).split()))
    return text or None


def _author_line(soup: BeautifulSoup, selectors: Sequence[str]) -> str | None:
    """"Tác giả: …" only: "Người đăng tin: …" names who posted it, not the author."""
    for sel in selectors:
        for node in soup.select(sel):
            text = " ".join(node.get_text(" ", strip=True).split())
            if _LABEL_AUTHOR.match(text):
                return _LABEL_AUTHOR.sub("", text) or None
    return None


def _text_source(text: str) -> str | None:
    for pattern in (_SOURCE_LINE, _THEO_END, _THEO_LINE):
        found = pattern.search(text)
        if found:
            return found.group("src").strip(" .")
    return None


@lru_cache(maxsize=16)
def _dateline_re(names: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(fold(n)) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"^\s*\(?\s*(?P<outlet>{alternatives})\s*\)?\s*[-–—:]")


def _dateline(text: str, names: tuple[str, ...]) -> list[str]:
    if not names:
        return []
    found = _dateline_re(names).match(fold(text[:80]))
    if not found:
        return []
    outlet = next(n for n in names if fold(n) == found.group("outlet"))
    return [f"dateline:{outlet}"]


def _news_host(host: str, hosts: Sequence[str]) -> bool:
    host = host.lower().split(":")[0]
    return any(host == h or host.endswith("." + h) for h in hosts)


def _hosts_in(text: str, hosts: Sequence[str]) -> list[str]:
    return [h for h in dict.fromkeys(m.lower() for m in _URL.findall(text)) if _news_host(h, hosts)]


def _linked(body: Tag, base: str, hosts: Sequence[str]) -> list[str]:
    out = []
    for a in body.find_all("a"):
        href = urljoin(base, str(a.get("href") or "").strip())
        if _news_host(urlsplit(href).netloc, hosts):
            out.append(f"link:{href}")
    return out


def _posts(ctx: AuditContext, exclude: Sequence[str]) -> list[Post]:
    """Published news posts: the export's (or the crawl's), and those only on the site."""
    skip = {fold(c) for c in exclude}
    posts = list(ctx.posts or ())
    site = ctx.site
    if site is not None:
        seen = {p.post_id for p in posts}
        posts += [sp.post for sp in getattr(site, "site_posts", ()) if sp.post.post_id not in seen]
    return [p for p in posts if p.is_published and fold(p.category or "") not in skip
            and (p.published_at is None or p.published_at <= ctx.as_of)]


def _pages(ctx: AuditContext) -> dict[str, str]:
    """Each crawled post's page HTML, by post id."""
    site = ctx.site
    if site is None:
        return {}
    out: dict[str, str] = {}
    for sp in getattr(site, "site_posts", ()):
        for url in sp.urls:
            page = site.pages.get(url)
            if page is not None and page.text:
                out[sp.post.post_id] = page.text
                break
    return out
