"""Report files: names from the school and the period, every one written atomically.

``write_reports`` is what ``auditor check --report-dir`` and ``auditor report``
call. File names are ASCII so that Windows, e-mail and USB sticks keep them
intact: ``bao-cao_thcs-hoa-phuong_2026-10.xlsx``.
"""

from __future__ import annotations

import contextlib
import functools
import os
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


def report_name(report: AuditReport, ext: str, lang: str = "vi") -> str:
    prefix = "report" if lang == "en" else PREFIX
    return (f"{prefix}_{school_slug(report.school.name)}_"
            f"{period_slug(report.period_start, report.period_end)}.{ext}")


def write_report(report: AuditReport, fmt: str, target: Path, *, lang: str = "vi",
                 view: ReportView | None = None, csv_separator: str = ",") -> Path:
    """Write one report file in `fmt` ("xlsx", "html" or "csv") to `target`;
    `csv_separator` ";" makes the CSV for Excel on a Vietnamese-locale Windows."""
    from auditor.render.csv import render_csv
    from auditor.render.html import render_html
    from auditor.render.xlsx import render_xlsx

    renderers: dict[str, _Renderer] = {
        "xlsx": render_xlsx, "html": render_html,
        "csv": functools.partial(render_csv, separator=csv_separator)}
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
                  lang: str = "vi", csv_separator: str = ",") -> list[Path]:
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
    return [write_report(report, fmt, out_dir / report_name(report, fmt, lang), lang=lang,
                         view=view, csv_separator=csv_separator) for fmt in formats]
