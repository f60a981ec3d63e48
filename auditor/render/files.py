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

from lxml.etree import LxmlError

from auditor.atomic import atomic_open, atomic_path, atomic_set
from auditor.errors import AuditorError, UsageError, os_reason
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


def write_error(target: Path, exc: OSError) -> AuditorError:
    """One line naming the file, for any file-system failure (read-only, full, not a folder)."""
    why, why_en = os_reason(exc)
    return AuditorError(f"Không ghi được tệp báo cáo '{target}': {why}.",
                        hint="Kiểm tra thư mục có tồn tại, có quyền ghi, còn chỗ trống và tệp "
                             "không đang mở trong Excel.",
                        en=f"Could not write the report file '{target}': {why_en}.",
                        hint_en="Check that the folder exists, that you may write to it, that "
                                "the disk has room and that the file is not open in Excel.")


@contextlib.contextmanager
def quiet_writers() -> Iterator[None]:
    """A write that fails leaves openpyxl's sheet writers (generators) unfinished; when
    they are collected they print "Exception ignored …" tracebacks. Collect them here,
    silently: the failure itself is reported in one line."""
    import gc
    import sys

    previous = sys.unraisablehook
    sys.unraisablehook = lambda _unraisable: None
    try:
        yield
    finally:
        gc.collect()
        sys.unraisablehook = previous


def _os_error(exc: Exception) -> OSError:
    """lxml's "IO_ENOSPC" / "IO_EFBIG" serialisation errors as the OSError they stand for."""
    import errno
    import re

    found = re.search(r"IO_(E[A-Z]+)", str(exc))
    code = getattr(errno, found.group(1), errno.EIO) if found else errno.EIO
    return OSError(code, os.strerror(code))


def _render(report: AuditReport, fmt: str, target: Path, lang: str,
            view: ReportView | None, csv_separator: str = ",") -> Path:
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
    return renderers[fmt](report, Path(target), lang=lang, view=view)


def write_report(report: AuditReport, fmt: str, target: Path, *, lang: str = "vi",
                 view: ReportView | None = None, csv_separator: str = ",") -> Path:
    """Write one report file in `fmt` ("xlsx", "html" or "csv") to `target`;
    `csv_separator` ";" makes the CSV for Excel on a Vietnamese-locale Windows."""
    return write_set(report, [(fmt, Path(target))], lang=lang, view=view,
                     csv_separator=csv_separator)[0]


def write_set(report: AuditReport, targets: Iterable[tuple[str, Path]], *, lang: str = "vi",
              view: ReportView | None = None, csv_separator: str = ",") -> list[Path]:
    """Write several report files together: every one to a temporary file first, then all
    renamed into place; on any failure (or Ctrl-C) no target changes and no temporary
    file stays behind."""
    targets = list(targets)
    current = targets[0][1] if targets else Path(".")
    out: list[Path] = []
    failure: AuditorError | None = None
    with quiet_writers():
        try:
            with atomic_set():
                for fmt, target in targets:
                    current = target
                    out.append(_render(report, fmt, target, lang, view, csv_separator))
        except OSError as exc:  # handled here, so the writers are freed before the quiet ends
            named = exc.filename and not str(exc.filename).endswith(".tmp")
            failure = write_error(Path(exc.filename) if named else current, exc)
        except LxmlError as exc:  # openpyxl's sheets go through lxml into temporary files
            failure = write_error(current, _os_error(exc))
    if failure is not None:
        raise failure
    return out


def write_reports(report: AuditReport, out_dir: Path, *, formats: Iterable[str] = FORMATS,
                  lang: str = "vi", csv_separator: str = ",") -> list[Path]:
    """Write the report in each format into `out_dir` (all or none); return the paths."""
    formats = list(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise UsageError(f"Định dạng báo cáo không hỗ trợ: {', '.join(unknown)} "
                         f"(có: {', '.join(FORMATS)}).",
                         en=f"Unsupported report format: {', '.join(unknown)} "
                            f"(available: {', '.join(FORMATS)}).")
    out_dir = Path(out_dir)
    view = build_view(report, lang)  # built once, read by every renderer
    return write_set(report,
                     [(fmt, out_dir / report_name(report, fmt, lang)) for fmt in formats],
                     lang=lang, view=view, csv_separator=csv_separator)
