"""`auditor rules list` and `auditor rules explain`: documentation generated
from the checks themselves and the rule set in effect."""

from __future__ import annotations

from pathlib import Path

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from auditor.authority import fill
from auditor.checks.registry import available_checks
from auditor.config import Config, load_config
from auditor.errors import UsageError
from auditor.ruleset import DEFAULT_RULESET, RuleSet, load_ruleset


def active_config(config: Path | None) -> Config | None:
    if config is None and Path("auditor.toml").is_file():
        config = Path("auditor.toml")
    return load_config(config) if config is not None else None


def active_ruleset(config: Path | None, ruleset: str | None) -> RuleSet:
    if ruleset:
        return load_ruleset(ruleset, Path.cwd())
    cfg = active_config(config)
    if cfg is not None:
        return load_ruleset(cfg.rules.set, cfg.base_dir)
    return load_ruleset(DEFAULT_RULESET)


def list_rules(console: Console, config: Path | None, ruleset: str | None, lang: str) -> None:
    rs = active_ruleset(config, ruleset)
    cfg = active_config(config)
    checks = available_checks()
    table = Table(title=rs.title, box=box.SIMPLE_HEAD, title_justify="left")
    heads = (("Mã quy tắc", "Tên", "Bật", "Mức", "Căn cứ") if lang == "vi"
             else ("Rule id", "Title", "On", "Severity", "Basis"))
    table.add_column(heads[0], no_wrap=True)
    for head in heads[1:]:
        table.add_column(head, overflow="fold")
    for rule in rs.rules.values():
        on = ("có" if lang == "vi" else "yes") if rule.enabled else ("không" if lang == "vi"
                                                                   else "no")
        if rule.id not in checks:
            on += " (chưa có plugin)" if lang == "vi" else " (no plugin)"
        title = fill(rule.title, cfg) if lang == "vi" else fill(rule.title_en, cfg, "en")
        table.add_row(rule.id, escape(title), on, rule.severity.value, escape(rule.basis.full()))
    console.print(table)


SEVERITY = {"violation": ("vi phạm", "violation"), "warning": ("cảnh báo", "warning"),
            "info": ("thông tin", "info")}


def explain_rule(console: Console, rule_id: str, config: Path | None,
                 ruleset: str | None, lang: str = "vi") -> None:
    rs = active_ruleset(config, ruleset)
    cfg = active_config(config)
    checks = available_checks()
    en = lang == "en"
    if rule_id not in rs.rules and rule_id not in checks:
        known = ", ".join(sorted(set(rs.rules) | set(checks)))
        raise UsageError(f"Không có quy tắc '{rule_id}'.", hint=f"Các quy tắc: {known}",
                         en=f"No rule '{rule_id}'.", hint_en=f"Rules: {known}")
    rule = rule_obj = rs.rules.get(rule_id)
    check = checks.get(rule_id)
    title = ((rule.title_en if en else rule.title) if rule
             else (check.title_en if en else check.title))  # type: ignore[union-attr]
    console.print(f"[bold]{rule_id}[/bold] — {escape(fill(title, cfg))}")
    if rule_obj:
        severity = SEVERITY.get(rule_obj.severity.value, (rule_obj.severity.value,) * 2)[en]
        if en:
            console.print(f"Basis: {escape(rule_obj.basis.full())}")
            console.print(f"Severity: {severity}; "
                          f"{'enabled' if rule_obj.enabled else 'disabled'} in '{rs.name}'")
        else:
            console.print(f"Căn cứ: {escape(rule_obj.basis.full())}")
            console.print(f"Mức độ: {severity}; "
                          f"{'đang bật' if rule_obj.enabled else 'đang tắt'} trong bộ '{rs.name}'")
    else:
        console.print(f"The rule is not in '{rs.name}'." if en
                      else f"Quy tắc không có trong bộ '{rs.name}'.")
    if check:
        console.print()
        console.print(escape(fill(check.doc(), cfg)))
        if check.parameters:
            console.print()
            console.print("[bold]Parameters in effect[/bold]" if en
                          else "[bold]Tham số đang áp dụng[/bold]")
            unset = "(not set)" if en else "(chưa đặt)"
            for p in check.parameters:
                value = rule_obj.params.get(p.name, unset) if rule_obj else unset
                about = (p.description_en or p.description) if en else p.description
                console.print(f"  {p.name} = {value!r}  — {escape(about)}")
    else:
        console.print("No check plugin is installed for this rule." if en
                      else "Chưa cài plugin kiểm tra cho quy tắc này.")
    if rule_id == "disclosure.required-items":
        explain_catalogues(console, cfg)


def explain_catalogues(console: Console, cfg: Config | None) -> None:
    """Each catalogue's items with article and clause, kinds, period and deadline;
    ``[chưa xác minh]`` marks what was not checked against the official text."""
    from auditor.checks.disclosure_catalogue import (
        CONDITIONS,
        COVERS_VI,
        builtin_catalogues,
        load_catalogue,
    )

    refs = builtin_catalogues()
    if cfg is not None and cfg.disclosure.catalogue:
        refs = [cfg.disclosure.catalogue]
    for ref in refs:
        cat = load_catalogue(ref, cfg.base_dir if cfg is not None else None)
        console.print()
        years = cat.years_label()
        console.print(f"[bold]Danh mục {escape(cat.name)}[/bold] — {escape(cat.document)}"
                      f"{escape(years)}")
        for item in cat.items:
            mark = "" if item.verified else " [chưa xác minh]"
            console.print(
                f"  {item.id}: {escape(item.title)} — {escape(item.clause)}{escape(mark)}; "
                f"{', '.join(item.kinds)}; {COVERS_VI[item.covers]}; hạn {escape(item.due_text())}"
                + (f"; chỉ khi {escape(CONDITIONS[item.only_if])}" if item.only_if else "")
                + (f"; cập nhật trong {item.update_within_days} ngày làm việc"
                   if item.update_within_days else ""))
            if item.note:
                console.print(f"      {escape(item.note)}")
