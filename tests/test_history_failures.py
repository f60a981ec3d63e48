"""The history fails clearly and costs nothing else (issue 13.11, 15.6): a newer schema is
refused (exit 2) and a damaged file named with what to do — both before any crawling; a
history that cannot record the run still lets the reports be written (exit 3); four runs
at once on one file all finish and are all recorded. Real SQLite files, real processes."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from auditor.cli import main
from auditor.history import HistoryStore
from tests.loopback import LoopbackServer, Reply

DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "demo"
CHECK = ["check", "--config", str(DEMO / "auditor.toml"), "--as-of", "2026-11-30"]
HOME = "<html><head><title>Trường THCS Thử</title></head><body>Xin chào</body></html>"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    capsys.readouterr()
    code = main(list(argv))
    return code, [ln for ln in capsys.readouterr().err.splitlines() if ln.strip()]


def recorded_history(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, *CHECK, "--history", str(path), "--format", "json")[0] in (0, 1)


def test_a_newer_schema_is_refused_before_crawling(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "h.sqlite"
    recorded_history(db, capsys)
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO _migrations (name, applied_at) VALUES "
                     "('m099_from_the_future', '2027-01-01T00:00:00+00:00')")
    conn.close()
    before = db.read_bytes()
    with LoopbackServer({"/": Reply(200, HOME)}) as site:
        code, lines = run(capsys, *CHECK, "--history", str(db), "--site", site.url("/"),
                          "--report-dir", str(tmp_path / "bao-cao"))
        assert site.requests() == []  # refused before the crawl: nothing fetched
    assert code == 2
    assert lines == [
        f"Lỗi: {db}: tệp lịch sử do phiên bản auditor mới hơn tạo (m099_from_the_future); "
        "không ghi vào.",
        "Gợi ý: Cập nhật auditor (pip install -U auditor), hoặc dùng --history TỆP khác."]
    assert db.read_bytes() == before  # not written into
    assert not (tmp_path / "bao-cao").exists()
    code, lines = run(capsys, *CHECK, "--history", str(db), "--lang", "en")
    assert code == 2 and lines[0].startswith(f"Error: {db}: the history file was written by a "
                                             "newer auditor")


def _damage(db: Path) -> None:
    """Overwrite pages in the middle of the file (not the header): SQLite sees corruption."""
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    assert len(data) >= 4 * page, "the history should span several pages"
    for n in range(1, len(data) // page):
        data[n * page: n * page + 64] = b"\xde\xad\xbe\xef" * 16
    db.write_bytes(bytes(data))


def test_a_damaged_history_is_named_with_what_to_do(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "h.sqlite"
    for _ in range(3):
        recorded_history(db, capsys)
    for side in (db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        assert not side.exists()  # closed cleanly: everything is in the main file
    _damage(db)
    with LoopbackServer({"/": Reply(200, HOME)}) as site:
        code, lines = run(capsys, *CHECK, "--history", str(db), "--site", site.url("/"))
        assert site.requests() == []
    assert code == 2 and len(lines) == 2, lines
    assert lines[0].startswith(f"Lỗi: {db}: tệp lịch sử bị hỏng")
    assert lines[1].startswith(f"Gợi ý: Đổi tên tệp {db}")
    for command in (["history", "--history", str(db)],
                    ["report", "--month", "2026-10", "--config", str(DEMO / "auditor.toml"),
                     "--history", str(db), "--csv", str(tmp_path / "r.csv")]):
        code, lines = run(capsys, *command)
        assert code == 2 and "bị hỏng" in lines[0] and "Traceback" not in "".join(lines)


def _hold(db: Path) -> subprocess.Popen[str]:
    """Another process that takes the history's write lock and keeps it."""
    script = (f"import sqlite3, sys, time\n"
              f"c = sqlite3.connect({str(db)!r}, isolation_level=None)\n"
              f"c.execute('BEGIN IMMEDIATE')\n"
              f"print('held', flush=True)\n"
              f"time.sleep(60)\n")
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def test_a_history_that_cannot_record_still_gets_the_reports_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "h.sqlite"
    recorded_history(db, capsys)
    monkeypatch.setenv("AUDITOR_HISTORY_WAIT", "1")
    holder = _hold(db)
    try:
        code, lines = run(capsys, *CHECK, "--history", str(db), "--report-dir",
                          str(tmp_path / "bao-cao"), "--format", "json", "-o",
                          str(tmp_path / "kq.json"))
    finally:
        holder.kill()
        holder.wait()
    assert code == 3, lines
    assert sorted(p.suffix for p in (tmp_path / "bao-cao").iterdir()) == [
        ".csv", ".html", ".xlsx"]
    [said] = [ln for ln in lines if not ln.startswith("Đã ghi ")]
    assert said == (f"Không ghi được lần kiểm tra này vào lịch sử {db} (một lần kiểm tra khác "
                    "đang giữ tệp); báo cáo vẫn đầy đủ nhưng lần sau sẽ không so sánh được với "
                    "lần này.")
    text = (tmp_path / "kq.json").read_text(encoding="utf-8")
    assert "Không ghi được lần kiểm tra này vào lịch sử" in text
    with HistoryStore.open(db) as store:
        assert len(store.runs()) == 1


def test_four_runs_at_once_on_one_history(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    env = {**os.environ, "AUDITOR_LANG": ""}
    procs = [subprocess.Popen([sys.executable, "-m", "auditor", *CHECK, "--history", str(db),
                               "--format", "json", "-o", str(tmp_path / f"kq{i}.json")],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for i in range(4)]
    started = time.monotonic()
    results = [(p.wait(timeout=300), p.communicate()[1]) for p in procs]
    for code, err in results:
        assert code in (0, 1), err
        assert "Lỗi" not in err and "locked" not in err, err
    with HistoryStore.open(db) as store:
        assert len(store.runs()) == 4
    print(f"four concurrent runs on one history: {time.monotonic() - started:.1f} s")


def test_four_crawls_at_once_share_the_history_and_the_cache(tmp_path: Path) -> None:
    """The same with a crawl of a site on 127.0.0.1 and one crawl cache: the cache used to
    hold its write lock for a whole crawl ("Lỗi nội bộ … database is locked")."""
    page = "<html><head><title>Tin {n}</title></head><body><p>Bài {n}</p>{links}</body></html>"
    links = "".join(f'<a href="/tin/{i}">Tin {i}</a>' for i in range(30))
    routes = {"/": Reply(200, page.format(n="chủ", links=links))}
    routes.update({f"/tin/{i}": Reply(200, page.format(n=i, links=""), delay=0.02)
                   for i in range(30)})
    config = tmp_path / "auditor.toml"
    config.write_text('[school]\nname = "Trường THCS Thử"\n[crawl]\nmin_delay = 0\n'
                      "per_host_concurrency = 4\n", encoding="utf-8")
    db, cache = tmp_path / "h.sqlite", tmp_path / "crawl.sqlite"
    with LoopbackServer(routes) as site:
        procs = [subprocess.Popen(
            [sys.executable, "-m", "auditor", "check", "--config", str(config), "--site",
             site.url("/"), "--history", str(db), "--cache", str(cache), "--as-of",
             "2026-11-30", "--format", "json", "-o", str(tmp_path / f"kq{i}.json")],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(4)]
        results = [(p.wait(timeout=300), p.communicate()[1]) for p in procs]
    for code, err in results:
        assert code in (0, 1), err
        assert "Lỗi" not in err and "locked" not in err, err
    with HistoryStore.open(db) as store:
        assert len(store.runs()) == 4
