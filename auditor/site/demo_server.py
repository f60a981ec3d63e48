"""A small static web server for the demo school's site snapshot.

``auditor check --demo`` serves ``fixtures/demo/site`` on 127.0.0.1 on a free
port and crawls it over real HTTP exactly as it would a real portal, so the
server behaves like one: ETag and Last-Modified on every answer, ``304 Not
Modified`` to conditional requests (repeat runs must be incremental), real 404s,
HEAD, and the official address in sitemaps and feeds rewritten to the address
actually served.

URL → file: ``/a/b`` is ``a/b/index.html`` (or ``a/b/index.xml``, served as
XML, for a feed at a folder address); a query string picks a sibling file,
``/a/b?page=2`` is ``a/b/index_page-2.html``; a path with a file extension
(``/sitemap.xml``, ``/uploads/x.pdf``) is that file. ``404.html`` at the root is
the not-found page.
"""

from __future__ import annotations

import email.utils
import hashlib
import mimetypes
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

_TEXT_TYPES = ("text/", "application/xml", "application/rss+xml", "application/json")
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".jpg": "image/jpeg",
    ".png": "image/png",
}


def query_file_name(query: str) -> str:
    """``page=2`` → ``index_page-2.html`` (also used by the site builder)."""
    safe = re.sub(r"[^A-Za-z0-9]+", "-", query).strip("-")
    return f"index_{safe}.html" if safe else "index.html"


def url_to_file(root: Path, raw_path: str) -> Path | None:
    """The file that answers a request path, or None (outside root / missing)."""
    parts = urlsplit(raw_path)
    path = unquote(parts.path)
    segments = [s for s in path.split("/") if s]
    if any(s in {".", ".."} or "\\" in s for s in segments):
        return None
    base = root.joinpath(*segments)
    if segments and "." in segments[-1] and not parts.query:
        candidates = [base]
    else:
        name = query_file_name(parts.query)
        # A feed at a folder address (NukeViet's /rss/) is stored as index.xml.
        candidates = [base / name, base / (name.removesuffix(".html") + ".xml")]
    for candidate in candidates:
        try:
            candidate.resolve().relative_to(root.resolve())
        except ValueError:
            return None
        if candidate.is_file():
            return candidate
    return None


@dataclass
class ServerStats:
    """What the server sent: the honest measure of a crawl's cost."""

    requests: int = 0
    not_modified: int = 0
    body_bytes: int = 0
    by_status: dict[int, int] = field(default_factory=dict)
    paths: list[str] = field(default_factory=list, repr=False)  # every request path, in order
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, status: int, size: int, path: str = "") -> None:
        with self.lock:
            self.requests += 1
            self.paths.append(path)
            self.body_bytes += size
            self.by_status[status] = self.by_status.get(status, 0) + 1
            if status == 304:
                self.not_modified += 1

    def reset(self) -> None:
        with self.lock:
            self.requests = self.not_modified = self.body_bytes = 0
            self.by_status.clear()
            self.paths.clear()


@dataclass(frozen=True)
class _Entity:
    body: bytes
    content_type: str
    etag: str
    last_modified: float  # POSIX time, whole seconds


class _Handler(BaseHTTPRequestHandler):
    server: _DemoHTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "auditor-demo/1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet
        return

    def do_HEAD(self) -> None:  # noqa: N802 - http.server naming
        self._answer(head=True)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(head=False)

    def _answer(self, *, head: bool) -> None:
        site = self.server.site
        entity = site.entity(self.path)
        if entity is None:
            missing = site.entity("/404.html")
            body = missing.body if missing else b"Not Found"
            self._send(HTTPStatus.NOT_FOUND, body, "text/html; charset=utf-8", head, {})
            return
        headers = {
            "ETag": entity.etag,
            "Last-Modified": email.utils.formatdate(entity.last_modified, usegmt=True),
            "Cache-Control": "no-cache",
        }
        if self._not_modified(entity):
            self._send(HTTPStatus.NOT_MODIFIED, b"", None, True, headers)
            return
        self._send(HTTPStatus.OK, entity.body, entity.content_type, head, headers)

    def _not_modified(self, entity: _Entity) -> bool:
        # RFC 9110 §13.1: If-None-Match wins over If-Modified-Since.
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
            return "*" in tags or entity.etag in tags
        ims = self.headers.get("If-Modified-Since")
        if ims:
            try:
                since = email.utils.parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError):
                return False
            return entity.last_modified <= since
        return False

    def _send(self, status: HTTPStatus, body: bytes, ctype: str | None, head: bool,
              headers: dict[str, str]) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if ctype:
            self.send_header("Content-Type", ctype)
        if status != HTTPStatus.NOT_MODIFIED:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        sent = 0 if head or status == HTTPStatus.NOT_MODIFIED else len(body)
        if sent:
            self.wfile.write(body)
        self.server.site.stats.record(int(status), sent, self.path)


class DemoSite:
    """The snapshot on disk, with its entities built once (bytes, ETag, type)."""

    def __init__(self, root: Path, official_origin: str | None = None) -> None:
        self.root = root
        self.official_origin = official_origin.rstrip("/") if official_origin else None
        self.origin = ""
        self.stats = ServerStats()
        self._cache: dict[Path, _Entity] = {}
        self._lock = threading.Lock()

    def entity(self, raw_path: str) -> _Entity | None:
        path = url_to_file(self.root, raw_path)
        if path is None:
            return None
        with self._lock:
            cached = self._cache.get(path)
            if cached is None:
                cached = self._cache[path] = self._load(path)
        return cached

    def _load(self, path: Path) -> _Entity:
        body = path.read_bytes()
        ctype = _TYPES.get(path.suffix.lower()) or (
            mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        )
        if self.official_origin and ctype.startswith(_TEXT_TYPES):
            # The snapshot names the official address (sitemap, feed, canonical
            # links); served here, it must name the address it is served from.
            body = body.replace(self.official_origin.encode(), self.origin.encode())
        etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        return _Entity(body, ctype, etag, float(int(path.stat().st_mtime)))


class _DemoHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    site: DemoSite

    def handle_error(self, request: object, client_address: object) -> None:
        # A client closing its keep-alive connection is normal here, not an error to print.
        return


@dataclass(frozen=True)
class RunningDemo:
    url: str  # e.g. http://127.0.0.1:53124
    site: DemoSite

    @property
    def stats(self) -> ServerStats:
        return self.site.stats


@contextmanager
def serve_site(root: Path, official_origin: str | None = None) -> Iterator[RunningDemo]:
    """Serve ``root`` on 127.0.0.1 on a free port until the block ends.

    Only the loopback address is ever bound: the demo must not be reachable
    from the network.
    """
    if not root.is_dir():
        raise FileNotFoundError(root)
    site = DemoSite(root, official_origin)
    httpd = _DemoHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.site = site
    host, port = httpd.server_address[:2]
    site.origin = f"http://{host!s}:{port}"
    thread = threading.Thread(target=httpd.serve_forever, name="auditor-demo", daemon=True)
    thread.start()
    try:
        yield RunningDemo(site.origin, site)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
