"""A 200 MiB job log read through `gardener run --github-run` from the sandbox, against the same file from disk.

Run: python tests/benchmarks/bench_github_run_log.py [--mib N] [--cap-mib C]

Writes a GitHub Actions job log of N MiB (default 200: docker build and pip chatter with runner timestamps,
one real build failure at the end), registers it as the failed job of a run in a separate
`gardener sandbox serve --runs DIR` process, and measures three `gardener` processes, each on its own
(peak RSS from wait4's rusage of that process alone):
  (a) baseline: `gardener run LOG` reading the file from disk (the same reader, no download)
  (b) `gardener run --github-run URL` with an empty cache: the API calls, the 302, the log streamed to
      the cache in chunks, then read from there
  (c) the same again: the cache answers, nothing is downloaded
Reports wall time, MiB/s and peak RSS for each, and (b) as a multiple of (a). Exits 1 when (b)'s peak RSS is
128 MiB or more, or when the build failure at the end of the log was not found: the log is never held whole.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIMIT_KIB = 128 * 1024
REPO = "acme/shop"
RUN_ID = 9001

CHATTER = (
    "2026-11-20T10:{m:02d}:{s:02d}.{f:07d}Z #{n} {t:.2f} Collecting package-{p}==1.{p} "
    "(from -r requirements.txt (line {p}))\n"
    "2026-11-20T10:{m:02d}:{s:02d}.{f:07d}Z #{n} {t:.2f}   Downloading package_{p}-1.{p}-py3-none-any.whl (12{p} kB)\n"
    "2026-11-20T10:{m:02d}:{s:02d}.{f:07d}Z #{n} {t:.2f} \x1b[36mINFO\x1b[0m layer sha256:{h} extracting\n"
)
FAILURE = (
    "2026-11-20T11:00:00.0000000Z #9 [shop-api 3/6] COPY requirements.txt /app/requirements.txt\n"
    "2026-11-20T11:00:00.0000000Z #9 ERROR: failed to calculate checksum of ref 1b2c::5f6a: "
    "\"/requirements.txt\": not found\n"
    "2026-11-20T11:00:00.1000000Z ERROR: target shop-api: failed to solve: failed to compute cache key: failed to "
    "calculate checksum of ref 1b2c::5f6a: \"/requirements.txt\": not found\n"
    "2026-11-20T11:00:00.2000000Z ##[error]Process completed with exit code 1.\n"
)


def write_log(path: Path, mib: int) -> int:
    target = mib * 1024 * 1024
    with path.open("w", encoding="utf-8") as out:
        out.write("2026-11-20T10:00:00.0000000Z ##[group]Run docker buildx bake --push shop-api\n"
                  "2026-11-20T10:00:00.0000000Z docker buildx bake --push shop-api\n"
                  "2026-11-20T10:00:00.0000000Z shell: /usr/bin/bash -e {0}\n"
                  "2026-11-20T10:00:00.0000000Z ##[endgroup]\n")
        i = 0
        while out.tell() < target:
            chunk = "".join(CHATTER.format(m=(i // 60) % 60, s=i % 60, f=i % 9_999_999, n=i % 40, t=i / 100,
                                           p=i % 97, h=f"{i:064x}") for i in range(i, i + 2000))
            out.write(chunk)
            i += 2000
        out.write(FAILURE)
    return path.stat().st_size


def measure(argv: list[str], env: dict[str, str], cwd: Path) -> dict[str, float | int | str]:
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=cwd)
    assert proc.stdout is not None
    output = proc.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {"wall": time.perf_counter() - started, "rss_kib": usage.ru_maxrss, "rc": proc.returncode,
            "output": output}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=int, default=200)
    parser.add_argument("--cap-mib", type=int, default=512, help="[gardener.sources] max_log_mib")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gardener-bench-run-") as tmp:
        work = Path(tmp)
        run_dir = work / "runs" / str(RUN_ID)
        run_dir.mkdir(parents=True)
        size = write_log(run_dir / "build.log", args.mib)
        (run_dir / "run.json").write_text(json.dumps({
            "workflow": "CI", "head_sha": "4f1c2e9b" * 5, "head_branch": "main", "event": "push",
            "repo": REPO, "jobs": [{"name": "build", "conclusion": "failure", "log": "build.log",
                                    "steps": [{"name": "Build images", "conclusion": "failure"}]}]}))
        (work / "gardener.toml").write_text(f"[gardener.sources]\nmax_log_mib = {args.cap_mib}\n")
        env = {**{k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GH_"))},
               "PYTHONPATH": str(ROOT), "GITHUB_TOKEN": "bench-token", "GARDENER_CACHE": str(work / "cache")}
        sandbox = subprocess.Popen([sys.executable, "-m", "gardener", "sandbox", "serve", "--runs", str(work / "runs"),
                                    "--repo", REPO, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                   text=True, env=env)
        try:
            assert sandbox.stdout is not None
            url = sandbox.stdout.readline().strip()
            run_url = f"{url}/{REPO}/actions/runs/{RUN_ID}"
            gardener = [sys.executable, "-m", "gardener", "run", "--config", str(work / "gardener.toml")]
            disk = measure([*gardener, "--out", str(work / "o1"), str(run_dir / "build.log")], env, work)
            fresh = measure([*gardener, "--out", str(work / "o2"), "--github-run", run_url], env, work)
            cached = measure([*gardener, "--out", str(work / "o3"), "--github-run", run_url], env, work)
        finally:
            sandbox.terminate()
            sandbox.wait(timeout=10)
    mib = size / 1024**2
    print(f"job log: {mib:.1f} MiB, the build failure on its last lines")
    print(f"{'reader':<34} {'wall s':>8} {'MiB/s':>8} {'peak RSS MiB':>13}")
    ok = True
    for name, m in (("(a) gardener run LOG (from disk)", disk), ("(b) --github-run, empty cache", fresh),
                    ("(c) --github-run, cached", cached)):
        found = "requirements.txt" in str(m["output"]) and m["rc"] == 0
        ok = ok and found
        print(f"{name:<34} {m['wall']:>8.2f} {mib / float(m['wall']):>8.1f} {int(m['rss_kib']) / 1024:>13.1f}"
              + ("" if found else f"  (failure not found; rc {m['rc']})"))
    print(f"--github-run / disk: {float(fresh['wall']) / float(disk['wall']):.2f}x time, "
          f"{int(fresh['rss_kib']) / int(disk['rss_kib']):.2f}x peak RSS; "
          f"cached run downloads: {'0 download(s)' in str(cached['output'])}")
    if int(fresh["rss_kib"]) >= LIMIT_KIB:
        print(f"FAIL: --github-run peak RSS {int(fresh['rss_kib']) / 1024:.1f} MiB is not under 128 MiB")
        ok = False
    if not ok:
        print(str(fresh["output"])[-2000:])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
