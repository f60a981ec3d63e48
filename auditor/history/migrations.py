"""Schema migrations of the history database, registered with a decorator and
recorded in a table (the pattern of sqlite-utils' ``migrations``).

A migration is applied once, in its own transaction, and its name is written
to ``_migrations`` in that same transaction: a crash mid-migration leaves the
database at the previous version. Never edit a migration that has shipped;
add a new one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

MIGRATIONS_TABLE = "_migrations"

MigrationFn = Callable[[sqlite3.Connection], None]


@dataclass(frozen=True)
class Migration:
    name: str
    fn: MigrationFn


class Migrations:
    """An ordered list of named migrations."""

    def __init__(self) -> None:
        self._steps: list[Migration] = []

    def __call__(self, fn: MigrationFn) -> MigrationFn:
        """Register ``fn`` as the next migration (its name is the function name)."""
        if any(m.name == fn.__name__ for m in self._steps):
            raise ValueError(f"migration {fn.__name__} registered twice")
        self._steps.append(Migration(fn.__name__, fn))
        return fn

    @property
    def names(self) -> list[str]:
        return [m.name for m in self._steps]

    def applied(self, conn: sqlite3.Connection) -> list[str]:
        exists = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (MIGRATIONS_TABLE,)
        ).fetchone()
        if not exists:
            return []
        rows = conn.execute(f"SELECT name FROM {MIGRATIONS_TABLE} ORDER BY id").fetchall()
        return [r[0] for r in rows]

    def pending(self, conn: sqlite3.Connection) -> list[str]:
        done = set(self.applied(conn))
        return [m.name for m in self._steps if m.name not in done]

    def apply(self, conn: sqlite3.Connection, stop_after: str | None = None) -> list[str]:
        """Apply every pending migration (up to ``stop_after``); return their names.

        ``conn`` must be in autocommit mode (``isolation_level=None``) so that
        BEGIN/COMMIT here are the only transaction boundaries.
        """
        ran: list[str] = []
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {MIGRATIONS_TABLE} ("
            " id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, applied_at TEXT NOT NULL)"
        )
        done = set(self.applied(conn))
        for step in self._steps:
            if step.name not in done:
                conn.execute("BEGIN IMMEDIATE")
                # Another process opening the same new file may have applied this step
                # while we waited for the write lock: look again under the lock.
                if step.name in self.applied(conn):
                    conn.execute("COMMIT")
                else:
                    self._apply_step(conn, step)
                    ran.append(step.name)
            if step.name == stop_after:
                break
        return ran

    @staticmethod
    def _apply_step(conn: sqlite3.Connection, step: Migration) -> None:
        """Run one step and record it, inside the transaction the caller began."""
        try:
            step.fn(conn)
            conn.execute(
                f"INSERT INTO {MIGRATIONS_TABLE} (name, applied_at) VALUES (?, ?)",
                (step.name, datetime.now(UTC).isoformat(timespec="seconds")),
            )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


migrations = Migrations()


def _script(conn: sqlite3.Connection, sql: str) -> None:
    """Run several statements inside the caller's transaction.

    ``executescript`` would COMMIT first (Python 3.11), breaking the one
    transaction per migration, so statements are split and run one by one.
    """
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            conn.execute(buffer)
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete SQL statement: {buffer!r}")


@migrations
def m001_initial(conn: sqlite3.Connection) -> None:
    """Version 0.1: runs, per-run findings, disclosure section and items, link reports."""
    _script(conn,
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            school TEXT NOT NULL,          -- school key: official URL, else name
            school_name TEXT NOT NULL,
            as_of TEXT NOT NULL,           -- ISO datetime with offset: the audit's "today"
            generated_at TEXT NOT NULL,
            period_start TEXT NOT NULL,
            period_end TEXT NOT NULL,
            ruleset TEXT NOT NULL,
            tool_version TEXT NOT NULL
        );
        CREATE INDEX runs_school ON runs (school, as_of);
        CREATE TABLE findings (
            run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            fingerprint TEXT NOT NULL,
            rule TEXT NOT NULL,
            subject TEXT NOT NULL,
            severity TEXT NOT NULL,
            message TEXT NOT NULL,
            PRIMARY KEY (run_id, fingerprint)
        );
        CREATE TABLE disclosure_sections (
            run_id INTEGER PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
            url TEXT,
            status INTEGER,
            click_path TEXT               -- JSON list of [label, url]
        );
        CREATE TABLE disclosure_items (
            run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            key TEXT NOT NULL,            -- post id, else normalised URL
            title TEXT NOT NULL,
            url TEXT,
            status INTEGER,
            hidden TEXT,                  -- NULL when visible, else why it is hidden
            source TEXT NOT NULL,         -- "site", "export" or "site+export"
            PRIMARY KEY (run_id, key)
        );
        CREATE TABLE link_reports (
            id INTEGER PRIMARY KEY,
            school TEXT NOT NULL,
            url TEXT NOT NULL,
            reported_on TEXT NOT NULL,    -- YYYY-MM-DD
            note TEXT,
            recorded_at TEXT NOT NULL
        );
        """
    )


@migrations
def m002_finding_details(conn: sqlite3.Connection) -> None:
    """Keep every field a report shows, and first/last seen per fingerprint."""
    _script(conn,
        """
        ALTER TABLE findings ADD COLUMN message_en TEXT NOT NULL DEFAULT '';
        ALTER TABLE findings ADD COLUMN status TEXT NOT NULL DEFAULT 'open';
        ALTER TABLE findings ADD COLUMN department TEXT;
        ALTER TABLE findings ADD COLUMN person TEXT;
        ALTER TABLE findings ADD COLUMN on_date TEXT;
        ALTER TABLE findings ADD COLUMN url TEXT;
        ALTER TABLE findings ADD COLUMN evidence TEXT NOT NULL DEFAULT '{}';
        CREATE INDEX findings_fp ON findings (fingerprint);
        CREATE TABLE finding_seen (
            school TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            rule TEXT NOT NULL,
            subject TEXT NOT NULL,
            first_seen TEXT NOT NULL,     -- YYYY-MM-DD of the first run that had it
            last_seen TEXT NOT NULL,
            first_run INTEGER NOT NULL,
            last_run INTEGER NOT NULL,
            PRIMARY KEY (school, fingerprint)
        );
        INSERT INTO finding_seen
            SELECT r.school, f.fingerprint, f.rule, f.subject,
                   MIN(substr(r.as_of, 1, 10)), MAX(substr(r.as_of, 1, 10)),
                   MIN(r.id), MAX(r.id)
            FROM findings f JOIN runs r ON r.id = f.run_id
            GROUP BY r.school, f.fingerprint;
        """
    )


@migrations
def m003_link_report_source(conn: sqlite3.Connection) -> None:
    """Link reports from a registry file; per-rule status of each run (for trends)."""
    _script(conn,
        """
        ALTER TABLE link_reports ADD COLUMN source TEXT NOT NULL DEFAULT 'cli';
        CREATE INDEX link_reports_school ON link_reports (school, reported_on);
        ALTER TABLE disclosure_items ADD COLUMN post_id TEXT;
        ALTER TABLE disclosure_items ADD COLUMN updated_at TEXT;
        CREATE TABLE rule_results (
            run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            rule TEXT NOT NULL,
            status TEXT NOT NULL,         -- pass, fail, not_checked, waived
            reason TEXT,
            PRIMARY KEY (run_id, rule)
        );
        """
    )


@migrations
def m004_run_statistics(conn: sqlite3.Connection) -> None:
    """The statistics a report's sheets show (posts per month, events and their posts),
    so that a report rebuilt from the history is complete."""
    _script(conn,
        """
        CREATE TABLE run_statistics (
            run_id INTEGER PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
            monthly TEXT,                 -- JSON list, as ReportSections.monthly
            events TEXT                   -- JSON list, as ReportSections.events
        );
        """
    )


@migrations
def m005_run_disclosure_rows(conn: sqlite3.Connection) -> None:
    """The Công khai sheet's rows as the run's report showed them (the catalogue's
    checklist: form name, Căn cứ, state, link, last seen), so that a report rebuilt from
    the history shows the same checklist, not the section's items by CMS id."""
    _script(conn,
        """
        ALTER TABLE run_statistics ADD COLUMN disclosure TEXT;  -- JSON list of DisclosureRow
        """
    )
