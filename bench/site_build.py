"""Site model build speed (issue 10): link graph, post extraction, boilerplate, menu.

Builds an N-page crawl result in memory (no network: only the model build is
timed) in two themes: the haiphong-edu platform's real markup (detected from
its URL shapes) and an unknown theme read by the generic path (an ``<h1>``
with "Cập nhật: dd/mm/yyyy HH:MM" beside it, a side list of other posts with
their dates). Prints, per theme, the best of three builds: seconds, pages/s,
posts read, posts with a date, and peak memory of one more build (traced apart).

    python bench/site_build.py [--pages 2000]
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from datetime import UTC, datetime

from auditor.crawl.types import CrawlResult, CrawlStats, FetchedPage
from auditor.site.build import build_snapshot
from auditor.timeutil import tz

BASE = "https://thcsbench.haiphong.edu.vn"
TEXT = ("<p>Sáng ngày 20/11, nhà trường tổ chức lễ kỷ niệm Ngày Nhà giáo Việt Nam với sự tham "
        "gia của toàn thể cán bộ, giáo viên và học sinh.</p>") * 8
MENU_HP = ('<div id="main_nav99"><ul class="navbar-nav"><li><a href="/">Trang chủ</a></li>'
           '<li><a href="/tin-tuc/c/5">Tin tức</a></li><li><a href="/cong-khai/c/9">CÔNG KHAI'
           '</a><ul><li><a href="/ck-tai-chinh/c/10">Công khai tài chính</a></li></ul></li>'
           '</ul></div>')
MENU_X = ('<nav class="menu-chinh"><ul><li><a href="/">Trang chủ</a></li><li><a href="/tin/">'
          'Tin tức</a></li><li><a href="/cong-khai/">Công khai</a></li></ul></nav>')


def _hp_post(i: int) -> str:
    return (f'<section class="bread"><ul class="breadcrumb_list"><li><a href="/">Trang chủ</a>'
            f'</li><li><a href="/tin-tuc/c/5">Tin tức</a></li></ul></section>'
            f'<h1 class="heading_title"><a href="">Bài viết số {i}</a></h1>'
            f'<article class="qi-nhom-ngaydoc"><span class="color_gray">Thứ hai, '
            f'{1 + i % 28}/10/2026, 08:{i % 60:02d} , Lượt đọc : 7</span></article>'
            f'<div class="qicontentdetail">{TEXT}</div><div class="qiauthor">Tác giả: Lê Văn '
            f'Bình</div><div class="tinlienquan"><label class="date_and_cate"><span>'
            f'1/9/2026</span></label></div>')


def _x_post(i: int) -> str:
    return (f'<aside class="cot-phai"><h3>Tin khác</h3><ul><li><a href="/tin/a-1.html">A</a> '
            f'(05/09/2025)</li></ul></aside><div class="bai-viet"><h1>Bài viết số {i}</h1>'
            f'<p class="ngay">Cập nhật: {1 + i % 28:02d}/10/2026 08:{i % 60:02d}</p>'
            f'<div class="noi-dung">{TEXT}</div></div>')


def crawl_result(n: int, theme: str) -> CrawlResult:
    now = datetime.now(UTC)
    base = BASE if theme == "hp" else "https://thcsbench.example.edu.vn"
    pages: dict[str, FetchedPage] = {}
    posts = n - 2
    menu, post, path = ((MENU_HP, _hp_post, "/tin-tuc/bai-{i}/ct/5/{i}") if theme == "hp" else
                        (MENU_X, _x_post, "/tin/bai-viet-{i}.html"))
    listing = "".join(f'<li><a href="{path.format(i=i)}">Bài {i}</a></li>'
                      for i in range(1, posts + 1))
    bodies = {"/": f"<h1>Trường THCS Bench</h1><ul>{listing[:2000]}</ul>",
              ("/tin-tuc/c/5" if theme == "hp" else "/tin/"): f"<ul>{listing}</ul>"}
    bodies |= {path.format(i=i): post(i) for i in range(1, posts + 1)}
    for p, body in bodies.items():
        url = base + p
        html = (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{p}'
                f'</title></head><body><header>{menu}</header><main>{body}</main><footer>'
                'Trường THCS Bench, phường Bench.</footer></body></html>')
        pages[url] = FetchedPage(url=url, requested_url=url, final_url=url, status=200,
                                 headers={}, content_type="text/html", size=len(html),
                                 fetched_at=now, elapsed=0.0, text=html,
                                 referrer=None if p == "/" else base + "/")
    return CrawlResult(seeds=(base + "/",), pages=pages, stats=CrawlStats())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    args = parser.parse_args()
    for theme, label in (("hp", "haiphong-edu markup"), ("x", "unknown theme (generic)")):
        result = crawl_result(args.pages, theme)
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            snap = build_snapshot(result, profile=None, profile_reason="", zone=tz(),
                                  keep_text=False)
            best = min(best, time.perf_counter() - start)
        tracemalloc.start()  # a separate build: tracing slows Python down
        build_snapshot(result, profile=None, profile_reason="", zone=tz(), keep_text=False)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        cov = getattr(snap, "coverage", None)
        dated = cov.posts_dated if cov else sum(1 for p in snap.site_posts
                                                if p.post.published_at is not None)
        print(f"{label:28} profile {snap.profile:13} {len(result.pages)} pages  "
              f"{best:.2f} s = {len(result.pages) / best:.0f} pages/s  "
              f"posts {len(snap.site_posts)}, dated {dated}  peak {peak / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
