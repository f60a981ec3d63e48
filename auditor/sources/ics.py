"""iCalendar (.ics) files → :class:`Event` s, with the school's X-AUDITOR-* properties.

A warning's "row" is the line of the entry's ``BEGIN:VEVENT`` and its column
the property name (``lich.ics:42:DTSTART``), so a teacher can find it in a text editor.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar

from auditor.model import Event, EventKind, Organiser, Provenance
from auditor.people import fold
from auditor.sources.bulk import collector_paused
from auditor.sources.dates import DateError, parse_datetime
from auditor.sources.event_words import parse_kind, parse_organiser, strip_topic_prefix
from auditor.sources.ics_plain import plain_events
from auditor.sources.problems import RowWarning, input_error, one_line, require_regular_file
from auditor.sources.textfile import decode_bytes
from auditor.timeutil import end_of_day

# "Tổ: Toán – Tin" lines in DESCRIPTION, as calendars without X- properties carry them.
_DESC_FIELDS = {
    "to": "department", "to chuyen mon": "department", "bo phan": "department",
    "nguoi phu trach": "person", "phu trach": "person", "don vi to chuc": "organiser",
    "ma bai viet": "post_id", "ngay nhan thong tin": "info_received_at",
}


# The VEVENT properties read below. icalendar parses every content line it is given
# (~60 µs each); the other properties of a VEVENT (DTSTAMP, CREATED, ATTENDEE…)
# are left out before parsing. A test checks this list against the code.
_READ = frozenset({
    "SUMMARY", "DTSTART", "DTEND", "DURATION", "UID", "RRULE", "DESCRIPTION", "LOCATION",
    "ORGANIZER", "CATEGORIES", "X-AUDITOR-DEPARTMENT", "X-AUDITOR-PERSON", "X-AUDITOR-POST-ID",
    "X-AUDITOR-ORGANISER", "X-AUDITOR-ORGANIZER", "X-AUDITOR-KIND", "X-AUDITOR-INFO-RECEIVED",
})
_PLAIN_LINE = re.compile(r"([A-Za-z0-9-]+)([;:])")
_TOKEN = re.compile(r"[A-Za-z0-9-]+")


def _read_lines_only(text: str) -> str:
    """`text` without the content lines of VEVENT properties that are never read.

    Only for a plainly written file, where this reading of the lines is the
    parser's own: every line starts with a property name and its ``;`` or ``:``
    (or continues the line before with a space or tab), no blank lines inside,
    BEGIN/END pair up. Anything else is given to icalendar untouched. Inside a
    VEVENT the parser would at worst have recorded a broken line and gone on, so
    leaving one out cannot change whether the file is accepted."""
    lines = re.split(r"\r?\n", text)
    while lines and not lines[-1]:
        lines.pop()
    try:
        kept = _kept_lines(lines)
    except _NotPlain:
        return text
    if len(kept) == len(lines):
        return text
    return "\r\n".join(kept) + "\r\n"


class _NotPlain(Exception):
    """A line this reading does not vouch for: the file goes to icalendar untouched."""


def _kept_lines(lines: list[str]) -> list[str]:
    kept: list[str] = []
    stack: list[str] = []  # the components the line is in, innermost last
    keep = True
    for line in lines:
        if line[:1] in (" ", "\t"):  # continues the line before: kept with it
            if not kept and keep:
                raise _NotPlain  # a continuation with nothing before it
            if keep:
                kept.append(line)
            continue
        keep = _keeps(line, stack)
        if keep:
            kept.append(line)
    return kept


def _keeps(line: str, stack: list[str]) -> bool:
    """Whether to keep `line`; BEGIN/END lines move `stack`."""
    m = _PLAIN_LINE.match(line)
    if m is None:
        raise _NotPlain
    name = m[1].upper()
    if name not in ("BEGIN", "END"):
        return not stack or stack[-1] != "VEVENT" or name in _READ
    value = line[m.end():]
    if m[2] != ":" or not _TOKEN.fullmatch(value):
        raise _NotPlain
    if name == "BEGIN":
        stack.append(value.upper())
    elif not stack or stack.pop() != value.upper():
        raise _NotPlain
    return True


class _Entry:
    """One VEVENT being read; problems become warnings at its BEGIN line."""

    def __init__(self, file: str, line: int, component: Any, warnings: list[RowWarning]):
        self.file, self.line, self.c, self.warnings = file, line, component, warnings

    def warn(self, prop: str | None, vi: str, en: str) -> None:
        self.warnings.append(RowWarning(self.file, self.line, prop, vi, en))

    def text(self, name: str) -> str | None:
        value = self.c.get(name)
        if value is None:
            return None
        if isinstance(value, list):  # a property given more than once
            value = value[0]
        out = str(value).strip()
        return out or None

    def moment(self, name: str) -> date | datetime | None:
        if self.c.get(name) is None:
            return None
        try:
            value = self.c.decoded(name)
        except (ValueError, TypeError, KeyError) as exc:
            value = exc
        if isinstance(value, date):  # datetime is a date too
            return value
        self.warn(name, f"không hiểu thời gian {name} '{str(value)[:40]}'; bỏ qua sự kiện.",
                  f"unparseable {name}; event skipped")
        return None


def load_ics(path: Path, zone: ZoneInfo) -> tuple[tuple[Event, ...], tuple[RowWarning, ...]]:
    text = _calendar_text(path)
    with collector_paused():
        components = _components(path, text)
        lines = [n for n, ln in enumerate(text.splitlines(), start=1)
                 if ln.strip().upper() == "BEGIN:VEVENT"]
        warnings: list[RowWarning] = []
        events: list[Event] = []
        seen: set[str] = set()
        for idx, component in enumerate(components):
            line = lines[idx] if idx < len(lines) else 0
            entry = _Entry(path.name, line, component, warnings)
            event = _event(entry, zone, seen)
            if event is not None:
                events.append(event)
    return tuple(events), tuple(warnings)


def _calendar_text(path: Path) -> str:
    """The file's text, refused when it is not an iCalendar file at all."""
    require_regular_file(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise input_error(path, f"không đọc được tệp ({exc.strerror}).", "unreadable") from None
    if not data.strip():
        raise input_error(path, "tệp rỗng.", "empty file")
    text = decode_bytes(path, data)
    if not text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        raise input_error(path, "không phải tệp lịch iCalendar (thiếu BEGIN:VCALENDAR).",
                          "not an iCalendar file")
    return text


def _components(path: Path, text: str) -> list[Any]:
    """The VEVENTs: read plainly when the file allows it, else parsed by icalendar."""
    components: list[Any] | None = plain_events(text, _READ)
    if components is None:
        try:
            cal = icalendar.Calendar.from_ical(_read_lines_only(text))
        except Exception as exc:  # any parser failure means the file is not a usable calendar
            raise input_error(path, f"tệp lịch không hợp lệ ({one_line(exc)}).",
                              "invalid iCalendar") from None
        components = list(cal.walk("VEVENT"))
    if not components:
        raise input_error(path, "không có sự kiện nào (VEVENT) trong lịch.", "no VEVENT")
    return components


def _event(e: _Entry, zone: ZoneInfo, seen: set[str]) -> Event | None:
    title = e.text("SUMMARY")
    if not title:
        e.warn("SUMMARY", "sự kiện không có tên (SUMMARY); bỏ qua.", "no SUMMARY; skipped")
        return None
    start = e.moment("DTSTART")
    if start is None:
        if e.c.get("DTSTART") is None:
            e.warn("DTSTART", "sự kiện thiếu DTSTART; bỏ qua.", "no DTSTART; skipped")
        return None
    uid = e.text("UID") or f"{e.file}:{e.line}"
    if uid in seen:
        e.warn("UID", f"UID '{uid}' bị trùng; bỏ qua sự kiện này.", "duplicate UID; skipped")
        return None
    seen.add(uid)
    if e.c.get("RRULE") is not None:
        e.warn("RRULE", "sự kiện lặp lại: chỉ tính lần đầu tiên.",
               "recurring event: only the first occurrence is used")
    all_day = not isinstance(start, datetime)
    start_dt, end_dt = _span(e, start, zone, all_day)
    described = _description_fields(e.text("DESCRIPTION"))
    title, prefixed = strip_topic_prefix(title)
    return Event(
        event_id=uid, title=title, start=start_dt, end=end_dt, all_day=all_day,
        organiser=_organiser(e, described.get("organiser")),
        kind=_kind(e, prefixed),
        department=e.text("X-AUDITOR-DEPARTMENT") or described.get("department"),
        person=e.text("X-AUDITOR-PERSON") or described.get("person"),
        post_id=e.text("X-AUDITOR-POST-ID") or described.get("post_id"),
        info_received_at=_received(e, zone, described.get("info_received_at")),
        location=e.text("LOCATION"),
        provenance=Provenance("calendar", file=e.file, row=e.line),
    )


def _aware(value: date | datetime, zone: ZoneInfo) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=zone) if value.tzinfo is None else value.astimezone(zone)
    return datetime.combine(value, time(), tzinfo=zone)


def _span(e: _Entry, start: date | datetime, zone: ZoneInfo, all_day: bool
          ) -> tuple[datetime, datetime]:
    """RFC 5545: an all-day DTEND is exclusive; without DTEND, DURATION or the same day."""
    end = e.moment("DTEND") if e.c.get("DTEND") is not None else None
    if end is None and e.c.get("DURATION") is not None:
        duration = e.c.decoded("DURATION")
        if isinstance(duration, timedelta):
            end = start + duration
    begin = _aware(start, zone)
    if all_day:
        last = start
        if end is not None:
            end_day = end.date() if isinstance(end, datetime) else end
            last = max(start, end_day - timedelta(days=1))  # exclusive end
        # Điều 16.4's "1 day after the event ends" counts from the end of its last day.
        return begin, end_of_day(last, zone)
    if end is None:
        return begin, begin
    finish = _aware(end, zone)
    if finish < begin:
        e.warn("DTEND", "DTEND trước DTSTART; coi như kết thúc lúc bắt đầu.",
               "DTEND before DTSTART; taken as start")
        return begin, begin
    return begin, finish


def _description_fields(description: str | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in (description or "").splitlines():
        label, sep, value = line.partition(":")
        field = _DESC_FIELDS.get(fold(label)) if sep else None
        if field and value.strip() and field not in out:
            out[field] = value.strip()
    return out


def _organiser(e: _Entry, from_description: str | None) -> Organiser:
    explicit = e.text("X-AUDITOR-ORGANISER") or e.text("X-AUDITOR-ORGANIZER")
    organizer = e.c.get("ORGANIZER")
    if isinstance(organizer, list):
        organizer = organizer[0]
    cn = None
    if organizer is not None:
        cn = str(organizer.params.get("CN") or "") or str(organizer)
    for text, prop in ((explicit, "X-AUDITOR-ORGANISER"), (cn, "ORGANIZER"),
                       (from_description, "DESCRIPTION")):
        if text:
            found = parse_organiser(text)
            if found is not None:
                return found
            if prop != "ORGANIZER":  # an organiser's address alone says nothing
                e.warn(prop, f"không hiểu đơn vị tổ chức '{text[:40]}'; coi là nhà trường.",
                       "unrecognised organiser; taken as the school")
    return Organiser.SCHOOL


def _kind(e: _Entry, prefixed: bool) -> EventKind:
    explicit = e.text("X-AUDITOR-KIND")
    if explicit:
        found = parse_kind(explicit)
        if found is not None:
            return found
        e.warn("X-AUDITOR-KIND", f"không hiểu loại '{explicit[:40]}'.", "unrecognised kind")
    if prefixed:
        return EventKind.TOPIC
    for cat in _categories(e.c):
        if parse_kind(cat) is EventKind.TOPIC:
            return EventKind.TOPIC
    return EventKind.EVENT


def _categories(component: Any) -> list[str]:
    value = component.get("CATEGORIES")
    if value is None:
        return []
    props = value if isinstance(value, list) else [value]
    out: list[str] = []
    for prop in props:
        cats = getattr(prop, "cats", None)
        out.extend(str(c) for c in cats) if cats is not None else out.append(str(prop))
    return out


def _received(e: _Entry, zone: ZoneInfo, from_description: str | None) -> datetime | None:
    prop = "X-AUDITOR-INFO-RECEIVED"
    text = e.text(prop)
    if text is None:
        text, prop = from_description, "DESCRIPTION"
    if not text:
        return None
    try:
        return parse_datetime(text, zone)
    except DateError:
        pass
    try:  # the iCalendar form, 20261120T080000
        return _aware(icalendar.vDDDTypes.from_ical(text), zone)
    except ValueError:
        e.warn(prop, f"không hiểu ngày nhận thông tin '{text[:40]}'.",
               "unparseable info-received date")
        return None
