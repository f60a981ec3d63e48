"""The demo school's Điều 6.4 cases: `auditor check --demo` finds each with the right fix,
and the .docx attachment in .VnTime is found and converted."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import unicodedata
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import docx
import pytest

from auditor.checks.interface import AuditContext
from auditor.cli import main
from auditor.config import load_config
from auditor.engine import run_rule
from auditor.people import Directory
from auditor.resources import demo_dir
from auditor.ruleset import load_ruleset
from auditor.sources.export import load_export
from auditor.timeutil import Period, school_year, tz
from auditor.vntext.docx import convert_docx, scan_docx

DOCX = demo_dir() / "attachments" / "ke-hoach-on-tap-hoc-ky-1.docx"


@pytest.fixture(scope="module")
def text_findings() -> dict[str, dict[str, Any]]:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        main(["check", "--demo", "--format", "json"])
    data = json.loads(buffer.getvalue())
    return {f["subject"]: f for f in data["findings"] if f["rule"] == "text.tcvn6909"}


def test_demo_tcvn3_vni_and_mojibake_posts(text_findings: dict[str, dict[str, Any]]) -> None:
    want = {
        "post:15131:title": ("tcvn3", "Thông báo lịch ôn tập và kiểm tra học kỳ I",
                             "Trịnh Văn Hùng", "Tổ Khoa học tự nhiên"),
        "post:15132:title": ("vni", "Kế hoạch tổ chức Hội khỏe Phù Đổng cấp trường",
                             "Đặng Thị Thu Hà", "Tổ Ngoại ngữ - Nghệ thuật"),
        "post:15133:body": ("mojibake", "Học sinh mặc đồng phục theo quy định của nhà trường, "
                            "đeo khăn quàng đỏ và thẻ họ…", "Mai Thị Yến", "Tổ Văn phòng"),
    }
    for subject, (enc, fix, person, dept) in want.items():
        finding = text_findings[subject]
        assert finding["severity"] == "violation"
        assert finding["evidence"]["encoding"] == enc
        assert finding["evidence"]["fix"] == fix
        assert (finding["person"], finding["department"]) == (person, dept)
        assert "TCVN 6909:2001" in finding["message"]
    assert text_findings["post:15131:body"]["evidence"]["fix"].startswith(
        "Nhà trường thông báo lịch ôn tập")
    assert text_findings["post:15132:body"]["evidence"]["encoding"] == "vni"
    # nothing else in the demo school is reported, and nothing twice
    # (the Word attachment of 15131 is fetched over HTTP after the crawl)
    assert set(text_findings) == {"post:15131:title", "post:15131:body", "post:15132:title",
                                  "post:15132:body", "post:15133:body", "post:15134:title",
                                  "post:15131:attachment:ke-hoach-on-tap-hoc-ky-1.docx"}


def test_demo_nfd_post_is_a_warning(text_findings: dict[str, dict[str, Any]]) -> None:
    # The CSV import composes text to NFC; the site shows the title as it was typed.
    finding = text_findings["post:15134:title"]
    assert finding["severity"] == "warning"
    assert finding["evidence"]["encoding"] == "nfd"
    assert finding["evidence"]["fix"].startswith("Hướng dẫn viết bài cho cổng thông tin điện tử")
    assert finding["person"] == "Bùi Thu Trang"


def test_demo_export_holds_an_nfd_post() -> None:
    with (demo_dir() / "cms-export.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = {r["Mã bài"]: r for r in csv.DictReader(handle)}
    title = rows["15134"]["Tiêu đề"]
    assert not unicodedata.is_normalized("NFC", title)
    assert unicodedata.normalize("NFC", title) == "Hướng dẫn viết bài cho cổng thông tin điện tử"


def _demo_context(tmp_path: Path, attachments: dict[str, Any]) -> AuditContext:
    config = load_config(demo_dir() / "auditor.toml")
    zone = tz(config.school.timezone)
    posts = load_export(demo_dir() / "cms-export.csv", tz=zone).posts
    today = date(2026, 11, 26)
    year = school_year(today, 8, 1)
    return AuditContext(config=config, ruleset=load_ruleset(), period=Period(year.start, today),
                        span=Period(year.start, today), school_year=year,
                        as_of=datetime.combine(today, time(20, 0), tzinfo=zone), tz=zone,
                        directory=Directory(config), posts=posts,
                        attachments=attachments)


def test_demo_docx_attachment_in_vntime(tmp_path: Path) -> None:
    ctx = _demo_context(tmp_path, {DOCX.name: DOCX})
    findings = {f.subject: f for f in run_rule(ctx.ruleset.rules["text.tcvn6909"], ctx).findings}
    finding = findings[f"post:15131:attachment:{DOCX.name}"]
    assert finding.person == "Trịnh Văn Hùng"
    assert finding.evidence["encoding"] == "tcvn3h"
    assert finding.evidence["fix"] == "KẾ HOẠCH ÔN TẬP VÀ KIỂM TRA HỌC KỲ I"
    assert "phông chữ cũ “.VnTime” (w:rFonts)" in finding.evidence["signals"]


def test_demo_docx_converts_to_unicode() -> None:
    assert not scan_docx(DOCX).clean
    converted = convert_docx(DOCX)
    reopened = docx.Document(io.BytesIO(converted))
    texts = [p.text for p in reopened.paragraphs]
    assert texts[0] == "KẾ HOẠCH ÔN TẬP VÀ KIỂM TRA HỌC KỲ I"
    assert texts[1].startswith("Trường THCS Hoa Phượng xây dựng kế hoạch ôn tập")
    assert all(unicodedata.is_normalized("NFC", t) for t in texts)
    assert scan_docx(converted).clean
