"""The audit's inputs as model objects: posts (tin bài) and events (sự kiện).

Sources (CMS export, crawl, calendar) produce these; checks read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class PostStatus(StrEnum):
    """Where a post is in the workflow of Điều 15 (gửi → biên tập → duyệt → đăng)."""

    PUBLISHED = "published"  # đã đăng
    PENDING = "pending"  # chờ duyệt / đã gửi
    DRAFT = "draft"  # nháp
    HIDDEN = "hidden"  # ẩn
    DELETED = "deleted"  # đã gỡ / đã xoá
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Provenance:
    """Where a model object came from, for evidence and error messages."""

    source: str  # "export", "site", "calendar"
    file: str | None = None
    row: int | None = None
    url: str | None = None

    def label(self) -> str:
        if self.file and self.row is not None:
            return f"{self.file}:{self.row}"
        return self.file or self.url or self.source


@dataclass(frozen=True)
class Post:
    """A news post (tin bài) as the CMS export or the live site shows it."""

    post_id: str
    title: str
    status: PostStatus = PostStatus.UNKNOWN
    category: str | None = None
    url: str | None = None
    body: str | None = None
    author: str | None = None  # người viết / người gửi (name or CMS account)
    department: str | None = None  # tổ chuyên môn
    created_at: datetime | None = None
    submitted_at: datetime | None = None
    submitted_by: str | None = None
    edited_at: datetime | None = None
    edited_by: str | None = None
    approved_at: datetime | None = None
    approved_by: str | None = None
    published_at: datetime | None = None
    published_by: str | None = None
    taken_down_at: datetime | None = None
    taken_down_by: str | None = None
    proposed_to_authority: bool = False  # "Đề xuất hiển thị trên trang của Phòng GD&ĐT"
    event_id: str | None = None
    source_name: str | None = None  # nguồn tin (Điều 6.3)
    source_author: str | None = None  # tác giả gốc (Điều 6.3)
    provenance: Provenance = field(default=Provenance("export"), compare=False)

    @property
    def is_published(self) -> bool:
        return self.status is PostStatus.PUBLISHED and self.published_at is not None


class Organiser(StrEnum):
    """Who organised an event (Điều 16.4 distinguishes the two)."""

    SCHOOL = "school"  # nhà trường
    AUTHORITY = "authority"  # Phòng GD&ĐT / Sở GD&ĐT


class EventKind(StrEnum):
    EVENT = "event"  # hoạt động, sự kiện, hội nghị, hội thảo, cuộc thi…
    TOPIC = "chuyen_de"  # chuyên đề cấp quận / thành phố


@dataclass(frozen=True)
class Event:
    """An entry of the school's calendar (Lịch công tác) that needs a post."""

    event_id: str
    title: str
    start: datetime
    end: datetime
    all_day: bool = False
    organiser: Organiser = Organiser.SCHOOL
    kind: EventKind = EventKind.EVENT
    department: str | None = None  # tổ chuyên môn phụ trách
    person: str | None = None  # người phụ trách
    post_id: str | None = None  # bài viết đã liên kết
    info_received_at: datetime | None = None  # chuyên đề: ngày nhận thông tin
    location: str | None = None
    provenance: Provenance = field(default=Provenance("calendar"), compare=False)
