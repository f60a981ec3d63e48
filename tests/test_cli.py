"""The command line, called as `main([...])` the way a user types it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.cli import main
from auditor.config import load_config
from auditor.render.formats import printed_names
from auditor.ruleset import load_ruleset


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_rules_list_shows_every_rule_of_the_default_set(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", "list")
    assert code == 0
    for rule in load_ruleset().rules:
        assert rule in out


def test_rules_explain_prints_doc_basis_and_parameters(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", "explain", "posts.monthly-quota")
    assert code == 0
    assert "Điều 16" in out and "khoản 3" in out
    assert "min_posts = 8" in out
    assert "Fails:" in out and "Passes:" in out


def test_rules_explain_unknown_rule_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "rules", "explain", "posts.khong-co")
    assert code == 2
    assert "Không có quy tắc 'posts.khong-co'" in err
    assert "Traceback" not in err


def test_init_writes_a_config_that_loads_and_refuses_to_overwrite(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "auditor.toml"
    code, _, _ = run(capsys, "init", str(target))
    assert code == 0
    config = load_config(target)
    assert config.school.kind == "THCS"
    assert config.authority.kind == "ubnd-xa" and config.authority.name == "UBND xã/phường"
    code, _, err = run(capsys, "init", str(target))
    assert code == 2 and "đã tồn tại" in err


@pytest.mark.parametrize(("toml", "expected"), [
    ('[school]\nname = "X"\nkind = "DAIHOC"\n', "school.kind"),
    ('[school]\nname = "X"\nurl = "thcs.edu.vn"\n', "school.url"),
    ('[school]\nname = "X"\nschool_year_start = "13-40"\n', "school.school_year_start"),
    ('[school]\nname = "X"\ntimezone = "Asia/Hanoi_Khong_Co"\n', "school.timezone"),
    ('[school]\nname = "X"\n[output]\nperiod = "weekly"\n', "output.period"),
    ('[school]\nname = "X"\n[sources]\nexprot = "a.csv"\n', "sources.exprot"),
    ('[authority]\nname = "Sở"\n', "school"),
    ('[school\nname = "X"\n', "TOML"),
    ('[school]\nname = "X"\n[rules]\nset = "khong-co-bo-nay"\n', "khong-co-bo-nay"),
])
def test_invalid_config_is_one_line_naming_the_key(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], toml: str, expected: str) -> None:
    path = tmp_path / "auditor.toml"
    path.write_text(toml, encoding="utf-8")
    (tmp_path / "e.csv").write_text("Mã bài,Tiêu đề,Ngày đăng\n1,A,01/10/2026\n", encoding="utf-8")
    code, out, err = run(capsys, "check", "--config", str(path), "--export",
                         str(tmp_path / "e.csv"))
    assert code == 2
    assert expected in err
    assert err.startswith("Lỗi: ")
    assert "Traceback" not in err and out == ""


def test_check_without_anything_to_check_is_a_usage_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "check")
    assert code == 2
    assert "--demo" in err


@pytest.mark.parametrize("args", [
    ["--month", "2026-10", "--from", "2026-10-01"],
    ["--month", "13/2026"],  # 10/2026 is a month (issue 11); 13/2026 is not
    ["--as-of", "31/02/2026"],
    ["--from", "2026-11-01", "--to", "2026-10-01"],
    ["--format", "pdf"],
    ["--fail-on", "info"],
])
def test_bad_arguments_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "--demo", *args)
    assert code == 2
    assert err.startswith("Lỗi: ") and "Traceback" not in err


def test_missing_config_file_names_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "--config", str(tmp_path / "khong-co.toml"))
    assert code == 2
    assert "khong-co.toml" in err


@pytest.mark.parametrize("fmt", printed_names())
def test_every_output_format_works(fmt: str, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / f"ket-qua.{fmt}"
    code, out, _ = run(capsys, "check", "--demo", "--format", fmt, "--output", str(target))
    assert code == 1  # the demo school has violations
    assert out == ""
    text = target.read_text(encoding="utf-8")
    if fmt == "json":
        assert json.loads(text)["school"]["name"] == "Trường THCS Hoa Phượng"
    else:
        assert "Trường THCS Hoa Phượng" in text
        assert "\x1b[" not in text  # no colour codes in a file
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_fail_on_warning_counts_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    # October 2026 alone, judged after it closed but restricted to the quota rule's
    # month in progress: November has only warnings for the proposals rule.
    code, out, _ = run(capsys, "check", "--demo", "--month", "2026-09", "--format", "json")
    data = json.loads(out)
    violations = [f for f in data["findings"] if f["severity"] == "violation"]
    assert code == (1 if violations else 0)


def test_output_file_is_readable_by_others(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """Atomic writes go through mkstemp (0600); the finished file follows the umask."""
    import os

    target = tmp_path / "ket-qua.json"
    old = os.umask(0o022)
    try:
        run(capsys, "check", "--demo", "--format", "json", "--output", str(target))
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o644
