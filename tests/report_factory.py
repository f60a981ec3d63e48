"""A realistic AuditReport for the report tests (fictional school, fictional people).

It has a finding for most rules, every kind of status, the statistics the
report sheets read (``ReportSections``), and hostile strings in the places a site
or an export could put them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from auditor.results import (
    AuditReport,
    DepartmentMonth,
    DisclosureRow,
    EventRow,
    Finding,
    FindingStatus,
    LegalBasis,
    MonthlyStat,
    ReportSections,
    RuleResult,
    RuleStatus,
    SchoolInfo,
    Severity,
    Signatories,
    Tally,
)
from auditor.timeutil import tz

ZONE = tz()
QD = "Quy chế kèm QĐ 111/QĐ-THCS"
FORMULA_TITLE = '=HYPERLINK("http://x","y")'
SCRIPT_TITLE = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
PLUS_TEXT = "+84 912 345 678"
AT_TEXT = "@SUM(1+1)"
DASH_TEXT = "-2+3"


def at(day: int, month: int = 10, hour: int = 8, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=ZONE)


def basis(article: str, clause: str | None = None) -> LegalBasis:
    return LegalBasis(QD, article, clause)


def _f(rule: str, subject: str, message: str, **kw: Any) -> Finding:
    return Finding(rule=rule, subject=subject, message=message,
                   message_en=kw.pop("message_en", message), **kw)


def make_results() -> tuple[RuleResult, ...]:
    quota = RuleResult(
        "posts.monthly-quota", "Số tin bài đăng mỗi tháng", "Posts published each month",
        basis("Điều 16", "khoản 3"), RuleStatus.FAIL, (
            _f("posts.monthly-quota", "month:2026-10",
               "Tháng 10/2026 chỉ có 5 tin bài được đăng, cần ít nhất 8.",
               message_en="October 2026 has 5 posts; at least 8 are required.",
               on=date(2026, 10, 31), evidence={"posts": 5, "min_posts": 8, "month": "2026-10"},
               source="export"),
        ))
    proposals = RuleResult(
        "posts.pgd-proposals", "Tin bài đề xuất lên trang Phòng GD&ĐT",
        "Posts proposed to the education office's page", basis("Điều 16", "khoản 3"),
        RuleStatus.WAIVED, (
            _f("posts.pgd-proposals", "month:2026-10",
               "Tháng 10/2026 chỉ có 2 tin bài đề xuất lên Phòng GD&ĐT, cần ít nhất 3.",
               on=date(2026, 10, 31), status=FindingStatus.WAIVED,
               waiver_reason="Ban biên tập chấp thuận: tháng thi giữa kỳ.",
               evidence={"proposals": 2, "min_proposals": 3}),
        ))
    deadline = RuleResult(
        "posts.event-deadline", "Đưa tin sự kiện chậm nhất 01 ngày sau khi kết thúc",
        "A post about each event within 1 day of its end", basis("Điều 16", "khoản 4"),
        RuleStatus.FAIL, (
            _f("posts.event-deadline", "event:EV-07",
               "Sự kiện «Hội thi Giáo viên dạy giỏi cấp trường» kết thúc 08/10/2026 nhưng "
               "bài viết đăng ngày 12/10/2026, chậm 3 ngày.",
               department="Tổ Ngữ văn", person="Hoàng Thị Mai", on=date(2026, 10, 9),
               url="https://thcshoaphuong.haiphong.edu.vn/tin-tuc/hoi-thi/ct/12/3456",
               post_id="3456", source="calendar",
               evidence={"event": "EV-07", "deadline": at(9, 10, 23, 59),
                         "published_at": at(12, 10, 9, 30), "delay_hours": 57.5}),
            _f("posts.event-deadline", "event:EV-09",
               f"Chưa có bài viết về sự kiện «{FORMULA_TITLE}».",
               department="Tổ Toán - Tin", person=PLUS_TEXT, on=date(2026, 10, 21),
               url="javascript:alert(1)", source="calendar",
               evidence={"event": "EV-09", "title": FORMULA_TITLE}),
        ))
    tcvn = RuleResult(
        "text.tcvn6909", "Văn bản dùng bảng mã Unicode TCVN 6909:2001",
        "Text in Unicode (TCVN 6909:2001)", basis("Điều 6", "khoản 4"), RuleStatus.FAIL,
        sheet="encoding", findings=(
            _f("text.tcvn6909", "post:3321",
               "Bài «Thông báo lịch thi» có đoạn văn bản dùng bảng mã TCVN3 (.VnTime).",
               department="Tổ Văn phòng", person="Mai Thị Yến", on=date(2026, 10, 15),
               url="https://thcshoaphuong.haiphong.edu.vn/thong-bao/lich-thi/ct/8/3321",
               post_id="3321",
               evidence={"excerpt": "Tr\u00adêng THCS Hoa Ph\u00adîng th«ng b¸o",
                         "where": "Nội dung bài 3321, đoạn 2", "encoding": "TCVN3",
                         "confidence": 0.97, "fix": "Trường THCS Hoa Phượng thông báo"}),
            _f("text.tcvn6909", "post:3330",
               "Tiêu đề bài viết ở dạng Unicode tổ hợp (NFD).", severity=Severity.WARNING,
               on=date(2026, 10, 20), post_id="3330",
               evidence={"excerpt": DASH_TEXT, "where": AT_TEXT, "encoding": "NFD",
                         "confidence": 1.0, "fix": "Chuẩn hoá NFC"}),
        ))
    spam = RuleResult(
        "security.spam-injection", "Không có nội dung cờ bạc, spam bị chèn",
        "No injected spam", basis("Điều 17"), RuleStatus.FAIL, (
            _f("security.spam-injection", "page:/tin-tuc/ab",
               f"Trang chứa liên kết ẩn tới nội dung cờ bạc: {SCRIPT_TITLE}",
               url="https://thcshoaphuong.haiphong.edu.vn/tin-tuc/ab?x=1&y=<b>",
               on=date(2026, 10, 25), source="site",
               evidence={"title": SCRIPT_TITLE, "hidden_by": "display:none"}),
        ))
    reachable = RuleResult(
        "disclosure.reachable", "Chuyên mục Công khai truy cập được từ trang chủ",
        "The disclosure section is reachable", basis("Điều 13", "khoản 1 điểm c"),
        RuleStatus.NOT_CHECKED, reason="Không có địa chỉ cổng thông tin (--site).",
        reason_en="No site address (--site).")
    domain = RuleResult(
        "site.official-domain", "Chỉ phục vụ từ địa chỉ chính thức", "Official address only",
        basis("Điều 2"), RuleStatus.PASS)
    return (quota, proposals, deadline, tcvn, spam, reachable, domain)


def raw_sections() -> dict[str, Any]:
    monthly = [
        {"month": "2026-08", "posts": 9, "proposals": 3, "min_posts": 8, "min_proposals": 3,
         "in_progress": False},
        {"month": "2026-09", "posts": 12, "proposals": 4, "min_posts": 8, "min_proposals": 3,
         "in_progress": False},
        {"month": "2026-10", "posts": 5, "proposals": 2, "min_posts": 8, "min_proposals": 3,
         "in_progress": False},
        {"month": "2026-11", "posts": 3, "proposals": 1, "min_posts": 8, "min_proposals": 3,
         "in_progress": True},
    ]
    events = [
        {"event_id": "EV-05", "title": "Lễ khai giảng năm học 2026-2027", "organiser": "school",
         "kind": "event", "department": "Tổ Văn phòng", "start": at(5, 9, 7), "end": at(5, 9, 10),
         "deadline": at(6, 9, 23, 59), "post_id": "3301", "post_title": "Tưng bừng khai giảng",
         "post_url": "https://thcshoaphuong.haiphong.edu.vn/tin-tuc/khai-giang/ct/12/3301",
         "published_at": at(5, 9, 15), "delay_hours": None, "status": "on_time"},
        {"event_id": "EV-07", "title": "Hội thi Giáo viên dạy giỏi cấp trường",
         "organiser": "school", "kind": "event", "department": "Tổ Ngữ văn",
         "start": at(6, 10, 7), "end": at(8, 10, 17), "deadline": at(9, 10, 23, 59),
         "post_id": "3456", "post_title": "Hội thi GVDG cấp trường",
         "post_url": "https://thcshoaphuong.haiphong.edu.vn/tin-tuc/hoi-thi/ct/12/3456",
         "published_at": at(12, 10, 9, 30), "delay_hours": 57.5, "status": "late"},
        {"event_id": "EV-09", "title": FORMULA_TITLE, "organiser": "authority",
         "kind": "chuyen_de", "department": "Tổ Toán - Tin", "start": at(20, 10, 8),
         "end": at(20, 10, 11), "deadline": at(21, 10, 23, 59), "post_id": None,
         "post_title": None, "post_url": None, "published_at": None, "delay_hours": None,
         "status": "missing"},
        {"event_id": "EV-11", "title": "Chuyên đề STEM cấp quận", "organiser": "authority",
         "kind": "chuyen_de", "department": "Tổ Khoa học tự nhiên", "start": at(26, 11, 8),
         "end": at(27, 11, 11), "deadline": at(28, 11, 23, 59), "post_id": None,
         "post_title": None, "post_url": None, "published_at": None, "delay_hours": None,
         "status": "pending"},
    ]
    disclosure = [
        {"item": "Biểu mẫu 09", "title": "Cam kết chất lượng giáo dục", "status": "present",
         "url": "https://thcshoaphuong.haiphong.edu.vn/cong-khai/bm09",
         "last_seen": at(25, 10, 7), "clause": "TT 36/2017, Điều 4"},
        {"item": "Biểu mẫu 11", "title": "Cơ sở vật chất", "status": "missing", "url": None,
         "last_seen": None, "clause": "TT 36/2017, Điều 4"},
    ]
    return {"monthly": monthly, "events": events, "disclosure": disclosure}


def make_sections(**changes: Any) -> ReportSections:
    raw = raw_sections()
    base: dict[str, Any] = dict(
        monthly=tuple(MonthlyStat(**m) for m in raw["monthly"]),
        events=tuple(EventRow(**{"person": None, **e}) for e in raw["events"]),
        disclosure=tuple(DisclosureRow(**d) for d in raw["disclosure"]),
        departments_by_month=tuple(
            DepartmentMonth(dept, month, n) for dept, month, n in (
                ("Tổ Ngữ văn", "2026-08", 0), ("Tổ Ngữ văn", "2026-09", 2),
                ("Tổ Ngữ văn", "2026-10", 1), ("Tổ Toán - Tin", "2026-08", 0),
                ("Tổ Toán - Tin", "2026-09", 0), ("Tổ Toán - Tin", "2026-10", 1),
                (None, "2026-08", 0), (None, "2026-09", 0), (None, "2026-10", 1))),
        unassigned=Tally("", 1, 1, False),
    )
    base.update(changes)
    return ReportSections(**base)


SIGNATURE = Signatories(place="Hải Phòng", preparer="Đỗ Minh Tuấn",
                        principal="Lê Thị Thanh Bình")


def make_report(**changes: Any) -> AuditReport:
    base: dict[str, Any] = dict(
        tool_version="0.1.0",
        school=SchoolInfo("Trường THCS Hoa Phượng", "https://thcshoaphuong.haiphong.edu.vn",
                          "THCS", "Phòng GD&ĐT"),
        period_start=date(2026, 10, 1), period_end=date(2026, 10, 31),
        as_of=datetime(2026, 11, 2, 8, 0, tzinfo=ZONE),
        generated_at=datetime(2026, 11, 2, 8, 5, tzinfo=ZONE),
        school_year_start=date(2026, 8, 1), school_year_end=date(2027, 7, 31),
        ruleset="qd111-thcs", results=make_results(),
        departments=(Tally("Tổ Ngữ văn", 1, 3, True), Tally("Tổ Toán - Tin", 1, 1, False),
                     Tally("Tổ Văn phòng", 1, 2, False)),
        persons=(Tally("Hoàng Thị Mai", 1, 3, True), Tally(PLUS_TEXT, 1, 1, False)),
        emulation_threshold=3,
        notices=("Dòng 14 của tệp xuất CMS không có ngày đăng, đã bỏ qua.",),
        sections=make_sections(),
        signature=SIGNATURE,
    )
    base.update(changes)
    return AuditReport(**base)


def many_findings(count: int, start: date = date(2026, 10, 1)) -> RuleResult:
    """One rule with `count` findings across departments (for size tests)."""
    depts = ["Tổ Toán - Tin", "Tổ Ngữ văn", "Tổ Khoa học tự nhiên", "Tổ Văn phòng", None]
    findings = tuple(
        _f("site.broken-links", f"link:{i}",
           f"Liên kết hỏng số {i}: trang «Tin tức» trỏ tới tệp đính kèm không tồn tại.",
           department=depts[i % len(depts)], person=f"Giáo viên {i % 37}",
           on=start + timedelta(days=i % 28),
           url=f"https://thcshoaphuong.haiphong.edu.vn/tin-tuc/bai-{i}/ct/12/{i}",
           post_id=str(i), evidence={"status": 404, "target": f"/files/{i}.pdf"})
        for i in range(count))
    return RuleResult("site.broken-links", "Liên kết nội bộ và tệp đính kèm hoạt động",
                      "Internal links resolve", basis("Điều 5", "khoản 4"),
                      RuleStatus.FAIL, findings)
