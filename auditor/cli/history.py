"""`auditor history`: the runs kept in the history and per-rule trends.

Parsing and printing only;
the numbers come from :func:`auditor.history.trends`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from auditor.cli.options import TEXT, ConfigOption, FormatOption, HistoryOption, Lang, LangOption
from auditor.history import RunTrend, trends
from auditor.history.paths import config_school, open_history, optional_config
from auditor.render.console import printable
from auditor.textfmt import plural

app = typer.Typer(add_completion=False, rich_markup_mode=None,
                  help="Lịch sử các lần kiểm tra: phát hiện mới, còn tồn tại, đã khắc phục.")


def _as_json(rows: list[RunTrend], path: Path) -> str:
    out: list[dict[str, Any]] = []
    for t in rows:
        out.append({
            "id": t.run.id, "school": t.run.school, "school_name": t.run.school_name,
            "as_of": t.run.as_of.isoformat(),
            "period": {"from": t.run.period_start.isoformat(),
                       "to": t.run.period_end.isoformat()},
            "ruleset": t.run.ruleset, "findings": t.total,
            "new": sum(r.new for r in t.rules), "open": sum(r.open for r in t.rules),
            "fixed": sum(r.fixed for r in t.rules),
            "rules": [{"rule": r.rule, "new": r.new, "open": r.open, "fixed": r.fixed}
                      for r in t.rules],
        })
    return json.dumps({"history": str(path), "runs": out}, ensure_ascii=False, indent=2) + "\n"


def _as_text(rows: list[RunTrend], path: Path, lang: str) -> str:
    vi = lang != "en"
    if not rows:
        return ("Chưa có lần kiểm tra nào trong lịch sử" if vi
                else "No runs in the history yet") + f" ({path}).\n"
    head = (f"Lịch sử kiểm tra: {len(rows)} lần ({path})" if vi
            else f"Audit history: {plural(len(rows), 'run')} ({path})")
    lines = [head, ""]
    for t in rows:
        new, still, fixed = (sum(r.new for r in t.rules), sum(r.open for r in t.rules),
                             sum(r.fixed for r in t.rules))
        day = f"{t.run.as_of:%d/%m/%Y}"
        period = f"{t.run.period_start:%d/%m/%Y}–{t.run.period_end:%d/%m/%Y}"
        if vi:
            lines.append(f"#{t.run.id}  {day}  {t.run.school_name}  kỳ {period}: "
                         f"{t.total} phát hiện — mới {new}, còn tồn tại {still}, "
                         f"đã khắc phục {fixed}")
        else:
            lines.append(f"#{t.run.id}  {day}  {t.run.school_name}  period {period}: "
                         f"{plural(t.total, 'finding')} — new {new}, still open {still}, "
                         f"fixed {fixed}")
        for r in t.rules:
            if r.new or r.open or r.fixed:
                label = (f"mới {r.new}, còn {r.open}, đã khắc phục {r.fixed}" if vi
                         else f"new {r.new}, open {r.open}, fixed {r.fixed}")
                lines.append(f"    {r.rule:<32} {label}")
    return "\n".join(lines) + "\n"


@app.callback(invoke_without_command=True)
def history(
    config: ConfigOption = None,
    db: HistoryOption = None,
    all_schools: Annotated[bool, typer.Option("--all", help="Mọi trường trong tệp")] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Số lần gần nhất")] = 20,
    fmt: FormatOption = TEXT,
    lang: LangOption = Lang.vi,
) -> int:
    """Liệt kê các lần kiểm tra và xu hướng theo quy tắc (mới / còn / đã khắc phục)."""
    cfg = optional_config(config)
    with open_history(cfg, db) as store:
        school = None if all_schools or cfg is None else config_school(cfg)
        rows = trends(store, school)[-limit:]
        path = store.path
    typer.echo(_as_json(rows, path) if fmt == "json"
               else printable(_as_text(rows, path, lang.value)), nl=False)
    return 0
