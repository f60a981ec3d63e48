"""auditor.toml: the school, its people, its rule set and its sources.

Validated with pydantic so that any invalid value becomes one Vietnamese line
naming the key, the value and what is expected.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from auditor.errors import ConfigError, InvalidValue
from auditor.ruleset import DEFAULT_RULESET

SchoolKind = Literal["MN", "TH", "THCS", "THPT", "TH-THCS", "THCS-THPT", "GDTX"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SchoolConfig(_Strict):
    name: str = Field(min_length=1)
    url: str | None = None  # địa chỉ chính thức (Điều 2)
    kind: SchoolKind = "THCS"
    timezone: str = "Asia/Ho_Chi_Minh"
    school_year_start: str = "08-01"  # MM-DD: ngày bắt đầu năm học
    meals: bool = False  # trường tổ chức ăn (bán trú): công khai thực đơn tuần (TT 09/2024)

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^/\s]+", value):
            raise InvalidValue("cần một địa chỉ bắt đầu bằng https://",
                               "expected an address starting with https://")
        return value.rstrip("/") if value else value

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidValue("cần tên múi giờ IANA, ví dụ Asia/Ho_Chi_Minh",
                               "expected an IANA time zone name, e.g. Asia/Ho_Chi_Minh") from None
        return value

    @field_validator("school_year_start")
    @classmethod
    def _year_start(cls, value: str) -> str:
        match = re.fullmatch(r"(\d{2})-(\d{2})", value)
        try:
            if not match:
                raise ValueError
            date(2001, int(match[1]), int(match[2]))
        except ValueError:
            raise InvalidValue("cần dạng MM-DD, ví dụ 08-01",
                               "expected MM-DD, e.g. 08-01") from None
        return value

    @property
    def year_start(self) -> tuple[int, int]:
        month, day = self.school_year_start.split("-")
        return int(month), int(day)


AuthorityKind = Literal["ubnd-xa", "phong-vhxh", "so-gddt", "phong-gddt"]


class AuthorityConfig(_Strict):
    """Cơ quan nhận đề xuất tin bài và địa chỉ chuyên mục Công khai.

    Từ 1/7/2025 (NĐ 142/2025/NĐ-CP) không còn cấp huyện: trường MN/TH/THCS do
    UBND cấp xã (Phòng Văn hóa – Xã hội) quản lý, dưới Sở GD&ĐT. Tên hiển thị
    lấy từ ``name``; không đặt thì theo ``kind``; không đặt cả hai thì là từ
    trung tính "cơ quan quản lý" (xem auditor/authority.py).
    """

    name: str = ""  # filled from `kind` (or the neutral wording) when not configured
    kind: AuthorityKind | None = None
    email: str | None = None
    url: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _display_name(cls, data: Any) -> Any:
        from auditor.authority import default_name

        if isinstance(data, dict) and not str(data.get("name") or "").strip():
            return {**data, "name": default_name(data.get("kind"))}
        return data




class MemberConfig(_Strict):
    name: str = Field(min_length=1)
    accounts: list[str] = []  # tài khoản CMS


class DepartmentConfig(_Strict):
    """Tổ chuyên môn and its members."""

    name: str = Field(min_length=1)
    members: list[MemberConfig | str] = []


class BoardConfig(_Strict):
    """Ban biên tập (Điều 8): head, deputies, secretary, members."""

    head: str | None = None  # Trưởng ban (Hiệu trưởng)
    deputies: list[str] = []  # Phó Trưởng ban
    secretary: str | None = None  # Thư ký / quản trị
    members: list[str] = []  # Ủy viên


class RulesConfig(_Strict):
    set: str = DEFAULT_RULESET


class SourcesConfig(_Strict):
    site: str | None = None
    export: str | None = None
    export_columns: dict[str, str] = {}  # field → header in the school's file
    export_sheet: str | None = None
    events: str | None = None
    events_columns: dict[str, str] = {}
    events_sheet: str | None = None


class OutputConfig(_Strict):
    dir: str = "bao-cao"
    lang: Literal["vi", "en"] = "vi"
    # "calendar": the calendar month; "25th": the 26th of the previous month to the 25th.
    period: Literal["calendar", "25th"] = "calendar"


class HistoryConfig(_Strict):
    path: str | None = None  # default: the per-user data directory


class CrawlConfig(_Strict):
    """[crawl]: how the live site is fetched (politely: robots.txt, delays, limits)."""

    contact: str | None = None  # URL or e-mail put in the User-Agent so a webmaster can reach us
    hosts: list[str] = []  # extra hosts in scope besides the site's own (e.g. "www." variant)
    max_pages: int = Field(default=3000, ge=1)
    max_depth: int = Field(default=8, ge=0)
    max_bytes: int = Field(default=5_000_000, ge=1024)  # per response, after decompression
    timeout: float = Field(default=20.0, gt=0)  # seconds per connect/read
    total_time: float = Field(default=1800.0, gt=0)  # seconds for the whole crawl
    tail_time: float = Field(default=300.0, gt=0)  # seconds for all fetches after the crawl
    per_host_concurrency: int = Field(default=2, ge=1)
    min_delay: float = Field(default=1.0, ge=0)  # seconds between requests to one host
    retries: int = Field(default=3, ge=0)
    cache: str | None = None  # default: the per-user cache directory
    max_documents: int = Field(default=50, ge=0)  # .docx attachments read for Điều 6.4


class DisclosureUpdate(_Strict):
    """A change of disclosed information, or official information that came after 30/6:
    the item must be updated within 10 working days of `since` (TT 09/2024, Điều 15.1.a)."""

    item: str = Field(min_length=1)  # the catalogue item's id, e.g. "doi-ngu"
    since: date  # the day the information changed or became official
    note: str = ""


class DisclosureConfig(_Strict):
    """[disclosure]: the Công khai section (Điều 13.1.c) as the school knows it."""

    url: str | None = None  # the section's address as configured (and given to the authority)
    # "tt36-2017", "tt09-2024" or a file; None: chosen by the school year audited
    catalogue: str | None = None
    updates: list[DisclosureUpdate] = []
    registry: str | None = None  # an inspector's registry (csv/xlsx) of reported addresses

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^/\s]+", value):
            raise InvalidValue("cần một địa chỉ bắt đầu bằng https://",
                               "expected an address starting with https://")
        return value


class SiteConfig(_Strict):
    """[site]: how to read the portal's pages (platform profile, the school's own selectors)."""

    profile: str = "auto"  # "auto", "haiphong-edu", "nukeviet", "wordpress", "generic" or a .toml
    selectors: dict[str, list[str] | str] = {}  # field → CSS selectors tried before the profile's
    urls: dict[str, list[str] | str] = {}  # "article"/"list"/"document"/"skip" → regexes
    disclosure_titles: list[str] = []  # other menu titles of the Công khai section


class WorkdaysConfig(_Strict):
    """[workdays]: days off beyond the public holidays of the `holidays` package (Tết
    bridges, a province's own days off) and Saturdays worked in exchange."""

    days_off: list[date] = []
    days_worked: list[date] = []  # e.g. a Saturday worked to make up a bridge day


class AuditConfig(_Strict):
    as_of: date | None = None  # audit as if today were this day


class WaiverConfig(_Strict):
    """Miễn trừ: a finding accepted by the board, with a reason."""

    rule: str
    subject: str | None = None  # e.g. "month:2026-09"; None waives the whole rule
    fingerprint: str | None = None
    reason: str = Field(min_length=1)
    until: date | None = None


class Config(_Strict):
    school: SchoolConfig
    authority: AuthorityConfig = AuthorityConfig()
    departments: list[DepartmentConfig] = []
    board: BoardConfig = BoardConfig()
    rules: RulesConfig = RulesConfig()
    sources: SourcesConfig = SourcesConfig()
    output: OutputConfig = OutputConfig()
    history: HistoryConfig = HistoryConfig()
    crawl: CrawlConfig = CrawlConfig()
    disclosure: DisclosureConfig = DisclosureConfig()
    site: SiteConfig = SiteConfig()
    audit: AuditConfig = AuditConfig()
    workdays: WorkdaysConfig = WorkdaysConfig()
    waivers: list[WaiverConfig] = []
    base_dir: Path = Path(".")  # folder of the config file; relative paths start here

    def resolve(self, value: str | None) -> Path | None:
        if value is None:
            return None
        path = Path(value).expanduser()
        return path if path.is_absolute() else self.base_dir / path


_DATE = ("cần một ngày dạng YYYY-MM-DD", "expected a date, YYYY-MM-DD")
# What a value of each pydantic error kind should have been: (Vietnamese, English).
_EXPECT = {
    "missing": ("thiếu khoá bắt buộc", "required key is missing"),
    "extra_forbidden": ("khoá không được hỗ trợ (gõ nhầm?)", "key is not supported (a typo?)"),
    "string_type": ("cần một chuỗi", "expected a string"),
    "int_type": ("cần một số nguyên", "expected an integer"),
    "int_parsing": ("cần một số nguyên", "expected an integer"),
    "bool_type": ("cần true hoặc false", "expected true or false"),
    "bool_parsing": ("cần true hoặc false", "expected true or false"),
    "list_type": ("cần một danh sách", "expected a list"),
    "dict_type": ("cần một bảng", "expected a table"),
    "model_type": ("cần một bảng", "expected a table"),
    "date_type": _DATE,
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "string_too_short": ("không được để trống", "must not be empty"),
}


def _describe(error: Any, lang: str = "vi") -> str:
    """One pydantic error as one line naming the key, the value and what was expected."""
    en = lang == "en"
    loc = ".".join(str(p) for p in error["loc"])
    kind = error["type"]
    if kind == "literal_error":
        choices = error.get("ctx", {}).get("expected", "")
        expected = ("expected one of: " + choices if en
                    else "cần một trong: " + choices.replace(" or ", " hoặc "))
    elif kind == "value_error":
        cause = error.get("ctx", {}).get("error", error["msg"])
        expected = cause.en if en and isinstance(cause, InvalidValue) else str(cause)
    else:
        pair = _EXPECT.get(kind)
        expected = pair[1 if en else 0] if pair else error["msg"]
    key = "key" if en else "khoá"
    if kind == "missing":
        return f"{key} '{loc}': {expected}"
    return f"{key} '{loc}' = {error.get('input')!r}: {expected}"


SAMPLE = "auditor-mau.toml"  # `auditor init` writes the annotated sample here for a look


def _unknown_tables(raw: dict[str, Any], where: str) -> None:
    """A top-level table or key the configuration does not have, named as such with the
    nearest real one ("[schol]" → "[school]"), before it shows up as a missing [school]."""
    import difflib

    known = [name for name in Config.model_fields if name != "base_dir"]
    for name, value in raw.items():
        if name in known:
            continue
        near = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        table = isinstance(value, dict | list)
        shown = f"[{name}]" if table else f"'{name}'"
        guess = (f"[{near[0]}]" if table else f"'{near[0]}'") if near else None
        kind_vi, kind_en = ("bảng", "table") if table else ("khoá", "key")
        raise ConfigError(
            f"{where}: {kind_vi} {shown} không có trong cấu hình"
            + (f"; ý bạn là {guess}?" if guess else "."),
            hint=f"Các bảng: {', '.join(f'[{k}]' for k in known)}. Tệp mẫu có chú thích: "
                 f"'auditor init {SAMPLE}'.",
            en=f"{where}: there is no {kind_en} {shown} in the configuration"
               + (f"; did you mean {guess}?" if guess else "."),
            hint_en=f"Tables: {', '.join(f'[{k}]' for k in known)}. An annotated sample: "
                    f"'auditor init {SAMPLE}'.")


def parse_config(raw: dict[str, Any], where: str, base_dir: Path) -> Config:
    _unknown_tables(raw, where)
    try:
        return Config.model_validate({**raw, "base_dir": base_dir})
    except ValidationError as exc:
        first = exc.errors()[0]
        more = len(exc.errors()) - 1
        suffix = f" (và {more} lỗi khác)" if more else ""
        suffix_en = f" (and {more} more error{'s' if more > 1 else ''})" if more else ""
        raise ConfigError(
            f"{where}: {_describe(first)}{suffix}",
            hint=f"Xem tệp cấu hình mẫu có chú thích: 'auditor init {SAMPLE}'.",
            en=f"{where}: {_describe(first, 'en')}{suffix_en}",
            hint_en=f"See an annotated sample configuration: 'auditor init {SAMPLE}'.",
        ) from None


def load_config(path: Path) -> Config:
    """Read and validate auditor.toml."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(
            f"Không tìm thấy tệp cấu hình '{path}'.",
            hint=f"Tạo tệp bằng 'auditor init {path}' hoặc dùng --export/--events/--site.",
            en=f"Configuration file '{path}' not found.",
            hint_en=f"Create one with 'auditor init {path}', or use --export/--events/--site.",
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: không đọc được tệp cấu hình ({exc}).",
                          en=f"{path}: could not read the configuration file ({exc})."
                          ) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: sai cú pháp TOML ({exc}).",
                          en=f"{path}: TOML syntax error ({exc}).") from None
    return parse_config(raw, str(path), path.resolve().parent)


def adhoc_config(name: str | None = None, url: str | None = None) -> Config:
    """The configuration of an audit run with no auditor.toml."""
    return Config(school=SchoolConfig(name=name or "(chưa đặt tên trường)", url=url))
