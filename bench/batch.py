"""Batch benchmark (issue 16): `auditor batch` over many schools against auditing them in turn.

Serves N school sites of P pages each (default 50 × 200) on 127.0.0.1, one
port per school, from one separate server process (asyncio, keep-alive). Every
school crawls politely with ``crawl.min_delay`` = 0.2 s per host (the registry's
``[crawl]`` table), exactly as a real run would at a faster pace.

* batch: ``auditor batch`` over all N schools (``--concurrency``, default 8),
  in a child process: wall time and that process's peak memory (ru_maxrss).
* sequential: ``auditor check`` for the first K schools (default 3) one after
  another, each its own process; the time for all N is extrapolated
  (mean per school × N) and printed as such.

Prints wall times, the batch/sequential ratio (target ≤ 1/8) and the batch's
peak memory (target ≤ 500 MB).

    python bench/batch.py [--schools 50] [--pages 200] [--delay 0.2]
                          [--concurrency 8] [--sequential 3]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from crawl import serve  # noqa: E402  (bench/crawl.py: the same site and server)


def run_measured(cmd: list[str]) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MB, exit code) of one child process."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.returncode not in (0, 1):
        print(f"warning: exit {proc.returncode}: {err[-600:]}", file=sys.stderr)
    peak = usage.ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else usage.ru_maxrss / 1024
    return wall, peak, proc.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=50)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0.2, help="crawl.min_delay per host, s")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--sequential", type=int, default=3,
                        help="schools audited one after another (extrapolated to all)")
    args = parser.parse_args(argv)

    ports_q: mp.Queue = mp.Queue()  # type: ignore[type-arg]
    server = mp.Process(target=serve, args=(args.schools, args.pages, ports_q), daemon=True)
    server.start()
    ports: list[int] = ports_q.get(timeout=120)
    auditor = [sys.executable, "-m", "auditor"]
    try:
        with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
            root = Path(tmp)
            crawl = (f"[crawl]\nmin_delay = {args.delay}\nmax_pages = {args.pages * 2}\n"
                     "retries = 0\nmax_documents = 0\n")
            lines = [crawl]
            for i, port in enumerate(ports, start=1):
                lines.append(f'[[school]]\nname = "Trường THCS Số {i}"\n'
                             f'site = "http://127.0.0.1:{port}"\n')
            registry = root / "truong.toml"
            registry.write_text("\n".join(lines), encoding="utf-8")

            # Sequential: `auditor check` per school, each in its own process.
            seq_walls = []
            for i, port in enumerate(ports[: args.sequential], start=1):
                school = root / f"seq-{i}"
                school.mkdir()
                (school / "auditor.toml").write_text(
                    f'[school]\nname = "Trường THCS Số {i}"\nurl = "http://127.0.0.1:{port}"\n'
                    f'[sources]\nsite = "http://127.0.0.1:{port}"\n'
                    f'[history]\npath = "lich-su.sqlite"\n'
                    + crawl + 'cache = "crawl.sqlite"\n', encoding="utf-8")
                wall, _, _ = run_measured([*auditor, "check", "-c", str(school / "auditor.toml"),
                                           "--quiet", "--report-dir", str(school / "bao-cao")])
                seq_walls.append(wall)
            per_school = sum(seq_walls) / len(seq_walls)
            sequential = per_school * args.schools

            batch_wall, batch_peak, code = run_measured(
                [*auditor, "batch", str(registry), "--quiet", "--concurrency",
                 str(args.concurrency), "--report-dir", str(root / "bao-cao"),
                 "--history-dir", str(root / "lich-su"), "--cache-dir", str(root / "cache")])
            rollup = (root / "bao-cao" / "tong-hop.json").read_text(encoding="utf-8")
            import json

            rows = json.loads(rollup)["rows"]
            audited = sum(1 for r in rows if r["audited"])
    finally:
        server.terminate()
        server.join()

    ratio = batch_wall / sequential if sequential else float("nan")
    print(f"sites: {args.schools} × {args.pages} pages on 127.0.0.1 (distinct ports), "
          f"min_delay {args.delay} s per host, batch concurrency {args.concurrency}")
    print(f"sequential: {len(seq_walls)} schools measured one after another "
          f"({', '.join(f'{w:.1f}' for w in seq_walls)} s), mean {per_school:.1f} s/school; "
          f"extrapolated to {args.schools} schools: {sequential:.0f} s")
    print(f"batch: {batch_wall:.1f} s for {args.schools} schools ({audited} audited, exit {code}); "
          f"peak memory {batch_peak:.0f} MB (target <= 500 MB)")
    print(f"batch/sequential: 1/{1 / ratio:.1f} ({ratio:.3f}; target <= 1/8 = 0.125)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
