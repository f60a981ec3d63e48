"""The roll-up as one HTML page: a table of every school, worst first, linking its report."""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from auditor.batch.rollup import Rollup, SchoolRow
from auditor.batch.rollup_labels import outcome, rule_status, t

_TONE = {"failed": "bad", "incomplete": "bad", "violation": "bad", "warning": "warn",
         "pass": "ok"}
_RULE_TONE = {"fail": "bad", "not_checked": "warn", "pass": "ok", "waived": "ok"}
_CSS = """
body{font-family:system-ui,"Segoe UI",Arial,sans-serif;margin:1.5rem;color:#111}
h1{font-size:1.4rem;margin:0 0 .3rem}
p.meta{color:#444;margin:.2rem 0 1rem}
table{border-collapse:collapse;font-size:.85rem}
th,td{border:1px solid #bbb;padding:.25rem .4rem;vertical-align:top}
th{background:#eef2f7;position:sticky;top:0}
th.rule{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal;
  font-family:ui-monospace,monospace;white-space:nowrap}
td.n{text-align:right}
td.name{min-width:10rem}td.why{min-width:16rem;max-width:28rem}
div.wrap{overflow-x:auto}
.bad{background:#fde2e1}.warn{background:#fff3cd}.ok{background:#e3f5e1}
ul.counts{display:flex;gap:1rem;list-style:none;padding:0}
@page{size:A4 landscape;margin:10mm}
@media print{body{margin:0}div.wrap{overflow:visible}table{font-size:6.5pt}
  td.why{min-width:0;max-width:none}td.name{min-width:0}th{position:static}
  .bad,.warn,.ok{print-color-adjust:exact;-webkit-print-color-adjust:exact}}
"""


def report_link(row: SchoolRow) -> str | None:
    """The school's report the page links to: its HTML report, else its workbook."""
    if row.folder is None or not row.reports:
        return None
    ranked = sorted(row.reports, key=lambda n: (not n.endswith(".html"), not n.endswith(".xlsx")))
    return f"{row.folder}/{ranked[0]}"


def _row(no: int, row: SchoolRow, rules: list[str], lang: str) -> str:
    why = row.error_en if lang == "en" and row.error_en else row.error
    href = report_link(row)
    link = (f'<a href="{escape(quote(href, safe="/._-"))}">{escape(t(lang, "open"))}</a>'
            if href else "")
    counts = ([row.violations, row.warnings, row.not_checked, row.new_findings] if row.audited
              else ["—"] * 4)  # not audited: nothing was counted, not zero
    cells = [f'<td class="n">{no}</td>', f'<td class="name">{escape(row.name)}</td>',
             f"<td>{escape(row.kind or '')}</td>", f"<td>{escape(row.site or '')}</td>",
             f'<td class="{_TONE[row.outcome]}">{escape(outcome(lang, row.outcome))}</td>',
             *(f'<td class="n">{c}</td>' for c in counts),
             f'<td class="why">{escape(why or "")}</td>', f"<td>{link}</td>"]
    for rule in rules:
        status = row.rules.get(rule)
        cells.append(f'<td class="{_RULE_TONE.get(status or "", "")}">'
                     f"{escape(rule_status(lang, status)) if status else '—'}</td>")
    return "<tr>" + "".join(cells) + "</tr>"


def render_rollup_html(rollup: Rollup, lang: str = "vi") -> str:
    rules = rollup.rule_ids
    heads = [t(lang, k) for k in ("no", "name", "kind", "site", "outcome", "violations",
                                  "warnings", "not_checked", "new")]
    heads += [t(lang, "why"), t(lang, "report")]
    header = "".join(f"<th>{escape(h)}</th>" for h in heads)
    header += "".join(f'<th class="rule">{escape(r)}</th>' for r in rules)
    counts = "".join(f'<li class="{_TONE[k]}">{escape(outcome(lang, k))}: <b>{n}</b></li>'
                     for k, n in rollup.counts().items())
    body = "\n".join(_row(i, row, rules, lang) for i, row in enumerate(rollup.rows, start=1))
    title = escape(rollup.title or t(lang, "title"))
    return (f'<!DOCTYPE html>\n<html lang="{"en" if lang == "en" else "vi"}"><head>'
            f'<meta charset="utf-8"><meta name="viewport" content="width=device-width">'
            f"<title>{title}</title><style>{_CSS}</style></head><body>\n"
            f"<h1>{title}</h1>\n"
            f'<p class="meta">{escape(t(lang, "generated"))}: {escape(rollup.generated_at)} · '
            f'{escape(t(lang, "schools"))}: {len(rollup.rows)}</p>\n'
            f'<ul class="counts">{counts}</ul>\n<p class="meta">{escape(t(lang, "legend"))}</p>\n'
            f'<div class="wrap"><table><thead><tr>{header}</tr></thead><tbody>\n{body}\n'
            "</tbody></table></div>\n"
            "</body></html>\n")
