"""What the end-to-end scenario rounds share: every gardener call of a round started at once (each its own
process, as a user runs the CLI) and collected, and the views the tests query."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.scenarios.queries import ReportQueries

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True, slots=True)
class Run(ReportQueries):
    report: dict[str, Any]
    stdout: str
    files: dict[str, str]  # every file gardener wrote: name -> text

    def everything(self) -> str:
        return "\n".join((self.stdout, json.dumps(self.report, ensure_ascii=False), *self.files.values()))

    def evidence_lines(self, finding: dict[str, Any]) -> list[str]:
        """The input lines a finding's evidence points at, as the files hold them."""
        out = []
        for ref in finding["evidence"]:
            if ref["line"] is None:
                out.append("<no line>")
                continue
            lines = Path(ref["path"]).read_bytes().decode("utf-8").split("\n")  # a lone \r does not end a line
            out.append(lines[ref["line"] - 1])
        return out


@dataclass(frozen=True, slots=True)
class Outputs:
    runs: dict[str, Run]
    explains: dict[str, str]  # scenario -> `gardener explain` stdout
    classified: dict[str, list[dict[str, Any]]]  # excerpt file name -> `gardener classify --json` findings


def text(finding: dict[str, Any]) -> str:
    """What a reader sees of a finding in the JSON: title, signature and root cause."""
    return " ".join((finding["title"], finding["signature"]["text"], finding.get("root_cause", "")))


def like_run(finding: dict[str, Any]) -> dict[str, Any]:
    """`classify --json` gives a finding's signature as its text, `run --json` as an object with `text`."""
    signature = finding["signature"]
    return {**finding, "signature": {"text": signature}} if isinstance(signature, str) else finding


def gather(work: Path, scenarios: Sequence[str], inputs: Callable[[str], list[str]], excerpts: Sequence[Path],
           timeout_s: float = 180) -> Outputs:
    """`run --json` and `explain` of each scenario's inputs and `classify --json` of each excerpt, all at once,
    each from an empty folder (no gardener.toml is found)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(REPO), os.environ.get("PYTHONPATH"))))}
    gardener = [sys.executable, "-m", "gardener"]
    calls: dict[tuple[str, str], list[str]] = {}
    for name in scenarios:
        calls[("run", name)] = [*gardener, "run", "--json", "--out", str(work / name / "out"), *inputs(name)]
        calls[("explain", name)] = [*gardener, "explain", *inputs(name)]
    for path in excerpts:
        calls[("classify", path.name)] = [*gardener, "classify", "--json", str(path)]
    procs = {}
    for key, argv in calls.items():
        cwd = work / f"{key[0]}-{key[1]}"
        cwd.mkdir(exist_ok=True)
        procs[key] = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = {}
    try:
        for key, proc in procs.items():
            out, err = proc.communicate(timeout=timeout_s)
            assert proc.returncode == 0, f"{key} exited {proc.returncode}: {err[-2000:]}"
            done[key] = out
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.kill()
    runs = {}
    for name in scenarios:
        out_dir = work / name / "out"
        files = {p.name: p.read_text(encoding="utf-8", errors="replace") for p in out_dir.rglob("*") if p.is_file()}
        runs[name] = Run(json.loads(done[("run", name)]), done[("run", name)], files)
    return Outputs(
        runs=runs,
        explains={name: done[("explain", name)] for name in scenarios},
        classified={
            p.name: [like_run(f) for f in json.loads(done[("classify", p.name)])["findings"]] for p in excerpts
        },
    )


def assert_no_secret(secrets: Mapping[str, Sequence[str]], scenario: str, out: str) -> None:
    """No planted secret of the scenario, nor a 16-character piece of one, is in `out`."""
    for secret in secrets[scenario]:
        assert secret not in out, secret
        assert secret[4:20] not in out, f"part of {secret}"
