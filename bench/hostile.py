"""Hostile answers against the one HTTP path and the readers (issue 13): figures, not asserts.

Each case runs in its own process, so its peak memory is its own:

- a 1 byte/s drip through ``SiteClient`` (request limit 2 s, deadline 3 s): seconds until cut;
- a gzip bomb (200 MB unpacked) through ``SiteClient`` with a 5 MB cap: bytes kept, peak RSS;
- a .docx zip bomb (300 MB unpacked) through ``scan_docx``: seconds to refuse, peak RSS;
- a page of 100,000 nested ``<div>`` through ``page_signals``: seconds, peak RSS.

Targets: every case ends, peak memory under 500 MB.

    python bench/hostile.py
"""

from __future__ import annotations

import io
import multiprocessing as mp
import resource
import sys
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _drip() -> str:
    from auditor.crawl.client import SiteClient
    from auditor.crawl.settings import CrawlSettings
    from tests.loopback import LoopbackServer, Reply

    def chunks() -> Iterator[bytes]:
        for _ in range(600):
            time.sleep(1.0)
            yield b"x"

    with LoopbackServer({"/": Reply(200, chunks=chunks)}) as server:
        settings = CrawlSettings(polite=False, timeout=2, request_time_limit=2, retries=3,
                                 obey_robots=False)
        started = time.monotonic()
        got = SiteClient.until(settings, 3.0).get(server.url("/"))
        took = time.monotonic() - started
    return f"drip 1 B/s: cut after {took:.1f} s ({got.error_code})"


def _gzip_bomb() -> str:
    from auditor.crawl.client import SiteClient
    from auditor.crawl.settings import CrawlSettings
    from tests.loopback import LoopbackServer, Reply

    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip, built without 200 MB in memory
    block = b"\0" * 1_000_000
    bomb = b"".join(packer.compress(block) for _ in range(200)) + packer.flush()
    with LoopbackServer({"/": Reply(200, bomb, headers={"Content-Encoding": "gzip"})}) as server:
        settings = CrawlSettings(polite=False, obey_robots=False, max_bytes=5_000_000)
        started = time.monotonic()
        got = SiteClient.until(settings, 30.0).get(server.url("/"), binary=True)
        took = time.monotonic() - started
    return (f"gzip bomb {len(bomb):,} B → 200 MB: kept {len(got.body or b''):,} B, "
            f"truncated={got.truncated}, {took:.2f} s")


def _docx_bomb() -> str:
    from auditor.errors import InputError
    from auditor.vntext.docx import scan_docx

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf, \
            zf.open("word/document.xml", "w") as member:
        for _ in range(300):
            member.write(b" " * 1_000_000)
    data = buffer.getvalue()
    started = time.monotonic()
    try:
        scan_docx(data)
        verdict = "read (!)"
    except InputError:
        verdict = "refused"
    return f"docx bomb {len(data):,} B → 300 MB: {verdict} in {time.monotonic() - started:.3f} s"


def _deep_page() -> str:
    from auditor.ruleset import load_ruleset
    from auditor.spam import HidingRules, ScanOptions, TermSet, page_signals

    params = load_ruleset().rules["security.spam-injection"].params
    opts = ScanOptions(TermSet.from_params(params), ("truong.edu.vn",),
                       HidingRules(float(params["offscreen_px"]), float(params["tiny_font_px"])),
                       params["excerpt_chars"])
    depth = 100_000
    html = ("<html><body>" + "<div style='color:#123'>" * depth
            + "<div style='display:none'><a href='https://kuwin.example/'>nổ hũ</a></div>"
            + "</div>" * depth + "</body></html>")
    started = time.monotonic()
    found = page_signals("https://truong.edu.vn/", html, opts)
    return (f"100,000 nested divs: {len(found)} signal(s) "
            f"({', '.join(sorted({s.kind for s in found}))}) in {time.monotonic() - started:.1f} s")


def _run(case: Callable[[], str], queue: mp.Queue[str]) -> None:
    line = case()
    queue.put(f"{line}; peak {_peak_mb():.0f} MB")


def main() -> int:
    context = mp.get_context("spawn")
    for case in (_drip, _gzip_bomb, _docx_bomb, _deep_page):
        queue: mp.Queue[str] = context.Queue()
        process = context.Process(target=_run, args=(case, queue))
        process.start()
        print(queue.get(timeout=600), flush=True)
        process.join()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
