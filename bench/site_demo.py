"""Site model benchmark (issue 3, parts 4–7): the demo site over real HTTP.

Serves fixtures/demo/site on 127.0.0.1 with the demo server, then

1. crawls it (politeness off, fresh cache) and builds the site model,
2. crawls it again with the same cache (conditional requests),
3. reconciles it with the demo export,

and prints the time of each step, pages per second of the model build, and
the bytes the server sent on the second crawl as a share of the first
(target: at most 5 %, asserted in tests/test_site_demo.py).

    python bench/site_demo.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from auditor.config import load_config
from auditor.crawl import settings_for
from auditor.profiles import builtin_profiles
from auditor.resources import demo_dir
from auditor.ruleset import load_ruleset
from auditor.site.build import build_snapshot
from auditor.site.demo_server import serve_site
from auditor.site.load import _crawl, demo_site_dir
from auditor.site.profile_policy import ProfilePolicy
from auditor.site.reconcile import reconcile, tolerance_from
from auditor.sources.export import load_export
from auditor.timeutil import tz

OFFICIAL = "https://thcshoaphuong.haiphong.edu.vn"


def one_round() -> dict[str, float]:
    config = load_config(demo_dir() / "auditor.toml")
    policy = ProfilePolicy(builtin_profiles())
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp, serve_site(demo_site_dir(), OFFICIAL) as demo:
        settings = replace(settings_for(config, demo.url), polite=False, min_delay=0.0,
                           per_host_concurrency=4, cache_path=Path(tmp) / "cache.sqlite")
        start = time.perf_counter()
        result = _crawl(demo.url + "/", settings, offline=False, cache_path=None, progress=None,
                        extra_urls=(), policy=policy)
        figures["crawl_s"] = time.perf_counter() - start
        figures["first_bytes"] = demo.stats.body_bytes
        demo.stats.reset()
        start = time.perf_counter()
        _crawl(demo.url + "/", settings, offline=False, cache_path=None, progress=None,
               extra_urls=(), policy=policy)
        figures["recrawl_s"] = time.perf_counter() - start
        figures["second_bytes"] = demo.stats.body_bytes
    start = time.perf_counter()
    snapshot = build_snapshot(result, profile=None, profile_reason="", zone=tz(),
                              shown_origin=OFFICIAL)
    figures["build_s"] = time.perf_counter() - start
    figures["pages"] = len(snapshot.pages)
    figures["posts"] = len(snapshot.site_posts)
    posts = load_export(demo_dir() / "cms-export.csv", tz=tz()).posts
    start = time.perf_counter()
    reconcile(posts, snapshot, tolerance_from(load_ruleset()))
    figures["reconcile_s"] = time.perf_counter() - start
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rounds = [one_round() for _ in range(args.rounds)]

    def med(key: str) -> float:
        return statistics.median(r[key] for r in rounds)

    pages = med("pages")
    print(f"pages: {pages:.0f}, posts: {med('posts'):.0f}, rounds: {args.rounds} (median)")
    print(f"first crawl:   {med('crawl_s'):.2f} s, {med('first_bytes') / 1e6:.2f} MB")
    print(f"second crawl:  {med('recrawl_s'):.2f} s, {med('second_bytes') / 1e3:.1f} kB "
          f"= {100 * med('second_bytes') / med('first_bytes'):.2f} % of the first "
          "(target ≤ 5 %)")
    print(f"model build:   {med('build_s'):.2f} s = {pages / med('build_s'):.0f} pages/s")
    print(f"reconcile:     {1000 * med('reconcile_s'):.1f} ms")


if __name__ == "__main__":
    main()
