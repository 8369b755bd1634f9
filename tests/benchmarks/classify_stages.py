"""Where `gardener classify --json` spends its CPU and memory, stage by stage (issue 11 item 4).

Run:  python tests/benchmarks/classify_stages.py FILE [FILE ...]
      (run_all.py --keep DIR keeps the benchmark's inputs: DIR/failing-10000.xml, and without --quick
      DIR/failing-100000.xml)

Runs the real command in this process (output to /dev/null) with each stage's function wrapped: the CPU
time spent inside it (time.process_time, no profiler overhead), the process's RSS when it ends and its
peak RSS so far (VmHWM: the stage that raises it is the one whose memory counts), in the order the
stages ran. A profiler's figures (cProfile inflates Python calls 2-3x) are then read within the stage
that matters. The stage names are functions' names: a stage renamed in the code is reported missing,
never measured wrongly.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import gardener.classify as classify  # noqa: E402  (after the path: a source checkout is measured)
import gardener.cli as cli  # noqa: E402
import gardener.linked as linked  # noqa: E402

# (module, function, stage): in the order `classify --json` calls them.
STAGES: tuple[tuple[Any, str, str], ...] = (
    (cli, "_classify_inputs", "ingest"),
    (linked, "dedupe", "dedupe"),
    (classify, "classify_all", "classify"),
    (classify, "attribute_endpoints", "endpoints"),
    (classify, "absorb_wrappers", "absorb wrappers"),
    (classify, "absorb_repeats", "absorb repeats"),
    (classify, "run_signatures", "signatures"),
    (classify, "cluster", "cluster"),
    (classify, "_finding", "findings"),
    (classify, "cross_finding_priority", "cross priority"),
    (linked, "correlate", "correlate"),
    (linked, "fold_consequences", "consequences"),
    (cli, "emit_json", "json"),
)

def _rss_mib() -> tuple[float, float]:
    """(VmRSS, VmHWM) of this process, in MiB."""
    with open("/proc/self/status") as status:
        found = dict(line.split(":", 1) for line in status if line.startswith(("VmRSS", "VmHWM")))
    return int(found["VmRSS"].split()[0]) / 1024, int(found["VmHWM"].split()[0]) / 1024


class Meter:
    """CPU seconds and (RSS, peak RSS so far) at the end of each stage (nested calls count once)."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = {}
        self.after: dict[str, tuple[float, float]] = {}
        self._depth = 0

    def wrap(self, fn: Callable[..., Any], stage: str) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            if self._depth:
                return fn(*args, **kwargs)
            self._depth += 1
            start = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self.cpu[stage] = self.cpu.get(stage, 0.0) + time.process_time() - start
                self.after[stage] = _rss_mib()
                self._depth -= 1

        return timed


def main(paths: list[str]) -> None:
    meter = Meter()
    for module, name, stage in STAGES:
        if not hasattr(module, name):
            print(f"classify_stages: {module.__name__}.{name} is gone: stage {stage!r} not measured", file=sys.stderr)
            continue
        setattr(module, name, meter.wrap(getattr(module, name), stage))
    sys.argv = ["gardener", "classify", "--json", *paths]
    stdout = sys.stdout
    with open(os.devnull, "w") as sink:
        sys.stdout = sink
        try:
            cli.main()
        except SystemExit:
            pass
        finally:
            sys.stdout = stdout
    usage = resource.getrusage(resource.RUSAGE_SELF)
    total = usage.ru_utime + usage.ru_stime
    print(f"{'stage':16} {'cpu s':>7} {'RSS MiB':>8} {'peak so far':>12}")
    for stage, cpu in meter.cpu.items():
        rss, hwm = meter.after[stage]
        print(f"{stage:16} {cpu:7.3f} {rss:8.0f} {hwm:12.0f}")
    print(f"{'other':16} {total - sum(meter.cpu.values()):7.3f}   (start-up, ingest's post-steps, the rest)")
    print(f"{'total':16} {total:7.3f} {'':8} {usage.ru_maxrss / 1024:12.0f}   (user+sys; ru_maxrss)")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
