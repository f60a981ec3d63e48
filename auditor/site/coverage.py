"""Extraction coverage (độ phủ trích xuất): how much of the site the profile could read.

A crawl counts the pages that *look like* posts (the profile's article URL shape,
a post marker, article markup, or on the generic profile a post-like address)
and, of those, the posts read, read with a publication date, and read with each
field. The posting rules judge months only when enough posts were read with a
date (``[extraction] min_date_coverage`` in the rule set): a theme the profile
cannot read gives "not checked" with these figures, never a violation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from auditor.errors import NotChecked

FIELD_NAMES = ("title", "published", "category", "author", "body")


@dataclass(frozen=True)
class FieldCounts:
    """Posts read with each field."""

    title: int = 0
    published: int = 0
    category: int = 0
    author: int = 0
    body: int = 0


@dataclass(frozen=True)
class ExtractionCoverage:
    """Per crawl: pages that look like posts, posts read, and fields found."""

    pages_like_posts: int = 0
    posts_read: int = 0
    fields: FieldCounts = field(default_factory=FieldCounts)

    @property
    def posts_dated(self) -> int:
        return self.fields.published

    @property
    def date_ratio(self) -> float | None:
        """Posts read with a date / pages that look like posts (None: no such page)."""
        if not self.pages_like_posts:
            return None
        return min(1.0, self.posts_dated / self.pages_like_posts)

    def to_json(self) -> dict[str, object]:
        ratio = self.date_ratio
        return {"pages_like_posts": self.pages_like_posts, "posts_read": self.posts_read,
                "posts_dated": self.posts_dated,
                "date_ratio": None if ratio is None else round(ratio, 4),
                "fields": {name: getattr(self.fields, name) for name in FIELD_NAMES}}

    def line(self, lang: str = "vi") -> str:
        """One console line."""
        per = ", ".join(f"{name} {getattr(self.fields, name)}" for name in FIELD_NAMES)
        ratio = self.date_ratio
        pct = "—" if ratio is None else f"{ratio:.0%}"
        if lang == "en":
            return (f"Extraction coverage: {self.pages_like_posts} pages look like posts, "
                    f"{self.posts_read} read, {self.posts_dated} with a date ({pct}); "
                    f"fields: {per}.")
        return (f"Độ phủ trích xuất: {self.pages_like_posts} trang có dạng tin bài, đọc được "
                f"{self.posts_read} bài, {self.posts_dated} bài có ngày đăng ({pct}); "
                f"theo trường: {per}.")


class CoverageCounter:
    """Counts one crawl's pages as they are read (build stage 2)."""

    def __init__(self) -> None:
        self.like = 0
        self.read = 0
        self.counts = dict.fromkeys(FIELD_NAMES, 0)

    def add(self, looks_like_post: bool, found: dict[str, bool] | None) -> None:
        """One page: does it look like a post, and which fields were read (None: no post)."""
        if not looks_like_post:
            return
        self.like += 1
        if found is None:
            return
        self.read += 1
        for name in FIELD_NAMES:
            if found.get(name):
                self.counts[name] += 1

    def dated_later(self) -> None:
        """A post whose date came from the feed or the REST API after its page was read."""
        self.counts["published"] += 1

    def result(self) -> ExtractionCoverage:
        return ExtractionCoverage(self.like, self.read, FieldCounts(**self.counts))


DEFAULT_MIN_DATE_COVERAGE = 0.9  # used only when the rule set has no [extraction] table


def min_date_coverage(data: dict[str, object]) -> float:
    """``[extraction] min_date_coverage`` of the rule set's data."""
    table = data.get("extraction", {})
    value = table.get("min_date_coverage", DEFAULT_MIN_DATE_COVERAGE) if isinstance(
        table, dict) else DEFAULT_MIN_DATE_COVERAGE
    return float(value)


def require_coverage(coverage: ExtractionCoverage | None, minimum: float,
                     posts_source: str | None) -> None:
    """NotChecked when the posts come from a crawl that read too few posts with a date."""
    if coverage is None or posts_source not in ("site", "export+site"):
        return
    ratio = coverage.date_ratio
    if ratio is None or ratio >= minimum:
        return
    pct, need = f"{ratio:.0%}", f"{minimum:.0%}"
    raise NotChecked(
        f"Chỉ đọc được ngày đăng của {coverage.posts_dated}/{coverage.pages_like_posts} trang "
        f"có dạng tin bài ({pct}, cần ít nhất {need}): hồ sơ nền tảng chưa đọc đúng giao diện "
        "của trang, nên không kết luận về số tin bài. Chạy `auditor site inspect <địa chỉ một "
        "bài>` để xem trường nào bị thiếu và thêm [site.selectors] vào auditor.toml.",
        f"Publication dates were read on only {coverage.posts_dated}/"
        f"{coverage.pages_like_posts} pages that look like posts ({pct}, at least {need} "
        "needed): the profile does not read this site's theme, so no conclusion is drawn "
        "about the posts. Run `auditor site inspect <a post's URL>` to see the missing fields "
        "and add [site.selectors] to auditor.toml.",
    )


def require_read_posts(ctx: Any) -> None:
    """For a posting rule: NotChecked when the crawl behind ctx.posts read too few
    posts with a date (ctx is the checks' AuditContext)."""
    coverage = getattr(ctx.site, "coverage", None)
    require_coverage(coverage, min_date_coverage(ctx.ruleset.data), ctx.posts_source)
