"""Benchmark: normalise + classify + cluster 10,000 and 100,000 failing results; cost must grow linearly.

Run: python tests/benchmarks/bench_cluster.py [--sizes 10000,100000]
The results are realistic and all distinct (numbers, ports, paths, uuids and hex vary per result),
so no classification is served from the per-run cache: this is the worst case.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from gardener.classify import find
from gardener.config import Config
from gardener.model import Result, Source

FRAME = 'File "/home/runner/work/app/app/{path}", line {line}, in {func}\n    {code}\n'


def _details(rng: random.Random, i: int, last: str) -> str:
    frames = "".join(
        FRAME.format(path=f"app/mod{rng.randrange(40)}.py", line=rng.randrange(1, 900), func=f"f{rng.randrange(9)}",
                     code=f"value = compute({rng.randrange(10**6)})")
        for _ in range(rng.randrange(2, 8))
    )
    return f"Traceback (most recent call last):\n{frames}{last}\n"


def make_results(n: int, seed: int = 7) -> list[Result]:
    rng = random.Random(seed)
    out: list[Result] = []
    for i in range(n):
        kind = i % 10
        test = f"tests/test_mod{rng.randrange(500)}.py::test_case{rng.randrange(37)}"
        variant = f"param{rng.randrange(6)}"
        if kind == 0:
            msg = f"AssertionError: assert {rng.randrange(1000)} == {rng.randrange(1000)}"
        elif kind == 1:
            msg = f"ModuleNotFoundError: No module named 'pkg{rng.randrange(20)}'"
        elif kind == 2:
            msg = f"ConnectionRefusedError: [Errno 111] Connect call failed ('127.0.0.1', {rng.randrange(1024, 65535)})"
        elif kind == 3:
            msg = f"TimeoutError: job {uuid.UUID(int=rng.getrandbits(128))} not done after {rng.random() * 90:.1f}s"
        elif kind == 4:
            msg = f"KeyError: 'session-{rng.getrandbits(64):016x}'"
        elif kind == 5:
            msg = f"pull access denied for ghcr.io/acme/img{rng.randrange(10)}:{rng.getrandbits(32):08x}"
        elif kind == 6:
            msg = f"OSError: [Errno 28] No space left on device: '/tmp/build-{rng.getrandbits(40):x}/layer.tar'"
        elif kind == 7:
            msg = f"psycopg2.OperationalError: could not connect to server at 10.0.{rng.randrange(255)}.7 port 5432"
        elif kind == 8:
            msg = f"TypeError: unsupported operand type(s) for +: 'int' and 'str' (row {rng.randrange(10**5)})"
        else:
            msg = f"unexpected checksum {rng.getrandbits(128):032x} at offset {rng.randrange(10**9)}"
        out.append(Result(id=test, variant=variant, outcome="failed", source=Source(f"junit-{i % 50}.xml", "junit"),
                          message=msg, error_type=msg.split(":", 1)[0], details=_details(rng, i, msg)))
    return out


def measure(n: int, repeat: int) -> tuple[float, int]:
    """The best of `repeat` runs: other processes on the machine only ever add time."""
    results = make_results(n)
    config = Config()
    best, count = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        count = len(find(results, config))
        best = min(best, time.perf_counter() - start)
    return best, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    find(make_results(200), Config())  # warm up: rule pack parse, regex compile
    timings = []
    for n in sizes:
        seconds, count = measure(n, args.repeat)
        timings.append((n, seconds))
        print(f"{n:>8} results  {seconds:8.2f} s  {seconds / n * 1e6:8.1f} µs/result  {count} findings")
    for (n0, t0), (n1, t1) in itertools.pairwise(timings):
        print(f"{n1 // n0}x input -> {t1 / t0:.1f}x time (linear is {n1 / n0:.0f}x)")


if __name__ == "__main__":
    main()
