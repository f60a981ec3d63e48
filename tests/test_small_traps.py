"""The small traps of issue 15.7, each through the real command line."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from auditor.cli import main

DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "demo"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def demo_copy(tmp_path: Path, extra: str = "") -> Path:
    for name in ("cms-export.csv", "lich-cong-tac.ics"):
        shutil.copy(DEMO / name, tmp_path / name)
    toml = tmp_path / "auditor.toml"
    toml.write_text((DEMO / "auditor.toml").read_text(encoding="utf-8") + extra,
                    encoding="utf-8")
    return toml


def test_waivers_that_match_nothing_are_reported(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    config = demo_copy(tmp_path, textwrap.dedent("""
        [[waivers]]
        rule = "posts.monthly-quota"
        subject = "month:2026-13"
        reason = "Gõ nhầm tháng"

        [[waivers]]
        rule = "posts.montly-quota"
        reason = "Gõ nhầm mã quy tắc"

        [[waivers]]
        rule = "posts.event-deadline"
        reason = "Miễn cả quy tắc: khớp"
    """))
    code, out, _ = run(capsys, "check", "--config", str(config), "--as-of", "2026-11-30",
                       "--history", str(tmp_path / "h.sqlite"), "--format", "json")
    notices = json.loads(out)["notices"]
    assert ("Miễn trừ [[waivers]] rule = 'posts.monthly-quota', subject = 'month:2026-13' "
            "không khớp phát hiện nào (gõ nhầm đối tượng, hoặc việc đã được khắc phục).") \
        in notices
    assert ("Miễn trừ [[waivers]] rule = 'posts.montly-quota': bộ quy tắc không có quy tắc "
            "này (gõ nhầm mã?); miễn trừ không có tác dụng.") in notices
    assert not any("posts.event-deadline" in n for n in notices)  # that one matched


def test_an_unknown_table_is_named_with_the_nearest(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "auditor.toml"
    config.write_text('[schol]\nname = "Trường THCS Thử"\n', encoding="utf-8")
    code, _, err = run(capsys, "check", "--config", str(config))
    assert code == 2
    assert err.splitlines()[0] == (f"Lỗi: {config}: bảng [schol] không có trong cấu hình; "
                                   "ý bạn là [school]?")
    code, _, err = run(capsys, "check", "--config", str(config), "--lang", "en")
    assert err.splitlines()[0] == (f"Error: {config}: there is no table [schol] in the "
                                   "configuration; did you mean [school]?")


def test_config_hint_works_where_auditor_toml_exists(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("auditor.toml").write_text('[school]\nname = "Trường"\nkind = "THPTT"\n',
                                    encoding="utf-8")
    code, _, err = run(capsys, "check")
    assert code == 2 and "'THCS-THPT' hoặc 'GDTX'" in err and " or " not in err, err
    hint = err.splitlines()[1]
    command = hint.split("'")[1].split()  # e.g. auditor init auditor-mau.toml
    assert command[:2] == ["auditor", "init"]
    code, _, err = run(capsys, *command[1:])
    assert code == 0, err  # the hint's command works here
    assert Path(command[2]).is_file()


def test_text_convert_says_nothing_needed_converting(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "thong-bao.txt"
    src.write_text("Thông báo lịch thi học kỳ I.\n", encoding="utf-8")
    code, out, _ = run(capsys, "text", "convert", str(src))
    assert code == 0
    assert out.strip() == (f"{src}: đã đúng Unicode (NFC, UTF-8), không có gì cần chuyển; "
                           "không ghi tệp nào.")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thong-bao.txt"]
    code, out, _ = run(capsys, "text", "convert", str(src), "--lang", "en")
    assert "nothing needed converting" in out


def _stopped_run(tmp_path: Path, sig: signal.Signals) -> tuple[int, str]:
    script = textwrap.dedent(f"""
        import sys, time
        import auditor.render.html as html
        def slow(*a, **k):
            print("writing", flush=True)
            time.sleep(30)
        html.render_html = slow
        from auditor.cli import main
        sys.exit(main(["check", "--config", {str(DEMO / "auditor.toml")!r}, "--as-of",
                       "2026-11-30", "--history", {str(tmp_path / "h.sqlite")!r},
                       "--report-dir", {str(tmp_path / "bao-cao")!r}]))
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if "writing" in line:
            break
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    return proc.returncode, err


def test_ctrl_c_exits_130_with_one_line(tmp_path: Path) -> None:
    code, err = _stopped_run(tmp_path, signal.SIGINT)
    assert code == 130
    assert [ln for ln in err.splitlines() if ln.strip()] == ["Đã dừng."], err
    assert not list((tmp_path / "bao-cao").glob(".*.tmp"))


def test_report_prints_times_in_the_schools_zone(tmp_path: Path) -> None:
    """On a machine in UTC, `auditor report` prints the run's time in Asia/Ho_Chi_Minh."""
    env = {**os.environ, "TZ": "UTC"}
    proc = subprocess.run(
        [sys.executable, "-m", "auditor", "report", "--month", "2026-10", "--config",
         str(DEMO / "auditor.toml"), "--history", str(tmp_path / "h.sqlite"), "--rerun",
         "--csv", str(tmp_path / "r.csv")], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    line = proc.stdout.splitlines()[0]
    assert line.startswith("Nguồn: kiểm tra mới lúc ")
    stamp = datetime.strptime(line.removeprefix("Nguồn: kiểm tra mới lúc ")[:16], "%d/%m/%Y %H:%M")
    now = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).replace(tzinfo=None)
    assert abs(now - stamp) < timedelta(minutes=3)
