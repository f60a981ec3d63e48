"""Unattended runs: output with no terminal, --quiet, --version, completion, bare `auditor`,
--quick, and the README's crontab and schtasks lines (parsed, never run)."""

from __future__ import annotations

import io
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.cli import main
from auditor.crawl import CrawlSettings, crawl_sync
from auditor.crawl.progress import SummaryProgress
from tests.loopback import LoopbackServer, html

ROOT = Path(__file__).resolve().parents[1]
RULE_ID = re.compile(r"\b[a-z]+\.[a-z0-9-]+\b")


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`auditor` in a child process with pipes (no terminal), as cron runs it."""
    full_env = {**os.environ, "COLUMNS": "60", "AUDITOR_LANG": "", **(env or {})}
    return subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True,
                          text=True, encoding="utf-8", timeout=600, env=full_env,
                          stdin=subprocess.DEVNULL)


def test_without_a_terminal_rule_ids_stay_whole_and_progress_goes_to_stderr(tmp_path: Path):
    from auditor.ruleset import load_ruleset

    proc = run_cli("check", "--demo", "--as-of", "2026-11-26")
    assert proc.returncode == 1, proc.stderr
    ids = list(load_ruleset("qd111-thcs", None).rules)
    out_lines = proc.stdout.splitlines()
    for rule in ids:  # each rule id on one line, whole, even with COLUMNS=60
        assert any(rule in line for line in out_lines), rule
    for line in out_lines:
        for part in RULE_ID.findall(line):
            if part.split(".")[0] in {"posts", "disclosure", "site", "text", "security",
                                      "workflow"}:
                assert part in ids, f"a broken rule id {part!r} in {line!r}"
    assert max(len(line) for line in out_lines) > 60  # not wrapped at COLUMNS
    assert "\x1b[" not in proc.stdout + proc.stderr  # no colour, no bar
    err = proc.stderr.splitlines()
    # The demo site has 170 pages: a progress line at 100, then the summary line.
    assert any(line.startswith("Đang thu thập: 100 trang đã tải") for line in err), err
    assert any(line.startswith("Thu thập: 170 trang đã tải") for line in err), err
    assert "Thu thập" not in proc.stdout  # progress never mixes with the report

    quiet = run_cli("check", "--demo", "--as-of", "2026-11-26", "--quiet")
    assert quiet.returncode == 1 and quiet.stdout == "" and quiet.stderr == ""
    never = run_cli("check", "--demo", "--as-of", "2026-11-26", "--quiet", "--fail-on", "never")
    assert never.returncode == 0


def test_interval_progress_lines_every_n_pages():
    stream = io.StringIO()
    progress = SummaryProgress(stream, every=2, seconds=3600)
    pages = {f"/p{i}": html(f"<a href='/p{i + 1}'>next</a>") for i in range(6)}
    pages["/"] = html("<a href='/p0'>start</a>")
    with LoopbackServer(pages) as server:
        crawl_sync([server.url("/")], CrawlSettings(polite=False, retries=0,
                                                    fetch_sitemaps=False, fetch_feeds=False),
                   progress=progress)
    lines = stream.getvalue().splitlines()
    interval = [line for line in lines if line.startswith("Đang thu thập:")]
    assert len(interval) >= 3, lines
    assert lines[-1].startswith("Thu thập: ")


def test_version_help_and_completion(capsys: pytest.CaptureFixture[str]):
    from auditor import __version__

    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"auditor {__version__}"
    assert main([]) == 0  # bare `auditor`: the help, not an error
    out, err = capsys.readouterr()
    assert "Cách dùng: auditor" in out and "check" in out and "batch" in out and err == ""
    # typer detects the shell from the parent processes; a test names it instead.
    proc = run_cli("--show-completion", "bash",
                   env={"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert proc.returncode == 0, proc.stderr
    assert "_AUDITOR_COMPLETE" in proc.stdout and "complete " in proc.stdout
    # The completion script answers: the sub-commands for `auditor ba<TAB>`.
    answer = subprocess.run(
        [sys.executable, "-m", "auditor"], capture_output=True, text=True, timeout=60,
        env={**os.environ, "_AUDITOR_COMPLETE": "complete_bash", "COMP_WORDS": "auditor ba",
             "COMP_CWORD": "1"})
    assert "batch" in answer.stdout.split()


def readme_block(title: str) -> str:
    """The first code line under the README heading that contains `title`."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(title)
    match = re.search(r"```[a-z]*\n(.*?)```", text[start:], re.S)
    assert match, f"no code block under {title!r}"
    return match.group(1)


def cron_fields(line: str) -> tuple[list[str], str]:
    parts = line.split(None, 5)
    assert len(parts) == 6, line
    return parts[:5], parts[5]


def test_the_readme_crontab_lines_parse():
    lines = [ln for ln in readme_block("crontab").splitlines()
             if ln.strip() and not ln.startswith("#")]
    assert len(lines) >= 2
    ranges = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]
    commands = []
    hours = set()
    for line in lines:
        fields, command = cron_fields(line)
        for value, (low, high) in zip(fields, ranges, strict=True):
            for item in value.split(","):
                if item == "*":
                    continue
                base, _, step = item.partition("/")
                for bound in base.split("-"):
                    assert bound.isdigit() and low <= int(bound) <= high, (line, value)
                assert not step or step.isdigit()
        if "--quick" in command:
            hours |= {int(h) for h in fields[1].split(",")}
        commands.append(command)
    assert hours == {7, 14}  # Điều 12.2: the quick check at 07:00 and 14:00
    for command in commands:
        argv = shlex.split(command.split(">>")[0])
        assert argv[0].endswith("auditor")
        assert argv[1] in ("check", "batch")
        # Every option in the line is one the command accepts.
        proc = run_cli(argv[1], "--help")
        for option in (a.split("=")[0] for a in argv[2:] if a.startswith("--")):
            assert option in proc.stdout, (option, command)


def test_the_readme_schtasks_line_parses():
    block = readme_block("lệnh schtasks")
    line = " ".join(block.split())
    # schtasks /Create /TN name /TR "command" /SC DAILY /ST HH:MM (Windows quoting)
    argv = re.findall(r'"[^"]*"|\S+', line)
    assert argv[0].lower() == "schtasks" and argv[1].lower() == "/create"
    opts = {argv[i].upper(): argv[i + 1] for i in range(2, len(argv) - 1)
            if argv[i].startswith("/") and not argv[i + 1].startswith("/")}
    assert opts["/SC"].upper() in {"DAILY", "WEEKLY", "MONTHLY"}
    assert re.fullmatch(r"\d{2}:\d{2}", opts["/ST"])
    command = opts["/TR"].strip('"')
    words = shlex.split(command.replace("\\", "/"))
    assert words[0].endswith("auditor.exe") or words[0].endswith("auditor")
    proc = run_cli(words[1], "--help")
    for option in (w for w in words[2:] if w.startswith("--")):
        assert option in proc.stdout, option


def test_quick_reads_the_front_of_the_site_only(tmp_path: Path):
    proc = run_cli("check", "--demo", "--as-of", "2026-11-26", "--quick", "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    import json

    data = json.loads(proc.stdout)
    ran = {r["id"] for r in data["rules"]}
    assert ran == {"disclosure.reachable", "site.required-sections", "site.official-domain",
                   "security.spam-injection"}
    summary = [line for line in proc.stderr.splitlines() if line.startswith("Thu thập:")]
    assert summary, proc.stderr
    fetched = int(re.search(r"Thu thập: (\d+) trang", summary[-1]).group(1))  # type: ignore[union-attr]
    assert fetched < 100  # the home page and what it links to, not the site's 170 pages
    by_id = {r["id"]: r for r in data["rules"]}
    assert by_id["security.spam-injection"]["status"] in ("pass", "fail")  # judged


def test_a_quick_run_is_compared_with_the_history_but_not_recorded(tmp_path: Path):
    import json
    import sqlite3

    db = tmp_path / "lich-su.sqlite"
    full = run_cli("check", "--demo", "--as-of", "2026-11-26", "--history", str(db), "--quiet")
    assert full.returncode == 1, full.stderr

    def runs() -> int:
        with sqlite3.connect(db) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0])

    assert runs() == 1
    with sqlite3.connect(db) as conn:
        spam_before = conn.execute("SELECT COUNT(*) FROM findings WHERE rule = ?",
                                   ("security.spam-injection",)).fetchone()[0]
    assert spam_before > 0  # the full check saw the spam on an older post
    quick = run_cli("check", "--demo", "--as-of", "2026-11-26", "--history", str(db), "--quick",
                    "--format", "json")
    data = json.loads(quick.stdout)
    assert runs() == 1  # not recorded
    # The quick look does not reach that older post: unseen, not fixed; nor are the posting
    # rules' findings fixed because the posting rules did not run.
    assert not [f for f in data["findings"] if f["rule"] == "security.spam-injection"]
    assert data["fixed"] == []
