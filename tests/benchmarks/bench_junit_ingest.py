"""JUnit ingest at scale: gardener against the cheapest honest ElementTree iterparse loop.

Run: python tests/benchmarks/bench_junit_ingest.py [--cases N] [--failures N] [--keep DIR] [--repeat R]

Reads the inputs run_all.py generates (the same generator, so the figures line up with its table):
an N-case (default 500,000) JUnit file, one case in 50 failing with a traceback and captured output,
one in 33 skipped, parametrized names, nested suites; and a file of --failures (default 100,000)
cases that all fail, the input of the classify benchmark. Each is measured in separate child
processes, so that neither run inherits the other's memory:
  (a) baseline: iterparse that clears each testcase after its end event and each suite after its
      own, so it keeps no tree (issue 11: a baseline that kept the tree made the ratio look good);
  (b) gardener: `gardener.ingest.junit.parse(path)`, the reader alone;
  (c) gardener CLI: `python -m gardener ingest --json PATH > /dev/null`, the whole command, output
      included: the path issue 11 sets its targets on (wall time within 1.5x the baseline's measured
      in the same run, peak RSS under 40 MiB).
Each child reports its wall time, CPU time and peak RSS (getrusage ru_maxrss). Runs alternate
and repeat (--repeat, default 3); the best time and the highest peak of each side are reported,
since other processes on the machine only ever add time. For the all-failing file the reader's
CPU time per failing case beyond the baseline's is printed too (what every failing result costs
to read, before classify sees it).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RSS_TARGET_MIB = 40
TIME_RATIO_TARGET = 1.5
_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_all import junit_file  # noqa: E402  (the table's own inputs)


def _child(mode: str, path: str) -> None:
    import xml.etree.ElementTree as ET

    if mode == "gardener":  # imported before the clock starts; its memory counts in the peak
        from gardener.ingest import junit

    at_start = resource.getrusage(resource.RUSAGE_SELF)
    cpu_at_start = at_start.ru_utime + at_start.ru_stime
    started = time.perf_counter()
    if mode == "baseline":
        count = 0
        for _, elem in ET.iterparse(path):
            tag = elem.tag
            if tag == "testcase":
                count += 1
                elem.clear()
            elif tag == "testsuite":
                elem.clear()
        summary = f"{count} testcases"
    else:
        parsed = junit.parse(Path(path))
        summary = f"{parsed.counts} results={len(parsed.results)} warning={parsed.warning}"
    elapsed = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    report = {
        "seconds": elapsed,
        "cpu": usage.ru_utime + usage.ru_stime - cpu_at_start,
        "rss_mib": usage.ru_maxrss / 1024,  # KiB on Linux
        "summary": summary,
    }
    print(json.dumps(report))


def _measure_cli(path: Path) -> dict[str, float | str]:
    """The whole `ingest --json` command in a child; its own rusage from wait4."""
    started = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        command = [sys.executable, "-m", "gardener", "ingest", "--json", str(path)]
        proc = subprocess.Popen(command, stdout=sink, cwd=_ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "seconds": time.perf_counter() - started,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss_mib": usage.ru_maxrss / 1024,
        "summary": f"exit {proc.returncode}",
    }


def _measure(mode: str, path: Path) -> dict[str, float | str]:
    if mode == "cli":
        return _measure_cli(path)
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=_ROOT,
    )
    result: dict[str, float | str] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _best(runs: list[dict[str, float | str]]) -> dict[str, float | str]:
    return {
        "seconds": min(float(r["seconds"]) for r in runs),
        "cpu": min(float(r["cpu"]) for r in runs),
        "rss_mib": max(float(r["rss_mib"]) for r in runs),
        "summary": runs[-1]["summary"],
    }


def _measure_file(path: Path, repeat: int) -> dict[str, dict[str, float | str]]:
    runs: dict[str, list[dict[str, float | str]]] = {"baseline": [], "gardener": [], "cli": []}
    for _ in range(repeat):
        for mode in runs:
            runs[mode].append(_measure(mode, path))
    best = {mode: _best(done) for mode, done in runs.items()}
    names = {"baseline": "baseline iterparse", "gardener": "gardener junit.parse", "cli": "gardener ingest --json"}
    for mode, run in best.items():
        print(
            f"  {names[mode]:22} wall {float(run['seconds']):6.2f} s  cpu {float(run['cpu']):6.2f} s  "
            f"peak RSS {float(run['rss_mib']):6.1f} MiB  {run['summary']}"
        )
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=500_000)
    parser.add_argument("--failures", type=int, default=100_000, help="cases of the all-failing file (0: skip it)")
    parser.add_argument("--keep", type=Path, help="write the generated files here instead of a temp dir")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side; best time, highest peak")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(_ROOT))
        _child(*args.child)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        path, failing = work / f"junit-{args.cases}.xml", work / f"failing-{args.failures}.xml"
        if not path.exists():  # the names run_all.py gives them, so --keep shares its inputs
            junit_file(path, args.cases)
        print(f"{args.cases:,} cases, {path.stat().st_size / 2**20:.1f} MiB: {path}")
        base, ours, cli = (best := _measure_file(path, args.repeat))["baseline"], best["gardener"], best["cli"]
        if args.failures:
            if not failing.exists():
                junit_file(failing, args.failures, failing_every=1, seed=13)
            print(f"{args.failures:,} failing cases, {failing.stat().st_size / 2**20:.1f} MiB: {failing}")
            all_failing = _measure_file(failing, args.repeat)
    ratio = float(ours["seconds"]) / float(base["seconds"])
    cpu_ratio = float(ours["cpu"]) / float(base["cpu"])
    rss = float(cli["rss_mib"])
    cli_ratio = float(cli["seconds"]) / float(base["seconds"])
    print(
        f"CLI wall ratio {cli_ratio:.2f}x (target <= {TIME_RATIO_TARGET}x), CLI peak RSS {rss:.1f} MiB "
        f"(target < {RSS_TARGET_MIB} MiB); reader alone: wall ratio {ratio:.2f}x, cpu ratio {cpu_ratio:.2f}x"
    )
    if args.failures:
        extra = float(all_failing["gardener"]["cpu"]) - float(all_failing["baseline"]["cpu"])
        print(f"reader CPU per failing case beyond the baseline: {extra / args.failures * 1e6:.1f} µs")
    return 0 if cli_ratio <= TIME_RATIO_TARGET and rss < RSS_TARGET_MIB else 1


if __name__ == "__main__":
    sys.exit(main())
