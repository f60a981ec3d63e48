"""Words the renderers print, in Vietnamese and English."""

from __future__ import annotations

from auditor.results import RuleStatus, Severity

Tone = str  # "fail" | "warn" | "pass" | "none"

# The one table of a rule's status and a finding's severity: (vi, en, tone). The console,
# the Excel, HTML, CSV and JSON sheets all read it (tests/test_labels.py holds them to it).
RULE_STATUS: dict[str, tuple[str, str, Tone]] = {
    RuleStatus.PASS: ("Đạt", "Pass", "pass"),
    RuleStatus.FAIL: ("Không đạt", "Fail", "fail"),
    RuleStatus.NOT_CHECKED: ("Chưa kiểm tra", "Not checked", "warn"),
    RuleStatus.WAIVED: ("Miễn trừ", "Waived", "none"),
}
SEVERITY_LABELS: dict[str, tuple[str, str, Tone]] = {
    Severity.VIOLATION: ("Vi phạm", "Violation", "fail"),
    Severity.WARNING: ("Cảnh báo", "Warning", "warn"),
    Severity.INFO: ("Thông tin", "Info", "none"),
}


def _by_lang(table: dict[str, tuple[str, str, Tone]]) -> dict[str, dict[str, str]]:
    return {"vi": {k: vi for k, (vi, _en, _tone) in table.items()},
            "en": {k: en for k, (_vi, en, _tone) in table.items()}}


# The same words by language, for renderers that need no tone (the console).
STATUS = _by_lang(RULE_STATUS)
SEVERITY = _by_lang(SEVERITY_LABELS)

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
