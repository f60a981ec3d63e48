"""Injected gambling spam (Điều 17): vocabulary, hiding, page signals and cloaking.

Used by the ``security.spam-injection`` check; usable on its own:

    opts = ScanOptions(TermSet.from_params(params), ("truong.edu.vn",), HidingRules(500, 1))
    page_signals(url, html, opts)                       # → list[Signal]
    compare_cloaking(browser_html, bot_html, url=url, opts=opts)
"""

from auditor.spam.cloaking import Refetch, cloaking_signals, compare_cloaking, fetch_as
from auditor.spam.hiding import HidingRules
from auditor.spam.signals import KINDS, ScanOptions, Signal, page_signals, sitemap_signals
from auditor.spam.terms import TermSet

__all__ = [
    "KINDS", "HidingRules", "Refetch", "ScanOptions", "Signal", "TermSet", "cloaking_signals",
    "compare_cloaking", "fetch_as", "page_signals", "sitemap_signals",
]
