"""Real HTTP servers on 127.0.0.1 for tests (no mocked transport).

``LoopbackServer`` is a threaded HTTP/1.1 server with keep-alive. Routes map a
path (with its query string, or without it as a fall-back) to a ``Reply`` or
to a function of the ``Request`` returning one. Every request is logged with
its arrival time and the body bytes sent, so tests can assert spacing
(crawl-delay) and bytes (incremental runs) from the server's side.

``static_site`` builds routes for a set of pages with ETag / Last-Modified
and 304 answers. ``ResetServer`` accepts a connection, reads the request and
resets it (SO_LINGER 0). Both are reusable by any test module.
"""

from __future__ import annotations

import email.utils
import hashlib
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass
class Request:
    method: str
    path: str  # with the query string
    headers: dict[str, str]  # lower-case names
    at: float  # time.monotonic() on arrival
    bytes_sent: int = 0  # body bytes written in answer
    wire_bytes: int = 0  # everything written in answer: status line, headers and body
    status: int | None = None


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (timeouts)
    chunks: Callable[[], Iterable[bytes]] | None = None  # streamed body, no Content-Length

    def payload(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


Route = Reply | Callable[[Request], Reply]


def html(body: str, status: int = 200, **headers: str) -> Reply:
    return Reply(status=status, body=body, headers=dict(headers))


class LoopbackServer:
    """A threaded HTTP server on a free port of 127.0.0.1. Use as a context manager."""

    def __init__(self, routes: dict[str, Route] | None = None,
                 fallback: Callable[[Request], Reply] | None = None) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.fallback = fallback
        self.log: list[Request] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            current: Request | None = None

            def setup(self) -> None:
                super().setup()
                raw = self.wfile
                handler = self

                class Counting:
                    def write(self, data: bytes) -> int:
                        if handler.current is not None:
                            handler.current.wire_bytes += len(data)
                        return raw.write(data)

                    def flush(self) -> None:
                        raw.flush()

                    def close(self) -> None:
                        raw.close()

                    @property
                    def closed(self) -> bool:
                        return bool(raw.closed)

                self.wfile = Counting()  # type: ignore[assignment]

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

            def do_GET(self) -> None:  # noqa: N802
                server._handle(self)

            do_HEAD = do_GET  # noqa: N815

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def url(self, path: str = "/") -> str:
        return self.base + path

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    # -- what happened --------------------------------------------------------
    def requests(self, path: str | None = None) -> list[Request]:
        with self._lock:
            return [r for r in self.log if path is None or r.path == path]

    @property
    def bytes_sent(self) -> int:
        """Body bytes sent so far."""
        with self._lock:
            return sum(r.bytes_sent for r in self.log)

    @property
    def wire_bytes(self) -> int:
        """All bytes sent so far: status lines, headers and bodies."""
        with self._lock:
            return sum(r.wire_bytes for r in self.log)

    def reset_log(self) -> None:
        with self._lock:
            self.log.clear()

    # -- serving --------------------------------------------------------------
    def _route(self, request: Request) -> Reply:
        route = self.routes.get(request.path) or self.routes.get(urlsplit(request.path).path)
        if route is None:
            if self.fallback is not None:
                return self.fallback(request)
            return Reply(404, "<html><body>Không tìm thấy</body></html>")
        return route(request) if callable(route) else route

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        request = Request(handler.command, handler.path,
                          {k.lower(): v for k, v in handler.headers.items()}, time.monotonic())
        with self._lock:
            self.log.append(request)
        handler.current = request  # type: ignore[attr-defined]
        reply = self._route(request)
        if reply.delay:
            time.sleep(reply.delay)
        request.status = reply.status
        try:
            handler.send_response(reply.status)
            if reply.content_type:
                handler.send_header("Content-Type", reply.content_type)
            for name, value in reply.headers.items():
                handler.send_header(name, value)
            if reply.chunks is not None:
                handler.send_header("Connection", "close")
                handler.end_headers()
                handler.close_connection = True
                if handler.command != "HEAD":
                    for chunk in reply.chunks():
                        handler.wfile.write(chunk)
                        request.bytes_sent += len(chunk)
                return
            payload = reply.payload() if reply.status not in (204, 304) else b""
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            if handler.command != "HEAD" and payload:
                handler.wfile.write(payload)
                request.bytes_sent += len(payload)
        except (BrokenPipeError, ConnectionResetError):
            handler.close_connection = True  # the client stopped reading: that is the point


def _http_date(ts: float) -> str:
    return email.utils.formatdate(ts, usegmt=True)


def static_site(pages: dict[str, tuple[str, bytes | str]],
                modified: float = 1_760_000_000.0) -> dict[str, Route]:
    """Routes serving `pages` (path → (content type, body)) with ETag and Last-Modified.

    A request with a matching If-None-Match, or an If-Modified-Since not older
    than the page, gets 304 and no body.
    """
    routes: dict[str, Route] = {}
    for path, (content_type, body) in pages.items():
        payload = body.encode("utf-8") if isinstance(body, str) else body
        etag = '"' + hashlib.sha1(payload).hexdigest()[:16] + '"'  # noqa: S324 — a tag, not security
        last_modified = _http_date(modified)

        def route(request: Request, payload: bytes = payload, etag: str = etag,
                  last_modified: str = last_modified, content_type: str = content_type) -> Reply:
            headers = {"ETag": etag, "Last-Modified": last_modified}
            inm = request.headers.get("if-none-match")
            ims = request.headers.get("if-modified-since")
            if inm == etag or (inm is None and ims == last_modified):
                return Reply(304, b"", content_type=None, headers=headers)
            return Reply(200, payload, content_type=content_type, headers=headers)

        routes[path] = route
    return routes


class ResetServer:
    """Accepts connections, reads the request head, and resets the connection (RST)."""

    def __init__(self) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def url(self, path: str = "/") -> str:
        return self.base + path

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            conn.settimeout(2)
            try:
                data = b""
                while b"\r\n\r\n" not in data:
                    more = conn.recv(4096)
                    if not more:
                        break
                    data += more
            except OSError:
                pass
            # SO_LINGER with a zero timeout: close() sends RST instead of FIN.
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()

    def __enter__(self) -> ResetServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(2)
        self._sock.close()


def free_port() -> int:
    """A port on 127.0.0.1 with nothing listening (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def repeat(chunk: bytes, total: int) -> Callable[[], Iterator[bytes]]:
    """A streamed body of `total` bytes made of `chunk`."""

    def gen() -> Iterator[bytes]:
        sent = 0
        while sent < total:
            piece = chunk[: total - sent]
            sent += len(piece)
            yield piece

    return gen
