"""A loopback HTTP(S) server that answers with scripted faults (test helper, hand-made).

Each path gets a queue of answers; an answer is one of

* ``("ok", body)``            — 200 with ``body``
* ``("status", code, body)``  — that HTTP status (429 carries ``Retry-After: 0``)
* ``("html",)``               — 200 with an HTML maintenance page
* ``("empty",)``              — 200 with no body
* ``("truncated", body)``     — 200 announcing ``len(body)`` bytes, sending half, closing
* ``("garbled",)``            — 200 with bytes that are not UTF-8
* ``("slow", seconds, body)`` — waits, then 200 with ``body``
* ``("drip", seconds, body)`` — sends ``body`` one byte per ``seconds``
* ``("stream", nbytes)``      — 200 with ``nbytes`` of text and no ``Content-Length`` (sent in 1 MiB pieces,
  ended by closing the connection)

The last answer of a queue repeats. The server is bounded: it stops answering after
``max_requests`` (later requests get 599 and are counted as overflow), handler sockets
time out after a few seconds, and the fixture shuts it down.
"""

from __future__ import annotations

import http.server
import ssl
import threading
import time
from collections import defaultdict
from typing import Any

HTML = b"<!DOCTYPE html><html><head><title>Service maintenance</title></head><body>Back soon</body></html>\n"


class FaultServer:
    """Start with :meth:`start`; ``url`` is its base address; :meth:`stop` joins the thread."""

    def __init__(self, max_requests: int = 60, tls: ssl.SSLContext | None = None) -> None:
        self.max_requests = max_requests
        self.script: dict[str, list[tuple[Any, ...]]] = {}
        self.hits: dict[str, int] = defaultdict(int)
        self.requests: list[tuple[str, str, bytes]] = []
        self.overflow = 0
        self._lock = threading.Lock()
        self._tls = tls
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            timeout = 5  # a stuck client never holds the server thread for long

            def log_message(self, *args: object) -> None:  # keep pytest output clean
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                server._answer(self, b"")

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                server._answer(self, self.rfile.read(length))

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def url(self) -> str:
        scheme = "https" if self._tls is not None else "http"
        return f"{scheme}://127.0.0.1:{self.httpd.server_address[1]}"

    def start(self) -> FaultServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)

    def on(self, path: str, *answers: tuple[Any, ...]) -> None:
        """Answer requests to ``path`` (no query string) with ``answers`` in turn, the last repeating."""
        self.script[path] = list(answers)

    def _next(self, path: str) -> tuple[Any, ...]:
        with self._lock:
            queue = self.script.get(path)
            if not queue:
                return ("status", 404, b"no such path on the fault server\n")
            return queue.pop(0) if len(queue) > 1 else queue[0]

    def _answer(self, handler: http.server.BaseHTTPRequestHandler, body_in: bytes) -> None:
        path = handler.path.split("?", 1)[0]
        with self._lock:
            if len(self.requests) >= self.max_requests:
                self.overflow += 1
                answer: tuple[Any, ...] = ("status", 599, b"fault server request budget exhausted\n")
            else:
                self.requests.append((handler.command, path, body_in))
                self.hits[path] += 1
                answer = ()
        if not answer:
            answer = self._next(path)
        kind = answer[0]
        try:
            if kind == "ok":
                self._send(handler, 200, answer[1])
            elif kind == "status":
                extra = {"Retry-After": "0"} if answer[1] == 429 else {}
                self._send(handler, answer[1], answer[2] if len(answer) > 2 else b"error\n", extra)
            elif kind == "html":
                self._send(handler, 200, HTML, content_type="text/html")
            elif kind == "empty":
                self._send(handler, 200, b"")
            elif kind == "garbled":
                self._send(handler, 200, b"\xff\xfe\x00garbled \xc3\x28 bytes\n")
            elif kind == "truncated":
                body = answer[1]
                handler.send_response(200)
                handler.send_header("Content-Length", str(len(body)))
                handler.end_headers()
                handler.wfile.write(body[: len(body) // 2])
                handler.wfile.flush()
                handler.close_connection = True
            elif kind == "slow":
                time.sleep(answer[1])
                self._send(handler, 200, answer[2])
            elif kind == "drip":
                body = answer[2]
                handler.send_response(200)
                handler.send_header("Content-Length", str(len(body)))
                handler.end_headers()
                for i in range(len(body)):
                    handler.wfile.write(body[i:i + 1])
                    handler.wfile.flush()
                    time.sleep(answer[1])
            elif kind == "stream":
                handler.send_response(200)
                handler.send_header("Content-Type", "text/plain")
                handler.end_headers()
                left = answer[1]
                while left > 0:
                    piece = min(left, 2**20)
                    handler.wfile.write(b"x" * (piece - 1) + b"\n")
                    left -= piece
                handler.close_connection = True
            else:  # pragma: no cover - a typo in a test script
                self._send(handler, 500, f"unknown fault {kind}\n".encode())
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            pass  # the client gave up (timeout/deadline): expected for slow faults

    @staticmethod
    def _send(handler: http.server.BaseHTTPRequestHandler, code: int, body: bytes,
              headers: dict[str, str] | None = None, content_type: str = "text/plain") -> None:
        handler.send_response(code)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(body)
