"""The history database (SQLite, standard library).

One file per user (or per inspector's office) keeps every run of every
school: its findings with first/last seen, the Công khai section's address and
items, and the reports of that address to the authority (Điều 13.1.c).

Durability: WAL journal, and each run is written in ONE transaction, so a run
killed halfway leaves every earlier run intact and no half run.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import platformdirs

from auditor.errors import HistoryBusy, HistoryDamaged, HistoryError, HistoryNewer, os_reason
from auditor.history.migrations import migrations
from auditor.history.records import (
    DisclosureRecord,
    DisclosureState,
    LinkReport,
    RunInfo,
    Seen,
    StoredFinding,
    normalise_url,
    school_key,
)
from auditor.results import AuditReport
from auditor.sqlite_wait import wait_seconds

FILE_NAME = "history.sqlite3"


def default_path() -> Path:
    """The per-user data directory (e.g. %LOCALAPPDATA%\\auditor on Windows)."""
    return Path(platformdirs.user_data_dir("auditor", appauthor=False)) / FILE_NAME


def report_school(report: AuditReport) -> str:
    return school_key(report.school.url, report.school.name)


def _locked(exc: sqlite3.Error) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def _damaged(exc: sqlite3.Error) -> bool:
    text = str(exc)
    return "malformed" in text or "not a database" in text or "corrupt" in text


def _unwritable(target: Path, why: str, why_en: str | None = None) -> HistoryError:
    """The file (or its folder) cannot be opened for writing: read-only, full, missing."""
    if why_en is None:  # SQLite's own English words: say it in Vietnamese, keep them in English
        why_en = why
        why = ("ổ đĩa đã đầy" if "full" in why else
               "lỗi đọc ghi ổ đĩa (ổ đầy, tệp vượt giới hạn hoặc hỏng)" if "I/O" in why else
               "thư mục không tồn tại, chỉ cho đọc hoặc không có quyền ghi"
               if "open" in why or "readonly" in why else f"lỗi SQLite: {why}")
    return HistoryError(
        f"{target}: không mở được tệp lịch sử để ghi ({why}).",
        hint="Chọn chỗ ghi được bằng --history TỆP hoặc [history] path trong auditor.toml.",
        en=f"{target}: could not open the history file for writing ({why_en}).",
        hint_en="Choose a writable place with --history FILE or [history] path in auditor.toml.")


def _check_readable(conn: sqlite3.Connection, target: Path) -> None:
    """A damaged file fails here, at opening, not halfway through recording a run."""
    rows = conn.execute("PRAGMA quick_check").fetchall()
    if rows != [("ok",)]:
        raise HistoryDamaged(target, "; ".join(str(r[0]) for r in rows[:3]))


def _journal_wal(conn: sqlite3.Connection) -> str:
    """WAL, once per file; a file already in WAL needs no lock (concurrent runs)."""
    mode = str(conn.execute("PRAGMA journal_mode").fetchone()[0])
    if mode.lower() != "wal":
        mode = str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
    return mode


def _prepare(conn: sqlite3.Connection, target: Path, busy_seconds: float,
             migrate: bool) -> str:
    """Set up a fresh connection and bring the schema up to date; return the journal mode.

    A file written by a newer auditor (a migration this version does not know) is refused.
    """
    conn.execute(f"PRAGMA busy_timeout = {int(busy_seconds * 1000)}")
    _check_readable(conn, target)
    mode = _journal_wal(conn)
    conn.execute("PRAGMA synchronous = NORMAL")  # safe against a killed process in WAL
    conn.execute("PRAGMA foreign_keys = ON")
    newer = [n for n in migrations.applied(conn) if n not in migrations.names]
    if newer:
        raise HistoryNewer(target, newer)
    if migrate:
        migrations.apply(conn)
    return str(mode)


def _open_error(target: Path, exc: sqlite3.DatabaseError | OSError) -> HistoryError:
    """The one-line error for a database that could not be opened: busy, damaged or
    not writable."""
    if isinstance(exc, sqlite3.OperationalError):
        if _locked(exc):
            return HistoryBusy(target)
        if not _damaged(exc):
            return _unwritable(target, str(exc))
        return HistoryDamaged(target, exc)
    if isinstance(exc, sqlite3.DatabaseError):
        return HistoryDamaged(target, exc)
    why, why_en = os_reason(exc)
    return _unwritable(target, why, why_en)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


class HistoryStore:
    """Open with :meth:`open`; use as a context manager or call :meth:`close`."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self.journal_mode = "wal"

    # -- opening -----------------------------------------------------------
    @classmethod
    def open(cls, path: Path | str | None = None, *, migrate: bool = True,
             busy_seconds: float | None = None) -> HistoryStore:
        """Open (creating if needed) the database at ``path`` and bring its schema up to date.

        A file written by a newer auditor (a migration this version does not know) is
        refused, a damaged file is named with what to do, and a file another run holds
        longer than ``busy_seconds`` is said to be busy: each one line (:mod:`errors`).
        """
        target = Path(path) if path is not None else default_path()
        if busy_seconds is None:
            busy_seconds = wait_seconds()
        conn: sqlite3.Connection | None = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(target, isolation_level=None, timeout=busy_seconds)
            mode = _prepare(conn, target, busy_seconds, migrate)
        except HistoryError:
            if conn is not None:
                conn.close()
            raise
        except (sqlite3.DatabaseError, OSError) as exc:
            if conn is not None:
                conn.close()
            raise _open_error(target, exc) from None
        store = cls(conn, target)
        store.journal_mode = mode
        return store

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT; anything raised rolls the whole block back."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def schema_version(self) -> list[str]:
        return migrations.applied(self.conn)

    # -- writing a run -------------------------------------------------------
    def record_run(self, report: AuditReport,
                   snapshot_disclosure: DisclosureState | None = None) -> int:
        """Write the whole run in one transaction; return its id."""
        school = report_school(report)
        day = report.as_of.date().isoformat()
        with self.transaction() as db:
            cur = db.execute(
                "INSERT INTO runs (school, school_name, as_of, generated_at, period_start,"
                " period_end, ruleset, tool_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (school, report.school.name, report.as_of.isoformat(),
                 report.generated_at.isoformat(), report.period_start.isoformat(),
                 report.period_end.isoformat(), report.ruleset, report.tool_version),
            )
            run_id = int(cur.lastrowid or 0)
            db.execute(
                "INSERT INTO run_statistics (run_id, monthly, events, disclosure)"
                " VALUES (?, ?, ?, ?)",
                (run_id, _stat_json(_rows(report.sections.monthly)),
                 _stat_json(_rows(report.sections.events)),
                 _stat_json(_rows(report.sections.disclosure))),
            )
            for result in report.results:
                db.execute(
                    "INSERT OR REPLACE INTO rule_results (run_id, rule, status, reason)"
                    " VALUES (?, ?, ?, ?)",
                    (run_id, result.rule, str(result.status), result.reason),
                )
            seen_here: set[str] = set()
            for f in report.findings:
                if f.fingerprint in seen_here:  # one row per fingerprint and run
                    continue
                seen_here.add(f.fingerprint)
                db.execute(
                    "INSERT INTO findings (run_id, fingerprint, rule, subject, severity, message,"
                    " message_en, status, department, person, on_date, url, evidence)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (run_id, f.fingerprint, f.rule, f.subject, str(f.severity), f.message,
                     f.message_en, str(f.status), f.department, f.person,
                     f.on.isoformat() if f.on else None, f.url,
                     json.dumps(f.evidence, ensure_ascii=False, default=str)),
                )
                db.execute(
                    "INSERT INTO finding_seen (school, fingerprint, rule, subject, first_seen,"
                    " last_seen, first_run, last_run) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (school, fingerprint) DO UPDATE SET"
                    " first_seen = min(first_seen, excluded.first_seen),"
                    " last_seen = max(last_seen, excluded.last_seen),"
                    " last_run = excluded.last_run",
                    (school, f.fingerprint, f.rule, f.subject, day, day, run_id, run_id),
                )
            if snapshot_disclosure is not None:
                self._write_disclosure(db, run_id, snapshot_disclosure)
        return run_id

    @staticmethod
    def _write_disclosure(db: sqlite3.Connection, run_id: int, state: DisclosureState) -> None:
        db.execute(
            "INSERT INTO disclosure_sections (run_id, url, status, click_path) VALUES (?, ?, ?, ?)",
            (run_id, state.url, state.status,
             json.dumps([list(step) for step in state.click_path], ensure_ascii=False)),
        )
        for item in {i.key: i for i in state.items}.values():
            db.execute(
                "INSERT INTO disclosure_items (run_id, key, title, url, status, hidden, source,"
                " post_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (run_id, item.key, item.title, item.url, item.status, item.hidden, item.source,
                 item.post_id, item.updated_at.isoformat() if item.updated_at else None),
            )

    # -- reading runs --------------------------------------------------------
    @staticmethod
    def _run(row: sqlite3.Row | tuple[Any, ...]) -> RunInfo:
        return RunInfo(
            id=row[0], school=row[1], school_name=row[2],
            as_of=datetime.fromisoformat(row[3]), generated_at=datetime.fromisoformat(row[4]),
            period_start=date.fromisoformat(row[5]), period_end=date.fromisoformat(row[6]),
            ruleset=row[7], tool_version=row[8],
        )

    _RUN_COLS = ("id, school, school_name, as_of, generated_at, period_start, period_end,"
                 " ruleset, tool_version")

    def runs(self, school: str | None = None) -> list[RunInfo]:
        """Runs in the order of the day they audited (then of recording)."""
        sql = f"SELECT {self._RUN_COLS} FROM runs"
        args: tuple[Any, ...] = ()
        if school is not None:
            sql += " WHERE school = ?"
            args = (school,)
        rows = self.conn.execute(sql + " ORDER BY as_of, id", args).fetchall()
        return [self._run(r) for r in rows]

    def run(self, run_id: int) -> RunInfo | None:
        row = self.conn.execute(
            f"SELECT {self._RUN_COLS} FROM runs WHERE id = ?", (run_id,)
        ).fetchone()
        return self._run(row) if row else None

    def runs_before(self, school: str, as_of: datetime,
                    exclude_run: int | None = None) -> list[RunInfo]:
        """Earlier runs of the school: audited on or before ``as_of``, oldest first."""
        limit = self._order_of(exclude_run) if exclude_run is not None else None
        return [r for r in self.runs(school)
                if r.as_of <= as_of and r.id != exclude_run
                and (limit is None or (r.as_of, r.id) < limit)]

    def _order_of(self, run_id: int) -> tuple[datetime, int]:
        info = self.run(run_id)
        return (info.as_of, info.id) if info else (datetime.max.replace(tzinfo=UTC), run_id)

    def previous_run(self, school: str, as_of: datetime,
                     exclude_run: int | None = None) -> RunInfo | None:
        earlier = self.runs_before(school, as_of, exclude_run)
        return earlier[-1] if earlier else None

    def findings_of(self, run_id: int) -> list[StoredFinding]:
        rows = self.conn.execute(
            "SELECT run_id, fingerprint, rule, subject, severity, status, message, message_en,"
            " department, person, on_date, url, evidence FROM findings WHERE run_id = ?"
            " ORDER BY rule, subject", (run_id,),
        ).fetchall()
        return [StoredFinding(run_id=r[0], fingerprint=r[1], rule=r[2], subject=r[3],
                              severity=r[4], status=r[5], message=r[6], message_en=r[7],
                              department=r[8], person=r[9], on=_day(r[10]), url=r[11],
                              evidence=json.loads(r[12]))
                for r in rows]

    def statistics(self, run_id: int) -> dict[str, Any]:
        """The run's report statistics ("monthly", "events", "disclosure"), dates restored;
        a key is absent when the run did not record it."""
        row = self.conn.execute(
            "SELECT monthly, events, disclosure FROM run_statistics WHERE run_id = ?", (run_id,)
        ).fetchone()
        out: dict[str, Any] = {}
        if row is None:
            return out
        if row[0] is not None:
            out["monthly"] = json.loads(row[0])
        if row[1] is not None:
            out["events"] = [{k: _restore(k, v) for k, v in e.items()}
                             for e in json.loads(row[1])]
        if row[2] is not None:
            out["disclosure"] = [{k: _restore(k, v) for k, v in d.items()}
                                 for d in json.loads(row[2])]
        return out

    def rule_statuses(self, run_id: int) -> dict[str, str]:
        rows = self.conn.execute(
            "SELECT rule, status FROM rule_results WHERE run_id = ?", (run_id,)
        ).fetchall()
        return {r[0]: r[1] for r in rows}

    def seen(self, school: str, fingerprint: str) -> Seen | None:
        row = self.conn.execute(
            "SELECT fingerprint, rule, subject, first_seen, last_seen, first_run, last_run"
            " FROM finding_seen WHERE school = ? AND fingerprint = ?", (school, fingerprint),
        ).fetchone()
        if row is None:
            return None
        return Seen(row[0], row[1], row[2], date.fromisoformat(row[3]),
                    date.fromisoformat(row[4]), row[5], row[6])

    # -- disclosure ----------------------------------------------------------
    def disclosure_of(self, run_id: int) -> DisclosureState | None:
        row = self.conn.execute(
            "SELECT url, status, click_path FROM disclosure_sections WHERE run_id = ?", (run_id,)
        ).fetchone()
        if row is None:
            return None
        items = self.conn.execute(
            "SELECT key, title, url, status, hidden, source, post_id, updated_at"
            " FROM disclosure_items WHERE run_id = ? ORDER BY key", (run_id,),
        ).fetchall()
        return DisclosureState(
            url=row[0], status=row[1],
            click_path=tuple((str(a), str(b)) for a, b in json.loads(row[2] or "[]")),
            items=tuple(DisclosureRecord(k, t, u, s, h, src, pid, _day(upd))
                        for k, t, u, s, h, src, pid, upd in items),
        )

    def disclosure_history(self, school: str, as_of: datetime,
                           exclude_run: int | None = None
                           ) -> list[tuple[RunInfo, DisclosureState]]:
        """Every earlier run of the school that saw the Công khai section, oldest first."""
        out = []
        for run in self.runs_before(school, as_of, exclude_run):
            state = self.disclosure_of(run.id)
            if state is not None:
                out.append((run, state))
        return out

    # -- link reports (Điều 13.1.c) -----------------------------------------
    def add_link_report(self, school: str, url: str, reported_on: date,
                        note: str | None = None, source: str = "cli") -> int:
        with self.transaction() as db:
            cur = db.execute(
                "INSERT INTO link_reports (school, url, reported_on, note, recorded_at, source)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (school, normalise_url(url), reported_on.isoformat(), note,
                 datetime.now(UTC).isoformat(timespec="seconds"), source),
            )
            return int(cur.lastrowid or 0)

    def link_reports(self, school: str | None = None,
                     until: date | None = None) -> list[LinkReport]:
        """Reports of the section's address, oldest first (up to ``until`` inclusive)."""
        sql = ("SELECT id, school, url, reported_on, note, recorded_at, source"
               " FROM link_reports WHERE 1 = 1")
        args: list[Any] = []
        if school is not None:
            sql += " AND school = ?"
            args.append(school)
        if until is not None:
            sql += " AND reported_on <= ?"
            args.append(until.isoformat())
        rows = self.conn.execute(sql + " ORDER BY reported_on, id", args).fetchall()
        return [LinkReport(r[0], r[1], r[2], date.fromisoformat(r[3]), r[4],
                           datetime.fromisoformat(r[5]), r[6]) for r in rows]

    def integrity(self) -> str:
        return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])


# Times in the stored rows (EventRow's, DisclosureRow.last_seen), restored on reading.
_EVENT_TIMES = frozenset({"start", "end", "deadline", "published_at", "last_seen"})


def _rows(rows: tuple[Any, ...] | None) -> list[dict[str, Any]] | None:
    return None if rows is None else [dataclasses.asdict(r) for r in rows]


def _stat_json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False,
                      default=lambda v: v.isoformat() if hasattr(v, "isoformat") else str(v))


def _restore(key: str, value: Any) -> Any:
    if key in _EVENT_TIMES and isinstance(value, str):
        return datetime.fromisoformat(value)
    return value
