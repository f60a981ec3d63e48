"""`auditor check --demo --format json` against answers worked out by hand.

The demo school is fixtures/demo/generate.py; its comments show the
arithmetic. Audited as of 26/11/2026 (fixtures/demo/auditor.toml), the
default period is the school year to date: 01/08/2026 – 26/11/2026.

The demo site (fixtures/demo/build_site.py, site-differences.json) is
crawled on 127.0.0.1; a post counts only if the public can see it.

Published news posts (documents, disclosure items, drafts, hidden and
taken-down posts excluded) and proposals per month:
  08/2026: 5 ordinary + 1 event post = 6  (< 8, violation); proposed 1 (< 3)
  09/2026: 9 + 3 + 2 workflow cases = 14 in the export; 15091 answers 404 on
           the site (−1), 15201 and 15202 exist only on the site (+2): 15 (pass);
           proposed 2 + 2 = 4 (pass)
  10/2026: 2 + 5 = 7 in the export; 15099 is not linked from anywhere on the
           site (−1): 6 (< 8, violation); proposed 1 + 1 = 2 (< 3)
  11/2026: 4 + 2 = 6 by the 26th (in progress, warning; 6/26×30 = 6.9)
           proposed 0 + 1 = 1 (warning; 1/26×30 = 1.2)
Events (deadline = end day + 1, 23:59:59; chuyên đề end day + 2):
  EV-2609-02 ended 13/09 11:30, due 14/09 23:59:59, posted 15/09 13:30 → 13.5 h late
  EV-2609-04 all-day 25/09, due 26/09, no post                          → missing
  EV-2610-03 ended 17/10, due 18/10 23:59:59, posted 20/10 14:00        → 38 h late
  EV-2610-05 chuyên đề ended 28/10, due 30/10 23:59:59, posted 31/10 09:00 → 9 h late
  EV-2611-03 ended 24/11, due 25/11 23:59:59, no post by 26/11          → missing
  EV-2611-04 ends 26/11 17:00, due 27/11: pending, no finding
Workflow (Điều 15), all the publisher's or remover's, the secretary Đỗ Minh Tuấn:
  15118 taken down 09/10 by the secretary, not the head
  15119 approved 18/09 by Hoàng Thị Mai (a member, not head or deputy)
  15120 published 28/09 08:00, approved 15:00 the same day
site.broken-links: 15091 (404) is published by the secretary Đỗ Minh Tuấn.
text.tcvn6909 (one breach per post, however many fields): 15131 TCVN3 (Tổ
Khoa học tự nhiên, Trịnh Văn Hùng), 15132 VNI (Tổ Ngoại ngữ - Nghệ thuật,
Đặng Thị Thu Hà), 15133 mojibake (Tổ Văn phòng, Mai Thị Yến); 15134 NFD is
only a warning.
content.source-attribution (Điều 6.3): 15094 and 15097 (September) open with the
dateline "(GD&TĐ) -"; 15094 names source and author (export and site), 15097
names neither → 1 violation, Tổ Khoa học tự nhiên (Ngô Thị Hồng).
Tổ Ngữ văn: 3 violations in the school year → emulation deduction (Điều 19.2);
Tổ Toán - Tin: 2 event + 3 workflow + 1 broken post = 6; Đỗ Minh Tuấn: 1 + 3 + 1 = 5;
Tổ Khoa học tự nhiên: 1 text (15131) + 1 source (15097) = 2.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from auditor.cli import main


@pytest.fixture(scope="module")
def demo() -> dict[str, Any]:
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(["check", "--demo", "--format", "json"])
    assert code == 1
    return json.loads(buffer.getvalue())


def findings(demo: dict[str, Any], rule: str) -> list[dict[str, Any]]:
    return [f for f in demo["findings"] if f["rule"] == rule]


def test_period_and_contract_fields(demo: dict[str, Any]) -> None:
    assert demo["tool"]["name"] == "auditor"
    assert demo["school"] == {"name": "Trường THCS Hoa Phượng",
                              "url": "https://thcshoaphuong.haiphong.edu.vn",
                              "kind": "THCS", "authority": "UBND phường Hoa Phượng"}
    assert demo["period"] == {"from": "2026-08-01", "to": "2026-11-26"}
    assert demo["generated_at"][-6:] == "+07:00"
    for key in ("rule", "severity", "status", "message", "department", "person", "month",
                "url", "post_id", "evidence", "fingerprint"):
        assert all(key in f for f in demo["findings"]), key
    for key in ("id", "title", "legal_basis", "status", "findings"):
        assert all(key in r for r in demo["rules"]), key


def test_monthly_quota(demo: dict[str, Any]) -> None:
    got = {(f["month"], f["severity"], f["evidence"]["published"])
           for f in findings(demo, "posts.monthly-quota")}
    assert got == {("2026-08", "violation", 6), ("2026-10", "violation", 6),
                   ("2026-11", "warning", 6)}
    nov = next(f for f in findings(demo, "posts.monthly-quota") if f["month"] == "2026-11")
    assert nov["evidence"]["projection"] == 6.9
    oct_ = next(f for f in findings(demo, "posts.monthly-quota") if f["month"] == "2026-10")
    assert oct_["evidence"]["site_not_counted"] == {"hidden": ["15099"]}
    assert oct_["evidence"]["source"] == "export+site"
    assert all(f["department"] is None for f in findings(demo, "posts.monthly-quota"))


def test_pgd_proposals(demo: dict[str, Any]) -> None:
    got = {(f["month"], f["severity"], f["evidence"]["proposed"])
           for f in findings(demo, "posts.pgd-proposals")}
    assert got == {("2026-08", "violation", 1), ("2026-10", "violation", 2),
                   ("2026-11", "warning", 1)}


def test_event_deadline(demo: dict[str, Any]) -> None:
    got = {(f["evidence"]["event_id"], f["month"], f["department"], f["person"],
            f["evidence"].get("delay_hours"))
           for f in findings(demo, "posts.event-deadline")}
    assert got == {
        ("EV-2609-02", "2026-09", "Tổ Ngữ văn", "Hoàng Thị Mai", 13.5),
        ("EV-2609-04", "2026-09", "Tổ Ngữ văn", "Bùi Thu Trang", None),
        ("EV-2610-03", "2026-10", "Tổ Ngữ văn", "Hoàng Thị Mai", 38.0),
        ("EV-2610-05", "2026-10", "Tổ Toán - Tin", "Vũ Đức Thắng", 9.0),
        ("EV-2611-03", "2026-11", "Tổ Toán - Tin", "Đỗ Minh Tuấn", None),
    }
    assert all(f["severity"] == "violation" for f in findings(demo, "posts.event-deadline"))
    late = next(f for f in findings(demo, "posts.event-deadline")
                if f["evidence"]["event_id"] == "EV-2610-03")
    assert "muộn 38 giờ" in late["message"]


def test_rule_statuses(demo: dict[str, Any]) -> None:
    status = {r["id"]: r["status"] for r in demo["rules"]}
    for rule in ("posts.monthly-quota", "posts.pgd-proposals", "posts.event-deadline"):
        assert status[rule] == "fail"


def test_department_tallies_and_emulation(demo: dict[str, Any]) -> None:
    depts = {d["name"]: (d["violations_in_period"], d["violations_school_year"],
                         d["emulation_deduction"]) for d in demo["departments"]}
    assert depts == {"Tổ Ngữ văn": (3, 3, True), "Tổ Toán - Tin": (6, 6, True),
                     "Tổ Khoa học tự nhiên": (2, 2, False),
                     "Tổ Ngoại ngữ - Nghệ thuật": (1, 1, False), "Tổ Văn phòng": (1, 1, False)}
    persons = {p["name"]: p["violations_school_year"] for p in demo["persons"]}
    assert persons == {"Hoàng Thị Mai": 2, "Bùi Thu Trang": 1, "Vũ Đức Thắng": 1,
                       "Đỗ Minh Tuấn": 5, "Trịnh Văn Hùng": 1, "Đặng Thị Thu Hà": 1,
                       "Mai Thị Yến": 1, "Ngô Thị Hồng": 1}
    marked = {p["name"] for p in demo["persons"] if p["emulation_deduction"]}
    assert marked == {"Đỗ Minh Tuấn"}


def test_workflow_approval(demo: dict[str, Any]) -> None:
    got = {(f["post_id"], f["month"], f["person"], f["department"])
           for f in findings(demo, "workflow.approval")}
    assert got == {("15118", "2026-10", "Đỗ Minh Tuấn", "Tổ Toán - Tin"),
                   ("15119", "2026-09", "Đỗ Minh Tuấn", "Tổ Toán - Tin"),
                   ("15120", "2026-09", "Đỗ Minh Tuấn", "Tổ Toán - Tin")}


@pytest.mark.parametrize(("month", "expected"), [
    ("2026-08", {"posts.monthly-quota": "fail", "posts.pgd-proposals": "fail",
                 "posts.event-deadline": "pass", "workflow.approval": "pass"}),
    ("2026-09", {"posts.monthly-quota": "pass", "posts.pgd-proposals": "pass",
                 "posts.event-deadline": "fail", "workflow.approval": "fail"}),
])
def test_each_posting_rule_passes_and_fails_somewhere(
        month: str, expected: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--demo", "--month", month, "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    status = {r["id"]: r["status"] for r in data["rules"]}
    assert {rule: status[rule] for rule in expected} == expected


def test_a_single_month_passes_where_the_demo_passes(capsys: pytest.CaptureFixture[str]) -> None:
    """September 2026: quota and proposals pass; two events there were handled badly."""
    code = main(["check", "--demo", "--month", "2026-09", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    status = {r["id"]: r["status"] for r in data["rules"]}
    assert status["posts.monthly-quota"] == "pass"
    assert status["posts.pgd-proposals"] == "pass"
    assert status["posts.event-deadline"] == "fail"
    assert code == 1
    depts = {d["name"]: (d["violations_in_period"], d["violations_school_year"])
             for d in data["departments"]}
    # In the period: September's two; the school year counts up to the period's end
    # (30/09, DESIGN.md), so October's late post is not in it.
    assert depts["Tổ Ngữ văn"] == (2, 2)


def test_as_of_makes_the_answer_repeatable(capsys: pytest.CaptureFixture[str]) -> None:
    """Judged as of 30/10/2026, October is still in progress: a warning, not a violation."""
    main(["check", "--demo", "--as-of", "30/10/2026", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    october = [f for f in data["findings"]
               if f["rule"] == "posts.monthly-quota" and f["month"] == "2026-10"]
    assert [f["severity"] for f in october] == ["warning"]
    assert data["period"] == {"from": "2026-08-01", "to": "2026-10-30"}
    # EV-2610-05 (chuyên đề, due 30/10 23:59:59) has no post yet on 30/10: pending.
    assert not [f for f in data["findings"] if f["evidence"].get("event_id") == "EV-2610-05"]


def test_english(capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--demo", "--format", "json", "--lang", "en"])
    data = json.loads(capsys.readouterr().out)
    quota = next(r for r in data["rules"] if r["id"] == "posts.monthly-quota")
    assert quota["title"] == "Posts published each month"
    assert any("hours late" in f["message"] for f in data["findings"])


def test_text_encoding_cases_with_their_fixes(demo: dict[str, Any]) -> None:
    """The demo's legacy-encoded posts and its .VnTime Word attachment, read over HTTP."""
    got = {f["subject"]: (f["severity"], f["evidence"].get("encoding"))
           for f in findings(demo, "text.tcvn6909")}
    assert got["post:15131:title"] == ("violation", "tcvn3")
    assert got["post:15132:title"] == ("violation", "vni")
    assert got["post:15133:body"] == ("violation", "mojibake")
    assert got["post:15134:title"] == ("warning", "nfd")
    docx = next(f for f in findings(demo, "text.tcvn6909")
                if f["subject"] == "post:15131:attachment:ke-hoach-on-tap-hoc-ky-1.docx")
    assert docx["severity"] == "violation"
    assert "VnTime" in docx["message"]


def test_source_attribution(demo: dict[str, Any]) -> None:
    """15097 re-uses a newspaper's text without naming it; 15094 names source and author."""
    got = [(f["post_id"], f["severity"], f["department"], f["person"])
           for f in findings(demo, "content.source-attribution")]
    assert got == [("15097", "violation", "Tổ Khoa học tự nhiên", "Ngô Thị Hồng")]
    [finding] = findings(demo, "content.source-attribution")
    assert finding["evidence"]["origins"] == ["dateline:GD&TĐ"]
    assert finding["evidence"]["read_from"] == "export+site"


def test_report_lists_the_disclosure_items_the_audit_saw() -> None:
    """The Công khai sheet of a fresh audit is filled (not "không có dữ liệu")."""
    from auditor.audit import AuditOptions, run_audit

    report = run_audit(AuditOptions(demo=True))
    # A checklist of the items the catalogue requires: form name, Căn cứ, state, link.
    assert report.sections.disclosure
    rows = {row.item: row for row in report.sections.disclosure}
    assert rows["bm10-chat-luong-thuc-te"].status == "hidden"  # Biểu mẫu 10, hidden by CSS
    assert rows["bm10-chat-luong-thuc-te"].url and rows["bm10-chat-luong-thuc-te"].last_seen is None
    assert rows["bm12-doi-ngu"].status == "missing" and rows["bm12-doi-ngu"].url is None
    assert rows["bm09-cam-ket-chat-luong"].status == "present"
    assert rows["bm09-cam-ket-chat-luong"].last_seen is not None
    assert all(r.clause and r.clause.startswith("Thông tư") for r in rows.values())
    assert any("Biểu mẫu 09" in r.title for r in rows.values())
