"""What one failed Go test's output says went wrong, as a message, an error type and a location.

The same analysis serves the console (`go test -v` in a CI log) and JUnit files written by
gotestsum or go-junit-report (whose `message` is a bare "Failed" and whose text is the console
output), so both inputs of one run name a failure alike. In order of what explains most:
- compiler errors (`# pkg` then `file.go:57:12: undefined: x`): the package does not build;
- a panic (`panic: runtime error: ...`, `fatal error: ...`), located at the first frame outside
  the runtime and the testing package;
- a race detector report (`WARNING: DATA RACE`): which function wrote and which read;
- a testify assertion (`Error Trace:` / `Error:` / `Test:`): the `Error:` field (`Not equal: expected: 20
  actual: 19`), not the trace;
- else the test's `x_test.go:12: message` lines (t.Error / t.Fatal), preferring one that reads as a
  failure over a t.Log line, and the testing package's own (`race detected during execution of test`)
  only when the test printed nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gardener import regex as re
from gardener.ingest.gotest import lines as gl
from gardener.numbers import bounded_int
from gardener.redact.text import cut_raw

_RECOVERED = re.lazy(r"\s*\[recovered(?:, repanicked)?\]\s*$")
_LOCATION = re.lazy(r"^\s+(?P<file>\S+\.go):(?P<line>\d+)\b")
_NOT_MINE = ("runtime.", "testing.", "panic(", "created by ", "goroutine ", "sync.", "reflect.")
_ACCESS = re.lazy(r"^(?P<previous>Previous )?(?P<op>[\w ]+?) at 0x[0-9a-f]+ by (?:goroutine \d+|main goroutine):")
_TESTIFY_FIELD = re.lazy(r"^(?P<label>Error Trace|Error|Test|Messages|Diff|Stack):\s*(?P<value>.*)$")
_FAILURE_WORDS = re.lazy(
    r"(?i)\b(?:want(?:ed)?|got|expected|expect|unexpected|error|err|fail(?:ed|ure)?|mismatch|should|must"
    r"|not equal|differ|missing|invalid)\b|!="
)
FRAMEWORK_FILE = "testing.go"
MESSAGE_LIMIT = 500


@dataclass(frozen=True, slots=True)
class GoFailure:
    message: str
    error_type: str = ""
    file: str | None = None
    line: int | None = None


def explain(output: Sequence[str]) -> GoFailure:
    """The failure a Go test's output shows (its lines as printed, indentation kept)."""
    for finder in (_compile, _panic, _race, _testify, _logged):
        found = finder(output)
        if found is not None:
            return found
    return GoFailure("")


def looks_like_go(text: str) -> bool:
    """Whether a failure text is `go test` output (JUnit writers for Go copy the console)."""
    return any(
        mark in text for mark in ("=== RUN", "--- FAIL: ", "panic: ", "Error Trace:", "[build failed]", "_test.go:")
    )


def own_output(output: Sequence[str]) -> bool:
    """Whether the test printed anything besides progress lines (a parent failing only through a
    subtest prints nothing of its own)."""
    return any(not gl.is_runner_noise(line) for line in output)


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MESSAGE_LIMIT else cut_raw(text, MESSAGE_LIMIT - 1) + "…"


def _compile(output: Sequence[str]) -> GoFailure | None:
    built = any(gl.build_header(line) is not None or "[build failed]" in line for line in output)
    if not built:
        return None
    for line in output:
        if (found := gl.compile_error(line)) is not None:
            return GoFailure(_clip(line.strip()), "compile-error", found.file, found.line)
    return None


def _frames(output: Sequence[str], start: int) -> tuple[str, int] | None:
    """The first stack frame below `start` whose function is not the runtime's or testing's."""
    function = ""
    for line in output[start + 1 :]:
        if (m := _LOCATION.match(line)) is not None:
            if function and not function.startswith(_NOT_MINE):
                return m.group("file"), bounded_int(m.group("line"))
            function = ""
        elif line.strip() and not line[:1].isspace():
            function = line.strip()
    return None


def _panic(output: Sequence[str]) -> GoFailure | None:
    start = next((i for i, line in enumerate(output) if gl.starts_panic(line)), None)
    if start is None:
        return None
    where = _frames(output, start)
    message = _RECOVERED.sub("", output[start].strip())
    return GoFailure(_clip(message), "panic", *(where or (None, None)))


def _race(output: Sequence[str]) -> GoFailure | None:
    start = next((i for i, line in enumerate(output) if line.strip() == gl.RACE_HEADER), None)
    if start is None:
        return None
    accesses: list[tuple[str, str]] = []  # (what, function)
    where: tuple[str, int] | None = None
    pending = ""
    for line in output[start + 1 :]:
        if line.strip() == gl.RACE_FENCE:
            break
        if (m := _ACCESS.match(line.strip())) is not None:
            pending = ("previous " if m.group("previous") else "") + m.group("op").lower()
        elif pending and line.strip():
            accesses.append((pending, gl.short_function(line)))
            pending = ""
        elif where is None and accesses and (loc := _LOCATION.match(line)) is not None:
            where = loc.group("file"), bounded_int(loc.group("line"))
    parts = [f"{what} in {function}" for what, function in accesses[:2]]
    message = f"{gl.RACE_HEADER}: {', '.join(parts)}" if parts else gl.RACE_HEADER
    return GoFailure(_clip(message), "data race", *(where or (None, None)))


def _testify(output: Sequence[str]) -> GoFailure | None:
    start = next((i for i, line in enumerate(output) if line.strip().startswith("Error Trace:")), None)
    if start is None:
        return None
    fields: dict[str, list[str]] = {}
    label = ""
    for line in output[start:]:
        stripped = line.strip()
        if gl.is_runner_noise(line) or (gl.log_line(line) is not None and not stripped.startswith("Error")):
            break
        if (m := _TESTIFY_FIELD.match(stripped)) is not None:
            label = m.group("label")
            if label in fields:
                break  # the next assertion of the same test
            fields[label] = [m.group("value")]
        elif label and stripped:
            fields[label].append(stripped)
    error = " ".join(fields.get("Error", [])) or " ".join(fields.get("Error Trace", []))
    header = next((gl.log_line(line) for line in reversed(output[:start]) if gl.log_line(line)), None)
    where = (header[0], header[1]) if header else _trace_location(fields.get("Error Trace", []))
    return GoFailure(_clip(error), "", *(where or (None, None)))


def _trace_location(trace: list[str]) -> tuple[str, int] | None:
    m = re.match(r"(?P<file>\S+\.go):(?P<line>\d+)", trace[0]) if trace else None
    return (m.group("file").rsplit("/", 1)[-1], bounded_int(m.group("line"))) if m else None


def _logged(output: Sequence[str]) -> GoFailure | None:
    entries: list[tuple[str, int, str]] = []  # (file, line, text) of each t.Log/t.Error line
    indent = 0
    for line in output:
        if (found := gl.log_line(line)) is not None:
            file, number, text, indent = found
            entries.append((file, number, f"{file}:{number}: {text}".rstrip()))
        elif entries and line.strip() and len(line) - len(line.lstrip()) > indent and len(entries[-1][2]) < 300:
            file, number, text = entries[-1]
            entries[-1] = (file, number, f"{text} {line.strip()}")  # a multi-line message
    mine = [e for e in entries if e[0].rsplit("/", 1)[-1] != FRAMEWORK_FILE]
    chosen = next((e for e in reversed(mine) if _FAILURE_WORDS.search(e[2].split(": ", 1)[-1])), None)
    chosen = chosen or (mine[-1] if mine else entries[-1] if entries else None)
    if chosen is None:
        return None
    return GoFailure(_clip(chosen[2]), "", chosen[0], chosen[1])
