"""Comparisons with the history are scoped (issue 15.1): a finding is "fixed" only when a
later run that checked its rule over a period holding its day no longer finds it; --month
and --only runs neither fix nor forget what they did not look at, and first-seen dates
survive them. Real audits of the demo school's export and calendar, a real SQLite file."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

from auditor.cli import main

DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "demo"
FULL: tuple[str, ...] = ()
MONTH = ("--month", "2026-10")
ONLY = ("--only", "posts.event-deadline")
LATE_EVENT = "Hội nghị cha mẹ học sinh đầu năm"  # its post came 38 hours late (October)


def audit(capsys: pytest.CaptureFixture[str], history: Path, day: int, *extra: str,
          config: Path = DEMO / "auditor.toml") -> dict:
    capsys.readouterr()
    code = main(["check", "--config", str(config), "--history", str(history), "--as-of",
                 f"2026-12-{day:02d}", "--format", "json", *extra])
    out = capsys.readouterr().out
    assert code in (0, 1), out
    return json.loads(out)


def changes(data: dict) -> dict[str, str]:
    return {f["fingerprint"]: f["change"] for f in data["findings"]}


@pytest.mark.parametrize("order", list(itertools.permutations([FULL, MONTH, ONLY])),
                         ids=lambda o: "-".join({(): "full", MONTH: "month", ONLY: "only"}[r]
                                                for r in o))
def test_nothing_is_fixed_or_forgotten_by_partial_runs(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], order: tuple) -> None:
    history = tmp_path / "h.sqlite"
    first_seen: dict[str, str] = {}
    for day, scope in enumerate([*order, FULL], start=1):
        data = audit(capsys, history, day, *scope)
        assert data["fixed"] == [], f"run {day} {scope or 'full'} says fixed: {data['fixed']}"
        for f in data["findings"]:
            fp = f["fingerprint"]
            if fp in first_seen:  # seen by an earlier run (any scope): still open, same date
                assert (f["change"], f["first_seen"]) == ("open", first_seen[fp]), (day, f)
            else:
                assert (f["change"], f["first_seen"]) == ("new", f"2026-12-{day:02d}"), (day, f)
                first_seen[fp] = f["first_seen"]
    # The closing full run saw every finding, and each kept the day it was first found.
    assert len(data["findings"]) > 10
    assert {f["fingerprint"] for f in data["findings"]} <= set(first_seen)


def _without_event(tmp_path: Path, summary: str) -> Path:
    """The demo's configuration with a calendar missing one event (its finding is gone)."""
    text = (DEMO / "lich-cong-tac.ics").read_text(encoding="utf-8")
    blocks = re.split(r"(?=BEGIN:VEVENT)", text)
    kept = [b for b in blocks if f"SUMMARY:{summary}" not in b]
    assert len(kept) == len(blocks) - 1
    folder = tmp_path / "fixed"
    folder.mkdir()
    (folder / "lich-cong-tac.ics").write_text("".join(kept), encoding="utf-8")
    (folder / "cms-export.csv").write_bytes((DEMO / "cms-export.csv").read_bytes())
    (folder / "auditor.toml").write_text((DEMO / "auditor.toml").read_text(encoding="utf-8"),
                                         encoding="utf-8")
    return folder / "auditor.toml"


@pytest.mark.parametrize("scope, fixed_by_it", [
    (FULL, True), (MONTH, True), (("--month", "2026-09"), False), (ONLY, True),
    (("--only", "posts.monthly-quota"), False),
])
def test_a_real_fix_is_seen_only_by_a_run_that_covers_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], scope: tuple[str, ...],
        fixed_by_it: bool) -> None:
    history = tmp_path / "h.sqlite"
    before = audit(capsys, history, 1)
    [late] = [f for f in before["findings"] if f["rule"] == "posts.event-deadline"
              and LATE_EVENT in f["message"]]
    fixed_config = _without_event(tmp_path, LATE_EVENT)
    data = audit(capsys, history, 2, *scope, config=fixed_config)
    fixed = [f["fingerprint"] for f in data["fixed"]]
    assert fixed == ([late["fingerprint"]] if fixed_by_it else [])
    if not fixed_by_it:  # a later run that covers it still sees it fixed, with its first day
        again = audit(capsys, history, 3, config=fixed_config)
        [entry] = again["fixed"]
        assert (entry["fingerprint"], entry["first_seen"]) == (late["fingerprint"],
                                                                "2026-12-01")
        assert all(c == "open" for c in changes(again).values())


def test_history_command_counts_scoped_fixes(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    history = tmp_path / "h.sqlite"
    audit(capsys, history, 1)
    audit(capsys, history, 2, *MONTH)
    audit(capsys, history, 3)
    capsys.readouterr()
    assert main(["history", "--history", str(history), "--format", "json", "--all"]) == 0
    runs = json.loads(capsys.readouterr().out)["runs"]
    assert [r["fixed"] for r in runs] == [0, 0, 0]
    assert [r["new"] for r in runs][1:] == [0, 0]


def test_monthly_report_does_not_claim_fixes(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """`auditor report --month` after a full run: its new audit of one month fixes nothing,
    and it uses the --history file it was given (the run is recorded there)."""
    history = tmp_path / "h.sqlite"
    audit(capsys, history, 1)
    capsys.readouterr()
    code = main(["report", "--month", "2026-10", "--config", str(DEMO / "auditor.toml"),
                 "--history", str(history), "--as-of", "2026-12-02", "--rerun",
                 "--csv", str(tmp_path / "r.csv"), "--html", str(tmp_path / "r.html")])
    assert code == 0, capsys.readouterr()
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Đã khắc phục so với lần kiểm tra trước" not in html
    assert all(n == "0" for n in re.findall(r"(\d+) đã khắc phục", html))
    from auditor.history import HistoryStore

    with HistoryStore.open(history) as store:
        assert len(store.runs()) == 2
