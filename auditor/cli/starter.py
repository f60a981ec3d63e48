"""`auditor init`: a starter auditor.toml, with comments, to edit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from auditor.cli.options import Lang, LangOption
from auditor.errors import UsageError

app = typer.Typer()


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Tệp sẽ ghi")] = Path("auditor.toml"),
    force: Annotated[bool, typer.Option("--force", help="Ghi đè nếu đã có")] = False,
    lang: LangOption = Lang.vi,
) -> int:
    """Tạo tệp cấu hình auditor.toml mẫu có chú thích."""
    from auditor.atomic import write_text

    if path.exists() and not force:
        raise UsageError(f"Tệp '{path}' đã tồn tại; không ghi đè.",
                         hint="Dùng --force để ghi đè (tệp cũ sẽ mất).",
                         en=f"File '{path}' already exists; not overwriting it.",
                         hint_en="Use --force to overwrite it (the old file will be lost).")
    template = Path(__file__).parent.parent / "init_template.toml"
    write_text(path, template.read_text(encoding="utf-8"))
    if lang is Lang.en:
        typer.echo(f"Wrote {path}. Edit the school's name, address and departments, then run "
                   f"'auditor check{_config_arg(path)}'.")
    else:
        typer.echo(f"Đã tạo {path}. Sửa tên trường, địa chỉ, các tổ chuyên môn rồi chạy "
                   f"'auditor check{_config_arg(path)}'.")
    return 0


def _config_arg(path: Path) -> str:
    """' --config FILE' unless FILE is the ./auditor.toml `check` reads by itself."""
    return "" if path.resolve() == Path("auditor.toml").resolve() else f" --config {path}"
