"""How fast security.spam-injection reads pages: the demo site's HTML, clean and infected.

    python bench/spam_scan.py

Prints pages, seconds and milliseconds per page for the demo site (nearly all clean,
screened without parsing; one injected page and one infected article) and for the spam
fixtures (parsed and
read element by element).
"""

from __future__ import annotations

import time
from pathlib import Path

from auditor.ruleset import load_ruleset
from auditor.spam import HidingRules, ScanOptions, TermSet, page_signals

ROOT = Path(__file__).resolve().parent.parent
HOST = "thcshoaphuong.haiphong.edu.vn"


def main() -> None:
    params = load_ruleset().rules["security.spam-injection"].params
    opts = ScanOptions(TermSet.from_params(params), (HOST,), HidingRules(500, 1))
    clean = [p.read_text(encoding="utf-8") for p in (ROOT / "fixtures/demo/site").rglob("*.html")]
    spam_dir = ROOT / "fixtures/site-rules/spam"
    infected = [p.read_text(encoding="utf-8") for p in sorted(spam_dir.glob("*.html"))]
    for name, pages, rounds in (("demo site", clean, 5), ("spam fixtures", infected, 50)):
        started = time.perf_counter()
        signals = 0
        for _ in range(rounds):
            for html in pages:
                signals += len(page_signals(f"https://{HOST}/x", html, opts))
        elapsed = time.perf_counter() - started
        count = len(pages) * rounds
        per_page = elapsed / count * 1000
        print(f"{name:14s} {count:6d} pages  {elapsed:6.2f} s  {per_page:6.2f} ms/page"
              f"  {signals // rounds} signals per round")


if __name__ == "__main__":
    main()
