"""Crawler throughput benchmark (issue 3): the crawler against a bare httpx fetch loop.

Generates an N-page school site (default 5,000), serves it from a separate
process with a small keep-alive static server on 127.0.0.1, crawls it with
politeness off and concurrency 16 (page cache on, as in a real run), then
fetches the same URL list with a bare httpx loop (no parsing). Each side runs
in its own process so CPU time and peak memory are its own.

Prints pages/s, CPU time per page, peak memory, and the crawler/bare ratio.
Targets: ratio >= 60 %, crawler peak memory <= 300 MB at 5,000 pages.

    python bench/crawl.py [--pages 5000] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import sys
import tempfile
import time
from pathlib import Path

FILLER = ("<p>Sáng ngày 20/11, Trường THCS Demo tổ chức lễ kỷ niệm Ngày Nhà giáo Việt Nam. "
          "Tổ Khoa học Tự nhiên và Tổ Ngữ văn phối hợp chuẩn bị chương trình văn nghệ.</p>")
PER_LIST = 20


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
    post = "/tin-tuc/bai-viet-so-{i}/ct/5/{i}"
    for n in range(1, lists + 1):
        ids = range((n - 1) * PER_LIST + 1, min(n * PER_LIST, posts) + 1)
        items = "".join(f'<li><a href="{post.format(i=i)}">Bài viết số {i}</a></li>' for i in ids)
        path = "/tin-tuc/c/5" if n == 1 else f"/tin-tuc/c/5/{n}"
        bodies[path] = f"<h1>Tin tức – trang {n}</h1><ul>{items}</ul>"
    for i in range(1, posts + 1):
        links = "".join(f'<a href="{post.format(i=j)}">Bài {j}</a>'
                        for j in (i - 1, i + 1) if 1 <= j <= posts)
        bodies[post.format(i=i)] = (f"<h1>Bài viết số {i}</h1><p>Ngày đăng: 20/11/2026</p>"
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


def serve(n_pages: int, port_queue: mp.Queue) -> None:  # type: ignore[type-arg]
    """The static server: asyncio streams, HTTP/1.1 keep-alive, responses prebuilt in memory."""
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
        server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=256)
        port_queue.put(server.sockets[0].getsockname()[1])
        async with server:
            await server.serve_forever()

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


def _child(target: object, *args: object) -> dict[str, object]:
    queue: mp.Queue = mp.Queue()  # type: ignore[type-arg]
    proc = mp.Process(target=target, args=(*args, queue))  # type: ignore[arg-type]
    proc.start()
    result: dict[str, object] = queue.get()
    proc.join()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=1, help="runs of each; the best is kept")
    args = parser.parse_args(argv)
    ports: mp.Queue = mp.Queue()  # type: ignore[type-arg]
    server = mp.Process(target=serve, args=(args.pages, ports), daemon=True)
    server.start()
    base = f"http://127.0.0.1:{ports.get(timeout=60)}"
    urls = [base + path.decode() for path in build_site(args.pages)]
    try:
        # Alternate the two so that a machine busy with something else hurts both alike.
        bare_runs, crawl_runs = [], []
        for _ in range(args.rounds):
            bare_runs.append(_child(run_bare, urls, args.concurrency))
            crawl_runs.append(_child(run_crawler, base, args.concurrency))
    finally:
        server.terminate()
        server.join()

    def line(name: str, r: dict[str, object]) -> float:
        pages, wall, cpu = int(r["pages"]), float(r["wall"]), float(r["cpu"])  # type: ignore[arg-type]
        rate = pages / wall if wall else 0.0
        print(f"{name:8} {pages:6d} pages  {wall:6.2f} s  {rate:8.1f} pages/s  "
              f"CPU {1000 * cpu / max(pages, 1):5.2f} ms/page  peak {float(r['peak']):6.1f} MB")  # type: ignore[arg-type]
        return rate

    def best(runs: list[dict[str, object]]) -> dict[str, object]:
        return min(runs, key=lambda r: float(r["wall"]))  # type: ignore[arg-type]

    crawler, bare = best(crawl_runs), best(bare_runs)
    print(f"site: {args.pages} pages on {base}, concurrency {args.concurrency}, politeness off")
    crawl_rate = line("crawler", crawler)
    bare_rate = line("bare", bare)
    ratio = crawl_rate / bare_rate if bare_rate else 0.0
    peak = float(crawler["peak"])  # type: ignore[arg-type]
    print(f"crawler/bare ratio: {ratio:.0%} (target >= 60%); crawler peak memory {peak:.0f} MB "
          f"(target <= 300 MB at 5,000 pages)")
    if int(crawler["pages"]) < args.pages:  # type: ignore[call-overload]
        print(f"warning: crawler found {crawler['pages']} of {args.pages} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
