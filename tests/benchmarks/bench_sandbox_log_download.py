"""A large job log served by `gardener sandbox serve --runs DIR`, against reading the same file from disk.

Run: python tests/benchmarks/bench_sandbox_log_download.py [--mib N] [--repeat R]

Writes a runner-style log of N MiB (default 200) as a failed job's log, starts the sandbox as a user does (a
separate process), and downloads the log the way a client must: GET .../actions/jobs/{id}/logs, follow the
302 to the signed download URL, read the body in 1 MiB chunks. Reports, for R runs, the best wall time and
MiB/s of:
  (a) baseline: reading the file from disk in 1 MiB chunks (the cheapest way to get the same bytes)
  (b) sandbox: the API call, the redirect and the streamed download over loopback HTTP
and the sandbox process's peak RSS (VmHWM) before and after the downloads: the growth is what serving
the log cost in memory, which streaming keeps to a few chunks however large the log is.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHUNK = 1024 * 1024
SHA = "abc" + "d" * 37


def write_log(path: Path, mib: int) -> int:
    line = b"2026-12-01T10:00:00.0000000Z #12 12.34 Collecting pkg==1.0 (from -r requirements.txt (line 3))\n"
    block = line * (CHUNK // len(line))
    with path.open("wb") as fh:
        fh.write(b"##[group]Run docker build .\n")
        for _ in range(mib):
            fh.write(block)
        fh.write(b"#5 ERROR: failed to solve: process exit code: 2\n##[endgroup]\n")
    return path.stat().st_size


def peak_rss_mib(pid: int) -> float:
    for row in Path(f"/proc/{pid}/status").read_text().splitlines():
        if row.startswith("VmHWM:"):
            return int(row.split()[1]) / 1024
    return float("nan")


def read_disk(path: Path) -> int:
    n = 0
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            n += len(chunk)
    return n


def read_sandbox(base: str, job_id: int) -> int:
    req = urllib.request.Request(f"{base}/repos/octo/demo/actions/jobs/{job_id}/logs")
    req.add_header("Authorization", "token bench")
    n = 0
    with urllib.request.urlopen(req, timeout=120) as resp:  # urllib follows the 302
        while chunk := resp.read(CHUNK):
            n += len(chunk)
    return n


def best(fn: Callable[[], int], repeat: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        size = fn()
        times.append(time.perf_counter() - start)
    return min(times), size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mib", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        runs = Path(tmp) / "runs"
        (runs / "1").mkdir(parents=True)
        size = write_log(runs / "1" / "job.log", args.mib)
        job = {"name": "build", "conclusion": "failure", "log": "job.log"}
        run = {"workflow": "CI", "head_sha": SHA, "jobs": [job]}
        (runs / "1" / "run.json").write_text(json.dumps(run), encoding="utf-8")
        proc = subprocess.Popen(
            [sys.executable, "-m", "gardener", "sandbox", "serve", "--repo", "octo/demo", "--runs", str(runs)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            assert proc.stdout is not None
            base = proc.stdout.readline().strip()
            job_id = 1 * 10_000 + 1
            before = peak_rss_mib(proc.pid)
            disk_s, disk_n = best(lambda: read_disk(runs / "1" / "job.log"), args.repeat)
            http_s, http_n = best(lambda: read_sandbox(base, job_id), args.repeat)
            after = peak_rss_mib(proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    assert disk_n == http_n == size, (disk_n, http_n, size)
    mib = size / CHUNK
    print(f"log: {mib:.0f} MiB, best of {args.repeat}")
    print(f"  disk read (baseline)      {disk_s:7.3f} s  {mib / disk_s:8.0f} MiB/s")
    ratio = http_s / disk_s
    print(f"  sandbox 302 + download    {http_s:7.3f} s  {mib / http_s:8.0f} MiB/s  ({ratio:.1f}x the baseline)")
    print(f"  sandbox peak RSS          {before:7.1f} MiB before, {after:.1f} MiB after (+{after - before:.1f} MiB)")


if __name__ == "__main__":
    main()
