"""tox envs whose outcome tox ignores: their failures are allowed.

`ignore_outcome = true` lets one env (a pre-release interpreter, an optional extra) fail without failing
tox. tox 3 says so after the env's commands (`WARNING: command failed but result from testenv is
ignored`) and in its summary (`  py314: ignored failed command`); each env's commands start with
`py314 run-test: commands[0] | pytest` (tox 4: `py314: commands[0]> pytest`). The test results read
in such an env's lines carry `allow_failure`, the property priority_evidence reads for a job allowed to
fail: a failure seen only there blocks nothing, the same failure in another env still does.

Only a log whose pytest output holds two or more sessions (one per env) is read again, once, line by
line: a single pytest run has no envs to tell apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from gardener import regex as re
from gardener.ingest.textfile import TextFile
from gardener.model import Result
from gardener.text import clean_line

_ENV_START = re.lazy(r"^(?P<env>[\w.-]+)(?: run-test: commands\[\d+\] \|| run-test-pre: |: commands\[\d+\]> )")
_IGNORED_HERE = "command failed but result from testenv is ignored"
_IGNORED_SUMMARY = re.lazy(r"^\s+(?P<env>[\w.-]+): ignored failed command\s*$")
ALLOWED = ("allow_failure", "true")


def ignored_env_lines(text: TextFile) -> list[tuple[int, int]]:
    """The (first, last) lines of each env whose outcome tox ignores, in the file's line numbers."""
    starts: list[tuple[int, str]] = []  # (line, env) where each env's commands begin
    ignored: set[str] = set()
    last = 0
    for number, raw in text.lines():
        last = number
        if "run-test" not in raw and "commands[" not in raw and "ignore" not in raw:
            continue
        line = clean_line(raw).text
        if m := _ENV_START.match(line):
            if not starts or starts[-1][1] != m.group("env"):
                starts.append((number, m.group("env")))
        elif _IGNORED_HERE in line and starts:
            ignored.add(starts[-1][1])
        elif m := _IGNORED_SUMMARY.match(line):
            ignored.add(m.group("env"))
    spans = []
    for i, (first, env) in enumerate(starts):
        if env in ignored:
            spans.append((first, starts[i + 1][0] - 1 if i + 1 < len(starts) else last))
    return spans


def allow_ignored_envs(results: Sequence[Result], text: TextFile) -> tuple[Result, ...]:
    """`results` (the log's pytest results), each read inside an ignored env marked allowed to fail."""
    spans = ignored_env_lines(text)
    if not spans:
        return tuple(results)
    return tuple(
        replace(r, properties=(*r.properties, ALLOWED))
        if r.source_line is not None and any(a <= r.source_line <= b for a, b in spans) else r
        for r in results
    )
