"""The console summary (rich): rule table, what to fix first, department tallies.

rich drops colour by itself when the output is not a terminal; :func:`make_console`
also stops it wrapping there, so a log or cron's mail keeps every rule id whole.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import TextIO

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from auditor.render.labels import SEVERITY, STATUS, text
from auditor.results import AuditReport, Finding, FindingStatus, RuleStatus, Section, Severity

UNWRAPPED = 10_000  # columns: no line of a report comes near it


def make_console(file: TextIO | None = None) -> Console:
    """A terminal wraps at its width; a pipe, a file or cron's mail gets whole lines."""
    stream = file if file is not None else sys.stdout
    isatty = getattr(stream, "isatty", None)
    tty = bool(isatty is not None and isatty())
    return Console(file=file, highlight=False, width=None if tty else UNWRAPPED)


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
    _print_header(report, console, lang)
    console.print(_rule_table(report, lang))
    open_findings = [f for f in report.findings if f.status is FindingStatus.OPEN]
    open_findings.sort(key=lambda f: (-f.severity.rank, f.on or report.period_end, f.rule))
    _print_act_first(open_findings, console, lang, top)
    if report.departments:
        console.print(_department_table(report, lang))
    for section in report.sections.custom:  # tables that checks added
        console.print(_custom_table(section, lang))
    _print_notices(report.notices, console, lang)
    v = sum(f.severity is Severity.VIOLATION for f in open_findings)
    w = sum(f.severity is Severity.WARNING for f in open_findings)
    n = sum(r.status is RuleStatus.NOT_CHECKED for r in report.results)
    console.print(text(lang, "summary", v=v, w=w, n=n))


def _print_header(report: AuditReport, console: Console, lang: str) -> None:
    t = lambda key: text(lang, key)  # noqa: E731
    console.print(f"[bold]{t('title')}: {escape(printable(report.school.name))}[/bold]"
                  + (f" ({escape(printable(report.school.url))})" if report.school.url else ""))
    console.print(f"{t('period')}: {_d(report.period_start)} – {_d(report.period_end)}   "
                  f"{t('as_of')}: {_d(report.as_of)}   "
                  f"{t('school_year')}: {report.school_year_start.year}-"
                  f"{report.school_year_start.year + 1}   {t('ruleset')}: {report.ruleset}")


def _rule_table(report: AuditReport, lang: str) -> Table:
    """One row a rule: its status and open findings (or why it was not checked)."""
    rules = Table(box=box.SIMPLE_HEAD, show_lines=False)
    rules.add_column(text(lang, "rule"), overflow="fold", ratio=3)
    rules.add_column(text(lang, "status"), no_wrap=True)
    rules.add_column(text(lang, "findings"), overflow="fold", ratio=2)
    rules.add_column(text(lang, "basis"), overflow="fold", ratio=1)
    for r in report.results:
        status = STATUS[lang][r.status]
        shown = r.findings and sum(f.status is FindingStatus.OPEN for f in r.findings)
        detail = str(shown or 0)
        if r.status is RuleStatus.NOT_CHECKED and r.reason:
            detail = r.reason_en if lang == "en" and r.reason_en else r.reason
        rules.add_row(f"{escape(r.title_in(lang))}\n[dim]{r.rule}[/dim]",
                      f"[{_STYLE[r.status]}]{status}[/]", escape(printable(detail)),
                      r.basis.short())
    return rules


def _print_act_first(open_findings: list[Finding], console: Console, lang: str,
                     top: int) -> None:
    """The `top` open findings, the most severe and oldest first."""
    console.print(f"[bold]{text(lang, 'act_first')}[/bold]")
    if not open_findings:
        console.print(f"  {text(lang, 'none')}")
    for f in open_findings[:top]:
        who = " · ".join(x for x in (f.department, f.person) if x)
        # Titles come from the site and may hold "[...]": escape them from rich markup.
        line = f"[dim]{f.rule}[/dim] {escape(printable(f.text(lang)))}"
        if who:
            line += f" [dim]({escape(printable(who))})[/dim]"
        sev = f"[{_SEV_STYLE[f.severity]}]{SEVERITY[lang][f.severity]}[/]"
        console.print(f"  {sev} {line}", highlight=False)
    if len(open_findings) > top:
        console.print(f"  {text(lang, 'more', n=len(open_findings) - top)}")


def _department_table(report: AuditReport, lang: str) -> Table:
    tally = Table(title=text(lang, "departments"), box=box.SIMPLE_HEAD, title_justify="left")
    for col in ("department", "in_period", "in_year", "deduction"):
        tally.add_column(text(lang, col))
    for d in report.departments:
        mark = f"[bold red]{text(lang, 'yes')}[/]" if d.emulation_deduction else text(lang, "no")
        tally.add_row(escape(printable(d.name)), str(d.violations_in_period),
                      str(d.violations_school_year), mark)
    return tally


def _custom_table(section: Section, lang: str) -> Table:
    """A table a check added to the report."""
    extra = Table(title=escape(printable(section.title_in(lang))), box=box.SIMPLE_HEAD,
                  title_justify="left")
    for heading in section.columns_in(lang):
        extra.add_column(escape(printable(heading)), overflow="fold")
    for row in section.rows:
        extra.add_row(*(escape(printable(cell)) for cell in row))
    return extra


def _print_notices(notices: Sequence[str], console: Console, lang: str) -> None:
    """The first five notices and how many more there are."""
    if not notices:
        return
    console.print(f"[bold]{text(lang, 'notices')}[/bold] ({len(notices)})")
    for note in notices[:5]:
        console.print(f"  {printable(note)}", highlight=False, markup=False)
    if len(notices) > 5:
        console.print(f"  {text(lang, 'more', n=len(notices) - 5)}")
