"""A tool missing from the tree a package manager installs, after that manager's install failed: in the same job
earlier, or in an earlier job of the run.

A job that runs a tool from the tree a package manager installs into (Composer's bin-dir `vendor/bin`, npm's
`node_modules/.bin`, a virtualenv's `bin`: `vendor/bin/phpunit: No such file or directory`, the rule
deps.installed-tool-missing) without running that manager's install itself takes the tree from another job of the
run (GitLab's artifacts of an earlier stage, a cache): when that install failed in a job that started earlier, the
tree never existed, and the missing tool is the install's consequence, not a root cause of its own. The jobs'
steps (the runner logs' LogSteps) say which job ran which install, when each job started and which step failed.

Left alone: a job that ran that manager's install itself and succeeded (the tool is missing for a reason of its own:
not a dependency, a wrong path); a failed install of another manager (npm's failure leaves `vendor/bin` as it was);
an install that failed in a job that did not start earlier, or whose start the log does not say; a failed install
later in the same job than the missing tool. Pure: findings, edges and steps in, edges out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import PurePath

from gardener import regex as re
from gardener.model import Edge, Finding, LogStep

INSTALLED_TOOL_RULES = frozenset({"deps.installed-tool-missing"})  # its `path` capture names the tool's path
# Each tree a package manager installs tools into, with the commands that install it.
TREES = (
    ("vendor/bin", re.lazy(r"(?:^|/)vendor/bin/"), re.lazy(r"\bcomposer\s+(?:install|update)\b")),
    ("node_modules/.bin", re.lazy(r"(?:^|/)node_modules/\.bin/"),
     re.lazy(r"\b(?:npm\s+(?:ci|install|i)|yarn\s+install|pnpm\s+(?:install|i)|bun\s+install)\b")),
    (".venv/bin", re.lazy(r"(?:^|/)\.?venv/(?:bin|Scripts)/"),
     re.lazy(r"\b(?:pip3?\s+install|uv\s+(?:sync|pip\s+install)|poetry\s+install|pipenv\s+(?:install|sync))\b")),
)


def _tree(f: Finding) -> tuple[str, re.Pattern[str]] | None:
    """The tree the missing tool was to be installed in, and the commands that install it."""
    path = dict(f.captures).get("path", "")
    return next(((name, installs) for name, where, installs in TREES if where.search(path)), None)


def _placed(f: Finding) -> list[tuple[str, int]]:
    """Each log and line the finding was read at."""
    return [(r.source.path, r.source_line) for r in f.results if r.source.kind == "log" and r.source_line is not None]


def _step_at(steps: Sequence[LogStep], line: int) -> LogStep | None:
    return next((s for s in steps if s.line <= line <= s.end_line), None)


def tools_an_install_left_out(findings: Sequence[Finding], edges: Sequence[Edge],
                              steps: Sequence[LogStep]) -> list[Edge]:
    """Edges failed install → missing tool, as the module docstring says."""
    missing = [f for f in findings if f.rule_id in INSTALLED_TOOL_RULES and not f.blocked_by]
    if not missing or not steps:
        return []
    jobs: dict[str, list[LogStep]] = {}
    for s in steps:
        jobs.setdefault(s.path, []).append(s)
    started: dict[str, datetime] = {}
    for path, in_job in jobs.items():
        times = [s.started_at for s in in_job if s.started_at is not None]
        if times:
            started[path] = min(times)
    # Each failed install: the job and line it failed at, the command of the step that failed.
    installs = [(f, path, line, step.command) for f in findings if f.category == "dependency-install-failure"
                and f.rule_id not in INSTALLED_TOOL_RULES for path, line in _placed(f)
                if (step := _step_at(jobs.get(path, ()), line)) is not None and step.status == "FAILED"]
    known = {(e.blocker, e.blocked) for e in edges}
    out: list[Edge] = []
    for later in missing:
        tree = _tree(later)
        places = _placed(later)
        if tree is None or not places:
            continue
        name, installer = tree
        where, line = places[0]
        own = [s for s in jobs.get(where, ()) if installer.search(s.command)]
        for cause, path, at, command in installs:
            if cause.id == later.id or (cause.id, later.id) in known or not installer.search(command):
                continue
            if path == where:
                if at >= line:  # the tool was missing before this job's install failed
                    continue
            elif own or path not in started or where not in started or started[path] >= started[where]:
                continue  # another job: only when this one installed nothing itself and that one started earlier
            which = "this" if path == where else "an earlier"
            out.append(Edge(cause.id, later.id, (
                f"the install that makes `{name}` failed in {which} job `{PurePath(path).stem}` ({cause.id}), so "
                f"`{name}`, which this job runs the tool from, was never made: a consequence, not a root cause of "
                "its own")))
            break  # one cause per consequence
    return out
