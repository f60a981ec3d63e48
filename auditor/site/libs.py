"""The library path for the generic profile: main text by trafilatura.

Called only for a field no selector of the profile found, on a profile that
allows the generic path (``generic_fallbacks``): a platform profile reads its
own markup and never pays for it. Measured against the hand-written fall-backs
by ``bench/extraction_accuracy.py``.
"""

from __future__ import annotations

import copy
import logging

from auditor.site.extract import Tag, clean

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


def main_text(soup: Tag) -> str | None:
    """The page's main text (navigation, side bars and footers left out), or None."""
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - a dependency, but the audit runs without it
        return None
    # trafilatura cleans the tree it is given: give it a copy, the page is read further.
    text = trafilatura.extract(copy.deepcopy(soup), include_comments=False,
                               include_tables=True, favor_precision=True, fast=True)
    return clean(text) or None
