"""CONTRIBUTING.md, followed: a throw-away rule in a package of its own, registered
through the ``auditor.checks`` entry point, tested with auditor.testing, adds a report
section that the console, JSON, Excel and HTML show — with no edit to the project.

The package is written to tmp_path with its installed metadata (a ``.dist-info`` folder
holding ``entry_points.txt``, what ``pip install`` writes) and put on sys.path for this
test only; the registry's cache is cleared before and after.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from auditor.checks.registry import available_checks
from auditor.cli import main
from auditor.resources import demo_dir
from auditor.testing import assert_case, coverage, load_cases

RULE = "acme.posts-by-category"

CHECK = '''
from collections import Counter

from auditor.checks.interface import Check, Param
from auditor.results import Section, Severity


class PostsByCategory(Check):
    """Each required category has at least one published post in the period.

    Fails: no post in "Tin tức" in October. Passes: one post in "Tin tức" in October.
    """

    id = "acme.posts-by-category"
    title = "Tin bài theo chuyên mục"
    title_en = "Posts by category"
    needs = ("posts",)
    parameters = (Param("required_categories", list, "Chuyên mục phải có tin",
                        "Categories that need a post"),)

    def run(self, ctx, params):
        posts = ctx.require_posts()
        counts = Counter(p.category or "—" for p in posts
                         if p.published_at is not None and p.published_at.date() in ctx.period)
        ctx.sections.add(Section(
            key=self.id, title="Tin bài theo chuyên mục (ACME)",
            title_en="Posts by category (ACME)",
            columns=("Chuyên mục", "Số tin bài"), columns_en=("Category", "Posts"),
            rows=tuple((name, str(n)) for name, n in sorted(counts.items())),
        ))
        for name in params["required_categories"]:
            if counts[name] == 0:
                yield self.finding(f"category:{name}", f"Chuyên mục '{name}' không có tin bài.",
                                   f"Category '{name}' has no post.", on=None,
                                   severity=Severity.VIOLATION)
'''

RULESET = '''
[ruleset]
name = "acme"
extends = "qd111-thcs"

[rules."acme.posts-by-category"]
enabled = true
severity = "violation"
title = "Tin bài theo chuyên mục"
title_en = "Posts by category"
basis = { document = "Quy chế kèm QĐ 111/QĐ-THCS", article = "Điều 16", clause = "khoản 3" }
[rules."acme.posts-by-category".params]
required_categories = ["Tin tức", "Chuyên mục Không Có"]
'''

CASES = '''
rule = "acme.posts-by-category"
ruleset = "acme-rules.toml"

[[case]]
name = "a required category with no post fails"
as_of = 2026-10-31
period = ["2026-10-01", "2026-10-31"]
params = { required_categories = ["Tin tức"] }
expect_status = "fail"
expect = [{ subject = "category:Tin tức", severity = "violation", message_contains = "Tin tức" }]
[[case.posts]]
category = "Thông báo"
published_at = 2026-10-05T09:00:00

[[case]]
name = "one post in the category passes"
as_of = 2026-10-31
period = ["2026-10-01", "2026-10-31"]
params = { required_categories = ["Tin tức"] }
expect_status = "pass"
[[case.posts]]
category = "Tin tức"
published_at = 2026-10-05T09:00:00

[[case]]
name = "no post data is not checked, not a violation"
as_of = 2026-10-31
expect_status = "not_checked"
'''


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """§1 steps 2–4 of CONTRIBUTING.md: the package, its entry point, its rule set."""
    site = tmp_path / "site-packages"
    package = site / "acme_rules"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "posts_by_category.py").write_text(CHECK, encoding="utf-8")
    meta = site / "acme_rules-0.1.dist-info"
    meta.mkdir()
    (meta / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-rules\nVersion: 0.1\n",
                                   encoding="utf-8")
    (meta / "entry_points.txt").write_text(
        f'[auditor.checks]\n{RULE} = acme_rules.posts_by_category:PostsByCategory\n',
        encoding="utf-8")
    work = tmp_path / "school"
    work.mkdir()
    (work / "acme-rules.toml").write_text(RULESET, encoding="utf-8")
    (work / "cases.toml").write_text(CASES, encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    available_checks.cache_clear()
    try:
        yield work
    finally:
        available_checks.cache_clear()
        for name in [m for m in sys.modules if m.split(".")[0] == "acme_rules"]:
            del sys.modules[name]


def test_the_plugin_is_registered_like_a_builtin_rule(plugin: Path) -> None:
    checks = available_checks()
    assert RULE in checks and checks[RULE].__module__ == "acme_rules.posts_by_category"
    assert "posts.monthly-quota" in checks


def test_the_plugin_cases_run_through_auditor_testing(plugin: Path, tmp_path: Path) -> None:
    """§1 step 5: the plugin's own pass/fail cases, run by the package's runner."""
    cases = load_cases(plugin / "cases.toml")
    assert coverage(cases)[RULE] == {"pass", "fail", "not_checked"}
    for case in cases:
        assert_case(case, tmp_path)
    # the runner judges: a case expecting the wrong status fails
    wrong = cases[0]
    wrong.data["expect_status"] = "pass"
    with pytest.raises(AssertionError, match="status fail, expected pass"):
        assert_case(wrong, tmp_path)


def _school(plugin: Path) -> Path:
    """The bundled demo school, judged by the plugin's rule set."""
    for name in ("auditor.toml", "cms-export.csv", "lich-cong-tac.ics"):
        shutil.copy(demo_dir() / name, plugin / name)
    config = plugin / "auditor.toml"
    text = config.read_text(encoding="utf-8")
    assert 'set = "qd111-thcs"' in text
    config.write_text(text.replace('set = "qd111-thcs"', 'set = "acme-rules.toml"'),
                      encoding="utf-8")
    return config


def test_a_plugin_section_appears_in_every_format(
        plugin: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """§2: the section the rule adds, in the console, JSON, Excel and HTML output."""
    config = _school(plugin)
    out = tmp_path / "reports"
    args = ["check", "-c", str(config), "--month", "2026-10", "--only", RULE]
    code = main([*args, "--report-dir", str(out)])
    console = capsys.readouterr().out
    assert code == 1, console  # the category nobody posts in is a violation
    assert "Tin bài theo chuyên mục (ACME)" in console
    assert "Chuyên mục Không Có" in console  # the finding, on the console too

    main([*args, "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    [section] = [s for s in data["sections"] if s["key"] == RULE]
    assert section["title"] == "Tin bài theo chuyên mục (ACME)"
    assert section["columns"] == ["Chuyên mục", "Số tin bài"]
    rows = {name: int(n) for name, n in section["rows"]}
    assert rows and all(n > 0 for n in rows.values())
    assert [r["status"] for r in data["rules"] if r["id"] == RULE] == ["fail"]
    # the console's table shows the same rows
    for name, n in rows.items():
        assert any(name in line and line.rstrip().endswith(str(n))
                   for line in console.splitlines()), name

    [xlsx] = out.glob("*.xlsx")
    book = openpyxl.load_workbook(xlsx)
    assert "Tin bài theo chuyên mục (ACME)" in book.sheetnames
    sheet = [[c.value for c in row] for row in book["Tin bài theo chuyên mục (ACME)"].iter_rows()]
    header = sheet.index(["Chuyên mục", "Số tin bài"])
    assert {r[0]: int(r[1]) for r in sheet[header + 1:] if r[0]} == rows

    [html] = out.glob("*.html")
    page = html.read_text(encoding="utf-8")
    assert "Tin bài theo chuyên mục (ACME)</h2>" in page
    assert "<th scope=\"col\">Số tin bài</th>" in page
    for name, n in rows.items():
        assert f"<td>{name}</td><td>{n}</td>" in page


def test_english_headers_follow_the_language(
        plugin: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _school(plugin)
    main(["check", "-c", str(config), "--month", "2026-10", "--only", RULE, "--format", "json",
          "--lang", "en"])
    data = json.loads(capsys.readouterr().out)
    [section] = [s for s in data["sections"] if s["key"] == RULE]
    assert section["title"] == "Posts by category (ACME)"
    assert section["columns"] == ["Category", "Posts"]


TXT_FORMAT = '''
from pathlib import Path
from auditor.render.files import open_report
from auditor.render.view import build_view

def render_txt(report, target, *, lang="vi", view=None):
    view = view or build_view(report, lang)
    with open_report(Path(target)) as out:
        for row in view.rules.rows:
            out.write(f"{row['rule']}\\t{row['status'].text}\\n")
    return Path(target)
'''


@pytest.fixture
def txt_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """§4 followed: a module `acme_format` with `render_txt`, and its one line in FORMATS."""
    from auditor.render import files, formats

    module = tmp_path / "acme_format"
    module.mkdir()
    (module / "__init__.py").write_text(TXT_FORMAT, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    entry = formats.ReportFormat("txt", "acme_format:render_txt", "tệp văn bản", "text file")
    monkeypatch.setitem(formats.FORMATS, "txt", entry)
    monkeypatch.setattr(files, "FORMATS", tuple(formats.FORMATS))
    try:
        yield
    finally:
        sys.modules.pop("acme_format", None)


def test_a_new_report_format_is_one_module_and_one_registry_line(
        tmp_path: Path, txt_format: None) -> None:
    """§4: a format added to the registry is written by --report-dir, labels and all."""
    from auditor.render import files
    from auditor.render.view import build_view
    from tests.report_factory import make_report

    report = make_report()
    written = files.write_reports(report, tmp_path / "out", formats=["txt", "csv"])
    txt = next(p for p in written if p.suffix == ".txt")
    want = [f"{r['rule']}\t{r['status'].text}" for r in build_view(report).rules.rows]
    assert txt.read_text(encoding="utf-8").splitlines() == want
    assert "Không đạt" in {line.split("\t")[1] for line in want}


def test_the_command_line_offers_a_new_format(
        tmp_path: Path, txt_format: None, capsys: pytest.CaptureFixture[str]) -> None:
    """§4: with no edit to the command line, `auditor report` offers `--txt FILE` (its help
    in both languages, from the registry line) and writes the file through it."""
    assert main(["report", "--help"]) == 0
    assert "--txt" in capsys.readouterr().out
    assert main(["report", "--help", "--lang", "en"]) == 0
    helped = " ".join(capsys.readouterr().out.split())
    assert "--txt <path> Write the text file here" in helped
    target = tmp_path / "thang-10.txt"
    code = main(["report", "--demo", "--month", "2026-10", "--as-of", "2026-11-26",
                 "--history", str(tmp_path / "h.sqlite3"), "--txt", str(target)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"Đã ghi {target}" in out
    lines = target.read_text(encoding="utf-8").splitlines()
    assert "posts.event-deadline\tKhông đạt" in lines
