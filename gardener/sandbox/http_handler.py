"""The socket side: HTTP/1.1 with keep-alive (PyGithub reuses connections), one thread per connection."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from gardener.sandbox.app import App
from gardener.sandbox.protocol import DOCS, FileBody, Response, error_body

HOST_HEADER = re.compile(r"[A-Za-z0-9.\-]+(:\d+)?|\[[0-9A-Fa-f:.]+\](:\d+)?")
IDLE_TIMEOUT_S = 30
MAX_BODY_BYTES = 8 * 1024 * 1024  # far above any valid request (bodies stop at 65,536 characters)
STREAM_CHUNK_BYTES = 1024 * 1024


class SandboxHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # idle keep-alive connections must not hold up shutdown
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], app: App, family: socket.AddressFamily) -> None:
        self.address_family = family
        self.app = app
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, ApiRequestHandler)

    @property
    def own_url(self) -> str:
        host, port = str(self.server_address[0]), self.server_address[1]
        host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)  # a wildcard bind is reached via loopback
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    def base_url_for(self, host_header: str | None) -> str:
        """The URL the client used: PyGithub insists every URL we hand back is on that very host."""
        if host_header and HOST_HEADER.fullmatch(host_header):
            return f"http://{host_header}"
        return self.own_url

    def track(self, conn: socket.socket, alive: bool) -> None:
        with self._connections_lock:
            (self._connections.add if alive else self._connections.discard)(conn)

    def close_connections(self) -> None:
        with self._connections_lock:
            conns = list(self._connections)
        for conn in conns:
            with contextlib.suppress(OSError):  # already closed by the client
                conn.shutdown(socket.SHUT_RDWR)


class ApiRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "gardener-sandbox"
    sys_version = ""
    timeout = IDLE_TIMEOUT_S
    server: SandboxHTTPServer

    def setup(self) -> None:
        super().setup()
        # headers and body go out in two writes; without this, Nagle + delayed ACK add 40 ms per call
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.track(self.connection, False)

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the request log (GET /_sandbox/requests) is the record."""

    def _serve(self) -> None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY_BYTES:
            self.close_connection = True  # the unread body makes the connection unusable
            self._write(Response(413, {"message": "Payload too large", "documentation_url": DOCS}))
            return
        raw = self.rfile.read(length) if length > 0 else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        base = self.server.base_url_for(self.headers.get("Host"))
        outcome = self.server.app.handle(self.command, self.path, headers, raw, base)
        if not isinstance(outcome, Response):  # an injected dropped connection
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self._write(outcome)

    def _write(self, answer: Response) -> None:
        if isinstance(answer.body, FileBody):
            self._stream(answer, answer.body)
            return
        if isinstance(answer.body, bytes):  # a web page, already encoded, with its own Content-Type
            payload = answer.body
        elif answer.body is None:
            payload = b""
        else:
            payload = json.dumps(answer.body, ensure_ascii=False).encode("utf-8")
        self.send_response(answer.status)
        if answer.body is not None and not isinstance(answer.body, bytes):
            self.send_header("Content-Type", "application/json; charset=utf-8")
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _stream(self, answer: Response, body: FileBody) -> None:
        """Copy the file to the socket in chunks: a 200 MiB log costs one buffer of memory, not 200 MiB."""
        try:
            handle = body.path.open("rb")
        except OSError:
            self._write(Response(404, error_body(404, "Not Found"), answer.headers))
            return
        with handle:
            size = os.fstat(handle.fileno()).st_size
            self.send_response(answer.status)
            self.send_header("Content-Type", body.content_type)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(size))
            self.end_headers()
            if body.cut_after is None:
                shutil.copyfileobj(handle, self.wfile, STREAM_CHUNK_BYTES)
                return
            left = min(body.cut_after, size)  # an injected fault: this much, then the connection goes
            while left > 0 and (chunk := handle.read(min(left, STREAM_CHUNK_BYTES))):
                self.wfile.write(chunk)
                left -= len(chunk)
            self.wfile.flush()
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
