"""Words of the roll-up (workbook, page, console), Vietnamese and English."""

from __future__ import annotations

from auditor.render.labels import STATUS

OUTCOME = {
    "vi": {"failed": "Không kiểm tra được", "incomplete": "Chưa đầy đủ", "violation": "Vi phạm",
           "warning": "Cảnh báo", "pass": "Đạt"},
    "en": {"failed": "Could not audit", "incomplete": "Incomplete", "violation": "Violation",
           "warning": "Warning", "pass": "Pass"},
}
# A rule's status in one school's column: the words of every report (auditor.render.labels).
RULE = {lang: {str(status): word for status, word in words.items()}
        for lang, words in STATUS.items()}
TEXT = {
    "vi": {"title": "Tổng hợp kiểm tra cổng thông tin các trường",
           "generated": "Lập lúc", "schools": "Số trường", "no": "STT", "name": "Tên trường",
           "kind": "Cấp học", "site": "Trang web", "outcome": "Kết quả",
           "violations": "Vi phạm", "warnings": "Cảnh báo", "not_checked": "Quy tắc chưa KT",
           "new": "Mới", "why": "Lý do / ghi chú", "report": "Báo cáo", "open": "Mở báo cáo",
           "sheet": "Tổng hợp", "rules_sheet": "Quy tắc", "rule": "Mã quy tắc",
           "legend": "Xếp từ trường cần xử lý nhất: không kiểm tra được, chưa đầy đủ (một "
                     "nguồn hỏng), nhiều vi phạm, nhiều cảnh báo."},
    "en": {"title": "Roll-up of the schools' portal audits",
           "generated": "Generated", "schools": "Schools", "no": "No.", "name": "School",
           "kind": "Kind", "site": "Web site", "outcome": "Result",
           "violations": "Violations", "warnings": "Warnings", "not_checked": "Rules not checked",
           "new": "New", "why": "Why / note", "report": "Report", "open": "Open report",
           "sheet": "Roll-up", "rules_sheet": "Rules", "rule": "Rule id",
           "legend": "Worst first: could not audit, incomplete (a source failed), most "
                     "violations, most warnings."},
}


def t(lang: str, key: str) -> str:
    return TEXT["en" if lang == "en" else "vi"][key]


def outcome(lang: str, key: str) -> str:
    return OUTCOME["en" if lang == "en" else "vi"][key]


def rule_status(lang: str, key: str) -> str:
    return RULE["en" if lang == "en" else "vi"].get(key, key)
