"""Benchmark: what `gardener explain` pays on one input for taking its findings from run's stage.

explain builds its findings with linked.linked_findings, as `gardener run` does: one result per test across the
inputs (ingest/dedupe.py), then analyse, correlate and fold. The baseline is the same work without the merge
(the path explain took before: analyse, correlate, fold), the cheapest honest way to the findings of an input
whose tests are each reported once. Both run in this process on the same results read once from one generated
JUnit file of N failing cases, alternating, CPU time (time.process_time), median of --repeat runs each.

Run: python tests/benchmarks/bench_explain.py [--sizes 2000,20000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_classify import write_junit  # noqa: E402

from gardener.classify import analyse  # noqa: E402
from gardener.config import Config  # noqa: E402
from gardener.consequences import fold_consequences  # noqa: E402
from gardener.correlate import correlate  # noqa: E402
from gardener.linked import linked_findings  # noqa: E402
from gardener.model import Result  # noqa: E402
from gardener.whole_excerpt import ingest_for_classify  # noqa: E402


def _cpu(work: Callable[[], object]) -> float:
    start = time.process_time()
    work()
    return time.process_time() - start


def measure(n: int, repeat: int) -> tuple[float, float, int, int]:
    """(stage median s, baseline median s, findings by the stage, findings by the baseline)."""
    config = Config()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"junit-{n}.xml"
        write_junit(path, n)
        results: tuple[Result, ...] = ingest_for_classify([str(path)], config.rules).results

    def baseline() -> int:
        return len(fold_consequences(*correlate(analyse(results, config).findings))[0])

    def stage() -> int:
        return len(linked_findings(results, config).findings)

    counts = (stage(), baseline())  # warm-up: the rule pack and its caches are built once for both
    staged, base = [], []
    for _ in range(repeat):
        staged.append(_cpu(stage))
        base.append(_cpu(baseline))
    return statistics.median(staged), statistics.median(base), *counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="2000,20000")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print("| failing cases (one input) | explain's stage | baseline (no merge) | ratio | findings |")
    print("|---|---|---|---|---|")
    for n in (int(s) for s in args.sizes.split(",")):
        staged, base, found, found_base = measure(n, args.repeat)
        print(f"| {n:,} | {staged:.3f} s | {base:.3f} s | {staged / base:.3f}x | {found} (baseline {found_base}) |")


if __name__ == "__main__":
    main()
