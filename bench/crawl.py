"""Crawl and whole-check benchmark (issues 3 and 10) on one loopback site.

Generates an N-page school site (default 5,000), serves it from a separate
process with a small keep-alive static server on 127.0.0.1, and runs on it,
each in its own process (so CPU time and peak memory are its own):

- ``bare``: a bare httpx fetch loop over the site's URL list (no parsing; one
  AsyncClient with its default transport, one pool of `concurrency` connections —
  the crawler's client splits its connections over pools of 4, see
  auditor/crawl/transport.py, so the crawler can beat this loop);
- ``crawler``: the crawler alone, politeness off, concurrency 16, page cache on;
- ``scrapy``: Scrapy crawling the same site from its home page and extracting
  each page's title and date (``pip install -e '.[bench]'``; skipped without it);
- ``check``: the whole ``auditor check --site`` (crawl, extraction, rules,
  history), with ``[crawl]`` set to the same concurrency and no delay.

Prints wall time, pages/s, CPU per page, peak memory, the crawler/bare ratio
and the whole-check/Scrapy ratio. Targets: crawler/bare >= 60 %; whole check
<= 0.8 x Scrapy's wall time; peak memory <= 300 MB at 5,000 pages.
``--profile FILE`` runs the whole check under cProfile and prints its top costs.

    python bench/crawl.py [--pages 5000] [--concurrency 16] [--only check,scrapy]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import multiprocessing as mp
import re
import sys
import tempfile
import time
from pathlib import Path

FILLER = ("<p>Sáng ngày 20/11, Trường THCS Demo tổ chức lễ kỷ niệm Ngày Nhà giáo Việt Nam. "
          "Tổ Khoa học Tự nhiên và Tổ Ngữ văn phối hợp chuẩn bị chương trình văn nghệ.</p>")
PER_LIST = 20


def _slug(n: int) -> str:
    letters = ""
    while True:
        n, rest = divmod(n, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[rest] + letters
        if n == 0:
            return "bai-viet-" + letters


def _post(i: int) -> str:
    return f"/tin-tuc/{_slug(i)}/ct/5/{i}"


def build_site(n_pages: int) -> dict[bytes, bytes]:
    """path → full HTTP response, for a site of exactly `n_pages` HTML pages."""
    # 1 home + L list pages + P posts = n; each list page holds PER_LIST posts.
    lists = max(1, (n_pages - 1 + PER_LIST) // (PER_LIST + 1))
    posts = n_pages - 1 - lists
    nav = ('<nav><a href="/">Trang chủ</a><a href="/gioi-thieu/c/1">Giới thiệu</a>'
           '<a href="/tin-tuc/c/5">Tin tức</a><a href="/van-ban/c/3">Văn bản</a>'
           '<a href="/cong-khai/c/9">Công khai</a></nav>')
    bodies: dict[str, str] = {}
    index = "".join(f'<a href="/tin-tuc/c/5/{n}">{n}</a>' for n in range(2, lists + 1))
    bodies["/"] = f"<h1>Trường THCS Demo</h1>{FILLER * 5}<div class=pages>{index}</div>"
    for n in range(1, lists + 1):
        ids = range((n - 1) * PER_LIST + 1, min(n * PER_LIST, posts) + 1)
        items = "".join(f'<li><a href="{_post(i)}">Bài viết số {i}</a></li>' for i in ids)
        path = "/tin-tuc/c/5" if n == 1 else f"/tin-tuc/c/5/{n}"
        bodies[path] = f"<h1>Tin tức – trang {n}</h1><ul>{items}</ul>"
    for i in range(1, posts + 1):
        links = "".join(f'<a href="{_post(j)}">Bài {j}</a>'
                        for j in (i - 1, i + 1) if 1 <= j <= posts)
        bodies[_post(i)] = (f"<h1>Bài viết số {i}</h1><p>Ngày đăng: 20/11/2026 08:15</p>"
                            f"{FILLER * 12}{links}")
    site: dict[bytes, bytes] = {}
    for path, main in bodies.items():
        body = (f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{path}</title>'
                f"</head><body>{nav}<main>{main}</main></body></html>").encode()
        head = (f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                f"Content-Length: {len(body)}\r\nETag: \"{hash(body) & 0xFFFFFFFF:x}\"\r\n\r\n")
        site[path.encode()] = head.encode() + body
    return site


NOT_FOUND = b"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 0\r\n\r\n"


def serve(n_sites: int, n_pages: int, ports: mp.Queue) -> None:  # type: ignore[type-arg]
    """The static server: asyncio streams, HTTP/1.1 keep-alive, responses prebuilt in memory.

    Every site (the same pages) on its own port of 127.0.0.1, all from one event loop;
    the list of ports goes to `ports`. bench/batch.py serves many schools with it."""
    site = build_site(n_pages)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ", 2)[1].split(b"?", 1)[0]
                writer.write(site.get(path, NOT_FOUND))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        servers = [await asyncio.start_server(handle, "127.0.0.1", 0, backlog=256)
                   for _ in range(n_sites)]
        ports.put([s.sockets[0].getsockname()[1] for s in servers])
        await asyncio.gather(*(s.serve_forever() for s in servers))

    asyncio.run(main())



def _peak_mb() -> float:
    try:
        import resource
    except ImportError:  # Windows
        return float("nan")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run_crawler(base: str, concurrency: int, out: mp.Queue) -> None:  # type: ignore[type-arg]
    from auditor.crawl import CrawlSettings, PageCache, crawl_sync

    settings = CrawlSettings(polite=False, concurrency=concurrency,
                             per_host_concurrency=concurrency, max_pages=1_000_000,
                             max_depth=50, max_pattern_pages=1_000_000, total_time=3600)
    with tempfile.TemporaryDirectory() as tmp, PageCache(Path(tmp) / "bench.sqlite") as cache:
        cpu, wall = time.process_time(), time.perf_counter()
        result = crawl_sync([base + "/"], settings, cache=cache)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    pages = sum(1 for p in result.pages.values() if p.ok and p.kind == "page")
    out.put({"pages": pages, "wall": wall, "cpu": cpu, "peak": _peak_mb(),
             "errors": result.stats.errors, "requests": result.stats.requests})


def run_bare(urls: list[str], concurrency: int, out: mp.Queue) -> None:  # type: ignore[type-arg]
    import importlib.util

    # The same environment fix the crawler makes (auditor/crawl/fetch.py): without
    # sniffio, httpcore re-searches sys.path on every request. Both sides get it.
    if importlib.util.find_spec("sniffio") is None:
        sys.modules.setdefault("sniffio", None)  # type: ignore[arg-type]
    import httpx

    async def main() -> int:
        queue: asyncio.Queue[str] = asyncio.Queue()
        for url in urls:
            queue.put_nowait(url)
        fetched = 0
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=concurrency)) as client:

            async def worker() -> None:
                nonlocal fetched
                while not queue.empty():
                    response = await client.get(queue.get_nowait())
                    response.read()
                    fetched += 1

            await asyncio.gather(*(worker() for _ in range(concurrency)))
        return fetched

    cpu, wall = time.process_time(), time.perf_counter()
    fetched = asyncio.run(main())
    out.put({"pages": fetched, "wall": time.perf_counter() - wall,
             "cpu": time.process_time() - cpu, "peak": _peak_mb()})


def run_scrapy(base: str, concurrency: int, out: mp.Queue) -> None:  # type: ignore[type-arg]
    """Scrapy from the home page: follow every in-site link, extract title and date."""
    import re

    import scrapy
    from scrapy.crawler import CrawlerProcess

    date = re.compile(r"\b(\d{1,2}/\d{1,2}/\d{4})(?:\s+(\d{1,2}:\d{2}))?")
    seen = {"pages": 0, "dated": 0}

    class Site(scrapy.Spider):  # type: ignore[misc]
        name = "site"
        start_urls = [base + "/"]
        allowed_domains = ["127.0.0.1"]

        def parse(self, response):  # type: ignore[no-untyped-def]
            seen["pages"] += 1
            title = response.css("h1::text").get() or response.css("title::text").get()
            found = date.search(" ".join(response.css("p::text").getall()))
            if found:
                seen["dated"] += 1
            yield {"url": response.url, "title": title, "date": found.group(0) if found else None}
            yield from response.follow_all(css="a")

    process = CrawlerProcess(settings={
        "LOG_LEVEL": "ERROR", "ROBOTSTXT_OBEY": False, "CONCURRENT_REQUESTS": concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency, "DOWNLOAD_DELAY": 0,
        "TELNETCONSOLE_ENABLED": False, "DEPTH_LIMIT": 0, "COOKIES_ENABLED": False,
        "ITEM_PIPELINES": {}, "FEEDS": {},
    })
    process.crawl(Site)
    cpu, wall = time.process_time(), time.perf_counter()
    process.start()
    out.put({"pages": seen["pages"], "wall": time.perf_counter() - wall,
             "cpu": time.process_time() - cpu, "peak": _peak_mb(), "dated": seen["dated"]})


def run_check(base: str, concurrency: int, profile: str | None,
              out: mp.Queue) -> None:  # type: ignore[type-arg]
    """The whole `auditor check --site` (crawl, extraction, rules, history) on the site."""
    import contextlib
    import io
    import json

    from auditor.cli import main as cli

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "auditor.toml").write_text(
            "[school]\nname = \"Trường THCS Demo\"\n"
            f"url = \"{base}/\"\n[crawl]\nmax_pages = 100000\nmax_depth = 50\n"
            f"per_host_concurrency = {concurrency}\nmin_delay = 0\nretries = 1\n"
            f"cache = \"{root / 'crawl.sqlite'}\"\nmax_documents = 0\n[site]\n"
            "profile = \"haiphong-edu\"\n", encoding="utf-8")
        args = ["check", "-c", str(root / "auditor.toml"), "--site", base + "/",
                "--history", str(root / "history.sqlite"), "--format", "json",
                "--as-of", "2026-11-26"]
        buffer = io.StringIO()
        cpu, wall = time.process_time(), time.perf_counter()
        with contextlib.redirect_stdout(buffer), contextlib.suppress(SystemExit):
            if profile:
                import cProfile

                cProfile.runctx("cli(args)", globals(), {"cli": cli, "args": args},
                                filename=profile)
            else:
                cli(args)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    try:
        data = json.loads(buffer.getvalue())
    except ValueError:
        data = {}
    pages = posts = 0
    for note in data.get("notices", []):
        found = re.search(r"đọc (\d+) trang, (\d+) tin bài", note)
        if found:
            pages, posts = int(found[1]), int(found[2])
    out.put({"pages": pages, "wall": wall, "cpu": cpu, "peak": _peak_mb(), "posts": posts,
             "rules": len(data.get("rules", [])), "notices": data.get("notices", [])})


def _child(target: object, *args: object) -> dict[str, object]:
    queue: mp.Queue = mp.Queue()  # type: ignore[type-arg]
    proc = mp.Process(target=target, args=(*args, queue))  # type: ignore[arg-type]
    proc.start()
    result: dict[str, object] = queue.get()
    proc.join()
    return result


def _print_profile(path: str, top: int = 25) -> None:
    import pstats

    for key in ("cumulative", "tottime"):
        print(f"\n--- whole check, top {top} by {key} ---")
        pstats.Stats(path).strip_dirs().sort_stats(key).print_stats(top)


Run = dict[str, object]


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=1, help="runs of each; the best is kept")
    parser.add_argument("--only", default="bare,crawler,scrapy,check",
                        help="which runs, comma-separated: bare, crawler, scrapy, check")
    parser.add_argument("--profile", metavar="FILE",
                        help="run the whole check under cProfile, write FILE, print top costs")
    return parser.parse_args(argv)


def _wanted(only: str) -> list[str]:
    wanted = [w.strip() for w in only.split(",") if w.strip()]
    if "scrapy" in wanted and importlib.util.find_spec("scrapy") is None:
        print("scrapy is not installed (pip install -e '.[bench]'): skipping the Scrapy run")
        wanted.remove("scrapy")
    return wanted


def _run_all(args: argparse.Namespace, wanted: list[str]) -> tuple[str, dict[str, list[Run]]]:
    """Serve the site and run each wanted measurement `args.rounds` times, alternating."""
    ports: mp.Queue = mp.Queue()  # type: ignore[type-arg]
    server = mp.Process(target=serve, args=(1, args.pages, ports), daemon=True)
    server.start()
    base = f"http://127.0.0.1:{ports.get(timeout=60)[0]}"
    urls = [base + path.decode() for path in build_site(args.pages)]
    jobs: dict[str, tuple[object, ...]] = {
        "bare": (run_bare, urls, args.concurrency),
        "crawler": (run_crawler, base, args.concurrency),
        "scrapy": (run_scrapy, base, args.concurrency),
        "check": (run_check, base, args.concurrency, args.profile),
    }
    runs: dict[str, list[Run]] = {name: [] for name in wanted}
    try:
        # Alternate the runs so that a machine busy with something else hurts all alike.
        for _ in range(args.rounds):
            for name in wanted:
                runs[name].append(_child(*jobs[name]))
    finally:
        server.terminate()
        server.join()
    return base, runs


def _num(run: Run, key: str) -> float:
    return float(run[key])  # type: ignore[arg-type]


def _line(name: str, r: Run) -> None:
    pages, wall, cpu = int(_num(r, "pages")), _num(r, "wall"), _num(r, "cpu")
    rate = pages / wall if wall else 0.0
    print(f"{name:8} {pages:6d} pages  {wall:6.2f} s  {rate:8.1f} pages/s  "
          f"CPU {1000 * cpu / max(pages, 1):5.2f} ms/page  peak {_num(r, 'peak'):6.1f} MB")


def _ratios(chosen: dict[str, Run | None], pages: int) -> None:
    crawler, bare = chosen.get("crawler"), chosen.get("bare")
    if crawler and bare:
        ratio = (_num(crawler, "pages") / _num(crawler, "wall")) / (
            _num(bare, "pages") / _num(bare, "wall"))
        print(f"crawler/bare ratio: {ratio:.0%} (target >= 60%)")
        if _num(crawler, "pages") < pages:
            print(f"warning: crawler found {crawler['pages']} of {pages} pages")
    check, scrapy_run = chosen.get("check"), chosen.get("scrapy")
    if check:
        print(f"whole check: {check['posts']} posts read, {check['rules']} rules; peak "
              f"{_num(check, 'peak'):.0f} MB (target <= 300 MB)")
    if scrapy_run:
        print(f"scrapy: {scrapy_run['dated']} pages with a date extracted")
    if check and scrapy_run:
        ratio = _num(check, "wall") / _num(scrapy_run, "wall")
        print(f"whole check / Scrapy wall time: {ratio:.2f}x (target <= 0.8x)")


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    wanted = _wanted(args.only)
    base, runs = _run_all(args, wanted)
    print(f"site: {args.pages} pages on {base}, concurrency {args.concurrency}, politeness off")
    chosen = {name: min(got, key=lambda r: _num(r, "wall")) if got else None
              for name, got in runs.items()}
    for name, result in chosen.items():
        if result is not None:
            _line(name, result)
    _ratios(chosen, args.pages)
    if args.profile and chosen.get("check"):
        _print_profile(args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
