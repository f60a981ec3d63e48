"""Partial audits (issue 15.4): one source fails — a site on 127.0.0.1 that refuses
connections, an unreadable export, a missing calendar — the rules that do not need it
judge, the others are "not checked" with the reason, the reports are written, exit 3."""

from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path
from typing import Any

import pytest

from auditor.cli import main

DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "demo"
AS_OF = "2026-11-30"
SITE_RULES = ("site.official-domain", "site.required-sections", "site.broken-links",
              "security.spam-injection", "disclosure.reachable")
POST_RULES = ("posts.monthly-quota", "posts.event-deadline", "posts.pgd-proposals",
              "workflow.approval", "text.tcvn6909")


def refusing_url() -> str:
    """An address on 127.0.0.1 where nothing listens: connections are refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


def school(tmp_path: Path, **replace: str) -> Path:
    """The demo school's files in a folder of their own (so one can be broken)."""
    folder = tmp_path / "truong"
    folder.mkdir()
    for name in ("auditor.toml", "cms-export.csv", "lich-cong-tac.ics"):
        shutil.copy(DEMO / name, folder / name)
    for name, text in replace.items():
        (folder / name).write_text(text, encoding="utf-8")
    with (folder / "auditor.toml").open("a", encoding="utf-8") as toml:
        toml.write("\n[crawl]\nretries = 0\n")  # refused at once: no need to wait and retry
    return folder / "auditor.toml"


def audit(capsys: pytest.CaptureFixture[str], tmp_path: Path, config: Path,
          *args: str) -> tuple[int, dict[str, dict[str, Any]], dict[str, Any], str]:
    out = tmp_path / "kq.json"
    capsys.readouterr()
    code = main(["check", "--config", str(config), "--as-of", AS_OF, "--format", "json",
                 "-o", str(out), "--history", str(tmp_path / "h.sqlite"),
                 "--report-dir", str(tmp_path / "bao-cao"), *args])
    err = capsys.readouterr().err
    assert "Traceback" not in err and "Lỗi nội bộ" not in err, err
    data = json.loads(out.read_text(encoding="utf-8"))
    return code, {r["id"]: r for r in data["rules"]}, data, err


def reports_written(tmp_path: Path) -> list[str]:
    return sorted(p.suffix for p in (tmp_path / "bao-cao").iterdir())


def test_site_refusing_connections(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = refusing_url()
    code, rules, data, err = audit(capsys, tmp_path, school(tmp_path), "--site", url)
    assert code == 3
    assert reports_written(tmp_path) == [".csv", ".html", ".xlsx"]
    for rule in SITE_RULES:
        assert rules[rule]["status"] == "not_checked", rule
        assert url in rules[rule]["reason"] and "Kiểm tra địa chỉ" in rules[rule]["reason"]
    for rule in POST_RULES:  # judged on the export and the calendar
        assert rules[rule]["status"] != "not_checked", (rule, rules[rule].get("reason"))
    assert any(f["rule"] == "posts.event-deadline" for f in data["findings"])
    [line] = [ln for ln in err.splitlines() if ln.startswith("Kiểm tra chưa đầy đủ")]
    assert "trang web" in line


def test_offline_after_a_failed_crawl_does_not_suggest_offline(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = refusing_url()
    config = school(tmp_path)
    audit(capsys, tmp_path, config, "--site", url)
    code, rules, _data, err = audit(capsys, tmp_path, config, "--site", url, "--offline")
    assert code == 3
    reason = rules["site.required-sections"]["reason"]
    assert "không dùng --offline" in reason
    assert "hoặc dùng --offline" not in reason + err
    # With the site as the only source, the error line stops the run: still no --offline.
    capsys.readouterr()
    alone = main(["check", "--site", url, "--offline", "--history", str(tmp_path / "h2.sqlite")])
    err = capsys.readouterr().err
    assert alone == 3 and "hoặc dùng --offline" not in err and "Traceback" not in err, err


def test_english_partial_audit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, rules, _data, err = audit(capsys, tmp_path, school(tmp_path), "--site",
                                    refusing_url(), "--lang", "en")
    assert code == 3 and "Incomplete audit: the site could not be used" in err
    assert "Check the address" in rules["site.broken-links"]["reason"]  # English JSON


def test_missing_calendar(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = school(tmp_path)
    (config.parent / "lich-cong-tac.ics").unlink()
    code, rules, _data, err = audit(capsys, tmp_path, config)
    assert code == 3
    assert rules["posts.event-deadline"]["status"] == "not_checked"
    assert "Không đọc được lịch công tác" in rules["posts.event-deadline"]["reason"]
    assert "lich-cong-tac.ics" in rules["posts.event-deadline"]["reason"]
    assert rules["posts.monthly-quota"]["status"] != "not_checked"
    assert reports_written(tmp_path) == [".csv", ".html", ".xlsx"]
    assert "lịch công tác" in err


def test_unreadable_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = school(tmp_path)
    (config.parent / "cms-export.csv").write_bytes(b"\x00\xff\x00 not a table \x00" * 50)
    code, rules, _data, _err = audit(capsys, tmp_path, config)
    assert code == 3
    for rule in POST_RULES:
        assert rules[rule]["status"] == "not_checked"
        assert "Không đọc được tệp xuất CMS" in rules[rule]["reason"], rules[rule]["reason"]
    assert reports_written(tmp_path) == [".csv", ".html", ".xlsx"]


def test_the_only_source_failing_is_still_an_input_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    code = main(["check", "--export", str(tmp_path / "khong-co.csv"), "--history",
                 str(tmp_path / "h.sqlite")])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("Lỗi: ") and "khong-co.csv" in err
