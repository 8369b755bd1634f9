"""What the end-to-end scenario rounds share: every gardener call of a round started at once (each its own
process, as a user runs the CLI) and collected, the views the tests query, and what a round declares for the
invariants every scenario must keep (`dataN/invariants.toml`, read by `load_round`)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.scenarios.queries import ReportQueries, scenario_inputs

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True, slots=True)
class Run(ReportQueries):
    report: dict[str, Any]
    stdout: str
    files: dict[str, str]  # every file gardener wrote: name -> text
    stderr: str = ""

    def everything(self) -> str:
        return "\n".join(
            (self.stdout, self.stderr, json.dumps(self.report, ensure_ascii=False), *self.files.values())
        )

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


def gardener_env() -> dict[str, str]:
    """The environment a gardener subprocess runs in: this checkout's package first on the path."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(REPO), os.environ.get("PYTHONPATH"))))}


def run_once(inputs: Sequence[str], workdir: Path, *options: str) -> Run:
    """One `python -m gardener run` of `inputs` in an empty folder (no config found), as a user calls it."""
    out = workdir / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "gardener", "run", "--out", str(out), *options, *inputs],
        cwd=workdir, env=gardener_env(), capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 0, f"gardener run exited {proc.returncode}: {proc.stderr[-2000:]}"
    report = json.loads(proc.stdout) if "--json" in options else {}
    files = {p.name: p.read_text(encoding="utf-8", errors="replace") for p in sorted(out.rglob("*")) if p.is_file()}
    return Run(report, proc.stdout, files, proc.stderr)


def gather(work: Path, scenarios: Sequence[str], inputs: Callable[[str], list[str]], excerpts: Sequence[Path],
           timeout_s: float = 180) -> Outputs:
    """`run --json` and `explain` of each scenario's inputs and `classify --json` of each excerpt, all at once,
    each from an empty folder (no gardener.toml is found)."""
    env = gardener_env()
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
    done, errs = {}, {}
    try:
        for key, proc in procs.items():
            out, err = proc.communicate(timeout=timeout_s)
            assert proc.returncode == 0, f"{key} exited {proc.returncode}: {err[-2000:]}"
            done[key], errs[key] = out, err
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.kill()
    runs = {}
    for name in scenarios:
        out_dir = work / name / "out"
        files = {p.name: p.read_text(encoding="utf-8", errors="replace") for p in out_dir.rglob("*") if p.is_file()}
        runs[name] = Run(json.loads(done[("run", name)]), done[("run", name)], files, errs[("run", name)])
    return Outputs(
        runs=runs,
        explains={name: done[("explain", name)] for name in scenarios},
        classified={
            p.name: [like_run(f) for f in json.loads(done[("classify", p.name)])["findings"]] for p in excerpts
        },
    )


@dataclass(frozen=True, slots=True)
class Round:
    """A round's data folder and what its `invariants.toml` declares (all optional) of its scenarios."""

    folder: Path
    scenarios: tuple[str, ...]  # the folder's subfolders, one outage each
    secrets: Mapping[str, tuple[str, ...]]  # scenario -> strings planted in its inputs that must never come out
    live_pings: tuple[str, ...]  # @mentions and issue references planted in the inputs
    failed_inputs: Mapping[str, tuple[str, ...]]  # scenario -> input file names each a finding must point into
    rendered_secret_lines: Mapping[str, tuple[str, ...]]  # scenario -> rendered text of lines that held a secret
    wrappers: re.Pattern[str] | None  # lines saying a step failed but never why: never a finding's evidence
    evidence_strip: tuple[re.Pattern[str], ...]  # CI stamps and colours taken off an evidence line, in order
    evidence_skip: str | None  # evidence lines holding this are not checked against `wrappers`
    known_defects: Mapping[tuple[str, str], str] = field(default_factory=dict)  # (test, scenario) -> defect

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def excerpts(self) -> tuple[Path, ...]:
        """Parts of a scenario's logs pasted on their own, as a user hands them to `gardener classify`."""
        return tuple(sorted(self.folder.glob("*/*-excerpt.txt")))

    def inputs(self, scenario: str) -> list[str]:
        return scenario_inputs(self.folder / scenario)

    def bare(self, line: str) -> str:
        for stamp in self.evidence_strip:
            line = stamp.sub("", line, count=1)
        return line

    def evidence(self, run: Run, finding: dict[str, Any]) -> list[str]:
        """A finding's evidence lines as the wrapper check reads them."""
        skip = self.evidence_skip
        return [self.bare(line) for line in run.evidence_lines(finding) if skip is None or skip not in line]

    def wrapper_lines(self, lines: Sequence[str]) -> list[str]:
        """Those of `lines` that are the round's wrapper lines."""
        wrappers = self.wrappers
        return [line for line in lines if wrappers and wrappers.search(line)]

    def param(self, test: str, scenario: str) -> Any:
        """(round, scenario) as a test parameter, strict-xfail when the round names a known defect of `test`."""
        reason = self.known_defects.get((test, scenario))
        marks = (pytest.mark.xfail(strict=True, reason=reason),) if reason else ()
        return pytest.param(self, scenario, id=f"{self.name}-{scenario}", marks=marks)


def load_round(folder: Path) -> Round:
    """`folder`'s scenarios and its `invariants.toml` (a folder without one declares nothing)."""
    path = folder / "invariants.toml"
    spec: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    scenarios = tuple(sorted(p.name for p in folder.iterdir() if p.is_dir()))
    declared: dict[str, dict[str, Any]] = spec.get("scenarios", {})
    unknown = set(declared) - set(scenarios)
    assert not unknown, f"{path}: no scenario folder for {sorted(unknown)}"

    def each(key: str) -> dict[str, tuple[str, ...]]:
        return {s: tuple(declared.get(s, {}).get(key, ())) for s in scenarios}

    return Round(
        folder=folder,
        scenarios=scenarios,
        secrets=each("secrets"),
        live_pings=tuple(spec.get("live_pings", ())),
        failed_inputs=each("failed_inputs"),
        rendered_secret_lines={s: lines for s, lines in each("rendered_secret_lines").items() if lines},
        wrappers=re.compile("|".join(spec["wrappers"])) if spec.get("wrappers") else None,
        evidence_strip=tuple(re.compile(p) for p in spec.get("evidence_strip", ())),
        evidence_skip=spec.get("evidence_skip"),
        known_defects={
            (test, s): reason for s, d in declared.items() for test, reason in d.get("known_defects", {}).items()
        },
    )


def rounds(here: Path) -> tuple[Round, ...]:
    """Every round's data folder below `here`: data, data2, data3, ... in that order."""
    folders = [p for p in here.iterdir() if p.is_dir() and re.fullmatch(r"data\d*", p.name)]
    return tuple(load_round(p) for p in sorted(folders, key=lambda p: int(p.name[4:] or 1)))


def gather_round(round_: Round, work: Path) -> Outputs:
    return gather(work, round_.scenarios, round_.inputs, round_.excerpts, timeout_s=300)


def assert_nothing_leaks(round_: Round, out: str) -> None:
    """No secret planted anywhere in the round, nor a 16-character piece of one, nor a live ping is in `out`."""
    for secrets in round_.secrets.values():
        for secret in secrets:
            assert secret not in out, secret
            assert secret[4:20] not in out, f"part of {secret}"
    for ping in round_.live_pings:
        assert ping not in out, ping
