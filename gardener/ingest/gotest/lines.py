"""The shapes of `go test` output lines, as small pure parsers.

`go test -v` (and gotestsum's `standard-verbose`) print `=== RUN   TestX`, the test's own output
(`    x_test.go:12: message`, indented four spaces a level), `--- FAIL: TestX (0.01s)` and, per
package, `FAIL\tpkg\t0.1s` / `ok  \tpkg\t0.1s`. A package that does not compile prints `# pkg`, the
compiler's `file.go:57:12: undefined: x` lines and `FAIL\tpkg [build failed]`. gotestsum repeats every
failure after the run (`=== Failed`, `=== FAIL: pkg TestX (0.01s)`, `=== Errors`, `DONE 15 tests, ...`).
"""

from __future__ import annotations

from dataclasses import dataclass

from gardener import regex as re
from gardener.ingest.junit.values import parse_duration  # finite and non-negative, else None
from gardener.numbers import bounded_int

_RUNNER = re.lazy(r"^=== (?P<word>RUN|PAUSE|CONT|NAME)\s+(?P<name>\S+)\s*$")
_RESULT = re.lazy(r"^(?P<indent>\s*)--- (?P<word>FAIL|PASS|SKIP): (?P<name>\S+)(?: \((?P<secs>[\d.]+)s\))?\s*$")
# `ok  \tpkg\t0.1s`, `FAIL\tpkg\t0.1s`, `ok  \tpkg\t(cached)`, `FAIL\tpkg [build failed]`,
# `?   \tpkg\t[no test files]`; a jest `FAIL src/a.test.ts` has neither a duration nor a bracket.
_PACKAGE = re.lazy(
    r"^(?P<word>ok|FAIL|\?)\s+(?P<pkg>[^\s()\[\]]+)"
    r"(?:\s+\[(?P<note>build failed|setup failed|no test files)\]|\s+(?:\d+(?:\.\d+)?s|\(cached\))(?:\s.*)?)\s*$"
)
_BUILD_HEADER = re.lazy(r"^# (?P<pkg>[^\s\[\]]+)(?: \[[^\]]+\])?\s*$")
_COMPILE = re.lazy(r"^(?:\.\/)?(?P<file>[^\s:]+\.go):(?P<line>\d+)(?::(?P<col>\d+))?: (?P<msg>\S.*)$")
_LOG_LINE = re.lazy(r"^(?P<indent>\s+)(?P<file>[\w./-]+\.go):(?P<line>\d+): ?(?P<msg>.*)$")
_EPILOGUE_SECTION = re.lazy(r"^=== (?:Failed|Errors|Skipped)\s*$")
_EPILOGUE_CASE = re.lazy(r"^=== (?P<word>FAIL|SKIP): (?P<pkg>\S+)(?: (?P<name>[^\s(]\S*))?(?: \([\d.]+s\))?\s*$")
_DONE = re.lazy(r"^DONE (?:\d+ runs?, )?\d+ tests?\b")
_EXIT_STATUS = re.lazy(r"^exit status \d+\s*$")
PANIC_START = ("panic: ", "fatal error: ")
RACE_FENCE = "=================="
RACE_HEADER = "WARNING: DATA RACE"


@dataclass(frozen=True, slots=True)
class RunnerLine:
    word: str  # RUN | PAUSE | CONT | NAME
    name: str


@dataclass(frozen=True, slots=True)
class ResultLine:
    word: str  # FAIL | PASS | SKIP
    name: str
    indent: int
    seconds: float | None


@dataclass(frozen=True, slots=True)
class PackageLine:
    word: str  # ok | FAIL | ?
    package: str
    note: str  # build failed | setup failed | no test files | ""


@dataclass(frozen=True, slots=True)
class CompileLine:
    file: str
    line: int
    message: str


@dataclass(frozen=True, slots=True)
class EpilogueCase:
    word: str  # FAIL | SKIP
    package: str
    name: str


def runner(text: str) -> RunnerLine | None:
    m = _RUNNER.match(text) if text.startswith("=== ") else None
    return RunnerLine(m.group("word"), m.group("name")) if m else None


def result(text: str) -> ResultLine | None:
    if "--- " not in text:
        return None
    m = _RESULT.match(text)
    if not m:
        return None
    secs = m.group("secs")
    return ResultLine(m.group("word"), m.group("name"), len(m.group("indent")), parse_duration(secs))


def package(text: str) -> PackageLine | None:
    if not text.startswith(("ok", "FAIL", "?")):
        return None
    m = _PACKAGE.match(text)
    return PackageLine(m.group("word"), m.group("pkg"), m.group("note") or "") if m else None


def build_header(text: str) -> str | None:
    """The package of a `# pkg [pkg.test]` line that heads compiler errors."""
    m = _BUILD_HEADER.match(text) if text.startswith("# ") else None
    return m.group("pkg") if m else None


def compile_error(text: str) -> CompileLine | None:
    """`internal/billing/invoice.go:57:12: undefined: roundHalfEven` (the compiler or vet)."""
    if ".go:" not in text:
        return None
    m = _COMPILE.match(text)
    return CompileLine(m.group("file"), bounded_int(m.group("line")), m.group("msg").strip()) if m else None


def log_line(text: str) -> tuple[str, int, str, int] | None:
    """(file, line, message, indent) of a test's `    x_test.go:12: message` output line."""
    if ".go:" not in text:
        return None
    m = _LOG_LINE.match(text)
    return (m.group("file"), bounded_int(m.group("line")), m.group("msg"), len(m.group("indent"))) if m else None


def epilogue_section(text: str) -> bool:
    return text.startswith("=== ") and _EPILOGUE_SECTION.match(text) is not None


def epilogue_case(text: str) -> EpilogueCase | None:
    """gotestsum's `=== FAIL: internal/api TestListAccounts/paginates (0.01s)` repeat header."""
    m = _EPILOGUE_CASE.match(text) if text.startswith("=== ") else None
    return EpilogueCase(m.group("word"), m.group("pkg"), m.group("name") or "") if m else None


def done(text: str) -> bool:
    return text.startswith("DONE ") and _DONE.match(text) is not None


def exit_status(text: str) -> bool:
    return text.startswith("exit status ") and _EXIT_STATUS.match(text) is not None


def starts_panic(text: str) -> bool:
    return text.startswith(PANIC_START)


_DUMP_STARTS = ("goroutine ", "created by ", "[signal ", "panic", "fatal error", "running tests:", "...", "\t", " ")
_RACE_STARTS = (RACE_HEADER, "Goroutine ", "Previous ", RACE_FENCE, "\t", " ")
_ACCESS = re.lazy(r"^\w[\w ]* at 0x[0-9a-f]+ by ")


def in_goroutine_dump(text: str) -> bool:
    """A line a panic's report is made of: goroutine headers, frames (`pkg.F(...)` and their indented
    location), `created by`, the signal line, blank lines. Anything else is output after it."""
    if not text.strip() or text.startswith(_DUMP_STARTS):
        return True
    head = text.split("(", 1)[0]
    return text.rstrip().endswith(")") and "(" in text and " " not in head


def in_race_report(text: str) -> bool:
    """A line of a race detector report: its header, access and goroutine lines, indented frames."""
    return not text.strip() or text.startswith(_RACE_STARTS) or _ACCESS.match(text) is not None


def is_runner_noise(text: str) -> bool:
    """A line that only reports progress: `=== RUN`, `--- FAIL: x`, a bare `FAIL`/`PASS`."""
    stripped = text.strip()
    return not stripped or stripped in ("FAIL", "PASS") or runner(stripped) is not None or result(text) is not None


def short_function(frame: str) -> str:
    """`github.com/acme/x/cache.(*LRU).Put(0xc0001)` -> `cache.(*LRU).Put`: the package's last element."""
    name = frame.strip()
    if name.endswith(")"):
        depth = 0
        for i in range(len(name) - 1, -1, -1):
            depth += {")": 1, "(": -1}.get(name[i], 0)
            if depth == 0:
                name = name[:i]
                break
    cuts = [i for i in (name.find("("), name.find("[")) if i >= 0]
    slash = name.rfind("/", 0, min(cuts) if cuts else len(name))
    return name[slash + 1 :]
