"""A throwaway PostgreSQL server for the history tests: initdb into a temporary folder, listen on a free
loopback port (unix socket in that folder too), stop and delete it at the end.

Used when GARDENER_TEST_POSTGRES_URL is not set and the server binaries exist (PATH, or Debian's
/usr/lib/postgresql/*/bin). As root, the server runs as the `postgres` user (created by Debian's package).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


def system_tool(name: str) -> str:
    """A root tool by full path: a PATH without the sbin folders (cron, a trimmed CI shell) still finds it."""
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin:/usr/bin:/bin") or name


def binaries() -> Path | None:
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(os.path.realpath(found)).parent
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True):
        return Path(candidate).parent
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    bindir: Path
    root: Path
    port: int
    user: str | None  # the OS user the server runs as (None: ourselves)

    @property
    def data(self) -> Path:
        return self.root / "data"

    def _run(self, argv: Sequence[str], timeout: float = 120) -> None:
        cmd = list(argv) if self.user is None else [system_tool("runuser"), "-u", self.user, "--", *argv]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        if done.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(argv[:2])} failed ({done.returncode}): {done.stderr.strip()}\n{tail}")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        self._run([str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                   "-E", "UTF8", "--no-sync"])
        opts = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
        self._run([str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"),
                   "-o", opts, "-w", "-t", "60", "start"])

    def stop(self) -> None:
        try:
            self._run([str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"], 60)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def _server_user() -> str:
    """Debian's `postgres` user, else a system user made for the purpose."""
    for name in ("postgres", "gardener-pg"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    make_user = [system_tool("useradd"), "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "gardener-pg"]
    subprocess.run(make_user, check=True, capture_output=True, timeout=30)
    return "gardener-pg"


def start_server() -> Server:
    bindir = binaries()
    if bindir is None:
        raise FileNotFoundError("no PostgreSQL server binaries (initdb, pg_ctl) on PATH or in /usr/lib/postgresql")
    root = Path(tempfile.mkdtemp(prefix="gardener-pg-"))
    user = None
    if os.geteuid() == 0:  # the server refuses to run as root
        user = _server_user()
        entry = pwd.getpwnam(user)
        os.chown(root, entry.pw_uid, entry.pw_gid)
        root.chmod(0o700)
    server = Server(bindir, root, _free_port(), user)
    try:
        server.start()
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return server
