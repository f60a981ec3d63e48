"""Benchmark: Excel + HTML (+ CSV) reports for 100,000 posts and 20,000 findings.

    python bench/report.py [--posts 100000] [--findings 20000] [--out DIR]

Prints the time of each renderer, the file sizes and the process's peak
memory, against the targets of issue 6 (≤ 30 s and ≤ 500 MB for Excel + HTML).
A benchmark, not a test: nothing here fails on a slow machine.

The posts reach the reports the way the audit passes them: as monthly
statistics (sections.monthly) and as the posts matched to events
(sections.events); the findings are spread over several rules, departments
and people, with realistic Vietnamese text.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from auditor.model import Post, PostStatus  # noqa: E402
from auditor.render.files import write_report  # noqa: E402
from auditor.render.view import build_view  # noqa: E402
from auditor.results import (  # noqa: E402
    AuditReport,
    DepartmentMonth,
    EventRow,
    Finding,
    LegalBasis,
    MonthlyStat,
    ReportSections,
    RuleResult,
    RuleStatus,
    SchoolInfo,
    Severity,
    Tally,
)
from auditor.timeutil import tz  # noqa: E402

ZONE = tz()
SITE = "https://thcshoaphuong.haiphong.edu.vn"
DEPTS = ["Tổ Toán - Tin", "Tổ Ngữ văn", "Tổ Khoa học tự nhiên", "Tổ Ngoại ngữ - Nghệ thuật",
         "Tổ Văn phòng"]
PEOPLE = [f"{s} {m} {g}" for s in ("Nguyễn", "Trần", "Lê", "Phạm") for m in ("Thị", "Văn")
          for g in ("An", "Bình", "Chi", "Dũng", "Giang")]
RULES = [("posts.event-deadline", "Đưa tin sự kiện chậm nhất 01 ngày sau khi kết thúc",
          "Điều 16", "khoản 4"),
         ("site.broken-links", "Liên kết nội bộ và tệp đính kèm hoạt động", "Điều 5", "khoản 4"),
         ("text.tcvn6909", "Văn bản dùng bảng mã Unicode TCVN 6909:2001", "Điều 6", "khoản 4"),
         ("content.source-attribution", "Tin bài sử dụng lại ghi rõ tác giả, nguồn", "Điều 6",
          "khoản 3"),
         ("workflow.approval", "Tin bài được duyệt trước khi đăng", "Điều 15", "khoản 2")]


def make_posts(count: int, start: date) -> list[Post]:
    posts = []
    for i in range(count):
        when = datetime.combine(start, datetime.min.time(), ZONE) + timedelta(minutes=7 * i)
        posts.append(Post(
            post_id=str(100_000 + i), title=f"Hoạt động ngoại khoá của học sinh khối {6 + i % 4}",
            status=PostStatus.PUBLISHED, category="Tin tức - Sự kiện",
            url=f"{SITE}/tin-tuc/hoat-dong-{i}/ct/12/{100_000 + i}",
            author=PEOPLE[i % len(PEOPLE)], department=DEPTS[i % len(DEPTS)],
            published_at=when, proposed_to_authority=i % 3 == 0))
    return posts


def make_report(n_posts: int, n_findings: int) -> AuditReport:
    start = date(2025, 8, 1)
    posts = make_posts(n_posts, start)
    months: Counter[str] = Counter()
    proposals: Counter[str] = Counter()
    for p in posts:
        assert p.published_at is not None
        key = f"{p.published_at:%Y-%m}"
        months[key] += 1
        proposals[key] += p.proposed_to_authority
    last = max(months)
    monthly = tuple(MonthlyStat(k, k == last, posts=months[k], min_posts=8,
                                proposals=proposals[k], min_proposals=3) for k in sorted(months))
    events = []
    for i, p in enumerate(posts[:: max(1, n_posts // 2000)]):
        assert p.published_at is not None
        end = p.published_at - timedelta(hours=30 + i % 40)
        deadline = (end + timedelta(days=1)).replace(hour=23, minute=59)
        late = p.published_at > deadline
        events.append(EventRow(
            event_id=f"EV-{i}", title=f"Hội thảo chuyên đề số {i}", organiser="school",
            kind="event", department=p.department, person=None, start=end - timedelta(hours=3),
            end=end, deadline=deadline, post_id=p.post_id, post_title=p.title,
            post_url=p.url, published_at=p.published_at,
            delay_hours=round((p.published_at - deadline).total_seconds() / 3600, 1)
            if late else None, status="late" if late else "on_time"))
    per_rule = n_findings // len(RULES)
    results = []
    for r, (rule, title, article, clause) in enumerate(RULES):
        findings = []
        for i in range(per_rule):
            p = posts[(i * 37 + r) % n_posts]
            evidence = ({"excerpt": "Tr\u00adêng THCS Hoa Ph\u00adîng", "where": f"bài {p.post_id}",
                         "encoding": "TCVN3", "confidence": 0.95,
                         "fix": "Trường THCS Hoa Phượng"}
                        if rule == "text.tcvn6909" else {"post": p.post_id, "status": 404})
            findings.append(Finding(
                rule=rule, subject=f"{rule}:{i}",
                message=f"Bài «{p.title}» (mã {p.post_id}) vi phạm: {title.lower()}.",
                message_en=f"Post {p.post_id}: {rule}.",
                severity=Severity.WARNING if i % 5 == 0 else Severity.VIOLATION,
                department=p.department, person=p.author,
                on=p.published_at.date() if p.published_at else None, url=p.url,
                post_id=p.post_id, source="export", evidence=evidence))
        results.append(RuleResult(rule, title, title, LegalBasis("Quy chế kèm QĐ 111/QĐ-THCS",
                                                                 article, clause),
                                  RuleStatus.FAIL, tuple(findings)))
    return AuditReport(
        tool_version="bench", school=SchoolInfo("Trường THCS Hoa Phượng", SITE, "THCS",
                                                "Phòng GD&ĐT"),
        period_start=start, period_end=date(2026, 10, 31),
        as_of=datetime(2026, 11, 1, tzinfo=ZONE), generated_at=datetime(2026, 11, 1, tzinfo=ZONE),
        school_year_start=date(2026, 8, 1), school_year_end=date(2027, 7, 31),
        ruleset="qd111-thcs", results=tuple(results),
        departments=tuple(Tally(d, 100, 300, True) for d in DEPTS),
        persons=tuple(Tally(p, 10, 30, True) for p in PEOPLE), emulation_threshold=3,
        sections=ReportSections(monthly=monthly, events=tuple(events), departments_by_month=tuple(
            DepartmentMonth(d, m.month, 3) for d in DEPTS for m in monthly)))


def peak_rss_mb() -> float | None:
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--findings", type=int, default=20_000)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="auditor-bench-"))

    t0 = time.perf_counter()
    report = make_report(args.posts, args.findings)
    t_build = time.perf_counter() - t0
    base_mb = peak_rss_mb()
    print(f"input: {args.posts:,} posts, {len(report.findings):,} findings, "
          f"{len(report.sections.events or ()):,} events, "
          f"{len(report.sections.monthly or ())} months "
          f"(built in {t_build:.1f} s, RSS {base_mb or 0:.0f} MB)")

    # As write_reports does: the labelled view is built once and read by every renderer.
    t, c = time.perf_counter(), time.process_time()
    view = build_view(report)
    timings = {"view": (time.perf_counter() - t, time.process_time() - c)}
    print(f" view: {timings['view'][0]:6.1f} s wall {timings['view'][1]:6.1f} s CPU")
    for fmt in ("xlsx", "html", "csv"):
        t, c = time.perf_counter(), time.process_time()
        path = write_report(report, fmt, out / f"bench.{fmt}", view=view)
        timings[fmt] = (time.perf_counter() - t, time.process_time() - c)
        print(f"{fmt:>5}: {timings[fmt][0]:6.1f} s wall {timings[fmt][1]:6.1f} s CPU "
              f"{path.stat().st_size / 1e6:7.1f} MB  {path}")
    wall = sum(timings[k][0] for k in ("view", "xlsx", "html"))
    cpu = sum(timings[k][1] for k in ("view", "xlsx", "html"))
    peak = peak_rss_mb()
    # CPU time is the figure to compare on a shared machine: wall time includes waiting
    # for other processes.
    print(f"Excel + HTML: {wall:.1f} s wall, {cpu:.1f} s CPU (target ≤ 30 s, "
          f"ratio {wall / 30:.2f} wall, {cpu / 30:.2f} CPU)")
    if peak is not None:
        print(f"peak memory (RSS, whole process incl. the 100k posts): {peak:.0f} MB "
              f"(target ≤ 500 MB, ratio {peak / 500:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
