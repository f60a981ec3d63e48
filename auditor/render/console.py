"""The console summary (rich): rule table, what to fix first, department tallies.

rich drops colour by itself when the output is not a terminal.
"""

from __future__ import annotations

import re

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from auditor.render.labels import SEVERITY, STATUS, text
from auditor.results import AuditReport, FindingStatus, RuleStatus, Severity

_STYLE = {RuleStatus.PASS: "green", RuleStatus.FAIL: "bold red",
          RuleStatus.NOT_CHECKED: "yellow", RuleStatus.WAIVED: "cyan"}
_SEV_STYLE = {Severity.VIOLATION: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


# Terminal escape sequences (CSI "ESC[2J", OSC "ESC]0;title BEL", two-byte ESC x), then any
# other C0/C1 control, DEL and bidi overrides: text from an export, a calendar or a hacked
# site must not clear, retitle or rewrite the inspector's terminal (issue 13.6).
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]?|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
                      r"|\x9b[0-?]*[ -/]*[@-~]?|\x9d[^\x07\x1b\x9c]*(?:\x07|\x9c)?|\x1b.?")
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: object) -> str:
    """`text` safe to print on a terminal: escapes and control characters removed
    (newline and tab kept)."""
    return _CONTROLS.sub("", _ESCAPES.sub("", str(text)))


def _d(value: object) -> str:
    return value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else str(value)


def render_console(report: AuditReport, console: Console, lang: str = "vi",
                   top: int = 15) -> None:
    t = lambda key, **kw: text(lang, key, **kw)  # noqa: E731
    console.print(f"[bold]{t('title')}: {escape(printable(report.school.name))}[/bold]"
                  + (f" ({escape(printable(report.school.url))})" if report.school.url else ""))
    console.print(f"{t('period')}: {_d(report.period_start)} – {_d(report.period_end)}   "
                  f"{t('as_of')}: {_d(report.as_of)}   "
                  f"{t('school_year')}: {report.school_year_start.year}-"
                  f"{report.school_year_start.year + 1}   {t('ruleset')}: {report.ruleset}")

    rules = Table(box=box.SIMPLE_HEAD, show_lines=False)
    rules.add_column(t("rule"), overflow="fold", ratio=3)
    rules.add_column(t("status"), no_wrap=True)
    rules.add_column(t("findings"), overflow="fold", ratio=2)
    rules.add_column(t("basis"), overflow="fold", ratio=1)
    for r in report.results:
        status = STATUS[lang][r.status]
        shown = r.findings and sum(f.status is FindingStatus.OPEN for f in r.findings)
        detail = str(shown or 0)
        if r.status is RuleStatus.NOT_CHECKED and r.reason:
            detail = r.reason_en if lang == "en" and r.reason_en else r.reason
        rules.add_row(f"{escape(r.title_in(lang))}\n[dim]{r.rule}[/dim]",
                      f"[{_STYLE[r.status]}]{status}[/]", escape(printable(detail)),
                      r.basis.short())
    console.print(rules)

    open_findings = [f for f in report.findings if f.status is FindingStatus.OPEN]
    open_findings.sort(key=lambda f: (-f.severity.rank, f.on or report.period_end, f.rule))
    console.print(f"[bold]{t('act_first')}[/bold]")
    if not open_findings:
        console.print(f"  {t('none')}")
    for f in open_findings[:top]:
        who = " · ".join(x for x in (f.department, f.person) if x)
        # Titles come from the site and may hold "[...]": escape them from rich markup.
        line = f"[dim]{f.rule}[/dim] {escape(printable(f.text(lang)))}"
        if who:
            line += f" [dim]({escape(printable(who))})[/dim]"
        sev = f"[{_SEV_STYLE[f.severity]}]{SEVERITY[lang][f.severity]}[/]"
        console.print(f"  {sev} {line}", highlight=False)
    if len(open_findings) > top:
        console.print(f"  {t('more', n=len(open_findings) - top)}")

    if report.departments:
        tally = Table(title=t("departments"), box=box.SIMPLE_HEAD, title_justify="left")
        for col in ("department", "in_period", "in_year", "deduction"):
            tally.add_column(t(col))
        for d in report.departments:
            mark = f"[bold red]{t('yes')}[/]" if d.emulation_deduction else t("no")
            tally.add_row(escape(printable(d.name)), str(d.violations_in_period),
                          str(d.violations_school_year), mark)
        console.print(tally)

    if report.notices:
        console.print(f"[bold]{t('notices')}[/bold] ({len(report.notices)})")
        for note in report.notices[:5]:
            console.print(f"  {printable(note)}", highlight=False, markup=False)
        if len(report.notices) > 5:
            console.print(f"  {t('more', n=len(report.notices) - 5)}")

    v = sum(f.severity is Severity.VIOLATION for f in open_findings)
    w = sum(f.severity is Severity.WARNING for f in open_findings)
    n = sum(r.status is RuleStatus.NOT_CHECKED for r in report.results)
    console.print(t("summary", v=v, w=w, n=n))
