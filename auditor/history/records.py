"""What the history keeps, as frozen records (read by checks and the CLI)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit


def normalise_url(url: str) -> str:
    """Scheme and host lower-cased, no fragment, no trailing slash (except the root)."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def school_key(url: str | None, name: str) -> str:
    """Runs of one school share this key: its official address, else its name."""
    return normalise_url(url).rstrip("/") if url else name.strip()


@dataclass(frozen=True)
class RunInfo:
    id: int
    school: str
    school_name: str
    as_of: datetime
    generated_at: datetime
    period_start: date
    period_end: date
    ruleset: str
    tool_version: str

    @property
    def day(self) -> date:
        return self.as_of.date()


@dataclass(frozen=True)
class DisclosureRecord:
    """One item of the Công khai section as one run saw it.

    ``hidden`` is None when the item is visible; otherwise why it is not
    ("css:display:none", "http:404", "export:hidden", "export:deleted", …).
    """

    key: str  # the CMS post id when known, else the normalised URL
    title: str
    url: str | None = None
    status: int | None = None
    hidden: str | None = None
    source: str = "site"  # "site", "export" or "site+export"
    post_id: str | None = None
    updated_at: date | None = None  # ngày cập nhật, when the site or export says

    @property
    def visible(self) -> bool:
        return self.hidden is None


@dataclass(frozen=True)
class DisclosureState:
    """The Công khai section in one run: its address, how it was reached, its items."""

    url: str | None
    status: int | None = None
    click_path: tuple[tuple[str, str], ...] = ()  # (menu label, URL) from the home page
    items: tuple[DisclosureRecord, ...] = ()

    def item(self, key: str) -> DisclosureRecord | None:
        return next((i for i in self.items if i.key == key), None)

    def report_rows(self, seen_at: datetime) -> list[dict[str, Any]]:
        """The items as the report's Công khai sheet lists them (statistics, not verdicts)."""
        return [{"item": item.post_id or "", "url": item.url,
                 "title": item.title if item.visible else f"{item.title} — {_why(item.hidden)}",
                 "status": "present" if item.visible else "hidden",
                 "last_seen": seen_at if item.visible else None,
                 "clause": None}  # the catalogue clause is the required-items rule's
                for item in self.items]


@dataclass(frozen=True)
class StoredFinding:
    run_id: int
    fingerprint: str
    rule: str
    subject: str
    severity: str
    status: str
    message: str
    message_en: str
    department: str | None = None
    person: str | None = None
    on: date | None = None
    url: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Seen:
    fingerprint: str
    rule: str
    subject: str
    first_seen: date
    last_seen: date
    first_run: int
    last_run: int


@dataclass(frozen=True)
class LinkReport:
    """Báo cáo địa chỉ chuyên mục Công khai cho cơ quan quản lý (Điều 13.1.c)."""

    id: int
    school: str
    url: str
    reported_on: date
    note: str | None
    recorded_at: datetime
    source: str  # "cli" or "registry:<file>"


@dataclass(frozen=True)
class RuleTrend:
    """How one rule moved between a run and the run before it."""

    rule: str
    new: int
    open: int  # still open (present in both runs)
    fixed: int


@dataclass(frozen=True)
class RunTrend:
    run: RunInfo
    total: int
    rules: tuple[RuleTrend, ...]


def _why(hidden: str | None) -> str:
    """Why an item is not visible, in Vietnamese ("css:display:none" → "ẩn bằng CSS")."""
    kind, _, detail = (hidden or "").partition(":")
    return {"css": "ẩn bằng CSS", "http": f"trang trả mã {detail}",
            "export": {"hidden": "ẩn trong CMS", "deleted": "đã gỡ trong CMS",
                       "draft": "là bản nháp trong CMS",
                       "pending": "chờ duyệt trong CMS"}.get(detail, f"CMS: {detail}"),
            }.get(kind, hidden or "")
