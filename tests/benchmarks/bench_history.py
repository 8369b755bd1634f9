"""Benchmark: the history store at organisation scale, on SQLite and on PostgreSQL side by side.

Run: python tests/benchmarks/bench_history.py [--runs 1000] [--tests 5000] [--failures 0.02] [--no-postgres]

Records RUNS runs (30 days, one every ~43 minutes) of a TESTS-test suite in which FAILURES of the tests
fail per run (drawn from a pool of 250 broken or flaky tests; one new test joins the suite every 50 runs,
so suites change as real ones do), then reports:
  - time per recorded run (target < 0.5 s) and the SQLite file size (target < 150 MB);
  - `history show` of a failing test and of a finding (the same store calls the command makes);
  - every failing test's 7-day failure rate (target < 200 ms each);
and, as the cheapest honest baseline for the write path, a bare sqlite3 loop that inserts every result of
every run as one row (what a store without the compact suites would write), with its time and size.
PostgreSQL: GARDENER_TEST_POSTGRES_URL, else a throwaway server started like the test suite's.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from gardener.history.record import CaseRow, FindingRow, RunMeta, RunRecord, key_for
from gardener.history.store import Store, open_store
from gardener.history.summary import summarise
from tests.history.helpers import T0


def make_runs(runs: int, tests: int, failures: float, seed: int = 1) -> list[RunRecord]:
    rng = random.Random(seed)
    names = [f"tests/pkg{i % 40}/test_mod{i % 400}.py::TestCase{i % 9}::test_{i}" for i in range(tests)]
    pool = rng.sample(range(tests), 250)
    broken, flaky = pool[:40], pool[40:]
    per_run = max(len(broken), round(tests * failures))
    step = timedelta(days=30) / runs
    out = []
    for n in range(runs):
        extra = [f"tests/new/test_added.py::test_{k}" for k in range(n // 50)]
        failing = set(broken) | set(rng.sample(flaky, per_run - len(broken)))
        rows, finds = [], {}
        for i, name in enumerate(names):
            bad = i in failing
            digest = f"{i:010x}ab"
            rows.append(CaseRow(name=name, variant="", outcome="failed" if bad else "passed", duration_s=0.01,
                                finding=f"f-{digest[:10]}" if bad else None, signature=digest if bad else None))
            if bad:
                finds[digest] = FindingRow(finding=f"f-{digest[:10]}", digest=digest, sig_version="sig-v1",
                                           category="assertion", priority="P2", title=f"{name} fails", count=1)
        rows += [CaseRow(name=x, variant="", outcome="passed") for x in extra]
        meta = RunMeta(repo="org/app", run_key=f"gh:{n}:1:test", started_at=T0 + step * n, run_id=n, attempt=1,
                       sha=f"{n:040x}", branch="main", sig_version="sig-v1")
        out.append(RunRecord(meta, tuple(sorted(rows, key=lambda r: r.key)), tuple(finds.values())))
    return out


def timed(fn: Callable[[], object], repeat: int = 5) -> tuple[float, float]:
    """Median wall time and median CPU time of this process (the honest figure on a loaded machine for
    SQLite, which works in-process; PostgreSQL's server time is in the wall figure only)."""
    walls, cpus = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus)


def measure(store: Store, runs: list[RunRecord]) -> dict[str, tuple[float, float]]:
    per_run, per_cpu = [], []
    for rec in runs:
        t, c = time.perf_counter(), time.process_time()
        store.record(rec, now=rec.meta.started_at)
        per_run.append(time.perf_counter() - t)
        per_cpu.append(time.process_time() - c)
    end = runs[-1].meta.started_at
    failing_name = next(t.name for t in runs[-1].tests if t.outcome == "failed")
    digest = next(f.digest for f in runs[-1].findings)

    def show_test() -> None:
        (ref,) = store.find_tests(failing_name, "org/app")
        obs = store.test_observations("org/app", [ref.key], end - timedelta(days=90))[ref.key]
        summarise(ref.display, "test", obs, end)

    def show_finding() -> None:
        ((repo, fid, dg, _),) = store.findings_named(digest, "org/app")
        keys = store.finding_test_keys(repo, dg)
        obs = store.finding_observations(repo, [(dg, keys)], end - timedelta(days=90))[dg]
        first, last = store.finding_seen(repo, [dg])[dg]
        summarise(fid, "finding", obs, end, first, last)

    counted: dict[str, int] = {}

    def rates7() -> None:
        since = end - timedelta(days=7)
        failing = store.failing_tests("org/app", since)
        rates = store.failure_rates("org/app", [t.key for t in failing], since)
        counted["n"] = len(rates)

    p95 = int(0.95 * len(per_run))
    out = {"record_mean": (statistics.mean(per_run), statistics.mean(per_cpu)),
           "record_p95": (sorted(per_run)[p95], sorted(per_cpu)[p95]), "record_first": (per_run[0], per_cpu[0]),
           "show_test": timed(show_test), "show_finding": timed(show_finding), "rates7": timed(rates7)}
    out["failing7"] = (counted["n"], counted["n"])
    return out


def baseline(runs: list[RunRecord], path: Path) -> tuple[float, int]:
    """Every result of every run as one row, bare sqlite3, one transaction per run."""
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE r (run INTEGER, test TEXT, outcome TEXT, duration REAL)")
    db.execute("CREATE INDEX r_test ON r (test, run)")
    t = time.perf_counter()
    for n, rec in enumerate(runs):
        with db:
            db.executemany("INSERT INTO r VALUES (?, ?, ?, ?)",
                           [(n, key_for(c.name, c.variant), c.outcome, c.duration_s) for c in rec.tests])
    elapsed = time.perf_counter() - t
    db.close()
    return elapsed / len(runs), path.stat().st_size


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--tests", type=int, default=5000)
    ap.add_argument("--failures", type=float, default=0.02)
    ap.add_argument("--no-postgres", action="store_true")
    args = ap.parse_args()
    t = time.perf_counter()
    runs = make_runs(args.runs, args.tests, args.failures)
    print(f"{args.runs} runs x {args.tests} tests, {args.failures:.0%} failing per run "
          f"(generated in {time.perf_counter() - t:.1f}s)")
    results: dict[str, dict[str, tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "history.sqlite"
        with open_store(str(path)) as store:
            results["SQLite"] = measure(store, runs)
        size = path.stat().st_size
        base_time, base_size = baseline(runs, Path(tmp) / "baseline.sqlite")
    if not args.no_postgres:
        server = None
        url = os.environ.get("GARDENER_TEST_POSTGRES_URL")
        if not url:
            from tests.history import pg

            server = pg.start_server()
            url = server.url()
        try:
            with open_store(url) as store:
                results["PostgreSQL"] = measure(store, runs)
        finally:
            if server is not None:
                server.stop()
    names = list(results)
    print("wall time, with this process's CPU time in brackets (the machine may be loaded)")
    print(f"{'':38}" + "".join(f"{n:>24}" for n in names))
    rows = [("record one run, mean (target < 0.5 s)", "record_mean", 1000, "ms"),
            ("record one run, p95", "record_p95", 1000, "ms"),
            ("record the first run (new suite)", "record_first", 1000, "ms"),
            ("history show <failing test>", "show_test", 1000, "ms"),
            ("history show <finding>", "show_finding", 1000, "ms"),
            ("7-day rate of every failing test", "rates7", 1000, "ms")]
    for label, key, scale, unit in rows:
        print(f"{label:38}" + "".join(f"{results[n][key][0] * scale:>11.1f} {unit} ({results[n][key][1] * scale:>6.1f})"
                                      for n in names))
    print(f"{'failing tests in the last 7 days':38}" + "".join(f"{int(results[n]['failing7'][0]):>24}"
                                                                  for n in names))
    print(f"SQLite file: {size / 2**20:.1f} MB (target < 150 MB)")
    print(f"baseline, every result a row (bare sqlite3): {base_time * 1000:.1f} ms/run, {base_size / 2**20:.1f} MB; "
          f"gardener's SQLite store: {results['SQLite']['record_mean'][0] / base_time:.2f}x the time, "
          f"{size / base_size:.3f}x the size")


if __name__ == "__main__":
    main()
