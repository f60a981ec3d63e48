"""The Excel layout (reports/xlsx.toml): sheet names, column titles and widths, colours.

A school restyles its workbook by editing that file; nothing here is a rule.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from auditor.errors import ConfigError, InvalidValue
from auditor.resources import reports_dir

# The columns each sheet can show (the data keys of auditor.render.view).
SHEET_KEYS: dict[str, set[str]] = {
    "summary": {"no", "rule", "title", "basis", "basis_full", "status", "findings", "note"},
    "monthly": {"month", "posts", "min_posts", "posts_status", "posts_change", "posts_forecast",
                "proposals", "min_proposals", "proposals_status", "proposals_change",
                "proposals_forecast", "note"},
    "events": {"no", "event_id", "title", "organiser", "kind", "department", "person", "start",
               "end",
               "deadline", "post_id", "post_title", "post_url", "published_at", "delay_hours",
               "status"},
    "disclosure": {"no", "item", "title", "clause", "status", "last_seen", "url"},
    "tcvn": {"no", "where", "excerpt", "encoding", "confidence", "fix", "severity",
             "department", "person", "url"},
    "findings": {"no", "rule", "rule_title", "basis", "severity", "status", "message",
                 "department", "person", "date", "month", "evidence", "url", "post_id",
                 "source", "waiver", "fingerprint", "first_seen"},
    "emulation": {"kind", "name", "in_period", "school_year", "deduction"},
}
SHEET_ORDER = ("summary", "monthly", "events", "disclosure", "tcvn", "findings", "emulation")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Column(_Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    key: str
    title: str = Field(min_length=1)
    title_en: str | None = None
    width: float = Field(default=14, gt=0, le=255)
    wrap: bool = False
    # print = false: shown on screen, left out of the printed page (put such columns last).
    print_: bool = Field(default=True, alias="print")

    def heading(self, lang: str) -> str:
        return self.title_en if lang == "en" and self.title_en else self.title


class Sheet(_Strict):
    name: str = Field(min_length=1, max_length=31)
    name_en: str | None = Field(default=None, max_length=31)
    heading: str = ""
    heading_en: str | None = None
    landscape: bool = True
    columns: list[Column] = Field(min_length=1)

    @field_validator("name", "name_en")
    @classmethod
    def _sheet_name(cls, value: str | None) -> str | None:
        if value and any(c in value for c in "[]:*?/\\"):
            raise InvalidValue("tên trang tính không được chứa [ ] : * ? / \\",
                               "a sheet name must not contain [ ] : * ? / \\")
        return value

    def title(self, lang: str) -> str:
        return self.name_en if lang == "en" and self.name_en else self.name

    def head(self, lang: str) -> str:
        return self.heading_en if lang == "en" and self.heading_en else self.heading


class WorkbookStyle(_Strict):
    font_name: str = "Times New Roman"
    font_size: float = 12
    title_size: float = 14
    header_fill: str = "D9E2F3"
    fail_fill: str = "F4CCCC"
    fail_font: str = "9C0006"
    warn_fill: str = "FFE699"
    warn_font: str = "7F4F00"
    pass_fill: str = "C6EFCE"
    pass_font: str = "006100"
    link_font: str = "0563C1"
    date_format: str = "dd/mm/yyyy"
    datetime_format: str = "dd/mm/yyyy hh:mm"
    footer: str = "Trang &P/&N"
    footer_en: str = "Page &P of &N"

    @field_validator("header_fill", "fail_fill", "fail_font", "warn_fill", "warn_font",
                     "pass_fill", "pass_font", "link_font")
    @classmethod
    def _colour(cls, value: str) -> str:
        value = value.lstrip("#").upper()
        if len(value) != 6 or any(c not in "0123456789ABCDEF" for c in value):
            raise InvalidValue("cần mã màu dạng RRGGBB, ví dụ F4CCCC",
                               "expected a colour as RRGGBB, e.g. F4CCCC")
        return value


class Signature(_Strict):
    place: str = ""
    preparer: str = "NGƯỜI LẬP BIỂU"
    preparer_en: str = "PREPARED BY"
    principal: str = "HIỆU TRƯỞNG"
    principal_en: str = "PRINCIPAL"
    hint: str = "(Ký, ghi rõ họ tên)"
    hint_en: str = "(Signature and full name)"
    principal_hint: str = "(Ký, ghi rõ họ tên, đóng dấu)"
    principal_hint_en: str = "(Signature, full name and seal)"
    blank_rows: int = Field(default=4, ge=0, le=20)


class Decision(_Strict):
    """Page 1's "Việc cần xử lý trước": how many findings, and the suggested time to fix."""

    actions: int = Field(default=8, ge=1, le=50)
    fix_within_days: int = Field(default=7, ge=1, le=90)


class Layout(_Strict):
    workbook: WorkbookStyle = WorkbookStyle()
    signature: Signature = Signature()
    decision: Decision = Decision()
    sheets: dict[str, Sheet]

    @field_validator("sheets")
    @classmethod
    def _known(cls, sheets: dict[str, Sheet]) -> dict[str, Sheet]:
        missing = [k for k in SHEET_ORDER if k not in sheets]
        if missing:
            raise InvalidValue(f"thiếu trang tính: {', '.join(missing)}",
                               f"missing sheets: {', '.join(missing)}")
        for key, sheet in sheets.items():
            if key not in SHEET_KEYS:
                raise InvalidValue(
                    f"trang tính không biết: '{key}' (có: {', '.join(SHEET_ORDER)})",
                    f"unknown sheet: '{key}' (available: {', '.join(SHEET_ORDER)})")
            for col in sheet.columns:
                if col.key not in SHEET_KEYS[key]:
                    known = ", ".join(sorted(SHEET_KEYS[key]))
                    raise InvalidValue(f"sheets.{key}: cột không biết '{col.key}' (có: {known})",
                                       f"sheets.{key}: unknown column '{col.key}' "
                                       f"(available: {known})")
        return sheets


def default_layout_path() -> Path:
    return reports_dir() / "xlsx.toml"


def load_layout(path: Path | None = None) -> Layout:
    """Read and validate the Excel layout; a bad file is one Vietnamese line (exit 2)."""
    path = path or default_layout_path()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ConfigError(f"Không tìm thấy tệp bố cục Excel '{path}'.",
                          en=f"Excel layout file '{path}' not found.") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: không đọc được tệp bố cục Excel ({exc}).",
                          en=f"{path}: could not read the Excel layout file ({exc}).") from None
    try:
        return Layout.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        cause = err.get("ctx", {}).get("error", err["msg"])
        msg_en = cause.en if isinstance(cause, InvalidValue) else str(cause)
        raise ConfigError(f"{path}: khoá '{where}': {cause}",
                          en=f"{path}: key '{where}': {msg_en}") from None
