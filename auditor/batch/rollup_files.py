"""The roll-up's files: tong-hop.xlsx, tong-hop.html and tong-hop.json.

The data is :mod:`auditor.batch.rollup`; each format is its own module
(:mod:`~auditor.batch.rollup_xlsx`, :mod:`~auditor.batch.rollup_html`), and this
one writes them all, each atomically.
"""

from __future__ import annotations

import json
from pathlib import Path

from auditor.batch.rollup import BASENAME, Rollup
from auditor.batch.rollup_html import render_rollup_html
from auditor.batch.rollup_xlsx import render_rollup_xlsx
from auditor.render.files import open_report, report_path


def write_rollup(rollup: Rollup, out_dir: Path, lang: str = "vi") -> list[Path]:
    """tong-hop.xlsx, tong-hop.html and tong-hop.json in `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / f"{BASENAME}.xlsx", out_dir / f"{BASENAME}.html",
             out_dir / f"{BASENAME}.json"]
    with report_path(paths[0]) as tmp:
        render_rollup_xlsx(rollup, tmp, lang)
    with open_report(paths[1]) as handle:
        handle.write(render_rollup_html(rollup, lang))
    with open_report(paths[2]) as handle:
        handle.write(json.dumps(rollup.to_json(), ensure_ascii=False, indent=2) + "\n")
    return paths
