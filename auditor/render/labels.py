"""Words the renderers print, in Vietnamese and English."""

from __future__ import annotations

from auditor.results import RuleStatus, Severity

STATUS = {
    "vi": {RuleStatus.PASS: "Đạt", RuleStatus.FAIL: "Vi phạm",
           RuleStatus.NOT_CHECKED: "Chưa kiểm tra", RuleStatus.WAIVED: "Được miễn"},
    "en": {RuleStatus.PASS: "Pass", RuleStatus.FAIL: "Fail",
           RuleStatus.NOT_CHECKED: "Not checked", RuleStatus.WAIVED: "Waived"},
}

SEVERITY = {
    "vi": {Severity.VIOLATION: "Vi phạm", Severity.WARNING: "Cảnh báo", Severity.INFO: "Thông tin"},
    "en": {Severity.VIOLATION: "Violation", Severity.WARNING: "Warning", Severity.INFO: "Info"},
}

TEXT = {
    "vi": {
        "title": "Kiểm tra Cổng thông tin điện tử",
        "period": "Kỳ kiểm tra", "as_of": "Tính đến", "school_year": "Năm học",
        "ruleset": "Bộ quy tắc", "rule": "Quy tắc", "status": "Kết quả",
        "findings": "Phát hiện", "basis": "Căn cứ", "act_first": "Việc cần xử lý trước",
        "departments": "Thống kê vi phạm theo tổ chuyên môn (Điều 19.2)",
        "persons": "Thống kê vi phạm theo cá nhân (Điều 19.2)",
        "department": "Tổ chuyên môn", "person": "Cá nhân", "in_period": "Trong kỳ",
        "in_year": "Cả năm học", "deduction": "Trừ điểm thi đua", "yes": "Có", "no": "—",
        "none": "Không có phát hiện nào cần xử lý.", "notices": "Lưu ý khi đọc dữ liệu",
        "more": "… và {n} mục khác (xem báo cáo JSON/Excel).",
        "summary": "Tổng: {v} vi phạm, {w} cảnh báo, {n} quy tắc chưa kiểm tra.",
        "reason": "Lý do",
    },
    "en": {
        "title": "School portal audit",
        "period": "Period", "as_of": "As of", "school_year": "School year",
        "ruleset": "Rule set", "rule": "Rule", "status": "Status",
        "findings": "Findings", "basis": "Basis", "act_first": "Act on these first",
        "departments": "Violations by department (Art. 19.2)",
        "persons": "Violations by person (Art. 19.2)",
        "department": "Department", "person": "Person", "in_period": "In period",
        "in_year": "School year", "deduction": "Emulation deduction", "yes": "Yes", "no": "—",
        "none": "Nothing to act on.", "notices": "Notes from reading the inputs",
        "more": "… and {n} more (see the JSON/Excel report).",
        "summary": "Total: {v} violations, {w} warnings, {n} rules not checked.",
        "reason": "Reason",
    },
}


def text(lang: str, key: str, **kw: object) -> str:
    return TEXT.get(lang, TEXT["vi"])[key].format(**kw)
