"""A hacked school site on 127.0.0.1 for the hostile-site tests (issue 13).

The demo school's portal (fixtures/demo/site) is served by a real loopback
server; a test replaces some addresses with hostile answers (a drip, a gzip
bomb, a redirect to another host, a bad charset…) and runs the whole
``auditor check`` command against it with small limits, so that each test
sees how the run ends, what the report says and what the other rules judge.
"""

from __future__ import annotations

import gzip
import json
import resource
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from auditor.cli import main
from auditor.site.demo_server import url_to_file
from tests.loopback import LoopbackServer, Reply, Request, Route

DEMO = Path(__file__).resolve().parent.parent / "fixtures" / "demo"
SITE = DEMO / "site"
OFFICIAL = "https://thcshoaphuong.haiphong.edu.vn"
AS_OF = "2026-11-26"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MEMORY_CAP = 500 * 1024 * 1024  # bytes: no hostile answer may take the run past this


def drip(seconds: float,
         body: bytes = b"<html><body>" + b"x" * 64) -> Callable[[], Iterator[bytes]]:
    """A body sent one byte at a time, one byte every `seconds` (a slowloris answer)."""

    def chunks() -> Iterator[bytes]:
        for i in range(len(body)):
            time.sleep(seconds)
            yield body[i:i + 1]

    return chunks


def gzip_bomb(unpacked: int = 200_000_000) -> bytes:
    """A gzip body of a few hundred kB that unpacks to `unpacked` bytes."""
    return gzip.compress(b"\0" * unpacked, compresslevel=9)


def demo_fallback(base: Callable[[], str]) -> Callable[[Request], Reply]:
    """The demo portal's files, its official address rewritten to the loopback one."""

    def answer(request: Request) -> Reply:
        path = url_to_file(SITE, request.path)
        if path is None:
            return Reply(404, "<html><body>Không tìm thấy</body></html>")
        body = path.read_bytes()
        ctype = {".html": "text/html; charset=utf-8", ".xml": "application/xml",
                 ".txt": "text/plain; charset=utf-8", ".docx": DOCX,
                 ".pdf": "application/pdf"}.get(path.suffix, "application/octet-stream")
        if ctype.startswith(("text/", "application/xml")):
            body = body.replace(OFFICIAL.encode(), base().encode())
        return Reply(200, body, content_type=ctype)

    return answer


class HackedSite(LoopbackServer):
    """The demo portal with some addresses answered by `routes` instead."""

    def __init__(self, routes: dict[str, Route] | None = None) -> None:
        super().__init__(routes, fallback=demo_fallback(lambda: self.base))


def write_config(tmp: Path, site: str, *, timeout: float = 1.0, total_time: float = 20.0,
                 tail_time: float = 3.0, max_documents: int = 10,
                 max_bytes: int = 1_000_000, rules: str = "") -> Path:
    """auditor.toml for the demo school served at `site`, with small limits."""
    text = (DEMO / "auditor.toml").read_text(encoding="utf-8")
    text = text.replace(f'url = "{OFFICIAL}"', f'url = "{site}"')
    text = text.replace('export = "cms-export.csv"',
                        f'site = "{site}/"\nexport = "{(DEMO / "cms-export.csv").as_posix()}"')
    text = text.replace('events = "lich-cong-tac.ics"',
                        f'events = "{(DEMO / "lich-cong-tac.ics").as_posix()}"')
    text = text.replace('dir = "bao-cao"', f'dir = "{(tmp / "bao-cao").as_posix()}"')
    if rules:
        (tmp / "rules.toml").write_text('[ruleset]\nextends = "qd111-thcs"\n\n' + rules,
                                        encoding="utf-8")
        text = text.replace('set = "qd111-thcs"', 'set = "rules.toml"')
    text += f"""
[crawl]
min_delay = 0
retries = 0
timeout = {timeout}
total_time = {total_time}
tail_time = {tail_time}
max_documents = {max_documents}
max_bytes = {max_bytes}
cache = "{(tmp / 'crawl.sqlite').as_posix()}"
"""
    path = tmp / "auditor.toml"
    path.write_text(text, encoding="utf-8")
    return path


def run_check(tmp: Path, config: Path, *args: str) -> tuple[int, dict[str, Any] | None]:
    """`auditor check --format json` into a file; (exit code, the report or None)."""
    out = tmp / "report.json"
    out.unlink(missing_ok=True)
    code = main(["check", "--config", str(config), "--as-of", AS_OF, "--format", "json",
                 "--output", str(out), "--history", str(tmp / "history.sqlite"),
                 *args])
    report = json.loads(out.read_text(encoding="utf-8")) if out.exists() else None
    return code, report


def rules(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in report["rules"]}


def findings(report: dict[str, Any], rule: str) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["rule"] == rule]


def peak_memory() -> int:
    """The process's peak resident memory so far, in bytes (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
