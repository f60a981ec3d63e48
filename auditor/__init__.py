"""auditor — kiểm tra Cổng thông tin điện tử trường học theo Quy chế hoạt động.

Audits a Vietnamese school's official web portal against the school's portal
regulation (Quyết định 111/QĐ-THCS) and reports, in Vietnamese, what breaks it.
"""

__version__ = "0.1.0"
