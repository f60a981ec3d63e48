"""Every writer fails in one line and an exit code, never a traceback or "Exception
ignored" noise (issue 15.3): Excel, HTML, CSV (the report set), JSON (--output), the
history and the crawl cache; into a read-only folder, a file in place of the folder and a
full disk (a small tmpfs when this process may mount one, else RLIMIT_FSIZE, EFBIG).
A report set is written together or not at all, and no temporary file stays (13.12)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from auditor.cli import main
from tests.loopback import LoopbackServer, Reply

DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "demo"
CONFIG = str(DEMO / "auditor.toml")
BASE = ["check", "--config", CONFIG, "--as-of", "2026-11-30"]


def _mount(target: Path, options: str) -> bool:
    if os.geteuid() != 0:
        return False
    target.mkdir(exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)],
                          capture_output=True)
    return done.returncode == 0


@contextlib.contextmanager
def read_only_dir(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody may write to: a read-only tmpfs as root (root ignores modes)."""
    target = tmp_path / "chi-doc"
    if _mount(target, "size=64k,ro"):
        try:
            yield target
        finally:
            subprocess.run(["umount", str(target)], check=False)
    elif os.geteuid() != 0:
        target.mkdir()
        target.chmod(0o500)
        try:
            yield target
        finally:
            target.chmod(0o700)
    else:
        pytest.skip("running as root without mount(2): no way to make a read-only folder")


@contextlib.contextmanager
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    target = tmp_path / "day"
    if not _mount(target, "size=32k"):
        pytest.skip("cannot mount a tmpfs here; the RLIMIT_FSIZE test covers a full disk")
    try:
        yield target
    finally:
        subprocess.run(["umount", str(target)], check=False)


def report_names(tmp_path: Path) -> list[str]:
    """The names `--report-dir` gives the demo's report set (learnt from a real write, so
    that these tests do not depend on how names are made)."""
    probe = tmp_path / "probe"
    assert main([*BASE, "--history", str(tmp_path / "probe.sqlite"), "--report-dir",
                 str(probe), "--format", "json", "-o", str(tmp_path / "probe.json")]) in (0, 1)
    names = sorted(p.name for p in probe.iterdir())
    assert [Path(n).suffix for n in names] == [".csv", ".html", ".xlsx"]
    return names


def one_line_error(err: str) -> None:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert 1 <= len(lines) <= 2 and lines[0].startswith("Lỗi: "), err
    assert all(ln.startswith(("Lỗi: ", "Gợi ý: ")) for ln in lines), err


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(list(argv))
    return code, capsys.readouterr().err


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


WRITERS = {
    "reports": lambda d, h: [*BASE, "--history", str(h), "--report-dir", str(d / "bao-cao")],
    "json": lambda d, h: [*BASE, "--history", str(h), "--format", "json", "-o",
                          str(d / "x" / "kq.json")],
    "text": lambda d, h: [*BASE, "--history", str(h), "-o", str(d / "x" / "kq.txt")],
    "history": lambda d, h: [*BASE, "--history", str(d / "x" / "lich-su.sqlite")],
}


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_read_only_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                          writer: str) -> None:
    with read_only_dir(tmp_path) as folder:
        code, err = run(capsys, *WRITERS[writer](folder, tmp_path / "h.sqlite"))
        assert code == 2
        one_line_error(err)
        assert str(folder) in err
        assert leftovers(folder) == []


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_a_file_in_place_of_the_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       writer: str) -> None:
    (tmp_path / "x").write_text("tôi là một tệp", encoding="utf-8")
    (tmp_path / "bao-cao").write_text("tôi là một tệp", encoding="utf-8")
    code, err = run(capsys, *WRITERS[writer](tmp_path, tmp_path / "h.sqlite"))
    assert code == 2
    one_line_error(err)
    assert "không phải thư mục" in err or "chỗ cần thư mục" in err, err
    assert (tmp_path / "x").read_text(encoding="utf-8") == "tôi là một tệp"


def test_full_disk_tmpfs_keeps_the_old_report_set(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    with tiny_disk(tmp_path) as disk:
        out = disk / "bao-cao"
        out.mkdir()
        old = {name: f"bản cũ {name}".encode() for name in report_names(tmp_path)}
        for name, data in old.items():
            (out / name).write_bytes(data)
        code, err = run(capsys, *BASE, "--history", str(tmp_path / "h.sqlite"),
                        "--report-dir", str(out))
        assert code == 2
        one_line_error(err)
        assert "ổ đĩa đã đầy" in err
        # Not a mixed set: every old file is still there, unchanged, and no temporary.
        assert {p.name: p.read_bytes() for p in out.iterdir()} == old


def test_full_disk_by_file_size_limit(tmp_path: Path) -> None:
    """RLIMIT_FSIZE (any user, no mount needed): every write past 20 kB gets EFBIG. The
    audit runs first, then the limit is set and the report set is written."""
    pytest.importorskip("resource")
    out = tmp_path / "bao-cao"
    script = textwrap.dedent(f"""
        import resource, sys
        from datetime import date
        from auditor.audit import AuditOptions, run_audit
        from auditor.errors import AuditorError
        from auditor.render.files import write_reports
        report = run_audit(AuditOptions(config_path=Path({CONFIG!r}), as_of=date(2026, 11, 30),
                                        history=Path({str(tmp_path / "h.sqlite")!r})))
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))
        try:
            write_reports(report, Path({str(out)!r}))
        except AuditorError as exc:
            print("\\n".join(exc.lines()), file=sys.stderr)
            sys.exit(exc.exit_code)
    """).replace("import resource, sys", "import resource, sys\nfrom pathlib import Path")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 2, proc.stderr
    one_line_error(proc.stderr)
    assert "tệp vượt giới hạn kích thước" in proc.stderr
    assert leftovers(out) == []


def test_history_past_a_file_size_limit(tmp_path: Path) -> None:
    """The history hitting EFBIG while it is opened: one line naming it, exit 2."""
    pytest.importorskip("resource")
    assert main([*BASE, "--history", str(tmp_path / "h.sqlite"), "--format", "json",
                 "-o", str(tmp_path / "warm.json")]) in (0, 1)
    script = textwrap.dedent(f"""
        import resource, sys
        from auditor.cli import main
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))
        sys.exit(main({[*BASE, "--history", str(tmp_path / "h.sqlite")]!r}))
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode in (2, 3), proc.stderr
    one_line_error(proc.stderr.split("\n", 0)[0] if proc.returncode == 2 else proc.stderr)
    assert "h.sqlite" in proc.stderr


def test_cache_in_a_read_only_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = "<html><head><title>Trường THCS Thử</title></head><body>Xin chào</body></html>"
    with read_only_dir(tmp_path) as folder, LoopbackServer({"/": Reply(200, page)}) as site:
        code, err = run(capsys, "check", "--site", site.url("/"), "--history",
                        str(tmp_path / "h.sqlite"), "--cache", str(folder / "c" / "crawl.sqlite"),
                        "--format", "json", "-o", str(tmp_path / "kq.json"))
    assert code == 2
    one_line_error(err)
    assert "bộ nhớ đệm" in err and str(folder) in err


def test_english_file_errors_are_english(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bao-cao").write_text("x", encoding="utf-8")
    code, err = run(capsys, *BASE, "--history", str(tmp_path / "h.sqlite"), "--report-dir",
                    str(tmp_path / "bao-cao"), "--lang", "en")
    assert code == 2 and err.startswith("Error: Could not write the report file")
    assert "Traceback" not in err and not any(ch in err for ch in "ảạđờệố"), err


def _stale(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp"))


def test_a_report_write_stopped_by_sigterm_leaves_no_temporary(tmp_path: Path) -> None:
    """SIGTERM halfway through the set (the Excel file written, the HTML not yet): the
    old set stays whole and every temporary file is removed."""
    out = tmp_path / "bao-cao"
    out.mkdir()
    names = report_names(tmp_path)
    for name in names:
        (out / name).write_text(f"cũ {name}", encoding="utf-8")
    script = textwrap.dedent(f"""
        import sys, time
        import auditor.render.html as html
        real = html.render_html
        def slow(*a, **k):
            print("xlsx-done", flush=True)
            time.sleep(30)
            return real(*a, **k)
        html.render_html = slow
        from auditor.cli import main
        sys.exit(main({[*BASE, "--history", str(tmp_path / "h.sqlite"), "--report-dir",
                        str(out)]!r}))
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if "xlsx-done" in line:
            break
    assert _stale(out), "the Excel temporary should exist while the set is being written"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143 and "Traceback" not in err, err
    assert err.strip().splitlines()[-1] == "Đã dừng."
    assert _stale(out) == []
    assert {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()} == {
        name: f"cũ {name}" for name in names}


def test_temporaries_of_a_killed_writer_are_swept(tmp_path: Path) -> None:
    """SIGKILL cannot be caught: the next write of the same report removes what the dead
    process left (its pid is in the name); a live writer's temporaries are left alone."""
    out = tmp_path / "bao-cao"
    out.mkdir()
    xlsx = [n for n in report_names(tmp_path) if n.endswith(".xlsx")][0]
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    orphan = out / f".{xlsx}.{dead.pid}.abcd1234.tmp"
    orphan.write_bytes(b"half")
    live = out / f".{xlsx}.{os.getppid()}.efgh5678.tmp"
    live.write_bytes(b"someone else's")
    time.sleep(0.01)
    assert main([*BASE, "--history", str(tmp_path / "h.sqlite"), "--report-dir", str(out),
                 "--format", "json", "-o", str(tmp_path / "kq.json")]) in (0, 1)
    assert not orphan.exists() and live.exists()
    assert sorted(p.suffix for p in out.iterdir() if not p.name.startswith(".")) == [
        ".csv", ".html", ".xlsx"]
