"""Report files: names from the school and the period, every one written atomically.

``write_reports`` is what ``auditor check --report-dir`` and ``auditor report``
call. File names are ASCII so that Windows, e-mail and USB sticks keep them
intact: ``bao-cao_thcs-hoa-phuong-1a2b3c4d_2026-10.xlsx``. Folding to ASCII loses
the diacritics, so "THCS Hoà Phương" and "THCS Hoa Phượng" would share a name: a
short hash of the full name (NFC) keeps every school's reports apart.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Protocol

from auditor.atomic import atomic_open, atomic_path
from auditor.errors import AuditorError, UsageError
from auditor.render.view import ReportView, build_view, period_slug, slug
from auditor.results import AuditReport

FORMATS = ("xlsx", "html", "csv")
PREFIX = "bao-cao"


def _readable(path: Path) -> None:
    """Temporary files are created private (0600); a report is for others to read."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


@contextlib.contextmanager
def report_path(target: Path) -> Iterator[Path]:
    """A temporary path renamed over `target` once the report is complete."""
    with atomic_path(target) as tmp:
        yield tmp
        _readable(tmp)


@contextlib.contextmanager
def open_report(target: Path, encoding: str = "utf-8") -> Iterator[IO[str]]:
    with atomic_open(target, "w", encoding=encoding, newline="") as handle:
        yield handle
        _readable(Path(handle.name))


class _Renderer(Protocol):
    def __call__(self, report: AuditReport, target: Path, *, lang: str = ...,
                 view: ReportView | None = ...) -> Path: ...


def school_slug(name: str) -> str:
    """'Trường THCS Hoa Phượng' → 'thcs-hoa-phuong' (the word 'Trường' adds nothing)."""
    text = slug(name)
    return text.removeprefix("truong-") or text


def school_tag(name: str) -> str:
    """'Trường THCS Hoa Phượng' → 'thcs-hoa-phuong-<8 hex>': readable, and unique per name.

    The hash is of the whole name in NFC (diacritics, case and spacing kept, the
    surrounding blanks dropped), so two schools whose names fold to the same ASCII
    never share a report file.
    """
    full = unicodedata.normalize("NFC", name).strip()
    digest = hashlib.sha256(full.encode("utf-8")).hexdigest()[:8]
    return f"{school_slug(full)}-{digest}"


def report_name(report: AuditReport, ext: str) -> str:
    return (f"{PREFIX}_{school_tag(report.school.name)}_"
            f"{period_slug(report.period_start, report.period_end)}.{ext}")


def write_report(report: AuditReport, fmt: str, target: Path, *, lang: str = "vi",
                 view: ReportView | None = None) -> Path:
    """Write one report file in `fmt` ("xlsx", "html" or "csv") to `target`."""
    from auditor.render.csv import render_csv
    from auditor.render.html import render_html
    from auditor.render.xlsx import render_xlsx

    renderers: dict[str, _Renderer] = {"xlsx": render_xlsx, "html": render_html, "csv": render_csv}
    if fmt not in renderers:
        raise UsageError(f"Định dạng báo cáo không hỗ trợ: '{fmt}' (có: {', '.join(FORMATS)}).",
                         en=f"Unsupported report format: '{fmt}' (available: "
                            f"{', '.join(FORMATS)}).")
    try:
        return renderers[fmt](report, Path(target), lang=lang, view=view)
    except OSError as exc:
        raise AuditorError(f"Không ghi được tệp báo cáo '{target}': {exc.strerror or exc}.",
                           hint="Kiểm tra thư mục có tồn tại, có quyền ghi và tệp không "
                                "đang mở trong Excel.",
                           en=f"Could not write the report file '{target}': "
                              f"{exc.strerror or exc}.",
                           hint_en="Check that the folder exists, that you may write to it and "
                                   "that the file is not open in Excel.") from None


def write_reports(report: AuditReport, out_dir: Path, *, formats: Iterable[str] = FORMATS,
                  lang: str = "vi") -> list[Path]:
    """Write the report in each format into `out_dir`; return the paths written."""
    formats = list(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise UsageError(f"Định dạng báo cáo không hỗ trợ: {', '.join(unknown)} "
                         f"(có: {', '.join(FORMATS)}).",
                         en=f"Unsupported report format: {', '.join(unknown)} "
                            f"(available: {', '.join(FORMATS)}).")
    out_dir = Path(out_dir)
    view = build_view(report, lang)  # built once, read by every renderer
    return [write_report(report, fmt, out_dir / report_name(report, fmt), lang=lang, view=view)
            for fmt in formats]
