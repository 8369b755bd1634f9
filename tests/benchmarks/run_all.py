"""Every path of issue 11's table, gardener's real CLI against its cheapest honest baseline.

Run:  python tests/benchmarks/run_all.py            # full sizes, medians of 3 (about 3 minutes, 2 idle cores)
      python tests/benchmarks/run_all.py --quick    # a tenth of the sizes (under a minute)

Generates its inputs in a temporary directory (--keep DIR to keep them), then runs each path and
its baseline as child processes of this one, alternating them so that machine noise falls on both:

- `gardener --help`, `gardener ingest --help`: the `gardener` console script vs `python -c pass`
- `gardener run` on the bundled example (`--config …/gardener.toml --focus websocket`) vs `python -c pass`,
  twice: as a user runs it by default (history recorded in `.gardener/history.sqlite` beside the config: the
  example is copied into the work folder, so the store is created there; the warm-up runs record the run,
  the measured ones find it recorded and read it back for the documents), and with GARDENER_NO_HISTORY=1;
  beside them, with no target, the floor those rows stand on: `python -c "import click, jinja2, re2"` (the
  declared dependencies a run imports, nothing of gardener) vs `python -c pass`
- `ingest --json`, 500k-case JUnit vs iterparse clearing each testcase after its end event and each suite
- `ingest --json`, 50 MB Actions log vs readline + one timestamp regex per line
- `classify --json`, 100k failing results vs iterparse of the same file (clearing); CPU time

Time and peak RSS come from the kernel for each child (os.wait4: wall clock around it, ru_utime +
ru_stime, ru_maxrss). Cold-start paths are run hyperfine style: warm-up runs, then --cold-runs
runs each, median; the others --repeat runs each (default 3), median. Output of gardener goes to
a file, as a user's redirect would. Python bytecode is allowed to be cached for the children
(PYTHONDONTWRITEBYTECODE is dropped), as it is for an installed package; the warm-up writes it, and
with it gardener's own caches of what it can rebuild (the parsed rule pack, compiled templates) in
a GARDENER_CACHE folder inside the work folder, so a run starts from nothing the user's own runs left.

Prints one table (path, gardener, baseline, ratio, gardener peak RSS, target, pass/fail); --json
also prints the figures as one JSON object. Exit code 0 whatever the figures (--check: 1 when a
target is missed).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "gardener" / "examples" / "seed-websocket"
MIB = 1024 * 1024

# -- baselines: the least any reader of these inputs must do ------------------------------------------------

JUNIT_BASELINE = """
import sys
from xml.etree.ElementTree import iterparse
n = 0
for event, el in iterparse(sys.argv[1], events=("end",)):
    if el.tag == "testcase":
        n += 1
        el.clear()
    elif el.tag == "testsuite":
        el.clear()
print(n)
"""

LOG_BASELINE = """
import re, sys
stamp = re.compile(r"^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?Z ")
n = 0
with open(sys.argv[1], encoding="utf-8", errors="replace") as fh:
    for line in iter(fh.readline, ""):
        if stamp.match(line):
            n += 1
print(n)
"""


# -- inputs -------------------------------------------------------------------------------------------------


def junit_file(path: Path, cases: int, failing_every: int = 50, seed: int = 7) -> None:
    """`cases` testcases in suites of 1,000, nested one level; one in `failing_every` fails with a
    traceback, a few are skipped; parametrized names, file and line attributes."""
    rnd = random.Random(seed)
    messages = (
        "AssertionError: assert {i} == {j}",
        "ConnectionRefusedError: [Errno 111] Connection refused: 'db-{k}.internal:5432'",
        "ModuleNotFoundError: No module named 'pkg_{k}'",
        "TimeoutError: operation timed out after {k}s",
        "KeyError: 'field_{k}'",
        "requests.exceptions.HTTPError: 503 Server Error for url: http://api-{k}:8080/health",
        "PermissionError: [Errno 13] Permission denied: '/var/lib/app/{k}.lock'",
        "RuntimeError: websocket handshake failed with 1011 for agent {k}",
    )
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="bench">\n')
        written = suite = 0
        while written < cases:
            out.write(f'  <testsuite name="pkg{suite}" timestamp="2024-05-01T12:00:00" tests="1000">\n'
                      f'    <testsuite name="pkg{suite}.test_mod">\n')
            for _ in range(min(1000, cases - written)):
                i = written
                head = (f'      <testcase classname="pkg{suite}.test_mod.TestThing{i // 40}" name="test_case_{i}'
                        f'[p{i % 7}]" file="pkg{suite}/test_mod.py" line="{i % 900}" time="{rnd.random():.3f}"')
                if i % failing_every == 0:
                    msg = messages[rnd.randrange(len(messages))].format(i=i, j=i + 1, k=rnd.randrange(40))
                    frames = "\n".join(f'  File "/src/pkg{suite}/mod.py", line {k * 7}, in helper_{k}'
                                       for k in range(6))
                    out.write(f'{head}>\n        <failure message="{msg}" type="{msg.split(":")[0]}">'
                              f"Traceback (most recent call last):\n{frames}\n{msg}</failure>\n"
                              f"        <system-out>log line {i}\nanother line</system-out>\n      </testcase>\n")
                elif i % 33 == 0:
                    out.write(f'{head}>\n        <skipped message="not on this platform"/>\n      </testcase>\n')
                else:
                    out.write(f"{head}/>\n")
                written += 1
            out.write("    </testsuite>\n  </testsuite>\n")
            suite += 1
        out.write("</testsuites>\n")


def actions_log(path: Path, size: int, seed: int = 11) -> None:
    """A GitHub Actions job log of about `size` bytes: a timestamp on every line, step groups, pip
    and docker build chatter with ANSI colour, a pytest -v run, and a handful of real incidents."""
    rnd = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        i = 0

        def put(text: str) -> None:
            nonlocal i
            s = i // 50
            out.write(f"2024-05-01T{8 + s // 3600 % 12:02d}:{s // 60 % 60:02d}:{s % 60:02d}.{i % 10_000_000:07d}Z "
                      f"{text}\n")
            i += 1

        put("##[group]Run docker compose build")
        third = size // 3
        while out.tell() < third:
            roll = rnd.random()
            if roll < 0.0005:
                put(f"api-{rnd.randrange(9)} Warning pull access denied for acme/img{rnd.randrange(50)}, repository "
                    "does not exist or may require 'docker login'")
            elif roll < 0.3:
                put(f"#{rnd.randrange(40)} {rnd.random() * 90:.3f} Collecting pkg{rnd.randrange(900)}==1."
                    f"{rnd.randrange(30)} (from -r requirements.txt (line {rnd.randrange(80)}))")
            elif roll < 0.4:
                put(f"Requirement already satisfied: pkg{rnd.randrange(900)} in /opt/venv/lib/python3.12/site-packages")
            elif roll < 0.5:
                put(f"\x1b[36m#{rnd.randrange(40)} sha256:{rnd.getrandbits(128):032x} {rnd.randrange(99)}MB / 120MB "
                    f"{rnd.random() * 9:.1f}s\x1b[0m")
            elif roll < 0.55:
                put(f"npm WARN deprecated pkg{rnd.randrange(900)}@1.{rnd.randrange(30)}.0: no longer maintained")
            else:
                put(f"  Downloading pkg{rnd.randrange(900)}-1.{rnd.randrange(30)}-py3-none-any.whl "
                    f"({rnd.randrange(900)} kB)")
        put("##[endgroup]")
        put("##[group]Run pytest -v")
        put("============================= test session starts ==============================")
        t = 0
        failed = []
        while out.tell() < 2 * third:
            word = "FAILED" if t % 997 == 0 else "PASSED"
            if word == "FAILED":
                failed.append(t)
            put(f"tests/test_m{t // 50}.py::test_case_{t}[p{t % 7}] {word}{' ' * 20}[{t % 100:3d}%]")
            t += 1
        put("=========================== short test summary info ============================")
        for f in failed:
            put(f"FAILED tests/test_m{f // 50}.py::test_case_{f}[p{f % 7}] - AssertionError: assert {f} == 0")
        put(f"===== {len(failed)} failed, {t - len(failed)} passed in 812.33s =====")
        put("##[endgroup]")
        while out.tell() < size:
            if rnd.random() < 0.0002:
                put("Traceback (most recent call last):")
                put(f'  File "/srv/app/worker.py", line {rnd.randrange(400)}, in run')
                put("    job.execute()")
                put(f"ConnectionRefusedError: [Errno 111] Connect call failed ('10.0.0.{rnd.randrange(9)}', 5432)")
            else:
                put(f"[worker] processed batch {i} in {rnd.random():.3f}s")
        put("/home/runner/work/_temp/1f.sh: line 1:  1950 Killed                  python worker.py")
        put("##[error]Process completed with exit code 137.")


# -- measuring ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sample:
    wall: float
    cpu: float
    rss: int  # bytes


def run_child(argv: Sequence[str], out: Path, env: dict[str, str], cwd: Path) -> Sample:
    """One child: wall time around it, its own CPU time and peak RSS from the kernel (wait4)."""
    with out.open("wb") as sink:
        start = time.perf_counter()
        proc = subprocess.Popen(list(argv), stdout=sink, stderr=subprocess.DEVNULL, env=env, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"run_all: {' '.join(argv)} exited {proc.returncode}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024)


@dataclass(frozen=True, slots=True)
class Bench:
    name: str
    gardener: Sequence[str]
    baseline: Sequence[str]
    baseline_name: str
    metric: str  # "wall" or "cpu"
    ratio_target: float
    rss_target_mib: float | None = None
    runs: int = 3
    warmup: int = 1
    env: tuple[tuple[str, str | None], ...] = ()  # set (or, with None, unset) for both sides


@dataclass(slots=True)
class Row:
    path: Bench
    g: list[Sample] = field(default_factory=list)
    b: list[Sample] = field(default_factory=list)

    def median(self, samples: list[Sample]) -> float:
        return statistics.median(getattr(s, self.path.metric) for s in samples)

    @property
    def ratio(self) -> float:
        return self.median(self.g) / max(self.median(self.b), 1e-9)

    @property
    def rss(self) -> int:
        return max(s.rss for s in self.g)

    @property
    def ok(self) -> bool:
        rss_ok = self.path.rss_target_mib is None or self.rss < self.path.rss_target_mib * MIB
        return self.ratio <= self.path.ratio_target and rss_ok

    def result(self) -> str:
        return "n/a" if self.path.ratio_target == float("inf") else "pass" if self.ok else "FAIL"

    def target(self) -> str:
        if self.path.ratio_target == float("inf"):
            return "none (floor)"
        text = f"≤{self.path.ratio_target:g}× {self.path.metric}"
        return text + (f", <{self.path.rss_target_mib:g} MiB" if self.path.rss_target_mib else "")


def measure(path: Bench, env: dict[str, str], work: Path, say: Callable[[str], None]) -> Row:
    row = Row(path)
    env = dict(env)
    for key, value in path.env:
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    out = work / "out.txt"
    for _ in range(path.warmup):
        run_child(path.gardener, out, env, work)
        run_child(path.baseline, out, env, work)
    for _ in range(path.runs):  # alternate, so that noise falls on both sides
        row.g.append(run_child(path.gardener, out, env, work))
        row.b.append(run_child(path.baseline, out, env, work))
    say(f"  {path.name}: gardener {row.median(row.g):.3f}s, baseline {row.median(row.b):.3f}s, "
        f"×{row.ratio:.2f}, {row.rss / MIB:.0f} MiB")
    return row


def fmt_time(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def table(rows: Sequence[Row]) -> str:
    head = ("path", "gardener", "baseline", "ratio", "gardener peak RSS", "target", "result")
    body = [(r.path.name, fmt_time(r.median(r.g)), f"{r.path.baseline_name} {fmt_time(r.median(r.b))}",
             f"{r.ratio:.2f}×", f"{r.rss / MIB:.0f} MiB", r.target(), r.result()) for r in rows]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(cells) + " |" for cells in body]
    return "\n".join(lines)


def gardener_argv() -> list[str]:
    """The console script users run, next to this interpreter; `python -m gardener` without one."""
    script = Path(sys.executable).with_name("gardener")
    if script.exists():
        return [str(script)]
    found = shutil.which("gardener")
    return [found] if found else [sys.executable, "-m", "gardener"]


def measured_checkout() -> Path | None:
    """The checkout whose `gardener` package this interpreter (and so its console script) imports."""
    import importlib.util

    spec = importlib.util.find_spec("gardener")
    return Path(spec.origin).resolve().parents[1] if spec is not None and spec.origin else None


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a tenth of the sizes: a few minutes in all")
    ap.add_argument("--cases", type=int, help="JUnit testcases (default 500,000; --quick 50,000)")
    ap.add_argument("--log-mb", type=float, help="Actions log size in MB (default 50; --quick 5)")
    ap.add_argument("--failures", type=int, help="failing results for classify (default 100,000; --quick 10,000)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per side for the input paths (median)")
    ap.add_argument("--cold-runs", type=int, default=10, help="runs per side for the cold-start paths (median)")
    ap.add_argument("--only", action="append", default=[], help="run only paths whose name contains this")
    ap.add_argument("--keep", type=Path, help="generate the inputs here and keep them")
    ap.add_argument("--json", action="store_true", help="also print the figures as one JSON object")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = ap.parse_args(argv)
    cases = args.cases or (50_000 if args.quick else 500_000)
    log_bytes = int((args.log_mb or (5 if args.quick else 50)) * 1_000_000)
    failures = args.failures or (10_000 if args.quick else 100_000)

    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    work = args.keep or Path(tempfile.mkdtemp(prefix="gardener-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE" and not k.startswith("GITHUB_")}
    env.pop("GARDENER_CONFIG", None)
    env["GARDENER_CACHE"] = str(work / "cache")
    example = work / "example"  # the default history store is created beside the config: here, not in the package
    if not example.exists():
        shutil.copytree(EXAMPLE, example, ignore=shutil.ignore_patterns(".gardener"))
    g = gardener_argv()
    measured = measured_checkout()
    if measured != ROOT:  # the console script runs the installed package: another checkout's code is measured
        say(f"run_all: WARNING: `{g[0]}` runs the gardener installed from {measured}, not this checkout ({ROOT}); "
            "install this checkout in its own venv to measure it")
    py = [sys.executable]
    junit, log = work / f"junit-{cases}.xml", work / f"actions-{log_bytes}.log"
    failing = work / f"failing-{failures}.xml"
    tenth = work / f"failing-{failures // 10}.xml"  # the first tenth of the same cases: the growth row
    say(f"run_all: inputs in {work}")
    cold = {"runs": args.cold_runs, "warmup": 2}
    paths = [
        Bench("gardener --help", [*g, "--help"], [*py, "-c", "pass"], "python -c pass", "wall", 5, **cold),
        Bench("gardener ingest --help", [*g, "ingest", "--help"], [*py, "-c", "pass"], "python -c pass", "wall", 5,
              **cold),
        Bench("gardener run, bundled example (default: history on)",
              [*g, "run", "--config", str(example / "gardener.toml"), "--focus", "websocket", "--out",
               str(work / "reports")],
              [*py, "-c", "pass"], "python -c pass", "wall", 8, **cold,
              env=(("GARDENER_NO_HISTORY", None), ("GARDENER_HISTORY_URL", None))),
        Bench("gardener run, bundled example, GARDENER_NO_HISTORY=1",
              [*g, "run", "--config", str(example / "gardener.toml"), "--focus", "websocket", "--out",
               str(work / "reports")],
              [*py, "-c", "pass"], "python -c pass", "wall", 8, **cold, env=(("GARDENER_NO_HISTORY", "1"),)),
        # No target: what importing the declared dependencies a run needs (click, jinja2, google-re2) costs on its own,
        # the same alternating measurement, so the rows above read against it.
        Bench("gardener run's floor, its dependencies alone: python -c \"import click, jinja2, re2\"",
              [*py, "-c", "import click, jinja2, re2"], [*py, "-c", "pass"], "python -c pass", "wall", float("inf"),
              **cold),
        Bench(f"ingest --json, {cases:,}-case JUnit", [*g, "ingest", "--json", str(junit)],
              [*py, "-c", JUNIT_BASELINE, str(junit)], "iterparse clearing", "wall", 1.5, 40, args.repeat),
        Bench(f"ingest --json, {log_bytes / 1e6:g} MB Actions log", [*g, "ingest", "--json", str(log)],
              [*py, "-c", LOG_BASELINE, str(log)], "readline + regex", "wall", 8, 64, args.repeat),
        Bench(f"classify --json, {failures:,} failures", [*g, "classify", "--json", str(failing)],
              [*py, "-c", JUNIT_BASELINE, str(failing)], "iterparse clearing", "cpu", 10, 128, args.repeat),
        # Issue 11 item 4's growth bound: 10x the failures within 11x the CPU (the baseline is gardener itself).
        Bench(f"classify growth, {failures // 10:,} -> {failures:,} failures", [*g, "classify", "--json", str(failing)],
              [*g, "classify", "--json", str(tenth)], "classify --json on a tenth", "cpu", 11, None, args.repeat),
    ]
    chosen = [p for p in paths if not args.only or any(o in p.name for o in args.only)]
    makers = {junit: lambda: junit_file(junit, cases), log: lambda: actions_log(log, log_bytes),
              failing: lambda: junit_file(failing, failures, failing_every=1, seed=13),
              tenth: lambda: junit_file(tenth, failures // 10, failing_every=1, seed=13)}
    for path, make in makers.items():  # only the inputs the chosen paths read
        if any(str(path) in (*p.gardener, *p.baseline) for p in chosen):
            if not path.exists():
                make()
            say(f"  {path.name}: {path.stat().st_size / MIB:.0f} MiB")
    rows = []
    for p in chosen:
        say(f"measuring {p.name} ({p.runs} runs each)")
        rows.append(measure(p, env, work, say))
    print(f"gardener benchmarks: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
          f"medians of {args.repeat} (cold start: {args.cold_runs})")
    print(table(rows))
    if args.json:
        print(json.dumps([{"path": r.path.name, "gardener_s": r.median(r.g), "baseline_s": r.median(r.b),
                           "metric": r.path.metric, "ratio": r.ratio, "rss_mib": r.rss / MIB, "ok": r.ok}
                          for r in rows], indent=2))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if args.check and not all(r.ok for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
