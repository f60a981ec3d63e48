"""site.broken-links — internal links and attachments resolve (Điều 5.4)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from auditor.checks.interface import AuditContext, Check, Param
from auditor.results import Finding, Severity
from auditor.site.extract import path_and_query
from auditor.site.reconcile import Reconciliation, SiteState
from auditor.site.snapshot import SiteSnapshot

# Pages that are not links anyone followed: the crawler's own requests.
_NOT_LINKED_KINDS = ("sitemap", "feed")


class BrokenLinks(Check):
    """Liên kết nội bộ và tệp đính kèm phải mở được (Điều 5.4, Quy chế kèm QĐ 111/QĐ-THCS).

    "Thông tin đăng tải trên Cổng thông tin điện tử là thông tin chính thống,
    đảm bảo đầy đủ, chính xác, kịp thời…": a link of the portal to one of its
    own pages or files that answers 404/5xx (or not at all) shows visitors
    nothing. Every internal link and attachment the crawl met is
    checked; each broken address is one finding, with the pages that link to
    it. When a CMS export is given, a post the export calls published whose
    page is broken is a violation too, and one whose page answers but that no
    list, feed or page links to is a warning (the public cannot reach it);
    these name the person who published the post (người đăng) and their
    department.

    Fails: trang chủ liên kết tới /tin-tuc-su-kien/…/ct/1021/15091, trang này
    trả mã 404.
    Passes: mọi liên kết nội bộ và tệp đính kèm đều trả mã 200.
    """

    id = "site.broken-links"
    title = "Liên kết nội bộ và tệp đính kèm không bị hỏng"
    title_en = "Internal links and attachments resolve"
    parameters = (
        Param("max_referrers", int, "số trang liên kết tới được nêu làm bằng chứng",
              "referring pages listed as evidence"),
        Param("ignore_patterns", list, "biểu thức chính quy của địa chỉ bỏ qua",
              "regexes of addresses to ignore"),
        Param("report_unlisted_posts", bool,
              "báo bài đã đăng nhưng không có trang nào liên kết tới",
              "report published posts that nothing links to"),
    )
    needs = ("site",)

    def run(self, ctx: AuditContext, params: Mapping[str, Any]) -> Iterable[Finding]:
        site: SiteSnapshot = ctx.require_site()
        ignore = [re.compile(p) for p in params["ignore_patterns"]]
        limit = params["max_referrers"]
        referrers = _referrers(site)
        rec = ctx.reconciliation
        reported: set[str] = set()
        if rec is not None:
            yield from self._posts(ctx, rec, referrers, limit, params["report_unlisted_posts"],
                                   reported)
        for url, page in sorted(site.pages.items()):
            if url in reported or not page.broken or (page.error and "robots" in page.error):
                continue
            where = path_and_query(url)
            if any(p.search(where) for p in ignore):
                continue
            linked_from = sorted(referrers.get(url, ()))
            if not linked_from:
                continue  # nothing links to it (a seed from the export, a sitemap entry)
            status = page.status
            what = "tệp đính kèm" if page.kind == "attachment" or _is_file(url) else "trang"
            what_en = "attachment" if what == "tệp đính kèm" else "page"
            answer = f"trả mã {status}" if status else f"không mở được ({page.error})"
            answer_en = f"answers {status}" if status else f"cannot be fetched ({page.error})"
            yield self.finding(
                f"url:{where}",
                f"Liên kết hỏng: {what} {where} {answer}; được liên kết từ "
                f"{len(linked_from)} trang, ví dụ {path_and_query(linked_from[0])}.",
                f"Broken link: {what_en} {where} {answer_en}; linked from {len(linked_from)} "
                f"page(s), e.g. {path_and_query(linked_from[0])}.",
                url=url, source="site",
                evidence={"status": status, "error": page.error, "kind": page.kind,
                          "linked_from": linked_from[:limit], "linked_from_count":
                          len(linked_from)},
            )

    def _posts(self, ctx: AuditContext, rec: Reconciliation,
               referrers: Mapping[str, set[str]], limit: int, unlisted: bool,
               reported: set[str]) -> Iterable[Finding]:
        for c in rec.not_visible:
            post = c.post
            linked_from = sorted(referrers.get(c.url or "", ()))
            evidence = {**c.evidence(), "linked_from": linked_from[:limit],
                        "export_published_at": post.published_at.isoformat()
                        if post.published_at else None}
            # Who put the post on the portal (người đăng, bước 4 of Điều 15) answers for
            # what the portal shows of it; the author when the export names no publisher.
            who = post.published_by or post.author
            department = ctx.directory.department_of(who) or (
                post.department if who == post.author else None)
            evidence["author"] = ctx.directory.person(post.author)
            common = dict(url=c.url, post_id=post.post_id, department=department,
                          person=ctx.directory.person(who), source="export+site",
                          evidence=evidence)
            if c.state is SiteState.BROKEN:
                if c.url:
                    reported.add(c.url)
                answer = f"trả mã {c.status}" if c.status else "không mở được"
                yield self.finding(
                    f"post:{post.post_id}",
                    f"Bài “{post.title}” (mã {post.post_id}) đã đăng theo tệp xuất CMS nhưng "
                    f"trang bài {answer}: người xem không đọc được.",
                    f"Post “{post.title}” ({post.post_id}) is published in the CMS export but "
                    f"its page answers {c.status or 'nothing'}.",
                    **common)
            elif unlisted and c.state in (SiteState.HIDDEN, SiteState.ABSENT):
                if c.site is not None and c.site.hidden_by_css:
                    why, why_en = "nội dung bài bị ẩn bằng CSS", "its content is hidden by CSS"
                elif c.state is SiteState.HIDDEN and linked_from:
                    why = "mọi liên kết tới bài đều bị ẩn (CSS) khỏi người xem"
                    why_en = "every link to it is hidden from visitors (CSS)"
                elif c.state is SiteState.HIDDEN:
                    why = "không có danh sách, nguồn tin hay trang nào liên kết tới"
                    why_en = "no list, feed or page links to it"
                else:
                    why, why_en = "không có trên trang web", "it is not on the site"
                yield self.finding(
                    f"post:{post.post_id}",
                    f"Bài “{post.title}” (mã {post.post_id}) đã đăng theo tệp xuất CMS nhưng "
                    f"{why}: không được tính là tin bài đã đăng.",
                    f"Post “{post.title}” ({post.post_id}) is published in the CMS export but "
                    f"{why_en}: it does not count as published.",
                    severity=Severity.WARNING, **common)


def _referrers(site: SiteSnapshot) -> dict[str, set[str]]:
    """Target URL → the pages whose HTML links to it (sitemaps and feeds aside)."""
    out: dict[str, set[str]] = defaultdict(set)
    for url, page in site.pages.items():
        if page.kind in _NOT_LINKED_KINDS:
            continue
        for target in page.links:
            if target != url:
                out[target].add(url)
    return out


def _is_file(url: str) -> bool:
    last = url.rsplit("/", 1)[-1]
    return "." in last and len(last.rsplit(".", 1)[-1]) <= 5

