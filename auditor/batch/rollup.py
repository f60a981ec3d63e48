"""The roll-up: one row per school (outcome, a status per rule, counts, where the reports are).

Rows are appended to ``tong-hop.jsonl`` as each school finishes, so nothing of
a school stays in memory once its reports are written; the workbook, the HTML
page and the JSON are written from that file at the end
(:mod:`auditor.batch.rollup_files`). ``merge`` joins the
roll-ups of several machines (each ran ``auditor batch`` on its share).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from auditor.errors import InputError

STREAM = "tong-hop.jsonl"
BASENAME = "tong-hop"  # tong-hop.xlsx / .html / .json
FORMAT = "auditor-batch-rollup/1"


_COUNTS = ("violations", "warnings", "not_checked", "new_findings")


@dataclass(frozen=True)
class SchoolRow:
    """What the roll-up says of one school."""

    name: str
    kind: str | None
    site: str | None
    folder: str | None  # the school's report folder, relative to the roll-up
    audited: bool  # False: the audit could not run at all (bad config, the only source failed…)
    incomplete: bool = False  # audited, but a source failed (site down, bad export): see error
    violations: int = 0
    warnings: int = 0
    not_checked: int = 0
    rules: dict[str, str] = field(default_factory=dict)  # rule id → pass|fail|not_checked|waived
    error: str | None = None  # why it could not be audited, or what failed (Vietnamese)
    error_en: str | None = None
    reports: tuple[str, ...] = ()  # file names inside `folder`
    seconds: float = 0.0
    new_findings: int = 0  # findings not in the school's previous run

    @property
    def outcome(self) -> str:
        """failed | incomplete | violation | warning | pass."""
        if not self.audited:
            return "failed"
        if self.incomplete:
            return "incomplete"
        if self.violations:
            return "violation"
        if self.warnings:
            return "warning"
        return "pass"

    def sort_key(self) -> tuple[int, int, int, int, str]:
        """Worst first: could not audit, incomplete, then violations, warnings, unchecked."""
        return (0 if not self.audited else 1 if self.incomplete else 2, -self.violations,
                -self.warnings, -self.not_checked, self.name)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["reports"] = list(self.reports)
        out["outcome"] = self.outcome
        if not self.audited:  # nothing was counted: null, never zero
            for key in _COUNTS:
                out[key] = None
        return out

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> SchoolRow:
        known = {k: raw[k] for k in cls.__dataclass_fields__
                 if k in raw and not (k in _COUNTS and raw[k] is None)}
        known["reports"] = tuple(known.get("reports", ()))
        known["rules"] = dict(known.get("rules", {}))
        return cls(**known)


@dataclass(frozen=True)
class Rollup:
    title: str
    generated_at: str  # ISO 8601
    rows: tuple[SchoolRow, ...]  # worst first

    @property
    def rule_ids(self) -> list[str]:
        """Every rule any school was judged on, in the order first met."""
        return list(dict.fromkeys(r for row in self.rows for r in row.rules))

    def counts(self) -> dict[str, int]:
        out = {k: 0 for k in ("failed", "incomplete", "violation", "warning", "pass")}
        for row in self.rows:
            out[row.outcome] += 1
        return out

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "title": self.title, "generated_at": self.generated_at,
                "schools": len(self.rows), "counts": self.counts(),
                "rules": self.rule_ids, "rows": [r.to_json() for r in self.rows]}


def append_row(stream: Path, row: SchoolRow) -> None:
    """One line per finished school (flushed, so a killed run keeps what it did)."""
    with stream.open("a", encoding="utf-8") as f:
        f.write(json.dumps(row.to_json(), ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())


def read_stream(stream: Path) -> Iterator[SchoolRow]:
    if not stream.exists():
        return
    with stream.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield SchoolRow.from_json(json.loads(line))


def build_rollup(rows: Iterable[SchoolRow], title: str, generated_at: str) -> Rollup:
    return Rollup(title, generated_at, tuple(sorted(rows, key=SchoolRow.sort_key)))


def load_rollup_json(path: Path) -> Rollup:
    """A roll-up written by :func:`~auditor.batch.rollup_files.write_rollup` (its .json),
    for `auditor batch merge`."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"Không tìm thấy tệp tổng hợp '{path}'.",
                         en=f"Roll-up file '{path}' not found.") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path.name}: không đọc được tệp tổng hợp ({exc}).",
                         en=f"{path.name}: could not read the roll-up file ({exc}).") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise InputError(f"{path.name}: không phải tệp tổng hợp của 'auditor batch' "
                         f"(cần tong-hop.json).",
                         en=f"{path.name}: not a roll-up written by 'auditor batch' "
                            "(expected tong-hop.json).")
    rows = tuple(SchoolRow.from_json(r) for r in raw.get("rows", []))
    return Rollup(str(raw.get("title", "")), str(raw.get("generated_at", "")), rows)


def merge(paths: Iterable[Path], out_dir: Path, title: str, generated_at: str) -> Rollup:
    """Join roll-ups; each row's report folder is re-linked relative to `out_dir`.

    A school listed by two roll-ups is an error: the registry was split with overlap.
    """
    rows: list[SchoolRow] = []
    seen: dict[str, Path] = {}
    for path in paths:
        part = load_rollup_json(path)
        for row in part.rows:
            if row.name in seen:
                raise InputError(
                    f"Trường '{row.name}' có trong cả {seen[row.name].name} và {path.name}.",
                    hint="Mỗi máy chạy một phần riêng của danh sách trường.",
                    en=f"School '{row.name}' is in both {seen[row.name].name} and {path.name}.",
                    hint_en="Each machine runs its own share of the registry.")
            seen[row.name] = path
            folder = row.folder
            if folder is not None:
                target = (path.resolve().parent / folder).resolve()
                folder = Path(os.path.relpath(target, out_dir.resolve())).as_posix()
            rows.append(SchoolRow.from_json({**row.to_json(), "folder": folder}))
    return build_rollup(rows, title, generated_at)
