"""How long a run waits for another that holds a shared SQLite file.

The history and the crawl cache are shared by runs at the same time (a cron job
and a person at the keyboard); each waits for the other's commit rather than
fail "database is locked".
"""

from __future__ import annotations

import os


def wait_seconds() -> float:
    """AUDITOR_HISTORY_WAIT seconds (a cron job may want more, a test less), else 60."""
    try:
        return max(0.0, float(os.environ.get("AUDITOR_HISTORY_WAIT", "60")))
    except ValueError:
        return 60.0
