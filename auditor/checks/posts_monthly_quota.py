"""posts.monthly-quota — at least N published posts each calendar month."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

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


class MonthlyQuota(Check):
    """Số tin bài đăng mỗi tháng (Điều 16 khoản 3, Quy chế kèm QĐ 111/QĐ-THCS).

    "Hàng tháng, nhà trường phải đăng ít nhất 08 tin bài có chất lượng trên
    Trang thông tin điện tử của nhà trường." Counts published news posts per
    calendar month (documents and disclosure items excluded, see the rule
    set); a closed month below `min_posts` is a violation; the month in
    progress is only a warning with the projected count at its end.

    Fails: tháng 10/2026 chỉ có 7 tin bài đã đăng (cần 8).
    Passes: tháng 9/2026 có 12 tin bài đã đăng.
    """

    id = "posts.monthly-quota"
    title = "Số tin bài đăng mỗi tháng"
    title_en = "Posts published each month"
    parameters = (
        Param("min_posts", int, "số tin bài tối thiểu mỗi tháng", "minimum posts a month"),
        Param("exclude_categories", list, "chuyên mục không tính là tin bài",
              "categories that are not news posts"),
    )
    needs = ("posts",)

    def run(self, ctx: AuditContext, params: Mapping[str, Any]) -> Iterable[Finding]:
        posts = countable(ctx.require_posts(), params["exclude_categories"])
        require_columns(ctx, ("published_at",), "không đếm được tin bài theo tháng",
                        "posts cannot be counted by month")
        require_read_posts(ctx)  # a crawl that read too few dated posts: not checked
        minimum = params["min_posts"]
        for v in judge_months(ctx, posts, minimum, lambda p: True):
            record_stat(ctx, v, "posts", "min_posts")
            if not v.short:
                continue
            label = f"{int(v.month[5:])}/{v.month[:4]}"
            evidence: dict[str, Any] = {"month": v.month, "published": v.count, "required": minimum,
                        "source": ctx.posts_source,
                        **site_evidence(ctx, v.month, params["exclude_categories"])}
            if v.in_progress:
                evidence["projection"] = v.projection
                yield self.finding(
                    f"month:{v.month}",
                    f"Tháng {label} (đang diễn ra): mới đăng {v.count}/{minimum} tin bài; "
                    f"theo nhịp hiện tại dự kiến {num(v.projection or 0)} tin vào cuối tháng.",
                    f"Month {label} (in progress): {v.count}/{minimum} posts so far; "
                    f"at this pace about {num(v.projection or 0, 'en')} by the month's end.",
                    severity=Severity.WARNING, on=ctx.today, source=ctx.posts_source,
                    evidence=evidence)
            else:
                yield self.finding(
                    f"month:{v.month}",
                    f"Tháng {label} chỉ đăng {v.count} tin bài, thiếu {minimum - v.count} "
                    f"so với mức tối thiểu {minimum}.",
                    f"Month {label}: only {plural(v.count, 'post')} published, {minimum - v.count} "
                    f"short of the minimum {minimum}.",
                    on=month_end(v.month), source=ctx.posts_source, evidence=evidence)
