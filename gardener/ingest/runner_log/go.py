"""go test's console output (`go test -v`, gotestsum `standard-verbose`), fed one clean line at a time,
turned into test Results and one incident per package that does not compile.

A test's output runs from its `=== RUN` (or `=== CONT`/`=== NAME`) to the next runner line; without
`-v` it is the lines indented under its `--- FAIL:` line. A `panic:` belongs to the test that was
running, with its whole goroutine dump; a race report (`WARNING: DATA RACE` between `=====` fences) to
the test whose output it is in. The package is only known at its `FAIL\tpkg\t0.1s` / `ok  \tpkg` line,
so results wait for it. Ids are `pkg::TestX/sub`, as gotestsum and go-junit-report name the JUnit case,
so the same failure in both inputs is one result. A parent failing only because a subtest failed
(nothing of its own printed) is not a failure of its own. gotestsum's epilogue (`=== Failed`,
`=== FAIL: pkg TestX`, `=== Errors`, `DONE ...`) repeats what was printed: it only adds what was not.
"""

from __future__ import annotations

from datetime import datetime

from gardener import regex as re
from gardener.ingest.gotest import lines as gl
from gardener.ingest.runner_log import reader_hints
from gardener.ingest.runner_log.console import ReaderBase
from gardener.ingest.runner_log.go_records import GoBuild, GoTest
from gardener.ingest.runner_log.go_results import GoResults
from gardener.model import Result

MAX_OPEN = 2000  # tests of one package held until its package line
PACKAGE_TEST = "TestMain"  # gotestsum's name for a failure of the package, outside any test
# A test's log line as `testing` prints it (`    wal.go:279: msg`): with its `=== RUN` cut off (a log window, an
# interleaved parallel test), the block of such lines right above a `--- FAIL:` is still that test's output.
_LOG_LINE = re.lazy(reader_hints.GO_LOG_LINE)
MAX_ORPHAN_LINES = 60
# How a line that starts something of go test's report begins (a result line may be indented).
_STARTS = reader_hints.GO_STARTS


class GoReader(ReaderBase):
    """Feed (line number, clean text, timestamp); `finish()` returns the Results."""

    def __init__(self, path: str, kind: str) -> None:
        super().__init__(path, kind)
        self._out = GoResults(path, kind, self.claimed, self.failing_lines)
        self._tests: dict[str, GoTest] = {}  # of the package being read
        self._current: GoTest | None = None
        self._tail_indent: int | None = None  # without -v, output is indented under `--- FAIL:`
        self._mode = ""  # "" | panic | race | build
        self._fence: tuple[int, str] | None = None  # a `======` line that may open a race report
        self._builds: dict[str, GoBuild] = {}
        self._build: GoBuild | None = None
        self._packages: list[str] = []
        self._epilogue = False
        self._epilogue_package = ""
        self._orphan: list[tuple[int, str]] = []  # a test log block read while no test was open

    HINTS = reader_hints.GO

    def idle(self) -> bool:
        return self._idle() and not self._orphan  # a test log block is being kept: every line until it ends

    def feed(self, number: int, text: str, timestamp: datetime | None) -> bool:
        """True for every line of go test's report: runner lines, a test's output, package lines."""
        if self._idle() and not text.startswith(_STARTS) and "--- " not in text:
            self._keep_orphan(number, text)
            return False  # most lines of a CI log: nothing of go test's is open and this starts nothing
        if self._fence is not None:
            fence, self._fence = self._fence, None
            if text.strip() == gl.RACE_HEADER and self._owner(timestamp, fence[0]) is not None:
                self._mode = "race"
                self._add(*fence)
                self._add(number, text)
                return True
            if self._current is not None:
                self._add(*fence)
        if self._mode == "build" and self._build_line(number, text):
            return True
        if self._mode == "panic":
            if not self._ends_panic(text):
                self._add(number, text, in_panic=True)
                return True
            self._mode = ""
        if self._mode == "race":
            if gl.in_race_report(text):
                self._add(number, text)
                if text.strip() == gl.RACE_FENCE:
                    self._mode = ""
                return True
            self._mode = ""  # a report cut short: the line is the test's again
        return self._line(number, text, timestamp)

    def _idle(self) -> bool:
        return self._current is None and not self._mode and self._fence is None and not self._epilogue

    def _line(self, number: int, text: str, timestamp: datetime | None) -> bool:
        if text.startswith("=== "):
            return self._equals_line(number, text, timestamp)
        if (res := gl.result(text)) is not None:
            self._result_line(number, text, res, timestamp)
            return True
        if gl.starts_panic(text) and (owner := self._owner(timestamp, number)) is not None:
            self._mode = "panic"
            owner.add(number, text, in_panic=True)
            return True
        if text.strip() == gl.RACE_FENCE and (self._current is not None or self._tests or self._epilogue):
            self._fence = (number, text)
            return True
        if (pkg := gl.package(text)) is not None:
            self._package_line(number, text, pkg)
            return True
        if (header := gl.build_header(text)) is not None:
            self._start_build(number, text, header, timestamp)
            return True
        if self._epilogue and gl.done(text):
            self._close_epilogue_test()
            self._epilogue = False
            self.claimed.append((number, number))
            if " failure" in text or " error" in text:
                self.failing_lines.append(number)
            return True
        if self._epilogue and gl.compile_error(text) is not None:
            self._orphan_compile_error(number, text, timestamp)
            return True
        if text.strip() in ("FAIL", "PASS") or gl.exit_status(text):
            return bool(self._tests) or self._epilogue
        return self._output(number, text)

    def _equals_line(self, number: int, text: str, timestamp: datetime | None) -> bool:
        if (run := gl.runner(text)) is not None:
            test = self._test(run.name, number, timestamp)
            if run.word == "RUN":
                test.add(number, text)
            self._current, self._tail_indent = (None if run.word == "PAUSE" else test), None
            return True
        if gl.epilogue_section(text):
            self._close_epilogue_test()
            if self._tests:
                self._flush("")
            self._epilogue = True
            return True
        if self._epilogue and (case := gl.epilogue_case(text)) is not None:
            self._close_epilogue_test()
            self._epilogue_package = self._resolve(case.package)
            self._current = self._test(case.name or PACKAGE_TEST, number, timestamp)
            self._current.word = self._current.word or case.word
            self._tail_indent = None
            return True
        return self._output(number, text)

    def _keep_orphan(self, number: int, text: str) -> None:
        """Keep a test log block seen while no test is open (pure bookkeeping; claimed only if a `--- FAIL:` right
        below it takes it)."""
        if _LOG_LINE.search(text) is not None:
            self._orphan = [(number, text)]
        elif self._orphan and len(self._orphan) < MAX_ORPHAN_LINES and text.startswith(("        ", "\t")):
            self._orphan.append((number, text))
        else:
            self._orphan = []

    def _result_line(self, number: int, text: str, res: gl.ResultLine, timestamp: datetime | None) -> None:
        orphan, self._orphan = self._orphan, []
        if res.word == "FAIL" and res.name not in self._tests and orphan and orphan[-1][0] == number - 1:
            test = self._test(res.name, orphan[0][0], timestamp)
            for at, line in orphan:
                test.add(at, line)
        test = self._test(res.name, number, timestamp)
        test.word, test.seconds, test.result_line = res.word, res.seconds, number
        test.add(number, text)
        if res.word == "PASS" and not self._epilogue:
            test.forget_output()
        self._current, self._tail_indent = test, res.indent

    def _output(self, number: int, text: str) -> bool:
        cur = self._current
        if cur is None:
            return False
        if self._tail_indent is not None and text.strip() and len(text) - len(text.lstrip()) <= self._tail_indent:
            self._current = None  # the lines under `--- FAIL:` are over
            return False
        cur.add(number, text)
        return True

    def _owner(self, timestamp: datetime | None, number: int) -> GoTest | None:
        """The test a panic or race report belongs to: the one running, else the package's when its
        tests are being read. A panic in no go test's output (a server's log) is left to the incident
        finder."""
        if self._current is not None:
            return self._current
        if self._epilogue or not self._tests:
            return None
        return self._test(PACKAGE_TEST, number, timestamp)

    def _add(self, number: int, text: str, in_panic: bool = False) -> None:
        owner = self._current or self._tests.get(PACKAGE_TEST)
        if owner is not None:
            owner.add(number, text, in_panic)

    def _ends_panic(self, text: str) -> bool:
        return (
            not gl.in_goroutine_dump(text)
            or gl.package(text) is not None
            or gl.exit_status(text)
            or text.strip() in ("FAIL", "PASS")
            or (text.startswith("=== ") and (gl.runner(text) is not None or gl.epilogue_case(text) is not None))
            or gl.epilogue_section(text)
        )

    def _test(self, name: str, number: int, timestamp: datetime | None) -> GoTest:
        test = self._tests.get(name)
        if test is None:
            if len(self._tests) >= MAX_OPEN:  # a huge package: forget the oldest test not failing
                oldest = next((k for k, t in self._tests.items() if t.word != "FAIL" and not t.panic), None)
                self._tests.pop(oldest if oldest is not None else next(iter(self._tests)))
            test = self._tests[name] = GoTest(name, number, timestamp)
        return test

    # --- packages and builds -----------------------------------------------------------------

    def _package_line(self, number: int, text: str, pkg: gl.PackageLine) -> None:
        self._current, self._tail_indent = None, None
        if pkg.package not in self._packages:
            self._packages.append(pkg.package)
        if pkg.note in ("build failed", "setup failed"):
            build = self._builds.pop(pkg.package, None) or GoBuild(pkg.package, number, None)
            build.add(number, text)
            self._out.build(build)
            return
        if pkg.word == "FAIL":
            self.failing_lines.append(number)
        if not self._epilogue:
            self._flush(pkg.package, package_failed=pkg.word == "FAIL")

    def _start_build(self, number: int, text: str, package: str, timestamp: datetime | None) -> None:
        self._current = None
        build = self._builds.get(package)
        if build is None:
            build = self._builds[package] = GoBuild(package, number, timestamp)
        build.add(number, text)
        self._build, self._mode = build, "build"

    def _build_line(self, number: int, text: str) -> bool:
        build = self._build
        found = gl.compile_error(text)
        if build is None or (found is None and not (text[:1] in (" ", "\t") and text.strip())):
            self._mode, self._build = "", None
            return False
        if found is not None and not build.first:
            build.first, build.first_at, build.file, build.line = text.strip(), number, found.file, found.line
        if found is not None:
            self._out.saw_compile_error(text.strip())
        build.add(number, text)
        return True

    def _orphan_compile_error(self, number: int, text: str, timestamp: datetime | None) -> None:
        """gotestsum's `=== Errors` repeats compiler errors; one no `# pkg` block showed is still news."""
        self.claimed.append((number, number))
        line = text.strip()
        if not self._out.saw_compile_error(line):
            return
        found = gl.compile_error(text)
        folder = found.file.rsplit("/", 1)[0] if found is not None and "/" in found.file else ""
        build = GoBuild(folder, number, timestamp, first=line, first_at=number)
        if found is not None:
            build.file, build.line = found.file, found.line
        build.add(number, text)
        self._out.build(build)

    # --- results --------------------------------------------------------------------------------

    def _flush(self, package: str, package_failed: bool = False) -> None:
        """The tests read since the last package line are that package's."""
        tests, self._tests = self._tests, {}
        self._current, self._tail_indent, self._mode = None, None, ""
        self._out.tests(package, tests, package_failed)

    def _resolve(self, package: str) -> str:
        """gotestsum's epilogue names packages relative to the module: `internal/api`."""
        matches = [p for p in self._packages if p == package or p.endswith("/" + package)]
        return matches[0] if len(matches) == 1 else package

    def _close_epilogue_test(self) -> None:
        if self._epilogue and self._tests:
            self._flush(self._epilogue_package)

    def interrupt(self) -> None:
        """The output around go test moved on (a new CI step): close what is open."""
        self._close_epilogue_test()
        self._epilogue = False
        if self._tests:
            self._flush("")
        self._mode, self._build, self._fence = "", None, None
        for build in self._builds.values():
            self._out.build(build)
        self._builds.clear()

    def finish(self) -> tuple[Result, ...]:
        self.interrupt()
        return self._out.results()
