"""The seven sheets of the Excel report, in the order a principal reads them.

Tổng hợp (summary, with the administrative header and the signature block),
Tin bài theo tháng (with a bar chart), Sự kiện, Công khai, Mã hóa TCVN 6909,
Vi phạm, Thi đua (Điều 19.2, signed too).
"""

from __future__ import annotations

from typing import Any

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.marker import DataPoint
from openpyxl.utils import get_column_letter as _col

from auditor.render import view as v
from auditor.render.view import ReportView, Table, vn_date
from auditor.render.xlsx_book import Book, SheetWriter


def _pick(lang: str, vi: str, en: str) -> str:
    return en if lang == "en" else vi


def _tones(lang: str, **columns: dict[str, tuple[str, str, str]]) -> dict[str, Any]:
    return {key: v.labels_by_tone(table, lang) for key, table in columns.items()}


def _list_sheet(book: Book, view: ReportView, key: str, table: Table,
                tones: dict[str, Any]) -> SheetWriter:
    """A titled table: heading row, frozen header row, data, autofilter, status fills."""
    sw = book.sheet(key)
    sw.freeze_below(2)
    sub = f"{view.school} — {_pick(view.lang, 'Kỳ báo cáo', 'Period')}: {view.period}"
    sw.append(sw.merged(1, sw.span, f"{sw.layout.head(view.lang)}. {sub}", "title"))
    header = sw.header()
    if table.rows:
        sw.data_rows(table.rows)
    else:
        sw.note_row(table.empty or "")
    sw.finish_table(header, sw.row if table.rows else header, tones)
    return sw


def _signature(sw: SheetWriter, view: ReportView) -> None:
    """The signature block of a Vietnamese administrative document."""
    sig = sw.book.layout.signature
    en = view.lang == "en"
    n = sw.span
    left_end, right_start = max(1, n // 2), n - n // 2 + 1
    place = view.signature.get("place") or sig.place

    def pair(left: str | None, right: str | None, key: str) -> None:
        cells = sw.merged(1, left_end, left, key) if left else [None] * left_end
        row = sw.row + 1
        if right_start < n:
            sw.ws.merged_cells.add(f"{_col(right_start)}{row}:{_col(n)}{row}")
        cells += [None] * (right_start - len(cells) - 1)
        cells.append(sw.book.cell(sw.ws, right, key) if right else None)
        sw.append(cells)

    sw.blank()
    pair(None, v.signature_date(view.generated_at.date(), place, view.lang), "centre_italic")
    pair(sig.preparer_en if en else sig.preparer, sig.principal_en if en else sig.principal,
         "centre_bold")
    pair(sig.hint_en if en else sig.hint,
         sig.principal_hint_en if en else sig.principal_hint, "centre_italic")
    sw.blank(sig.blank_rows)
    preparer, principal = view.signature.get("preparer"), view.signature.get("principal")
    if preparer or principal:
        pair(preparer, principal, "centre_bold")


def _decision(sw: SheetWriter, view: ReportView) -> None:
    """Page 1's decision: what to fix first (who, by when), who is at risk (Điều 19.2)."""
    lang, n, cell = view.lang, sw.span, sw.book.cell
    sw.blank()
    sw.append(sw.merged(1, n, _pick(lang, "VIỆC CẦN XỬ LÝ TRƯỚC", "ACT ON THESE FIRST"),
                        "bold"))
    if not view.actions.rows:
        sw.note_row(view.actions.empty or "")
    for a in view.actions.rows:
        # No. | what (merged over the middle columns) | who | by when
        cells = [cell(sw.ws, a["no"], "int")]
        cells += sw.merged(2, n - 2, f"{a['severity'].text}: {a['what']} ({a['rule_title']} — "
                                     f"{a['basis']})", "wrap")[1:]
        cells += [None] * (n - 2 - len(cells))
        cells += [cell(sw.ws, a["who"], "wrap"), cell(sw.ws, a["due"], "date")]
        sw.append(cells)
    if view.more_actions:
        sw.note_row(_pick(lang, f"… và {view.more_actions} việc khác (trang Vi phạm).",
                          f"… and {view.more_actions} more (Findings sheet)."))
    sw.blank()
    sw.append(sw.merged(1, n, _pick(
        lang, "TỔ, CÁ NHÂN CÓ NGUY CƠ BỊ TRỪ ĐIỂM THI ĐUA (Điều 19 khoản 2)",
        "AT RISK OF AN EMULATION-SCORE DEDUCTION (Article 19.2)"), "bold"))
    if not view.at_risk.rows:
        sw.note_row(view.at_risk.empty or "")
    for r in view.at_risk.rows:
        tone = r["deduction"].tone
        cells = sw.merged(1, 2, r["kind"], "text") + [None]
        cells += sw.merged(3, n - 2, r["name"], "bold")[2:]
        cells += [None] * (n - 2 - len(cells))
        cells += [cell(sw.ws, r["school_year"], "int"),
                  cell(sw.ws, r["deduction"], f"tone_{tone}" if tone != "none" else "text")]
        sw.append(cells)
    sw.note_row(_pick(lang, f"Số liệu tính từ đầu năm học {view.school_year} đến ngày "
                            f"{vn_date(view.counted_to or view.period_end)}.",
                      f"Counted from the start of school year {view.school_year} up to "
                      f"{vn_date(view.counted_to or view.period_end)}."))


def summary(book: Book, view: ReportView) -> None:
    sw = book.sheet("summary")
    lang, n = view.lang, sw.span
    left_end, right_start = max(1, n // 2), n - n // 2 + 1
    cell = book.cell

    def two(left: str, right: str, key: str) -> None:
        cells = sw.merged(1, left_end, left, key)
        row = sw.row + 1
        if right_start < n:
            sw.ws.merged_cells.add(f"{_col(right_start)}{row}:{_col(n)}{row}")
        cells += [None] * (right_start - len(cells) - 1) + [cell(sw.ws, right, key)]
        sw.append(cells)

    # Administrative header (Nghị định 30/2020/NĐ-CP): issuing body left, national motto right.
    two(view.authority.upper(), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "centre")
    two(view.school.upper(), "Độc lập - Tự do - Hạnh phúc", "centre_bold")
    sw.blank()
    sw.heading(sw.layout.head(lang),
               _pick(lang, f"Kỳ báo cáo: {view.period} — Năm học {view.school_year}",
                     f"Period: {view.period} — School year {view.school_year}"))
    sw.blank()

    def info(name: str, value: Any, key: str = "plain") -> None:
        cells = sw.merged(1, 2, name, "bold") + [None]
        if n > 3:
            sw.ws.merged_cells.add(f"C{sw.row + 1}:{_col(n)}{sw.row + 1}")
        cells.append(cell(sw.ws, value, key))
        sw.append(cells)

    counts = view.counts
    info(_pick(lang, "Trường:", "School:"), view.school)
    info(_pick(lang, "Địa chỉ cổng thông tin:", "Portal address:"),
         view.school_url or _pick(lang, "(chưa khai báo)", "(not set)"),
         "link" if isinstance(view.school_url, v.Link) else "plain")
    info(_pick(lang, "Cơ quan quản lý:", "Authority:"), view.authority)
    info(_pick(lang, "Bộ quy tắc:", "Rule set:"), view.ruleset)
    info(_pick(lang, "Ngày lập báo cáo:", "Generated on:"), view.generated_at.date(), "plain_date")
    info(_pick(lang, "Tình trạng chung:", "Overall status:"), view.overall,
         f"tone_{view.overall.tone}" if view.overall.tone != "none" else "bold")
    info(_pick(lang, "Số phát hiện:", "Findings:"),
         _pick(lang, f"{counts['violations']} vi phạm, {counts['warnings']} cảnh báo, "
                     f"{counts['waived']} miễn trừ",
               f"{counts['violations']} violations, {counts['warnings']} warnings, "
               f"{counts['waived']} waived"))
    _decision(sw, view)
    sw.blank()
    header = sw.header()
    sw.ws.print_title_rows = f"{header}:{header}"
    if view.rules.rows:
        sw.data_rows(view.rules.rows)
    else:
        sw.note_row(view.rules.empty or "")
    sw.finish_table(header, sw.row if view.rules.rows else header,
                    _tones(lang, status=v.RULE_STATUS))
    if view.comparison:
        sw.append(sw.merged(1, n, view.comparison, "plain_wrap"))
    if view.documents:
        sw.append(sw.merged(1, n, _pick(lang, "Văn bản căn cứ: ", "Legal texts: ")
                            + "; ".join(view.documents) + ".", "plain_wrap"))
    if view.notices:
        sw.blank()
        sw.append(sw.merged(1, n, _pick(lang, "Ghi chú:", "Notes:"), "bold"))
        for notice in view.notices:
            sw.append(sw.merged(1, n, f"- {notice}", "plain_wrap"))
    _signature(sw, view)


def monthly(book: Book, view: ReportView) -> None:
    tones = _tones(view.lang, posts_status=v.QUOTA_STATUS, proposals_status=v.QUOTA_STATUS)
    sw = _list_sheet(book, view, "monthly", view.monthly, tones)
    if not view.monthly.rows:
        return
    chart = _monthly_chart(sw, view)
    by_department = _departments_by_month(sw, view)
    if chart.series:
        sw.ws.add_chart(chart, f"A{sw.row + 2}")
    if by_department is not None:  # side by side with the posts chart
        sw.ws.add_chart(by_department, f"G{sw.row + 2}")


def _monthly_chart(sw: SheetWriter, view: ReportView) -> BarChart:
    """Posts and proposals per month as bars coloured by status, the minimums as lines."""
    keys = [c.key for c in sw.columns]
    first, last = 3, 2 + len(view.monthly.rows)
    chart = BarChart()
    chart.type = "col"
    chart.title = _pick(view.lang, "Tin bài và tin đề xuất theo tháng", "Posts and proposals")
    chart.y_axis.title = _pick(view.lang, "Số tin bài", "Posts")
    chart.x_axis.title = _pick(view.lang, "Tháng", "Month")
    chart.height, chart.width = 8, 14
    for key in ("posts", "proposals"):
        if key in keys:
            idx = keys.index(key) + 1
            chart.add_data(Reference(sw.ws, min_col=idx, min_row=2, max_row=last),
                           titles_from_data=True)
            _colour_by_status(chart.series[-1], [r[f"{key}_status"] for r in view.monthly.rows])
    if "month" in keys:
        chart.set_categories(Reference(sw.ws, min_col=keys.index("month") + 1,
                                       min_row=first, max_row=last))
    lines = _minimum_lines(sw, keys, last)
    if lines.series:
        chart += lines
    return chart


def _minimum_lines(sw: SheetWriter, keys: list[str], last: int) -> LineChart:
    """The minimums (8 posts, 3 proposals) drawn as lines over the bars."""
    lines = LineChart()
    for key in ("min_posts", "min_proposals"):
        if key in keys:
            idx = keys.index(key) + 1
            lines.add_data(Reference(sw.ws, min_col=idx, min_row=2, max_row=last),
                           titles_from_data=True)
    for series in lines.series:
        # A wide dash on each month, so the minimum shows even for a single month.
        series.marker.symbol = "dash"
        series.marker.size = 24
        series.smooth = False
    return lines


_TONE_COLOURS = {"pass": "2E7D32", "fail": "B00020", "warn": "B7791F"}


def _colour_by_status(series: Any, statuses: list[Any]) -> None:
    """Each month's bar in the colour of its status (green met, red short, amber running)."""
    for i, status in enumerate(statuses):
        colour = _TONE_COLOURS.get(status.tone if status is not None else "")
        if colour:
            point = DataPoint(idx=i)
            point.graphicalProperties.solidFill = colour
            series.dPt.append(point)


def _departments_by_month(sw: SheetWriter, view: ReportView) -> BarChart | None:
    """Violations per department per month under the monthly table; returns its chart."""
    table = view.departments_by_month
    if not table.rows or not view.trend_months:
        return None
    lang, cell = view.lang, sw.book.cell
    sw.blank()
    sw.append(sw.merged(1, sw.span, _pick(
        lang, "SỐ VI PHẠM THEO TỔ CHUYÊN MÔN TỪNG THÁNG (từ đầu năm học)",
        "VIOLATIONS PER DEPARTMENT PER MONTH (since the school year began)"), "bold"))
    months = [v.month_text(m) for m in view.trend_months]
    head = [_pick(lang, "Tổ chuyên môn", "Department"), *months, _pick(lang, "Cộng", "Total")]
    sw.ws.row_dimensions[sw.row + 1].height = round(2 * sw.book.layout.workbook.font_size * 1.4)
    sw.append(cell(sw.ws, h, "header") for h in head)
    header = sw.row
    width = sw.columns[0].width
    size = sw.book.layout.workbook.font_size
    for r in table.rows:
        lines = -(-len(r["department"]) // max(1, int(width * 11 / size)))
        if lines > 1:  # the name wraps in the narrow first column: make the row tall enough
            sw.ws.row_dimensions[sw.row + 1].height = round(lines * size * 1.4, 1)
        sw.append([cell(sw.ws, r["department"], "wrap"),
                   *(cell(sw.ws, r["months"].get(m, 0), "int") for m in view.trend_months),
                   cell(sw.ws, r["total"], "int")])
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = _pick(lang, "Vi phạm theo tổ chuyên môn từng tháng",
                        "Violations per department per month")
    chart.y_axis.title = _pick(lang, "Số vi phạm", "Violations")
    chart.x_axis.title = _pick(lang, "Tháng", "Month")
    chart.height, chart.width = 8, 14
    for row in range(header + 1, sw.row + 1):
        chart.add_data(Reference(sw.ws, min_col=1, max_col=1 + len(months), min_row=row),
                       from_rows=True, titles_from_data=True)
    chart.set_categories(Reference(sw.ws, min_col=2, max_col=1 + len(months), min_row=header))
    return chart


def events(book: Book, view: ReportView) -> None:
    _list_sheet(book, view, "events", view.events, _tones(view.lang, status=v.EVENT_STATUS))


def disclosure(book: Book, view: ReportView) -> None:
    _list_sheet(book, view, "disclosure", view.disclosure,
                _tones(view.lang, status=v.DISCLOSURE_STATUS))


def tcvn(book: Book, view: ReportView) -> None:
    _list_sheet(book, view, "tcvn", view.tcvn, _tones(view.lang, severity=v.SEVERITY))


def findings(book: Book, view: ReportView) -> None:
    _list_sheet(book, view, "findings", view.findings, _tones(view.lang, severity=v.SEVERITY))


def emulation(book: Book, view: ReportView) -> None:
    sw = _list_sheet(book, view, "emulation", view.emulation,
                     _tones(view.lang, deduction=v.DEDUCTION))
    sw.blank()
    threshold = view.emulation_threshold
    sw.append(sw.merged(1, sw.span, _pick(
        view.lang,
        f"Điều 19 khoản 2: tổ chuyên môn, cá nhân vi phạm Quy chế từ {threshold:02d} lần trở lên "
        f"trong năm học {view.school_year} bị xem xét trừ điểm thi đua; từ {threshold - 1:02d} "
        f"lần: sắp đến ngưỡng. Số liệu tính đến ngày "
        f"{vn_date(view.counted_to or view.period_end)}, gồm cả vi phạm chưa xác định tổ.",
        f"Article 19.2: {threshold} or more violations in school year {view.school_year} "
        f"lead to an emulation-score deduction; {threshold - 1}: near the threshold. Counted "
        f"up to {vn_date(view.counted_to or view.period_end)}, including violations with no "
        f"department."),
        "plain_wrap"))
    sw.append(sw.merged(1, sw.span, view.reconcile, "plain_wrap"))
    _signature(sw, view)


def custom(book: Book, view: ReportView) -> None:
    """One sheet per section a check added (no layout entry needed: the section brings
    its title and headers)."""
    from auditor.render.xlsx_layout import Column, Sheet

    taken = {ws.title for ws in book.wb.worksheets}
    for section in view.custom:
        name = "".join(" " if c in "[]:*?/\\" else c for c in section.title)[:31].strip()
        base, n = name or section.key[:31], 2
        name = base
        while name in taken:
            name = f"{base[:28]} {n}"
            n += 1
        taken.add(name)
        columns = [Column(key=f"c{i}", title=heading or "-", width=24, wrap=True)
                   for i, heading in enumerate(section.columns)]
        sw = SheetWriter(book, Sheet(name=name, heading=section.title, columns=columns),
                         section.key)
        book.sheets.append(sw)
        sw.append(sw.merged(1, sw.span, f"{section.title}. {view.school} — {view.period}",
                            "title"))
        header = sw.header()
        rows = [{f"c{i}": cell for i, cell in enumerate(row)} for row in section.rows]
        if rows:
            sw.data_rows(rows)
        else:
            sw.note_row(_pick(view.lang, "Không có dòng nào.", "No rows."))
        sw.finish_table(header, sw.row if rows else header, {})


def write_workbook(book: Book, view: ReportView) -> None:
    book.wb.properties.title = f"{book.layout.sheets['summary'].head(view.lang)} — {view.school}"
    book.wb.properties.creator = f"auditor {view.tool_version}"
    book.wb.properties.language = view.lang
    for write in (summary, monthly, events, disclosure, tcvn, findings, emulation, custom):
        write(book, view)
