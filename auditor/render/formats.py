"""The report file formats: one registry, one renderer interface (pip-audit's ``_format``).

A format is a module with a function ``render(report, target, *, lang, view, **options)
-> Path`` that writes the file atomically (see auditor.render.files.report_path) from the
one :class:`~auditor.render.view.ReportView`, reading its labels from
auditor.render.labels. Adding a format is that module plus one line in FORMATS below;
``auditor check --report-dir`` and ``auditor report`` then write it, and ``auditor report``
offers ``--NAME FILE`` for it (the command line reads its choices from here).

PRINTED lists what the commands that print to standard output offer as ``--format``
(``check``, ``history``, ``batch``, ``site inspect``, ``text scan``): the same names for
every command, each command printing its own content in that form.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from auditor.results import AuditReport


class Renderer(Protocol):
    """What every format's function is: the report, the file to write, the language, the
    view built once for all formats; `options` are the format's own (its `options`)."""

    def __call__(self, report: AuditReport, target: Path, *, lang: str = ...,
                 view: Any = ..., **options: Any) -> Path: ...


@dataclass(frozen=True)
class ReportFormat:
    name: str  # also the file's suffix and the `auditor report --NAME FILE` option
    target: str  # "module:function" of the renderer, imported on first use
    description: str  # Vietnamese, what the file is: --NAME's help is "Ghi <description> vào đây"
    description_en: str  # "Write the <description_en> here"
    options: tuple[str, ...] = ()  # keyword options the renderer takes ("separator")

    def renderer(self) -> Renderer:
        module, _, function = self.target.partition(":")
        found: Renderer = getattr(importlib.import_module(module), function)
        return found


FORMATS: dict[str, ReportFormat] = {f.name: f for f in (
    ReportFormat("xlsx", "auditor.render.xlsx:render_xlsx", "tệp Excel", "Excel workbook"),
    ReportFormat("html", "auditor.render.html:render_html", "trang HTML", "HTML page"),
    ReportFormat("csv", "auditor.render.csv:render_csv", "bảng CSV các phát hiện",
                 "CSV of the findings", options=("separator",)),
)}


def names() -> tuple[str, ...]:
    return tuple(FORMATS)


@dataclass(frozen=True)
class PrintedFormat:
    name: str  # the value of `--format NAME` of the commands that print to standard output
    description: str  # Vietnamese
    description_en: str


PRINTED: dict[str, PrintedFormat] = {f.name: f for f in (
    PrintedFormat("text", "văn bản để đọc", "text to read"),
    PrintedFormat("json", "JSON cho chương trình khác", "JSON for other programs"),
)}


def printed_names() -> tuple[str, ...]:
    return tuple(PRINTED)
