"""The Results a go test log yields, as the console reader (go.py) closes its tests and package builds.

One result per test id: gotestsum's epilogue repeats a failure and adds nothing unless the first
report had no output. A parent that failed only because a subtest did (it printed nothing of its own)
is folded into the subtest, here and when the epilogue names it again. A package's compiler errors are
one incident (`log:<stem>:compile-error:<package>-<digest>`) whose message is the first error.
"""

from __future__ import annotations

from pathlib import PurePath

from gardener.ingest.gotest.failure import explain, own_output
from gardener.ingest.runner_log.go_records import GoBuild, GoTest
from gardener.ingest.runner_log.results import log_id
from gardener.model import Outcome, Result, Source

MAX_RESULTS = 5000
_OUTCOMES: dict[str, Outcome] = {"FAIL": "failed", "PASS": "passed", "SKIP": "skipped"}


class GoResults:
    """Collects results; appends to the reader's `claimed` spans and `failing_lines` as it goes."""

    def __init__(self, path: str, kind: str, claimed: list[tuple[int, int]], failing_lines: list[int]) -> None:
        self.path = path
        self.kind = kind
        self.claimed = claimed
        self.failing_lines = failing_lines
        self._stem = PurePath(path).stem
        self._results: dict[str, Result] = {}
        self._folded: set[str] = set()  # parents failing only through a subtest
        self._compile_seen: set[str] = set()  # compiler error lines already reported

    def results(self) -> tuple[Result, ...]:
        return tuple(self._results.values())

    def saw_compile_error(self, line: str) -> bool:
        """Remember a compiler error line; False when it was seen before."""
        if line in self._compile_seen:
            return False
        if len(self._compile_seen) < MAX_RESULTS:
            self._compile_seen.add(line)
        return True

    def tests(self, package: str, tests: dict[str, GoTest], package_failed: bool) -> None:
        """A package's tests. One that never reported its result failed when its package did (the
        binary died while it ran)."""
        failed = {name for name, t in tests.items() if t.word == "FAIL" or t.panic or (package_failed and not t.word)}
        for name, test in tests.items():
            self._emit(package, test, failed=name in failed, batch=failed)

    def build(self, build: GoBuild) -> None:
        if not build.first or len(self._results) >= MAX_RESULTS:
            return
        rid = log_id(self._stem, "compile-error", build.first, build.package)
        self.claimed.append((build.start, build.end))
        self.failing_lines.append(build.end)
        if rid in self._results:
            return
        self._results[rid] = Result(
            id=rid,
            outcome="error",
            source=Source(self.path, self.kind), source_line=build.first_at or build.start,
            message=build.first,
            error_type="compile-error",
            details=build.excerpt.render(),
            file=build.file,
            line=build.line,
            timestamp=build.timestamp,
            properties=(("subject", build.package),) if build.package else (),
        )

    def _is_parent_only(self, rid: str, name: str, test: GoTest, batch: set[str]) -> bool:
        """A parent whose only failure is its subtest's (it printed nothing of its own)."""
        if own_output(test.output()):
            return False
        prefix = name + "/"
        if any(other.startswith(prefix) for other in batch):
            return True
        return any(r.is_failing and r.id.startswith(rid + "/") for r in self._results.values())

    def _emit(self, package: str, test: GoTest, failed: bool, batch: set[str]) -> None:
        rid = f"{package}::{test.name}" if package else test.name
        if len(self._results) >= MAX_RESULTS:
            return
        if failed and (rid in self._folded or self._is_parent_only(rid, test.name, test, batch)):
            self._folded.add(rid)  # its subtest's failure is the cause; the parent only reports it
            return
        outcome: Outcome = "failed" if failed else _OUTCOMES.get(test.word, "passed")
        known = self._results.get(rid)
        if known is not None and (not failed or (known.is_failing and bool(known.details))):
            return  # a repeat (gotestsum's epilogue) adds nothing
        line = test.result_line or test.start
        if not failed:
            self._results[rid] = Result(
                id=rid, outcome=outcome, source=Source(self.path, self.kind), source_line=line, duration_s=test.seconds
            )
            return
        why = explain(test.output())
        self.claimed.append((test.start, max(test.end, test.start)))
        self.failing_lines.append(line)
        self._results[rid] = Result(
            id=rid,
            outcome=outcome,
            # A panic, testify's `Error:` field or the test's own `file.go:12: message` is what explains it, not the
            # `--- FAIL:` line.
            source=Source(self.path, self.kind),
            source_line=test.panic_at or test.error_at or test.said_line(why.message) or line,
            message=why.message or f"--- FAIL: {test.name}",
            error_type=why.error_type,
            details=test.excerpt.render() if test.excerpt is not None else "",
            file=why.file,
            line=why.line,
            duration_s=test.seconds,
            timestamp=test.timestamp,
        )
