"""Downloads over real loopback HTTP: the redirect's target never sees a credential, big bodies are capped."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from gardener.sources.download import DownloadError, download


class Blob(http.server.BaseHTTPRequestHandler):
    bodies: ClassVar[dict[str, bytes]] = {}
    seen: ClassVar[list[dict[str, str]]] = []

    def do_GET(self) -> None:
        Blob.seen.append({k.lower(): v for k, v in self.headers.items()})
        body = Blob.bodies.get(self.path)
        if body is None:
            self.send_response(410)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Blob)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    Blob.bodies, Blob.seen = {}, []
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_streams_to_disk_without_credentials(server: str, tmp_path: Path):
    Blob.bodies["/log"] = b"line 1\nline 2\n"
    got = download(server + "/log", tmp_path / "a.log", cap=1024)
    assert (got.bytes, got.partial) == (14, False)
    assert (tmp_path / "a.log").read_bytes() == b"line 1\nline 2\n"
    assert "authorization" not in Blob.seen[-1]
    assert not list(tmp_path.glob(".*part*"))


def test_a_log_over_the_cap_keeps_its_start_and_its_end_in_whole_lines(server: str, tmp_path: Path):
    lines = [b"line %06d\n" % i for i in range(100_000)]  # 1.2 MB; a job fails at its end
    Blob.bodies["/big"] = b"".join(lines) + b"##[error]Process completed with exit code 1.\n"
    got = download(server + "/big", tmp_path / "b.log", cap=500_000, cut_at_line=True)
    assert got.partial
    data = (tmp_path / "b.log").read_bytes()
    assert len(data) == got.bytes <= 500_000 and data.endswith(b"exit code 1.\n")
    head, _, tail = data.partition(b"\n[gardener: ")
    assert head.startswith(b"line 000000\n") and len(head) <= 125_000
    kept = head.count(b"\n") + 1 + tail.count(b"\n") - 1
    said = int(tail.split(b" bytes of this log left out here")[0])
    assert said == len(Blob.bodies["/big"]) - len(head) - 1 - len(tail.partition(b"\n")[2])  # the gap is told exactly
    assert got.left_out == said and kept < 100_001
    body = head.split(b"\n") + tail.partition(b"\n")[2].split(b"\n")
    assert all(line.startswith((b"line ", b"##[error]")) or not line for line in body)  # no torn line
    assert not list(tmp_path.glob(".*part*"))


def test_an_archive_over_the_cap_stops_there(server: str, tmp_path: Path):
    Blob.bodies["/zip"] = bytes(300_000)
    got = download(server + "/zip", tmp_path / "a.zip", cap=100_000)
    assert got.partial and got.bytes == 100_000 == (tmp_path / "a.zip").stat().st_size and got.left_out == 0


def test_a_gone_download_names_its_status(server: str, tmp_path: Path):
    with pytest.raises(DownloadError) as info:
        download(server + "/missing", tmp_path / "c.log", cap=10)
    assert info.value.status == 410
    assert not (tmp_path / "c.log").exists()


def test_only_http_urls_are_fetched(tmp_path: Path):
    with pytest.raises(DownloadError, match="not http"):
        download("file:///etc/passwd", tmp_path / "x", cap=10)
