"""The CMS export (tin bài): .csv / .xlsx / .json / WordPress WXR → :class:`Post` s.

The export is the audit's best evidence for Điều 15 (who submitted, edited,
approved and published each post, and when) and Điều 16.3 (published posts
and those proposed to the authority's page). Column names vary between CMSs
and schools; they are matched through the synonym table below or mapped
explicitly by ``[sources] export_columns`` in auditor.toml.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from auditor.errors import InputError
from auditor.model import Post, PostStatus, Provenance
from auditor.people import fold
from auditor.sources.bulk import collector_paused
from auditor.sources.export_data import ExportData
from auditor.sources.export_quick import QuickRows
from auditor.sources.rows import RowReader
from auditor.sources.tabular import Limits, RowWarning, Table, build_synonyms, open_table
from auditor.sources.wxr import load_wxr

__all__ = ["ExportData", "RowWarning", "load_export", "parse_status", "EXPORT_HEADERS"]

# field → headers seen in real exports (Vietnamese, unaccented, English, WordPress).
EXPORT_HEADERS: dict[str, tuple[str, ...]] = {
    "post_id": ("id", "mã", "mã bài", "mã tin", "mã bài viết", "id bài viết", "post id",
                "post_id", "article id", "bài viết id", "số hiệu"),
    "title": ("tiêu đề", "tên bài", "tên bài viết", "tiêu đề bài viết", "tên tin", "title",
              "post title", "post_title", "headline"),
    "category": ("chuyên mục", "danh mục", "mục", "chuyên mục tin", "category", "categories",
                 "section"),
    "url": ("đường dẫn", "liên kết", "link", "địa chỉ", "địa chỉ bài viết", "url",
            "permalink", "address"),
    "body": ("nội dung", "nội dung bài viết", "toàn văn", "body", "content", "post content",
             "post_content", "text"),
    "author": ("người viết", "tác giả", "người tạo", "tài khoản", "tài khoản đăng",
               "người soạn", "author", "created by", "writer", "post author", "post_author"),
    "department": ("tổ", "tổ chuyên môn", "tổ cm", "bộ phận", "đơn vị", "tổ/bộ phận",
                   "tổ/nhóm", "tổ nhóm", "nhóm", "nhóm chuyên môn", "department", "dept",
                   "team"),
    "status": ("trạng thái", "tình trạng", "trạng thái bài viết", "status", "post status",
               "post_status", "state"),
    "created_at": ("ngày tạo", "thời gian tạo", "ngày viết", "ngày soạn", "created",
                   "created at", "creation date", "date created"),
    "submitted_at": ("ngày gửi", "thời gian gửi", "ngày gửi duyệt", "submitted",
                     "submitted at", "date submitted"),
    "submitted_by": ("người gửi", "người gửi duyệt", "submitted by", "submitter"),
    "edited_at": ("ngày biên tập", "thời gian biên tập", "ngày sửa", "ngày cập nhật",
                  "edited", "edited at", "modified", "modified at", "updated at",
                  "last modified", "post_modified"),
    "edited_by": ("người biên tập", "biên tập viên", "người sửa", "biên tập", "edited by",
                  "editor", "modified by"),
    "approved_at": ("ngày duyệt", "thời gian duyệt", "ngày phê duyệt", "approved",
                    "approved at", "approval date", "date approved"),
    "approved_by": ("người duyệt", "người phê duyệt", "duyệt bởi", "approved by", "approver"),
    "published_at": ("ngày đăng", "thời gian đăng", "ngày xuất bản", "ngày đăng tin",
                     "ngày đăng bài", "đăng lúc", "ngày giờ đăng", "thời điểm đăng",
                     "thời điểm xuất bản", "xuất bản", "ngày giờ xuất bản", "thời gian xuất bản",
                     "published", "published at", "publish date",
                     "date published", "post date", "post_date", "date", "pubdate"),
    "published_by": ("người đăng", "người xuất bản", "đăng bởi", "published by", "publisher"),
    "taken_down_at": ("ngày gỡ", "thời gian gỡ", "ngày xoá", "ngày xóa", "ngày gỡ bài",
                      "taken down", "taken down at", "removed at", "deleted at", "unpublished at"),
    "taken_down_by": ("người gỡ", "người xoá", "người xóa", "người gỡ bài", "taken down by",
                      "removed by", "deleted by"),
    "proposed_to_authority": (
        "đề xuất pgd", "đề xuất", "đề xuất phòng gd&đt", "đề xuất phòng",
        "đề xuất hiển thị trên trang của phòng gd&đt", "đề xuất hiển thị", "đề xuất sở",
        "đề xuất lên pgd", "đề xuất hiển thị trang phòng", "gửi phòng", "gửi pgd",
        "gửi lên phòng", "gửi sở", "pgd", "proposed", "proposed to authority", "propose",
        "proposed to pgd", "featured on authority"),
    "event_id": ("mã sự kiện", "sự kiện", "id sự kiện", "sự kiện liên quan", "event",
                 "event id", "event_id"),
    "source_name": ("nguồn", "nguồn tin", "nguồn bài", "source", "source name"),
    "source_author": ("tác giả gốc", "tác giả nguồn", "source author", "original author"),
}
_SYNONYMS = build_synonyms(EXPORT_HEADERS)
_DATES = ("created_at", "submitted_at", "edited_at", "approved_at", "published_at",
          "taken_down_at")
_TEXTS = ("url", "body", "event_id")
# Columns that repeat a handful of values over thousands of rows.
_SHARED = ("category", "author", "department", "submitted_by", "edited_by", "approved_by",
           "published_by", "taken_down_by", "source_name", "source_author")

# The workflow states of Điều 15 as CMSs and staff spell them (folded).
_STATUS = {
    PostStatus.PUBLISHED: ("da dang", "dang", "published", "publish", "xuat ban", "da xuat ban",
                           "cong khai", "hien thi", "dang hien thi", "live", "public"),
    PostStatus.PENDING: ("cho duyet", "da gui", "gui duyet", "cho bien tap", "dang cho",
                         "pending", "submitted", "future", "scheduled", "hen gio", "chua duyet"),
    PostStatus.DRAFT: ("nhap", "ban nhap", "luu nhap", "draft", "auto draft", "auto-draft"),
    PostStatus.HIDDEN: ("an", "da an", "tam an", "hidden", "private", "rieng tu"),
    PostStatus.DELETED: ("da go", "go", "go bo", "da go bo", "da xoa", "xoa", "deleted", "trash",
                         "removed", "thung rac"),
}
_STATUS_KEYS = {key: status for status, keys in _STATUS.items() for key in keys}


def parse_status(text: str) -> PostStatus | None:
    """ "Đã đăng" → PUBLISHED; ``None`` when the word is not known."""
    return _STATUS_KEYS.get(fold(text.replace("-", " ").replace("_", " ")))


@lru_cache(maxsize=256)
def _cached_status(text: str) -> PostStatus | None:
    return parse_status(text)


def load_export(
    path: Path,
    *,
    columns: Mapping[str, str] | None = None,
    sheet: str | None = None,
    tz: ZoneInfo,
    limits: Limits | None = None,
) -> ExportData:
    """Read a CMS export; raises :class:`InputError` when the file cannot be used at all."""
    if path.suffix.lower() == ".xml":
        return load_wxr(path, tz=tz)
    table = open_table(path, synonyms=_SYNONYMS, explicit=columns, sheet=sheet,
                       json_keys=("posts", "items", "data"), limits=limits,
                       config_key="sources.export_columns")
    _require(path, table)
    with collector_paused():
        return _read_posts(path, table, tz)


def _read_posts(path: Path, table: Table, tz: ZoneInfo) -> ExportData:
    reader = RowReader(table, tz)
    fields = _Fields(reader.plan(_TEXTS), reader.plan(_SHARED), reader.plan(_DATES))
    posts: list[Post] = []
    seen: set[str] = set()
    quick = QuickRows(table, tz, fields.texts, fields.shared, fields.dates, seen,
                      _cached_status)
    count = 0
    for number, cells in table.rows:
        count += 1
        post = quick.post(number, cells)
        if post is None:  # a row with anything to say about it: read it cell by cell
            reader.load(number, cells)
            post = _post(reader, seen, fields)
        if post is not None:
            posts.append(post)
    if not count:
        # No rows is no evidence: the file may be cut by a filter, or exported before the
        # first post. An audit would count every month as zero, so stop and say so.
        raise InputError(f"{path.name}: chỉ có dòng tiêu đề, không có tin bài nào; hãy xuất "
                         "lại tệp (kiểm tra bộ lọc ngày/chuyên mục của CMS).",
                         en=f"{path.name}: only a header row, no posts; export the file "
                            "again (check the CMS's date and category filters).")
    return ExportData(tuple(posts), tuple(reader.warnings), path, table.report)


def _require(path: Path, table: Table) -> None:
    missing = [name for name, field in (("Mã (id)", "post_id"), ("Tiêu đề", "title"))
               if field not in table.columns]
    if "published_at" not in table.columns and "status" not in table.columns:
        missing.append("Ngày đăng hoặc Trạng thái")
    if missing:
        raise InputError(f"{path.name}: thiếu cột bắt buộc {', '.join(missing)}.",
                         en=f"{path.name}: required column(s) missing: {', '.join(missing)}.")


@dataclass(frozen=True)
class _Fields:
    texts: list[tuple[str, int]]
    shared: list[tuple[str, int]]
    dates: list[tuple[str, int]]


def _post(row: RowReader, seen: set[str], fields: _Fields) -> Post | None:
    if not row.check_shape():
        return None
    post_id = row.text("post_id")
    if not post_id:
        row.warn("post_id", "thiếu mã bài viết; bỏ qua dòng.", "missing post id; row skipped")
        return None
    title = row.text("title")
    if not title:
        row.warn("title", "thiếu tiêu đề; bỏ qua dòng.", "missing title; row skipped")
        return None
    if post_id in seen:
        row.warn("post_id", f"mã bài viết '{post_id}' bị trùng; bỏ qua dòng này.",
                 f"duplicate post id {post_id!r}; row skipped")
        return None
    seen.add(post_id)
    # Only the columns this file has: the others keep the model's default (None).
    values: dict[str, object] = {}
    row.texts(fields.texts, values)
    row.texts(fields.shared, values, shared=True)
    row.datetimes(fields.dates, values)
    published_at = values.get("published_at")
    status = _status(row, published_at)  # type: ignore[arg-type]
    return Post(
        post_id=post_id, title=title, status=status,
        proposed_to_authority=row.flag("proposed_to_authority"),
        provenance=Provenance("export", file=row.table.file, row=row.number),
        **values,  # type: ignore[arg-type]
    )


def _status(row: RowReader, published_at: datetime | None) -> PostStatus:
    text = row.text("status")
    if text is None:
        if published_at is not None:
            return PostStatus.PUBLISHED  # a publication date with no state: it was published
        where = "status" if "status" in row.table.columns else "published_at"
        if not row.warned("published_at"):
            row.warn(where, "không có trạng thái và không có ngày đăng.",
                     "neither status nor publication date")
        return PostStatus.UNKNOWN
    status = _cached_status(text)
    if status is None:
        row.warn("status", f"trạng thái '{text[:40]}' không rõ (dùng: đã đăng, chờ duyệt, nháp, "
                 "ẩn, đã gỡ).", f"unknown status {text[:40]!r}")
        return PostStatus.UNKNOWN
    has_date_column = "published_at" in row.table.columns
    if (status is PostStatus.PUBLISHED and published_at is None and has_date_column
            and not row.warned("published_at")):
        row.warn("published_at", "bài đã đăng nhưng thiếu ngày đăng; không tính vào thống kê.",
                 "published post without a publication date")
    return status
