"""The VEVENTs of a plainly written .ics file, read without the general parser.

icalendar parses every content line into property objects (about 25 µs a
line); a school calendar of 5,000 events took longer to parse than the whole
100,000-row export to read. Most calendars are written plainly: one VCALENDAR
holding VEVENTs, text properties, DTSTART/DTEND as dates, local times, UTC or
with a TZID. Such a file is read here, line by line, into objects that answer
``get`` and ``decoded`` as icalendar's components do, with icalendar's own rules:
its unfolding, its unescaping of TEXT values (X- properties kept verbatim, as
its ``vUnknown``), and its time-zone lookup and localisation (``tzp``).

Anything else — another component (VTIMEZONE, VALARM), a quoted or escaped
parameter, a VALUE parameter other than DATE, RRULE, DURATION, ORGANIZER,
CATEGORIES, a repeated property, a value that is not a valid date — makes
:func:`plain_events` return ``None``, and icalendar reads the file as before.
A test compares the two readers on every fixture and on generated calendars.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import icalendar

__all__ = ["PlainEvent", "plain_events"]

# The rules copied here are icalendar 7's (X- properties kept verbatim, tzp); with
# another major version every file goes to icalendar itself.
_SAME_RULES = icalendar.__version__.split(".")[0] == "7"
if _SAME_RULES:
    from icalendar.timezone import tzp

_NAME = re.compile(r"([A-Za-z0-9-]+)([;:])")
# name, then parameters with plain values (no quotes, escapes, commas or colons).
_LINE = re.compile(r"([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=[^\";:,\\]*)*):")
_PARAM = re.compile(r";([A-Za-z0-9-]+)=([^;]*)")
_UNESCAPE = re.compile(r"\\([\\,;:nN])")  # icalendar's unescaping of TEXT values
_WHEN = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?")
_TEXT = frozenset({"SUMMARY", "UID", "DESCRIPTION", "LOCATION"})
_MOMENTS = frozenset({"DTSTART", "DTEND"})
# VCALENDAR's own properties that icalendar reads as plain text (X- ones: verbatim).
_CALENDAR = frozenset({"VERSION", "PRODID", "CALSCALE", "METHOD"})


class _NotPlain(Exception):
    """The file needs the general parser."""


class PlainEvent:
    """One VEVENT: property name → text, or date / datetime for DTSTART and DTEND."""

    __slots__ = ("_props",)

    def __init__(self, props: dict[str, Any]) -> None:
        self._props = props

    def get(self, name: str, default: Any = None) -> Any:
        return self._props.get(name, default)

    def decoded(self, name: str) -> Any:
        return self._props[name]


def plain_events(text: str, read: frozenset[str]) -> list[PlainEvent] | None:
    """The VEVENTs of `text` with the properties of `read`, or ``None`` when the file
    is not plainly written (then the caller gives it to icalendar)."""
    if not _SAME_RULES:
        return None
    try:
        return _events(_unfolded(text), read)
    except _NotPlain:
        return None


def _unfolded(text: str) -> list[str]:
    """The content lines, a folded line joined back (CRLF or LF, then one space or tab)."""
    if text.count("\r") != text.count("\r\n"):
        raise _NotPlain
    lines = re.split(r"\r?\n", text)
    while lines and not lines[-1]:
        lines.pop()
    out: list[str] = []
    for line in lines:
        if not line:  # a blank line: icalendar's unfolding treats it specially
            raise _NotPlain
        if line[0] in " \t":
            if not out:
                raise _NotPlain
            out[-1] += line[1:]
        else:
            out.append(line)
    return out


def _events(lines: list[str], read: frozenset[str]) -> list[PlainEvent]:
    if len(lines) < 2 or lines[0].upper() != "BEGIN:VCALENDAR" \
            or lines[-1].upper() != "END:VCALENDAR":
        raise _NotPlain
    events: list[PlainEvent] = []
    current: dict[str, Any] | None = None
    for line in lines[1:-1]:
        m = _NAME.match(line)
        if m is None:
            raise _NotPlain
        name = m[1].upper()
        if name in ("BEGIN", "END"):
            current = _begin_or_end(name, m[2], line[m.end():], current, events)
        elif current is None:
            _calendar_property(name, line)
        elif name in read:
            if name in current:  # icalendar would make a list of it
                raise _NotPlain
            current[name] = _value(name, line)
    if current is not None:
        raise _NotPlain
    return events


def _begin_or_end(name: str, sep: str, value: str, current: dict[str, Any] | None,
                  events: list[PlainEvent]) -> dict[str, Any] | None:
    """Only VEVENTs directly inside the VCALENDAR are plain."""
    if sep != ":" or value.upper() != "VEVENT" or (name == "BEGIN") != (current is None):
        raise _NotPlain
    if name == "BEGIN":
        return {}
    assert current is not None
    events.append(PlainEvent(current))
    return None


def _calendar_property(name: str, line: str) -> None:
    m = _LINE.match(line)
    if m is None or not (name in _CALENDAR or name.startswith("X-")) \
            or "VALUE" in _params(m[2]):
        raise _NotPlain


def _params(text: str) -> dict[str, str]:
    params: dict[str, str] = {}
    for key, value in _PARAM.findall(text):
        key = key.upper()
        if key in params or value != value.strip():  # icalendar would trim it
            raise _NotPlain
        params[key] = value
    return params


def _value(name: str, line: str) -> Any:
    m = _LINE.match(line)
    if m is None:
        raise _NotPlain
    params = _params(m[2])
    value = line[m.end():]
    if name in _MOMENTS:
        return _moment(value, params)
    if "VALUE" in params:
        raise _NotPlain
    if name in _TEXT:
        return _UNESCAPE.sub(lambda e: "\n" if e[1] in "nN" else e[1], value)
    if name.startswith("X-"):
        return value  # icalendar's vUnknown: the value as written
    raise _NotPlain  # RRULE, DURATION, ORGANIZER, CATEGORIES: icalendar's own types


def _moment(value: str, params: dict[str, str]) -> date | datetime:
    """DTSTART / DTEND as icalendar's vDDDTypes (or vDate for VALUE=DATE) reads them."""
    tzid, kind = params.pop("TZID", None), params.pop("VALUE", None)
    m = _WHEN.fullmatch(value)
    if m is None or params or kind not in (None, "DATE"):
        raise _NotPlain
    try:
        if m[4] is None:  # 8 digits: a date (with a TZID icalendar makes it a datetime)
            if tzid is not None:
                raise _NotPlain
            return date(int(m[1]), int(m[2]), int(m[3]))
        if kind is not None:
            raise _NotPlain
        naive = datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), int(m[6]))
    except ValueError:
        raise _NotPlain from None
    if tzid is None:
        return tzp.localize_utc(naive) if m[7] else naive
    try:
        zone = tzp.timezone(tzid)
    except Exception:  # whatever icalendar makes of such a name, it decides
        raise _NotPlain from None
    if zone is None or m[7]:
        raise _NotPlain
    return tzp.localize(naive, zone)
