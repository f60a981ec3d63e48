"""A monthly report's notes list only the date mismatches of its own period (issue 14:
the October report listed a September and a November post)."""

from __future__ import annotations

from datetime import date

from auditor.audit import AuditOptions, run_audit


def mismatch_notes(month: str, lang: str = "vi") -> list[str]:
    report = run_audit(AuditOptions(demo=True, month=month, as_of=date(2026, 11, 26),
                                    lang=lang))
    return [n for n in report.notices if "15096" in n or "15102" in n
            or "Đối chiếu" in n or "Export vs site" in n]


def test_october_lists_neither_the_september_nor_the_november_post():
    summary, *posts = mismatch_notes("2026-10")
    assert posts == []
    assert summary.endswith("2 bài lệch ngày ngoài kỳ báo cáo không liệt kê.")


def test_november_lists_its_own_post_only():
    summary, *posts = mismatch_notes("2026-11")
    assert len(posts) == 1 and posts[0].startswith("Bài 15102 ")
    assert summary.endswith("1 bài lệch ngày ngoài kỳ báo cáo không liệt kê.")


def test_english_says_the_same():
    summary, *posts = mismatch_notes("2026-09", lang="en")
    assert len(posts) == 1 and posts[0].startswith("Post 15096 ")
    assert summary.endswith("1 of them is outside the report period, not listed.")
