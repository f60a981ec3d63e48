"""The root command, `auditor`, and where every command is mounted.

One convention for every command module of this package: it owns one ``typer.Typer``
named ``app`` and is listed once in :data:`COMMANDS`. A group (``auditor text scan``) is
mounted under its name; a module of top-level commands (``auditor check``) is mounted
without one, and its commands join the root.
"""

from __future__ import annotations

from typing import Annotated

import typer

from auditor import __version__
from auditor.cli import (
    batch,
    check,
    disclosure,
    history,
    report,
    rules,
    site,
    starter,
    text,
)
from auditor.cli.options import Lang, LangOption

app = typer.Typer(
    name="auditor", no_args_is_help=True, add_completion=True, rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="Kiểm tra Cổng thông tin điện tử trường học theo Quy chế hoạt động "
         "(QĐ 111/QĐ-THCS). In English: AUDITOR_LANG=en.",
)

# (the module's Typer, the group's name or None for top-level commands), in help order.
COMMANDS: tuple[tuple[typer.Typer, str | None], ...] = (
    (check.app, None), (starter.app, None), (report.app, None), (batch.app, None),
    (rules.app, "rules"), (text.app, "text"), (history.app, "history"),
    (disclosure.app, "disclosure"), (site.app, "site"),
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"auditor {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", help="In phiên bản rồi thoát.",
                                          callback=_print_version, is_eager=True)] = False,
) -> None:
    """Kiểm tra Cổng thông tin điện tử trường học theo Quy chế hoạt động (QĐ 111/QĐ-THCS).
    In English: AUDITOR_LANG=en."""


@app.command()
def version(lang: LangOption = Lang.vi) -> int:
    """In phiên bản."""
    typer.echo(f"auditor {__version__}")
    return 0


for _sub, _name in COMMANDS:
    app.add_typer(_sub, name=_name)
