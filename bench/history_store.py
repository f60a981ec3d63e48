"""Benchmark of the history store: recording runs, annotating, trends.

    python bench/history_store.py [runs] [findings-per-run]

Prints figures; no assertion (speed targets live here, not in tests). The
shape follows a district inspector's file: many runs, a few hundred findings
each, most of them the same from run to run.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from auditor.history import DisclosureRecord, DisclosureState, HistoryStore, annotate, trends  # noqa: E402
from tests._history_support import finding, report  # noqa: E402


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    per_run = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    items = tuple(DisclosureRecord(f"post:{i}", f"Biểu mẫu {i}", f"https://x/ck/ct/1025/{i}")
                  for i in range(40))
    state = DisclosureState(url="https://x/cong-khai/c/1025", status=200, items=items)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "history.sqlite3"
        record_times: list[float] = []
        annotate_times: list[float] = []
        with HistoryStore.open(path) as store:
            for n in range(runs):
                day = date(2026, 1, 1) + timedelta(days=n)
                # 90 % of findings carry over; 10 % are new each run.
                subjects = [f"url:/p/{(i + n * per_run // 10)}" for i in range(per_run)]
                rep = report(day, [finding("site.broken-links", s) for s in subjects])
                t0 = time.perf_counter()
                annotate(store, rep)
                t1 = time.perf_counter()
                store.record_run(rep, snapshot_disclosure=state)
                t2 = time.perf_counter()
                annotate_times.append(t1 - t0)
                record_times.append(t2 - t1)
            t0 = time.perf_counter()
            rows = trends(store)
            trend_time = time.perf_counter() - t0
        size = path.stat().st_size
    print(f"runs: {runs}, findings per run: {per_run}, disclosure items per run: {len(items)}")
    print(f"record_run: mean {1000 * sum(record_times) / runs:.1f} ms, "
          f"last {1000 * record_times[-1]:.1f} ms")
    print(f"annotate:   mean {1000 * sum(annotate_times) / runs:.1f} ms, "
          f"last {1000 * annotate_times[-1]:.1f} ms")
    print(f"trends over {len(rows)} runs: {trend_time:.2f} s")
    print(f"ratio last/first record_run: {record_times[-1] / max(record_times[0], 1e-9):.2f}")
    print(f"file size: {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
