"""Benchmark: `gardener classify --json` on 10k and 100k failing JUnit cases, against an iterparse of the
same file (issue 11 item 4: within 10x its CPU, peak RSS under 128 MiB, 10x input within 11x time).

Run: python tests/benchmarks/bench_classify.py [--sizes 10000,100000]
Importable: `measure(sizes)` returns one row per size and `report(rows)` prints them, so
tests/benchmarks/run_all.py can run it beside the other paths.

Both sides run as child processes of this one and are measured the same way (user+system CPU and
peak RSS from wait4). The baseline is the cheapest honest loop that reads every case: iterparse,
reading each failure's message and text, clearing each testcase after its end event and each
suite. The failures are realistic and vary (numbers, ports, paths, uuids, hex) as in
bench_cluster.py, so few classifications repeat.
"""

from __future__ import annotations

import argparse
import itertools
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_cluster import make_results  # noqa: E402

BASELINE = r"""
import sys
import xml.etree.ElementTree as ET
n = chars = 0
for event, el in ET.iterparse(sys.argv[1], events=("end",)):
    if el.tag == "testcase":
        for child in el:
            chars += len(child.get("message") or "") + len(child.text or "")
        n += 1
        el.clear()
    elif el.tag == "testsuite":
        el.clear()
print(n, chars)
"""


@dataclass(frozen=True, slots=True)
class Row:
    cases: int
    file_mb: float
    gardener_cpu_s: float
    gardener_rss_mib: float
    baseline_cpu_s: float
    baseline_rss_mib: float

    @property
    def ratio(self) -> float:
        return self.gardener_cpu_s / self.baseline_cpu_s


def write_junit(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="utf-8"?>\n<testsuites>\n')
        for start in range(0, n, 1000):
            out.write(f'<testsuite name="suite{start // 1000}" tests="1000">\n')
            for r in make_results(min(1000, n - start), seed=start):
                cls, _, name = r.id.partition("::")
                out.write(
                    f"<testcase classname={quoteattr(cls.replace('/', '.'))} name={quoteattr(name + f'_{start}')}>"
                    f"<failure message={quoteattr(r.message)} type={quoteattr(r.error_type)}>"
                    f"{escape(r.details)}</failure></testcase>\n"
                )
            out.write("</testsuite>\n")
        out.write("</testsuites>\n")


def _child(args: list[str]) -> tuple[float, float]:
    """(user+system CPU seconds, peak RSS MiB) of one child process run to the end."""
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise RuntimeError(f"{args[:4]} failed: {proc.stderr.read().decode() if proc.stderr else status}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def measure_one(path: Path, n: int, repeat: int = 2) -> Row:
    """Best of `repeat` for each side: other work on the machine only ever adds time."""
    g = min((_child([sys.executable, "-m", "gardener", "classify", "--json", str(path)]) for _ in range(repeat)),
            key=lambda t: t[0])
    b = min((_child([sys.executable, "-c", BASELINE, str(path)]) for _ in range(repeat)), key=lambda t: t[0])
    return Row(n, path.stat().st_size / 2**20, g[0], g[1], b[0], b[1])


def measure(sizes: tuple[int, ...] = (10_000, 100_000), repeat: int = 2) -> list[Row]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = Path(tmp) / f"junit-{n}.xml"
            write_junit(path, n)
            rows.append(measure_one(path, n, repeat))
    return rows


def report(rows: list[Row]) -> None:
    print("| failing cases | file | gardener classify --json | baseline iterparse | ratio (CPU) | peak RSS |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r.cases:,} | {r.file_mb:.0f} MB | {r.gardener_cpu_s:.2f} s | {r.baseline_cpu_s:.2f} s "
              f"| {r.ratio:.1f}x | {r.gardener_rss_mib:.0f} MiB (baseline {r.baseline_rss_mib:.0f}) |")
    for a, b in itertools.pairwise(rows):
        print(f"{b.cases // a.cases}x input -> {b.gardener_cpu_s / a.gardener_cpu_s:.1f}x CPU (target at most "
              f"{1.1 * b.cases / a.cases:.0f}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    report(measure(tuple(int(s) for s in args.sizes.split(",")), args.repeat))


if __name__ == "__main__":
    main()
