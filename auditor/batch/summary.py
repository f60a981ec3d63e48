"""The roll-up as plain text: the console after a batch, and the body of its e-mail."""

from __future__ import annotations

from auditor.batch.rollup import Rollup, SchoolRow
from auditor.batch.rollup_labels import outcome, t


def row_line(row: SchoolRow, lang: str = "vi") -> str:
    """'Vi phạm — THCS A: 3 vi phạm, 1 cảnh báo' / 'Không kiểm tra được — THCS B: <why>'."""
    head = f"{outcome(lang, row.outcome)} — {row.name}"
    why = row.error_en if lang == "en" and row.error_en else row.error
    if not row.audited:
        return f"{head}: {why}"
    if lang == "en":
        counts = (f"{row.violations} violations, {row.warnings} warnings, "
                  f"{row.not_checked} rules not checked, {row.new_findings} new")
    else:
        counts = (f"{row.violations} vi phạm, {row.warnings} cảnh báo, "
                  f"{row.not_checked} quy tắc chưa kiểm tra, {row.new_findings} mới")
    return f"{head}: {counts}" + (f" — {why}" if why else "")


def progress_line(row: SchoolRow, done: int, total: int, lang: str = "vi") -> str:
    return f"[{done}/{total}] {row_line(row, lang)} ({row.seconds:.0f} s)"


def rollup_text(rollup: Rollup, lang: str = "vi") -> str:
    counts = ", ".join(f"{outcome(lang, k)}: {n}" for k, n in rollup.counts().items())
    lines = [rollup.title or t(lang, "title"),
             f"{t(lang, 'generated')}: {rollup.generated_at} · {t(lang, 'schools')}: "
             f"{len(rollup.rows)} · {counts}", ""]
    lines += [f"{i}. {row_line(row, lang)}" for i, row in enumerate(rollup.rows, start=1)]
    return "\n".join(lines) + "\n"


def rollup_subject(rollup: Rollup) -> str:
    c = rollup.counts()
    new = sum(r.new_findings for r in rollup.rows)
    return (f"[auditor] {len(rollup.rows)} trường: {c['violation']} có vi phạm, "
            f"{c['failed']} không kiểm tra được, {c['incomplete']} chưa đầy đủ, "
            f"{new} phát hiện mới")
