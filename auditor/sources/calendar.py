"""The school's calendar (Lịch công tác) → :class:`Event` s, from .ics, .csv, .xlsx or .json.

Điều 16.4 asks for a post about each activity no later than one day after it
ends, and for a district / city chuyên đề within one day of receiving the
information; so what matters here is when each event ends, who organised it
(the school or the authority), its kind and the department responsible.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from auditor.errors import InputError
from auditor.model import Event, EventKind, Organiser, Provenance
from auditor.sources.dates import DateError, parse_time
from auditor.sources.event_words import parse_kind, parse_organiser, strip_topic_prefix
from auditor.sources.headers import ColumnReport
from auditor.sources.ics import load_ics
from auditor.sources.rows import RowReader
from auditor.sources.tabular import Limits, RowWarning, build_synonyms, open_table
from auditor.timeutil import end_of_day

__all__ = ["CalendarData", "load_events", "parse_organiser", "parse_kind", "EVENT_HEADERS"]

EVENT_HEADERS: dict[str, tuple[str, ...]] = {
    "event_id": ("id", "mã", "mã sự kiện", "uid", "event id", "số"),
    "title": ("tên", "tiêu đề", "nội dung", "tên sự kiện", "sự kiện", "hoạt động",
              "nội dung công việc", "title", "summary", "event", "name"),
    "start": ("bắt đầu", "thời gian bắt đầu", "từ", "từ ngày", "ngày bắt đầu", "ngày",
              "thứ/ngày", "ngày/thứ", "thời gian", "start", "starts", "start date", "begin",
              "dtstart", "date"),
    # A weekly Lịch công tác often gives the day and the hour in separate columns.
    "start_time": ("giờ", "giờ bắt đầu", "thời điểm", "time", "start time"),
    "end_time": ("giờ kết thúc", "end time"),
    "end": ("kết thúc", "thời gian kết thúc", "đến", "đến ngày", "ngày kết thúc", "end",
            "ends", "end date", "finish", "dtend"),
    "all_day": ("cả ngày", "all day", "allday"),
    "organiser": ("đơn vị tổ chức", "cơ quan tổ chức", "tổ chức", "đơn vị chủ trì", "cấp",
                  "organiser", "organizer", "organised by", "organized by", "host"),
    "department": ("tổ", "tổ chuyên môn", "tổ phụ trách", "tổ/nhóm", "nhóm", "bộ phận",
                   "bộ phận phụ trách",
                   "đơn vị phụ trách", "department", "responsible department", "dept"),
    "person": ("người phụ trách", "phụ trách", "người chủ trì", "chủ trì", "cán bộ phụ trách",
               "người thực hiện", "person", "responsible", "owner", "contact"),
    "kind": ("loại", "loại sự kiện", "phân loại", "kind", "type", "category", "categories"),
    "post_id": ("mã bài", "mã bài viết", "bài viết", "bài viết liên kết", "post id", "post",
                "linked post"),
    "info_received_at": ("ngày nhận thông tin", "nhận thông tin", "ngày nhận", "ngày nhận tin",
                         "info received", "info received at", "received", "received at"),
    "location": ("địa điểm", "nơi tổ chức", "location", "place", "venue"),
}
_SYNONYMS = build_synonyms(EVENT_HEADERS)

@dataclass(frozen=True)
class CalendarData:
    """What one calendar file yielded: the events and the entries that could not be used."""

    events: tuple[Event, ...]
    warnings: tuple[RowWarning, ...]
    file: Path
    columns: ColumnReport | None = None  # None: an .ics, whose fields are fixed


def load_events(
    path: Path,
    *,
    columns: Mapping[str, str] | None = None,
    sheet: str | None = None,
    tz: ZoneInfo,
    limits: Limits | None = None,
) -> CalendarData:
    """Read the calendar; raises :class:`InputError` when the file cannot be used at all."""
    if path.suffix.lower() in (".ics", ".ical", ".ifb"):
        found, warnings = load_ics(path, tz)
        return CalendarData(found, warnings, path)
    table = open_table(path, synonyms=_SYNONYMS, explicit=columns, sheet=sheet,
                       json_keys=("events", "items", "data"), limits=limits,
                       config_key="sources.events_columns")
    missing = [n for n, f in (("Tên sự kiện", "title"), ("Bắt đầu", "start"))
               if f not in table.columns]
    if missing:
        raise InputError(f"{path.name}: thiếu cột bắt buộc {', '.join(missing)}.",
                         en=f"{path.name}: required column(s) missing: {', '.join(missing)}.")
    reader = RowReader(table, tz)
    events: list[Event] = []
    seen: set[str] = set()
    count = 0
    for number, cells in table.rows:
        count += 1
        reader.load(number, cells)
        event = _row_event(reader, seen)
        if event is not None:
            events.append(event)
    if not count:
        raise InputError(f"{path.name}: chỉ có dòng tiêu đề, không có sự kiện nào; hãy xuất "
                         "lại lịch công tác.",
                         en=f"{path.name}: only a header row, no events; export the calendar "
                            "again.")
    return CalendarData(tuple(events), tuple(reader.warnings), path, table.report)


def _row_event(row: RowReader, seen: set[str]) -> Event | None:
    if not row.check_shape():
        return None
    title = row.text("title")
    if not title:
        row.warn("title", "thiếu tên sự kiện; bỏ qua dòng.", "missing title; row skipped")
        return None
    start = row.when("start")
    if start is None:
        if row.raw("start") is None:
            row.warn("start", "thiếu thời gian bắt đầu; bỏ qua dòng.", "missing start; skipped")
        return None
    event_id = row.text("event_id") or f"{row.table.file}:{row.number}"
    if event_id in seen:
        row.warn("event_id", f"mã sự kiện '{event_id}' bị trùng; bỏ qua dòng này.",
                 f"duplicate event id {event_id!r}; row skipped")
        return None
    seen.add(event_id)
    end = row.when("end")
    start = _with_time(row, start, "start_time")
    if end is None and row.raw("end_time") is not None:
        end = (start[0], False)  # "đến 10h30" on the same day
    end = _with_time(row, end, "end_time") if end is not None else None
    all_day = not start[1] and (end is None or not end[1])
    if "all_day" in row.table.columns and row.raw("all_day") is not None:
        all_day = row.flag("all_day")
    start_dt, end_dt = _span(row, start[0], end[0] if end else None, all_day)
    title, prefixed = strip_topic_prefix(title)
    kind = _cell_enum(row, "kind", parse_kind, EventKind.TOPIC if prefixed else EventKind.EVENT)
    organiser = _cell_enum(row, "organiser", parse_organiser, Organiser.SCHOOL)
    return Event(
        event_id=event_id, title=title, start=start_dt, end=end_dt, all_day=all_day,
        organiser=organiser, kind=kind, department=row.text("department"),
        person=row.text("person"), post_id=row.text("post_id"),
        info_received_at=row.datetime("info_received_at"), location=row.text("location"),
        provenance=Provenance("calendar", file=row.table.file, row=row.number),
    )


def _span(row: RowReader, start: datetime, end: datetime | None, all_day: bool
          ) -> tuple[datetime, datetime]:
    """An all-day event ends at 23:59:59 of its last day (the deadline of Điều 16.4 counts
    from then); a timed event without an end ends when it starts."""
    zone = row.zone
    if end is not None and end < start:
        row.warn("end", "thời gian kết thúc trước thời gian bắt đầu; coi như kết thúc cùng lúc "
                 "bắt đầu.", "end before start; taken as start")
        end = None
    if all_day:
        last: date = (end or start).date()
        return start.replace(hour=0, minute=0, second=0), end_of_day(last, zone)
    return start, end or start


def _with_time(row: RowReader, when: tuple[datetime, bool], fieldname: str
               ) -> tuple[datetime, bool]:
    """A day from one column and its hour from another ("Thứ Hai 24/11" + "8h15")."""
    if when[1] or row.raw(fieldname) is None:
        return when
    value = row.raw(fieldname)
    try:
        clock = parse_time(value)
    except DateError:
        row.warn(fieldname, f"không hiểu giờ '{str(value)[:20]}' (ví dụ 08:15 hoặc 8h15).",
                 f"unparseable time {str(value)[:20]!r}")
        return when
    return datetime.combine(when[0].date(), clock, tzinfo=when[0].tzinfo), True


def _cell_enum(row: RowReader, fieldname: str, parse: Any, default: Any) -> Any:
    text = row.text(fieldname)
    if text is None:
        return default
    value = parse(text)
    if value is None:
        row.warn(fieldname, f"không hiểu '{text[:40]}'; coi là mặc định ({default.value}).",
                 f"unrecognised {text[:40]!r}; default {default.value}")
        return default
    return value
