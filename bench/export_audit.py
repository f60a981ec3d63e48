"""Benchmark: a 100,000-post CMS export (xlsx and csv) and a 5,000-event calendar.

Prints, for each export format, the time and peak memory (max RSS) of
import + the posting checks + JSON rendering, beside the floor: the time merely
to read the same inputs with the fastest well-kept readers (the export with the
csv module or python-calamine, the calendar parsed by icalendar), and the ratios.
Targets: full audit ≤ 2× the floor, peak ≤ 400 MB.

    python bench/export_audit.py [--posts 100000] [--events 5000] [--keep DIR] [--repeat 3]

Each measurement runs in a fresh interpreter so that peak memory is its own, and
is repeated (the fastest run counts: on a shared machine the others measure the
neighbours as much as the code).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

AS_OF = date(2026, 11, 25)
HEADER = ["Mã", "Tiêu đề", "Chuyên mục", "Tác giả", "Tổ", "Trạng thái", "Ngày tạo",
          "Ngày duyệt", "Người duyệt", "Ngày đăng", "Người đăng", "Đề xuất PGD", "Mã sự kiện",
          "Nguồn", "Nội dung"]
DATE_COLS = {6, 7, 9}
DEPARTMENTS = ["Tổ Toán - Tin", "Tổ Ngữ văn", "Tổ Khoa học tự nhiên", "Tổ Ngoại ngữ",
               "Tổ Thể dục - Nghệ thuật", "Văn phòng"]
AUTHORS = ["Lê Thị Hoa", "Trần Quốc Bảo", "Nguyễn Thị Lan", "Hoàng Văn Đức", "Bùi Anh Tuấn",
           "Đỗ Văn Khoa", "Vũ Thu Hà", "Phạm Minh Tâm"]
STATUSES = ["Đã đăng"] * 17 + ["Chờ duyệt", "Nháp", "Đã gỡ"]
CATEGORIES = ["Tin tức - Sự kiện", "Chuyên môn", "Thông báo", "Đoàn - Đội"]


def make_rows(n: int, n_events: int) -> list[list[object]]:
    rnd = random.Random(2026)
    start = datetime(2025, 8, 15, 7, 0)
    rows: list[list[object]] = []
    for i in range(n):
        created = start + timedelta(minutes=rnd.randrange(0, 60 * 24 * 465))
        approved = created + timedelta(minutes=rnd.randrange(10, 600))
        published = approved + timedelta(minutes=rnd.randrange(1, 120))
        status = STATUSES[i % len(STATUSES)]
        rows.append([
            str(100000 + i), f"Tin số {i}: hoạt động của nhà trường tuần {i % 52 + 1}",
            CATEGORIES[i % 4], AUTHORS[i % 8], DEPARTMENTS[i % 6], status, created,
            approved, "Phạm Minh Tâm" if i % 5 else "Vũ Thu Hà",
            published if status in ("Đã đăng", "Đã gỡ") else None, "Đỗ Văn Khoa",
            "x" if i % 3 == 0 else "", f"ev-{i % n_events}" if i % 20 == 0 else "",
            "", "Nội dung bài viết về hoạt động dạy và học. " * 4,
        ])
    return rows


def write_csv(path: Path, rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for r in rows:
            w.writerow([v.strftime("%d/%m/%Y %H:%M") if isinstance(v, datetime) else v
                        for v in r])


def _col(i: int) -> str:
    name = ""
    i += 1
    while i:
        i, rem = divmod(i - 1, 26)
        name = chr(65 + rem) + name
    return name


def write_xlsx(path: Path, rows: list[list[object]]) -> None:
    """A workbook shaped like Excel's own: shared strings, date cells with a date style."""
    strings: dict[str, int] = {}

    def sst(text: str) -> int:
        return strings.setdefault(text, len(strings))

    epoch = datetime(1899, 12, 30)
    lines = []
    table: list[list[object]] = [list(HEADER), *rows]
    for r, values in enumerate(table, start=1):
        cells = []
        for c, v in enumerate(values):
            ref = f"{_col(c)}{r}"
            if v is None or v == "":
                continue
            if isinstance(v, datetime):
                serial = (v - epoch).total_seconds() / 86400
                cells.append(f'<c r="{ref}" s="1"><v>{serial:.8f}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="s"><v>{sst(str(v))}</v></c>')
        lines.append(f'<row r="{r}">{"".join(cells)}</row>')
    dim = f"A1:{_col(len(HEADER) - 1)}{len(rows) + 1}"
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<dimension ref="{dim}"/><sheetData>{"".join(lines)}</sheetData></worksheet>')
    shared = ''.join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    ns = "http://schemas.openxmlformats.org"
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="' + ns + '/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxml'
            'formats-package.relationships+xml"/><Default Extension="xml" ContentType='
            '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="applic'
            'ation/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName'
            '="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedoc'
            'ument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
            'styles+xml"/></Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="' + ns + '/package/'
            '2006/relationships"><Relationship Id="rId1" Type="' + ns + '/officeDocument/2006'
            '/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="' + ns + '/spreadsheetml/'
            '2006/main" xmlns:r="' + ns + '/officeDocument/2006/relationships"><sheets>'
            '<sheet name="Tin bài" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="' + ns + '/package/'
            '2006/relationships"><Relationship Id="rId1" Type="' + ns + '/officeDocument/2006'
            '/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2"'
            ' Type="' + ns + '/officeDocument/2006/relationships/sharedStrings" Target='
            '"sharedStrings.xml"/><Relationship Id="rId3" Type="' + ns + '/officeDocument/'
            '2006/relationships/styles" Target="styles.xml"/></Relationships>'),
        "xl/styles.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="' + ns + '/spreadsheetml'
            '/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy '
            'hh:mm"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/>'
            '</font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill><fill>'
            '<patternFill patternType="gray125"/></fill></fills><borders count="1"><border>'
            '<left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs '
            'count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/>'
            '</cellXfs></styleSheet>'),
        "xl/sharedStrings.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="' + ns + '/spreadsheetml/2006/'
            f'main" count="{len(strings)}" uniqueCount="{len(strings)}">{shared}</sst>'),
        "xl/worksheets/sheet1.xml": sheet,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files.items():
            zf.writestr(name, text)


def write_ics(path: Path, n: int) -> None:
    rnd = random.Random(7)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//VI"]
    for i in range(n):
        day = date(2025, 9, 1) + timedelta(days=rnd.randrange(0, 450))
        lines += ["BEGIN:VEVENT", f"UID:ev-{i}", f"SUMMARY:Hoạt động {i}",
                  "DTSTAMP:20261101T000000Z"]
        if i % 3:
            lines += [f"DTSTART;TZID=Asia/Ho_Chi_Minh:{day:%Y%m%d}T080000",
                      f"DTEND;TZID=Asia/Ho_Chi_Minh:{day:%Y%m%d}T110000"]
        else:
            lines += [f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
                      f"DTEND;VALUE=DATE:{day + timedelta(days=2):%Y%m%d}"]
        if i % 7 == 0:
            lines.append("X-AUDITOR-ORGANISER:Phòng GD&ĐT")
        lines += [f"X-AUDITOR-DEPARTMENT:{DEPARTMENTS[i % 6]}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8", newline="")


# --- measurements (each in its own interpreter) -----------------------------------

POSTING_RULES = ("posts.monthly-quota", "posts.pgd-proposals", "posts.event-deadline")


def _posting_audit_json(export: Path, events: Path) -> str:
    """auditor.audit.audit_files, with the rule set cut to the three posting checks."""
    import dataclasses

    from auditor.audit import (
        AuditOptions,
        adhoc_config,
        build_context,
        build_report,
        read_inputs,
    )
    from auditor.engine import run_all
    from auditor.render.json import render_json
    from auditor.ruleset import load_ruleset

    opts = AuditOptions(export=export, events=events, as_of=AS_OF)
    config = adhoc_config()
    ruleset = load_ruleset(config.rules.set, config.base_dir)
    ruleset = dataclasses.replace(
        ruleset, rules={k: v for k, v in ruleset.rules.items() if k in POSTING_RULES})
    inputs = read_inputs(config, opts)
    ctx = build_context(config, ruleset, opts, inputs)
    return render_json(build_report(ctx, run_all(ctx), inputs.notices))



def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _preload(mode: str) -> None:
    """Import what the measured step needs first: interpreter start-up is not the import."""
    import icalendar  # noqa: F401
    import python_calamine  # noqa: F401

    if mode != "bare":
        import auditor.sources.calendar  # noqa: F401
        import auditor.sources.export  # noqa: F401
        import auditor.sources.ics  # noqa: F401
    if mode == "audit":
        import auditor.audit  # noqa: F401
        import auditor.render.json  # noqa: F401
        from auditor.checks.registry import available_checks

        available_checks()


def child(mode: str, export: Path, events: Path) -> dict[str, float]:
    _preload(mode)
    begin, begin_cpu = time.perf_counter(), _cpu()
    if mode == "bare":  # the floor: the export and the calendar, read and nothing more
        if export.suffix == ".csv":
            with export.open(encoding="utf-8-sig", newline="") as f:
                n = sum(1 for _ in csv.reader(f))
        else:
            import python_calamine

            wb = python_calamine.CalamineWorkbook.from_path(str(export))
            n = sum(1 for _ in wb.get_sheet_by_index(0).iter_rows())
        import icalendar

        cal = icalendar.Calendar.from_ical(events.read_bytes())
        n += sum(1 for _ in cal.walk("VEVENT"))
    elif mode == "import":
        from zoneinfo import ZoneInfo

        from auditor.sources.export import load_export

        n = len(load_export(export, tz=ZoneInfo("Asia/Ho_Chi_Minh")).posts)
    else:
        n = len(_posting_audit_json(export, events))
    seconds, cpu = time.perf_counter() - begin, _cpu() - begin_cpu
    return {"seconds": seconds, "cpu": cpu, "maxrss_mb": _peak_mb(), "n": n}


def _peak_mb() -> float:
    """This process's peak resident memory. Linux: VmHWM, which (unlike ru_maxrss)
    starts afresh at exec and so does not count the parent that spawned us."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def measure(mode: str, export: Path, events: Path, repeat: int = 1) -> dict[str, float]:
    """The fastest of `repeat` runs, each in a fresh interpreter (on a shared machine
    the minimum is the steadiest figure); the peak memory is the largest seen."""
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, __file__, "--child", mode, str(export), str(events)],
            check=True, capture_output=True, text=True,
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    best = min(runs, key=lambda r: r["cpu"])
    return {**best, "maxrss_mb": max(r["maxrss_mb"] for r in runs),
            "cpu_max": max(r["cpu"] for r in runs)}


def _fmt(m: dict[str, float]) -> str:
    spread = f"–{m['cpu_max']:.2f}" if m["cpu_max"] > m["cpu"] + 0.005 else ""
    return (f"{m['seconds']:7.2f} s ({m['cpu']:5.2f}{spread} s CPU)  "
            f"peak {m['maxrss_mb']:4.0f} MB")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--posts", type=int, default=100_000)
    ap.add_argument("--events", type=int, default=5_000)
    ap.add_argument("--keep", type=Path, help="write the files here and keep them")
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs per measurement; the fastest counts (default 3)")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]), Path(args.child[2]))))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        d = args.keep or Path(tmp)
        d.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        rows = make_rows(args.posts, args.events)
        write_csv(d / "export.csv", rows)
        write_xlsx(d / "export.xlsx", rows)
        write_ics(d / "events.ics", args.events)
        del rows
        print(f"generated {args.posts:,} posts and {args.events:,} events in "
              f"{time.perf_counter() - t:.1f} s ({d})")
        print(f"times: wall clock (CPU), the fastest of {args.repeat} runs (CPU range); the "
              "ratio is of CPU time, steadier on a busy machine")
        for name in ("export.csv", "export.xlsx"):
            export = d / name
            size = os.path.getsize(export) / 1e6
            bare = measure("bare", export, d / "events.ics", args.repeat)
            print(f"\n{name} ({size:.1f} MB)")
            print(f"  floor (read+ics)   {_fmt(bare)}")
            for label, mode in (("export import", "import"), ("import+checks+JSON", "audit")):
                got = measure(mode, export, d / "events.ics", args.repeat)
                ratio = got["cpu"] / bare["cpu"]
                line = f"  {label:<18} {_fmt(got)}  ratio {ratio:5.2f}×"
                if mode == "import":
                    line += f"  ({got['n']:,.0f} posts)"
                else:
                    ok = ratio <= 2 and got["maxrss_mb"] <= 400
                    line += f"  target ≤ 2× and ≤ 400 MB: {'met' if ok else 'NOT met'}"
                print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
