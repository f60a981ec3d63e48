"""posts.pgd-proposals — at least N posts a month proposed to the authority."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from auditor.authority import authority_name
from auditor.checks.interface import AuditContext, Check, Param
from auditor.checks.monthly import (
    countable,
    judge_months,
    month_end,
    record_stat,
    require_columns,
    site_evidence,
)
from auditor.results import Finding, Severity
from auditor.site.coverage import require_read_posts
from auditor.textfmt import num, plural


class PgdProposals(Check):
    """Tin bài đề xuất lên trang {authority} (Điều 16 khoản 3, QĐ 111/QĐ-THCS).

    Điều 16.3 (2022) asks for at least 03 of the best posts ticked "Đề xuất
    hiển thị trên trang" of the education office; since 1/7/2025 the district
    office is gone, and the page is that of the authority configured in
    ``[authority]`` ({authority}; the rule id stays). Counts, per calendar
    month, published news posts whose "Đề xuất PGD" box is ticked in the CMS
    export. A closed month below `min_proposals` is a violation; the month in
    progress is a warning with the projection.

    Fails: tháng 10/2026 chỉ có 2 tin bài được đề xuất (cần 3).
    Passes: tháng 9/2026 có 4 tin bài được đề xuất.
    """

    id = "posts.pgd-proposals"
    title = "Tin bài đề xuất lên trang {authority}"
    title_en = "Posts proposed to {authority}'s page"
    parameters = (
        Param("min_proposals", int, "số tin bài đề xuất tối thiểu mỗi tháng",
              "minimum proposed posts a month"),
        Param("exclude_categories", list, "chuyên mục không tính là tin bài",
              "categories that are not news posts"),
    )
    needs = ("posts",)

    def run(self, ctx: AuditContext, params: Mapping[str, Any]) -> Iterable[Finding]:
        posts = ctx.require_posts()
        if ctx.posts_source == "site":
            # The "đề xuất" tick lives only in the CMS; the public site never shows it.
            from auditor.errors import NotChecked

            raise NotChecked("Cờ “Đề xuất PGD” chỉ có trong tệp xuất CMS; chưa có tệp xuất.",
                             "The proposal flag exists only in the CMS export; none was given.")
        require_columns(ctx, ("proposed_to_authority",),
                        "không biết tin bài nào được đề xuất", "which posts were proposed is "
                        "unknown", site_fills=False)
        require_columns(ctx, ("published_at",), "không đếm được tin bài theo tháng",
                        "posts cannot be counted by month")
        require_read_posts(ctx)  # a crawl that read too few dated posts: not checked
        news = countable(posts, params["exclude_categories"])
        minimum = params["min_proposals"]
        authority = authority_name(ctx.config)
        authority_en = authority_name(ctx.config, "en")
        for v in judge_months(ctx, news, minimum, lambda p: p.proposed_to_authority):
            record_stat(ctx, v, "proposals", "min_proposals")
            if not v.short:
                continue
            label = f"{int(v.month[5:])}/{v.month[:4]}"
            evidence: dict[str, Any] = {"month": v.month, "proposed": v.count, "required": minimum,
                        "source": ctx.posts_source,
                        **site_evidence(ctx, v.month, params["exclude_categories"])}
            if v.in_progress:
                evidence["projection"] = v.projection
                yield self.finding(
                    f"month:{v.month}",
                    f"Tháng {label} (đang diễn ra): mới đề xuất {v.count}/{minimum} tin bài "
                    f"lên trang {authority}; dự kiến {num(v.projection or 0)} vào cuối tháng.",
                    f"Month {label} (in progress): {v.count}/{minimum} posts proposed to "
                    f"{authority_en} so far; about {num(v.projection or 0, 'en')} expected by "
                    "the month's end.",
                    severity=Severity.WARNING, on=ctx.today, source=ctx.posts_source,
                    evidence=evidence)
            else:
                yield self.finding(
                    f"month:{v.month}",
                    f"Tháng {label} chỉ có {v.count} tin bài được đề xuất lên trang {authority}, "
                    f"cần ít nhất {minimum}.",
                    f"Month {label}: only {plural(v.count, 'post')} proposed to {authority_en}; "
                    f"at least {minimum} are required.",
                    on=month_end(v.month), source=ctx.posts_source, evidence=evidence)
