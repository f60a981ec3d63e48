"""The scripted Công khai scenario on the demo site, printed run by run, with timings.

    python bench/disclosure_scenario.py

Serves copies of fixtures/demo/site on 127.0.0.1, edits them between runs
(an item removed, one hidden with CSS, one renamed, the section moved, the
menu entry dropped), audits each as of a chosen day and prints each
disclosure rule's status, its findings and the seconds each run took (crawl +
audit + history write). The same scenario is asserted in
tests/test_disclosure_runs.py.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from auditor.history import HistoryStore  # noqa: E402
from tests._demo_runs import (  # noqa: E402
    DISCLOSURE_RULES,
    SECTION,
    add_item,
    audit_day,
    copy_site,
    demo_config,
    drop_menu_entry,
    hide_item,
    move_section,
    remove_item,
    rename_item,
    unhide_all,
)

NEW_SECTION = "/cong-khai-2026/c/2040"


def show(label: str, day: date, site: Path, db: Path) -> None:
    t0 = time.perf_counter()
    _, report = audit_day(site, day, db)
    took = time.perf_counter() - t0
    print(f"\n== {label} — {day:%d/%m/%Y} ({took:.1f} s)")
    for r in report.results:
        if r.rule in DISCLOSURE_RULES:
            print(f"  {r.rule:<28} {r.status.value}")
            for f in r.findings:
                print(f"      [{f.severity.value}] {f.message}")


def main() -> None:
    official = (demo_config().school.url or "").rstrip("/")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        db = base / "history.sqlite3"
        clean = copy_site(base / "clean")
        unhide_all(clean)
        add_item(clean, "Biểu mẫu 11",
                 "Công khai đội ngũ nhà giáo, cán bộ quản lý năm học 2026-2027 (Biểu mẫu 12)",
                 "/cong-khai/cong-khai-doi-ngu-nam-hoc-2026-2027-bieu-mau-12/ct/1025/19012")
        with HistoryStore.open(db) as store:
            store.add_link_report(official, official + SECTION, date(2026, 11, 2))
        show("1. mọi thứ đúng quy định", date(2026, 11, 2), clean, db)

        day2 = shutil.copytree(clean, base / "day2")
        remove_item(day2, "Biểu mẫu 11")
        hide_item(day2, "Biểu mẫu 09", "display:none")
        rename_item(day2, "tài chính", "Thông báo số 15/TB-THCS về các khoản thu năm 2026")
        show("2. gỡ một mục, ẩn một mục bằng CSS, đổi tên một mục", date(2026, 11, 3), day2, db)

        day3 = shutil.copytree(clean, base / "day3")
        move_section(day3, SECTION, NEW_SECTION)
        show("3. khôi phục; chuyên mục đổi địa chỉ", date(2026, 11, 4), day3, db)

        late = base / "late.sqlite3"
        shutil.copy(db, late)
        with HistoryStore.open(db) as store:
            store.add_link_report(official, official + NEW_SECTION, date(2026, 11, 7))
        show("4a. báo cáo địa chỉ mới sau 3 ngày", date(2026, 11, 10), day3, db)
        with HistoryStore.open(late) as store:
            store.add_link_report(official, official + NEW_SECTION, date(2026, 11, 10))
        show("4b. báo cáo địa chỉ mới sau 6 ngày", date(2026, 11, 10), day3, late)

        day5 = shutil.copytree(day3, base / "day5")
        drop_menu_entry(day5, "Công khai")
        show("5. menu bỏ mục Công khai", date(2026, 11, 12), day5, db)


if __name__ == "__main__":
    main()
