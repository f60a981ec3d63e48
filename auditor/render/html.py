"""HTML report: one self-contained file from ``reports/report.html.j2``.

CSS is inlined from ``reports/report.css`` and the charts are inline SVG, so
opening the file makes no request anywhere (a Content-Security-Policy in the
page enforces it). Autoescaping is always on: a hostile post title shows as
text. Long lists sit in collapsible ``<details>`` sections, so 20,000
findings stay usable.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from auditor.render.view import Label, Link, ReportView, build_view, signature_date, vn_date
from auditor.render.xlsx_layout import load_layout
from auditor.resources import reports_dir
from auditor.results import AuditReport

TEMPLATE = "report.html.j2"
STYLESHEET = "report.css"
OPEN_LIMIT = 50  # sections with more rows than this start collapsed
# Above this many findings the by-department view lists finding numbers (links to the
# full record) instead of repeating every message: 20,000 findings stay under 15 MB.
FULL_DEPARTMENT_LIMIT = 2_000
SHORT_TEXT = 300  # evidence longer than this is shortened in HTML (Excel/CSV keep it whole)
LINK_TEXT = 80

_T: dict[str, tuple[str, str]] = {
    "skip": ("Bỏ qua, đến nội dung báo cáo", "Skip to the report"),
    "heading": ("Báo cáo thống kê hoạt động Cổng thông tin điện tử",
                "Portal compliance report"),
    "period": ("Kỳ báo cáo", "Period"), "school_year": ("Năm học", "School year"),
    "contents": ("Mục lục", "Contents"), "summary": ("Tổng hợp", "Summary"),
    "school": ("Trường", "School"), "url": ("Địa chỉ cổng thông tin", "Portal address"),
    "not_set": ("(chưa khai báo)", "(not set)"),
    "authority": ("Cơ quan quản lý", "Authority"), "ruleset": ("Bộ quy tắc", "Rule set"),
    "generated": ("Ngày lập báo cáo", "Generated on"),
    "overall": ("Tình trạng chung", "Overall status"), "findings": ("Số phát hiện", "Findings"),
    "rules_caption": ("Kết quả kiểm tra theo từng quy định", "Result of each rule"),
    "no": ("STT", "No."), "rule": ("Nội dung kiểm tra", "Rule"), "rule_id": ("Mã quy tắc",
                                                                          "Rule id"),
    "basis": ("Căn cứ", "Legal basis"), "status": ("Kết quả", "Status"),
    "count": ("Số phát hiện", "Findings"), "note": ("Ghi chú", "Note"),
    "documents": ("Văn bản căn cứ", "Legal texts"),
    "fixed": ("Đã khắc phục so với lần kiểm tra trước", "Fixed since the previous run"),
    "since": ("từ", "since"),
    "monthly": ("Tin bài theo tháng", "Posts per month"),
    "monthly_caption": ("Số tin bài đã đăng và số tin đề xuất lên {authority} mỗi tháng "
                        "(Điều 16 khoản 3)", "Posts and proposals to {authority} per month"),
    "month": ("Tháng", "Month"), "posts": ("Tin bài đã đăng", "Posts"),
    "proposals": ("Tin đề xuất", "Proposals"), "minimum": ("Tối thiểu", "Minimum"),
    "events": ("Sự kiện", "Events"),
    "events_caption": ("Đưa tin sự kiện chậm nhất 01 ngày sau khi kết thúc (Điều 16 khoản 4)",
                       "A post within 1 day of each event's end"),
    "event": ("Sự kiện", "Event"), "organiser": ("Đơn vị tổ chức", "Organiser"),
    "department": ("Tổ chuyên môn", "Department"), "end": ("Kết thúc", "End"),
    "deadline": ("Hạn đưa tin", "Deadline"), "post": ("Bài viết", "Post"),
    "published": ("Ngày đăng", "Published"), "delay": ("Chậm (giờ)", "Late (h)"),
    "disclosure": ("Công khai", "Disclosure"), "item": ("Mục", "Item"),
    "title": ("Nội dung công khai", "Title"), "link": ("Đường dẫn", "Link"),
    "last_seen": ("Thấy lần cuối", "Last seen"),
    "tcvn": ("Mã hóa TCVN 6909", "TCVN 6909 encoding"),
    "tcvn_caption": ("Văn bản không dùng bảng mã Unicode TCVN 6909:2001 (Điều 6 khoản 4)",
                     "Text not in Unicode (TCVN 6909:2001)"),
    "where": ("Vị trí", "Where"), "excerpt": ("Đoạn văn bản", "Excerpt"),
    "encoding": ("Bảng mã", "Encoding"), "confidence": ("Độ tin cậy", "Confidence"),
    "fix": ("Sửa thành", "Fix"), "severity": ("Mức độ", "Severity"),
    "by_rule": ("Phát hiện theo quy định", "Findings by rule"),
    "by_department": ("Phát hiện theo tổ chuyên môn", "Findings by department"),
    "compact_note": ("Danh sách dài: mỗi số dưới đây dẫn tới nội dung đầy đủ của phát hiện ở "
                     "mục 6. Tệp Excel (trang Vi phạm) có thể lọc theo tổ chuyên môn.",
                     "Long list: each number links to the full finding in section 6; the Excel "
                     "workbook's Findings sheet filters by department."),
    "no_department": ("(Chưa xác định tổ chuyên môn)", "(No department)"),
    "open_all": ("Mở tất cả", "Expand all"), "close_all": ("Thu gọn tất cả", "Collapse all"),
    "findings_unit": ("phát hiện", "findings"), "finding": ("Nội dung phát hiện", "Finding"),
    "person": ("Người phụ trách", "Person"), "date": ("Ngày", "Date"),
    "evidence": ("Bằng chứng", "Evidence"),
    "emulation": ("Thi đua", "Emulation"),
    "emulation_caption": ("Vi phạm theo tổ chuyên môn và cá nhân (Điều 19 khoản 2)",
                          "Violations per department and person (Article 19.2)"),
    "kind": ("Đối tượng", "Kind"), "name": ("Tên", "Name"),
    "in_period": ("Trong kỳ", "In period"), "school_year_count": ("Từ đầu năm học",
                                                                  "School year"),
    "deduction": ("Trừ điểm thi đua", "Deduction"), "notices": ("Ghi chú", "Notes"),
    "generated_by": ("Tạo bởi", "Generated by"),
    "act_first": ("Việc cần xử lý trước", "Act on these first"),
    "who": ("Người, tổ phụ trách", "Who"), "due": ("Hạn xử lý (đề xuất)", "Fix by (suggested)"),
    "at_risk": ("Tổ, cá nhân có nguy cơ bị trừ điểm thi đua (Điều 19 khoản 2)",
                "At risk of an emulation-score deduction (Article 19.2)"),
    "vs_last": ("So với tháng trước", "vs last month"),
    "forecast": ("Dự kiến cuối tháng", "Month-end forecast"),
    "by_month_caption": ("Số vi phạm theo tổ chuyên môn từng tháng, từ đầu năm học",
                         "Violations per department per month since the school year began"),
    "total": ("Cộng", "Total"),
    "appendix": ("Phụ lục: mã quy tắc", "Appendix: rule ids"),
    "chart_title": ("Tin bài và tin đề xuất mỗi tháng so với mức tối thiểu",
                    "Posts and proposals per month against the minimum"),
    "chart_y": ("Số tin", "Count"),
    "chart_caption": ("Cột xanh: đạt mức tối thiểu; cột đỏ: thiếu; cột vàng: tháng chưa kết "
                      "thúc. Vạch đứt: mức tối thiểu ({posts} tin bài, {proposals} tin đề xuất).",
                      "Green: minimum met; red: short; amber: month in progress. Dashed: the "
                      "minimum ({posts} posts, {proposals} proposals)."),
}


def _first(rows: Sequence[Mapping[str, Any]], key: str) -> str:
    values = [r[key] for r in rows if r.get(key) is not None]
    return str(values[-1]) if values else "—"


def _texts(lang: str, authority: str) -> dict[str, str]:
    return {k: (en if lang == "en" else vi).replace("{authority}", authority)
            for k, (vi, en) in _T.items()}


# -- filters (every one escapes what it is given) -------------------------------

def cell(value: Any) -> Markup | str:
    if value is None:
        return ""
    if isinstance(value, Link):
        text = value.text if len(value.text) <= LINK_TEXT else value.text[: LINK_TEXT - 1] + "…"
        return Markup('<a href="{}">{}</a>').format(value.url, text)
    if isinstance(value, Label):
        return value.text
    if isinstance(value, datetime):
        return f"{vn_date(value)} {value.hour:02d}:{value.minute:02d}"
    if isinstance(value, date):
        return vn_date(value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def site_link(value: Any, host: str | None = None) -> Markup | str:
    """A link shown by its path when it is on the school's own site (shorter lists)."""
    if isinstance(value, Link) and host:
        parts = urlsplit(value.url)
        if parts.netloc.lower() == host and value.text == value.url:
            path = urlunsplit(("", "", parts.path, parts.query, parts.fragment)) or "/"
            return cell(Link(value.url, path))
    return cell(value)


def tone(value: Any) -> str:
    return f"tone-{value.tone}" if isinstance(value, Label) and value.tone != "none" else ""


def short(value: Any) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= SHORT_TEXT else text[: SHORT_TEXT - 1] + "…"


def percent(value: Any) -> str:
    return f"{value:.0%}" if isinstance(value, int | float) else ""


# -- charts ---------------------------------------------------------------------

def _nice_step(raw: float) -> int:
    """1, 2, 5, 10, 20, 50… — the smallest at least `raw`, for readable axis ticks."""
    magnitude = 1
    while True:
        for base in (1, 2, 5):
            if base * magnitude >= raw:
                return base * magnitude
        magnitude *= 10


_TONE_FILL = {"pass": "#2e7d32", "fail": "#b00020", "warn": "#b7791f", "none": "#6b6b6b"}


def monthly_svg(rows: Sequence[Mapping[str, Any]], t: Mapping[str, str]) -> Markup:
    """Bars per month (posts, then proposals), coloured pass/fail, minimums dashed;
    a title, axis labels and a legend drawn in the SVG itself."""
    group, bar, left, top, height = 96, 30, 56, 40, 220
    width = max(480, left + group * len(rows) + 20)
    peak = max([1] + [max(r["posts"] or 0, r["min_posts"] or 0, r["proposals"] or 0,
                          r["min_proposals"] or 0) for r in rows])
    step = _nice_step(peak / 4)
    ymax = step * (int(peak * 1.1 / step) + 1)
    scale = height / ymax

    def y(value: float) -> float:
        return round(top + height - value * scale, 1)

    parts = [f'<text x="{width / 2}" y="18" font-size="15" font-weight="bold" '
             f'text-anchor="middle">{escape(t["chart_title"])}</text>',
             f'<text x="14" y="{top + height / 2}" font-size="12" text-anchor="middle" '
             f'transform="rotate(-90 14 {top + height / 2})">{escape(t["chart_y"])}</text>',
             f'<line x1="{left}" y1="{y(0)}" x2="{width - 6}" y2="{y(0)}" stroke="#4a4a4a"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{y(0)}" stroke="#4a4a4a"/>']
    for value in range(0, ymax + 1, step):
        parts.append(f'<text x="{left - 6}" y="{y(value) + 4}" font-size="11" '
                     f'text-anchor="end">{value}</text>')
    for i, r in enumerate(rows):
        x = left + i * group + 14
        for j, (key, status, minimum, short) in enumerate(
                (("posts", "posts_status", "min_posts", "TB"),
                 ("proposals", "proposals_status", "min_proposals", "ĐX"))):
            value = r[key]
            if value is None:
                continue
            bx = x + j * (bar + 4)
            tone_ = r[status].tone if r[status] is not None else "none"
            parts.append(f'<rect x="{bx}" y="{y(value)}" width="{bar}" '
                         f'height="{round(value * scale, 1)}" fill="{_TONE_FILL[tone_]}"/>')
            parts.append(f'<text x="{bx + bar / 2}" y="{y(value) - 3}" font-size="11" '
                         f'text-anchor="middle">{value}</text>')
            parts.append(f'<text x="{bx + bar / 2}" y="{y(0) + 13}" font-size="10" '
                         f'text-anchor="middle">{short}</text>')
            if r[minimum] is not None:
                parts.append(f'<line x1="{bx - 3}" x2="{bx + bar + 3}" y1="{y(r[minimum])}" '
                             f'y2="{y(r[minimum])}" stroke="#1a1a1a" stroke-width="2" '
                             f'stroke-dasharray="5 3"/>')
        parts.append(f'<text x="{x + bar + 2}" y="{y(0) + 28}" font-size="12" '
                     f'text-anchor="middle">{escape(r["month"])}</text>')
    parts.append(f'<text x="{width / 2}" y="{y(0) + 44}" font-size="12" text-anchor="middle">'
                 f'{escape(t["month"])} (TB: {escape(t["posts"])}; ĐX: '
                 f'{escape(t["proposals"])})</text>')
    total_h = top + height + 52
    title = escape(t["chart_title"])
    desc = escape("; ".join(f"{r['month']}: {r['posts']} {t['posts'].lower()}, "
                            f"{r['proposals']} {t['proposals'].lower()}" for r in rows))
    return Markup(
        f'<svg role="img" aria-labelledby="svg-m-t svg-m-d" width="{width}" '
        f'height="{total_h}" viewBox="0 0 {width} {total_h}" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="svg-m-t">{title}</title>'
        f'<desc id="svg-m-d">{desc}</desc>{"".join(parts)}</svg>')


def emulation_svg(rows: Sequence[Mapping[str, Any]], threshold: int,
                  t: Mapping[str, str]) -> Markup:
    """Horizontal bars: violations of each department this school year, threshold marked."""
    depts = list(rows)[:40]
    if not depts:
        return Markup("")
    label_w, bar_h, gap, plot = 230, 18, 8, 320
    peak = max([threshold] + [r["school_year"] for r in depts])
    scale = plot / (peak * 1.1 or 1)
    height = len(depts) * (bar_h + gap) + 24
    parts = []
    for i, r in enumerate(depts):
        y = i * (bar_h + gap) + 4
        fill = "#8a0000" if r["deduction"].tone == "fail" else "#2f5597"
        name = escape(r["name"] if len(r["name"]) <= 34 else r["name"][:33] + "…")
        parts.append(f'<text x="{label_w - 8}" y="{y + 13}" font-size="12" '
                     f'text-anchor="end">{name}</text>')
        w = round(r["school_year"] * scale, 1)
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="{fill}"/>')
        parts.append(f'<text x="{label_w + w + 4}" y="{y + 13}" font-size="12">'
                     f'{r["school_year"]}</text>')
    tx = round(label_w + threshold * scale, 1)
    parts.append(f'<line x1="{tx}" x2="{tx}" y1="0" y2="{height - 18}" stroke="#8a0000" '
                 f'stroke-dasharray="4 3"/><text x="{tx}" y="{height - 4}" font-size="11" '
                 f'text-anchor="middle">{threshold}</text>')
    title = escape(f"{t['emulation_caption']} — {t['school_year_count']}")
    width = label_w + plot + 40
    return Markup(
        f'<figure><svg role="img" aria-labelledby="svg-e-t" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="svg-e-t">{title}</title>{"".join(parts)}</svg></figure>')


# -- grouping -------------------------------------------------------------------

def group_by_rule(view: ReportView) -> list[dict[str, Any]]:
    rules = {r["rule"]: r for r in view.rules.rows}
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in view.findings.rows:
        groups[row["rule"]].append(row)
    return [{"rule": rule, "title": rules[rule]["title"] if rule in rules else rule,
             "basis": rules[rule]["basis"] if rule in rules else "", "rows": rows}
            for rule, rows in groups.items()]


def group_by_department(view: ReportView, nobody: str) -> list[dict[str, Any]]:
    """Departments with the most findings first; within each, findings by rule."""
    titles = {g["rule"]: g for g in group_by_rule(view)}
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in view.findings.rows:
        groups[row["department"] or nobody].append(row)
    order = sorted(groups, key=lambda n: (n == nobody, -len(groups[n]), n))
    out = []
    for name in order:
        by_rule: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in groups[name]:
            by_rule[row["rule"]].append(row)
        out.append({"name": name, "rows": groups[name], "rules": [
            {"rule": rule, "title": titles[rule]["title"], "basis": titles[rule]["basis"],
             "rows": rows} for rule, rows in by_rule.items()]})
    return out


# -- rendering ------------------------------------------------------------------

def environment(templates: Path | None = None) -> Environment:
    env = Environment(loader=FileSystemLoader(str(templates or reports_dir())),
                      autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(cell=cell, tone=tone, short=short, percent=percent, site_link=site_link)
    return env


def html_string(report: AuditReport, *, lang: str = "vi", templates: Path | None = None,
                view: ReportView | None = None) -> str:
    """The HTML report as text."""
    folder = templates or reports_dir()
    view = view or build_view(report, lang)
    t = _texts(lang, view.authority)
    sig_layout = load_layout().signature
    en = lang == "en"
    c = view.counts
    counts_text = (f"{c['violations']} violations, {c['warnings']} warnings, "
                   f"{c['waived']} waived" if en else
                   f"{c['violations']} vi phạm, {c['warnings']} cảnh báo, {c['waived']} miễn trừ")
    threshold = view.emulation_threshold
    emulation_note = (
        f"Article 19.2: {threshold} or more violations in school year {view.school_year} lead "
        f"to an emulation-score deduction." if en else
        f"Điều 19 khoản 2: tổ chuyên môn, cá nhân vi phạm Quy chế từ {threshold:02d} lần trở lên "
        f"trong năm học {view.school_year} bị xem xét trừ điểm thi đua.")
    sections = [("tong-hop", t["summary"]), ("tin-bai", t["monthly"]), ("su-kien", t["events"]),
                ("cong-khai", t["disclosure"]), ("ma-hoa", t["tcvn"]),
                ("theo-quy-tac", t["by_rule"]), ("theo-to", t["by_department"]),
                ("thi-dua", t["emulation"])]
    sections += [("ghi-chu", t["notices"])] if view.notices else []
    sections += [("phu-luc", t["appendix"])]
    # The chart shows the departments that can be marked (not the row without a department).
    dept_rows = [r for r in view.emulation.rows
                 if r["kind"] == ("Department" if en else "Tổ chuyên môn")
                 and r["deduction"].tone != "none"]
    sig = {
        "preparer": sig_layout.preparer_en if en else sig_layout.preparer,
        "principal": sig_layout.principal_en if en else sig_layout.principal,
        "hint": sig_layout.hint_en if en else sig_layout.hint,
        "principal_hint": sig_layout.principal_hint_en if en else sig_layout.principal_hint,
        "date_line": signature_date(view.generated_at.date(),
                                    view.signature.get("place") or sig_layout.place, lang),
    }
    context = {
        "v": view, "t": t, "sig": sig, "sections": sections, "open_limit": OPEN_LIMIT,
        "title": f"{t['heading']} — {view.school} — {view.period}",
        "css": Markup((folder / STYLESHEET).read_text(encoding="utf-8").replace("</", "<\\/")),
        "counts_text": counts_text, "emulation_note": emulation_note,
        "more_actions_text": (f"… and {view.more_actions} more (section 6)." if en else
                              f"… và {view.more_actions} việc khác (mục 6)."),
        "counted_note": (f"Counted from the start of school year {view.school_year} up to "
                         f"{vn_date(view.counted_to or view.period_end)}." if en else
                         f"Số liệu tính từ đầu năm học {view.school_year} đến ngày "
                         f"{vn_date(view.counted_to or view.period_end)}."),
        "chart_caption": t["chart_caption"].format(
            posts=_first(view.monthly.rows, "min_posts"),
            proposals=_first(view.monthly.rows, "min_proposals")),
        "units": lambda n: (f"{n} finding" if n == 1 else f"{n} findings") if en
        else f"{n} {t['findings_unit']}",
        "month_labels": [f"{m[5:]}/{m[:4]}" for m in view.trend_months],
        "monthly_svg": monthly_svg(view.monthly.rows, t) if view.monthly.rows else "",
        "emulation_svg": emulation_svg(dept_rows, threshold, t),
        "by_rule": group_by_rule(view), "by_department": group_by_department(
            view, t["no_department"]),
        "compact_departments": len(view.findings.rows) > FULL_DEPARTMENT_LIMIT,
    }
    env = environment(folder)
    host = urlsplit(report.school.url).netloc.lower() if report.school.url else None
    env.filters["site_link"] = lambda value: site_link(value, host)
    return env.get_template(TEMPLATE).render(context)


def render_html(report: AuditReport, target: Path, *, lang: str = "vi",
                templates: Path | None = None, view: ReportView | None = None) -> Path:
    """Write the HTML report to `target` (atomically) and return the path."""
    from auditor.render.files import open_report

    text = html_string(report, lang=lang, templates=templates, view=view)
    with open_report(Path(target)) as handle:
        handle.write(text)
    return Path(target)
