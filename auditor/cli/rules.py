"""`auditor rules list|explain`: the ruleset, read by :mod:`auditor.rules_doc`."""

from __future__ import annotations

from typing import Annotated

import typer

from auditor.cli.options import ConfigOption, Lang, LangOption

app = typer.Typer(no_args_is_help=True, help="Bộ quy tắc: liệt kê và giải thích.")

RulesetOption = Annotated[str | None, typer.Option("--ruleset", help="Bộ quy tắc")]


@app.command("list")
def rules_list(config: ConfigOption = None, ruleset: RulesetOption = None,
               lang: LangOption = Lang.vi) -> int:
    """Liệt kê các quy tắc của bộ quy tắc đang dùng."""
    from auditor.render.console import make_console
    from auditor.rules_doc import list_rules

    list_rules(make_console(), config, ruleset, lang.value)
    return 0


@app.command("explain")
def rules_explain(
    rule_id: Annotated[str, typer.Argument(help="Mã quy tắc, ví dụ posts.monthly-quota")],
    config: ConfigOption = None,
    ruleset: RulesetOption = None,
    lang: LangOption = Lang.vi,
) -> int:
    """Giải thích một quy tắc: nội dung, căn cứ, tham số, ví dụ."""
    from auditor.render.console import make_console
    from auditor.rules_doc import explain_rule

    explain_rule(make_console(), rule_id, config, ruleset, lang.value)
    return 0
