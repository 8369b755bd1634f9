"""Runner-log ingest at scale, against the cheapest honest loop over the same file.

Run: python tests/benchmarks/bench_text_ingest.py [--lines N] [--repeat R]

Generates a GitHub Actions style log of N lines (default 500,000): runner timestamps on every
line, step groups, pip and docker build chatter, ANSI colour, a pytest -v run of N/10 tests with
a few failures, and a handful of real incidents (a denied pull, a traceback, OOM, exit codes).
Each measurement runs in its own child process so neither inherits the other's memory:
  (a) baseline: readline, decode, and one runner-timestamp regex per line (issue 11: what any
      reader of an Actions log must at least do);
  (b) gardener: `gardener.ingest.runner_log.parse(path)` (clean, anchor, group, read pytest output)
Reports the best wall time of R runs, lines per second and peak RSS (getrusage ru_maxrss) for each,
and gardener's time as a multiple of the baseline's. Targets (issue 11): within 8x the baseline's
time, peak RSS under 64 MiB.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TIME_RATIO_TARGET = 8.0
RSS_TARGET_MIB = 64

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
path = {path!r}
start = time.perf_counter()
if {which!r} == "baseline":
    import re
    stamp = re.compile(r"(\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) ")
    n = 0
    with open(path, "rb") as fh:
        while raw := fh.readline():
            if stamp.match(raw.decode("utf-8", "replace")):
                n += 1
    found = n
else:
    from pathlib import Path
    from gardener.ingest import runner_log
    found = len(runner_log.parse(Path(path)).results)
wall = time.perf_counter() - start
print(json.dumps({{"wall": wall, "found": found, "rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}))
"""


def stamp(i: int) -> str:
    seconds = i // 200
    return f"2024-05-01T{8 + seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}.{i % 10_000_000:07d}Z "


def generate(path: Path, lines: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    tests = lines // 10
    with path.open("w", encoding="utf-8") as out:
        i = 0

        def put(text: str) -> None:
            nonlocal i
            out.write(stamp(i) + text + "\n")
            i += 1

        put("##[group]Run docker compose build")
        while i < (lines - tests) // 2:
            roll = rng.random()
            if roll < 0.0005:
                put(
                    f"api-{rng.randrange(9)} Warning pull access denied for acme/img{rng.randrange(50)}, repository "
                    "does not exist or may require 'docker login'"
                )
            elif roll < 0.3:
                put(
                    f"#{rng.randrange(40)} {rng.random() * 90:.3f} Collecting pkg{rng.randrange(900)}==1."
                    f"{rng.randrange(30)} (from -r requirements.txt (line {rng.randrange(80)}))"
                )
            elif roll < 0.5:
                put(
                    f"\x1b[36m#{rng.randrange(40)} sha256:{rng.getrandbits(128):032x} {rng.randrange(99)}MB / 120MB "
                    f"{rng.random() * 9:.1f}s\x1b[0m"
                )
            else:
                wheel = f"pkg{rng.randrange(900)}-1.{rng.randrange(30)}-py3-none-any.whl"
                put(f"  Downloading {wheel} ({rng.randrange(900)} kB)")
        put("##[group]Run pytest -v")
        put("============================= test session starts ==============================")
        for t in range(tests):
            word = "FAILED" if t % 997 == 0 else "PASSED"
            put(f"tests/test_m{t // 50}.py::test_case_{t}[p{t % 7}] {word}{' ' * 20}[{t * 100 // tests:3d}%]")
        put("=========================== short test summary info ============================")
        for t in range(0, tests, 997):
            put(f"FAILED tests/test_m{t // 50}.py::test_case_{t}[p{t % 7}] - AssertionError: assert {t} == 0")
        put(f"===== {len(range(0, tests, 997))} failed, {tests - len(range(0, tests, 997))} passed in 812.33s =====")
        while i < lines - 12:
            if rng.random() < 0.0002:
                put("Traceback (most recent call last):")
                put(f'  File "/srv/app/worker.py", line {rng.randrange(400)}, in run')
                put("    job.execute()")
                put(f"ConnectionRefusedError: [Errno 111] Connect call failed ('10.0.0.{rng.randrange(9)}', 5432)")
            else:
                put(f"[worker] processed batch {i} in {rng.random():.3f}s")
        put("/home/runner/work/_temp/1f.sh: line 1:  1950 Killed                  python worker.py")
        put("##[error]Process completed with exit code 137.")


def measure(which: str, path: Path) -> dict[str, float]:
    code = CHILD.format(root=str(ROOT), path=str(path), which=which)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(done.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "job.log"
        started = time.perf_counter()
        generate(path, args.lines)
        size = path.stat().st_size
        print(f"generated {args.lines:,} lines, {size / 2**20:.1f} MiB in {time.perf_counter() - started:.1f}s")
        runs: dict[str, list[dict[str, float]]] = {"baseline": [], "gardener": []}
        for _ in range(args.repeat):
            for which in runs:
                runs[which].append(measure(which, path))
        best = {w: min(r["wall"] for r in rs) for w, rs in runs.items()}
        peak = {w: max(r["rss_kib"] for r in rs) / 1024 for w, rs in runs.items()}
        for which in runs:
            found = int(runs[which][0]["found"])
            what = "lines" if which == "baseline" else "results"
            print(
                f"{which:9} {best[which]:7.2f}s  {args.lines / best[which]:10,.0f} lines/s  "
                f"peak RSS {peak[which]:6.1f} MiB  ({found:,} {what})"
            )
        ratio = best["gardener"] / best["baseline"]
        print(f"gardener / baseline time: {ratio:.1f}x (target <= {TIME_RATIO_TARGET:g}x); "
              f"gardener peak RSS {peak['gardener']:.1f} MiB (target < {RSS_TARGET_MIB} MiB)")


if __name__ == "__main__":
    main()
