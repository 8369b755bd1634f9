"""The shapes of pytest's terminal output lines, as small pure parsers.

Each function takes one line with ANSI codes and runner prefixes already removed and says
what it is, or returns None. The reader (reader.py) decides what they mean together.
"""

from __future__ import annotations

from dataclasses import dataclass

from gardener import regex as re
from gardener.numbers import bounded_int

OUTCOME_WORDS = ("PASSED", "FAILED", "ERROR", "SKIPPED", "XFAIL", "XPASS", "RERUN")
_WORDS = "|".join(OUTCOME_WORDS)

_COUNTS = re.lazy(r"^=*\s*((?:\d+ [a-z]+(?:, )?)+|no tests ran)(?: in \d+(?:\.\d+)?s(?: \([^)]*\))?)?\s*=*$")
_COUNT_PART = re.lazy(r"(\d+) ([a-z]+)")
_SECTION = re.lazy(r"^=+ (.+?) =+$")
_BLOCK = re.lazy(r"^_+ (.+?) _+$")
_VERBOSE = re.lazy(rf"^(\S.*?::\S.*?) ({_WORDS})(?: \((.*)\))?(?:\s+\[\s*\d+%\])?\s*$")
_XDIST = re.lazy(rf"^\[gw\d+\] \[\s*\d+%\] ({_WORDS}) (\S.*?)\s*$")
_SUMMARY = re.lazy(rf"^({_WORDS}) (\S.*)$")
_SKIP_LOCATION = re.lazy(r"^SKIPPED \[(\d+)\] (.+?):(\d+): ?(.*)$")
# `path:12: Name`; `path:12: in func` never matches, as the name cannot hold a space.
_LOCATION = re.lazy(r"^(\S.*?):(\d+): ([A-Za-z_][\w.]*)$")
_FRAME = re.lazy(r"^(\S.*?):(\d+):(?: in (\S.*))?$")
_NATIVE_FRAME = re.lazy(r'^\s*File "(.+?)", line (\d+)')
# `SomethingError: ...`, or a dotted class name (`decimal.InvalidOperation: ...`).
_EXCEPTION = re.lazy(
    r"^((?:[A-Za-z_]\w*\.)+[A-Z]\w*|[A-Za-z_]\w*(?:Error|Exception|Exit|Interrupt|Failure|Warning|Fault|Iteration)\w*)"
    r"(?::|$)"
)
_PROGRESS = re.lazy(r"^\S+\.py [.FEsxXR]+\s*(?:\[\s*\d+%\])?$")
_COUNTED = ("passed", "failed", "error", "errors", "skipped", "xfailed", "xpassed")
SESSION_START = "test session starts"
KNOWN_SECTIONS = {
    SESSION_START: "session",
    "ERRORS": "errors",
    "FAILURES": "failures",
    "short test summary info": "summary",
    "rerun test summary info": "summary",
}


def counts_line(text: str) -> dict[str, int] | None:
    """`=== 3 failed, 10 passed, 2 errors in 3.2s ===` (or `-q`'s bare form) as {word: n}."""
    if not text[:1].isdigit() and not text.startswith(("=", "no tests ran")):
        return None
    m = _COUNTS.match(text)
    if not m or (not text.startswith("=") and " in " not in text):
        return None
    counts: dict[str, int] = {}
    for digits, word in _COUNT_PART.findall(m.group(1)):
        counts[word] = counts.get(word, 0) + bounded_int(digits)
    if m.group(1) != "no tests ran" and not any(w in counts for w in (*_COUNTED, "rerun", "deselected")):
        return None
    return counts


def section(text: str) -> str | None:
    """The kind of a `==== NAME ====` line: session, errors, failures, summary or other."""
    m = _SECTION.match(text) if text.startswith("=") else None
    if not m:
        return None
    name = m.group(1).strip()
    if name in KNOWN_SECTIONS:
        return KNOWN_SECTIONS[name]
    return "other" if text.startswith("=====") else None


def block_title(text: str) -> str | None:
    """The title of a `____ test_name ____` header inside FAILURES or ERRORS."""
    m = _BLOCK.match(text)
    if not m or set(m.group(1)) <= {"_", " "}:  # `_ _ _ _` separates traceback entries
        return None
    return m.group(1).strip()


def verbose(text: str) -> tuple[str, str, str] | None:
    """(nodeid, WORD, reason) from a `-v` progress line, plain or pytest-xdist style."""
    if "::" not in text:
        return None
    if found := _VERBOSE.match_groups(text, ""):
        nodeid, word, reason = found
        if not nodeid.endswith(" ..."):  # cargo's `test a::b ... FAILED`
            return nodeid, word, reason
    if m := _XDIST.match(text):
        return m.group(2), m.group(1), ""
    return None


@dataclass(frozen=True, slots=True)
class SummaryLine:
    word: str
    nodeid: str
    message: str = ""
    count: int = 1
    line: int | None = None  # the source line of a `SKIPPED [n] path:line` entry


def summary(text: str) -> SummaryLine | None:
    """A "short test summary info" entry: `FAILED path::test[p] - Err: msg`, `SKIPPED [1] f:3: why`."""
    if not text.startswith(OUTCOME_WORDS):
        return None
    if m := _SKIP_LOCATION.match(text):
        return SummaryLine("SKIPPED", m.group(2), m.group(4), bounded_int(m.group(1)), bounded_int(m.group(3)))
    m = _SUMMARY.match(text)
    if not m:
        return None
    nodeid, message = split_message(m.group(2))
    return SummaryLine(m.group(1), nodeid, message)


def split_message(rest: str) -> tuple[str, str]:
    """Split `nodeid - message` at the first ` - ` outside the parametrize brackets."""
    start = 0
    while (i := rest.find(" - ", start)) != -1:
        head = rest[:i]
        if head.count("[") <= head.count("]"):
            return head, rest[i + 3 :]
        start = i + 3
    return rest.strip(), ""


def split_nodeid(nodeid: str) -> tuple[str, str]:
    """(id without the parametrize id, parametrize id): `a.py::t[1-2]` → (`a.py::t`, `1-2`)."""
    last = nodeid.rsplit("::", 1)[-1]
    if last.endswith("]") and "[" in last:
        cut = len(nodeid) - len(last) + last.index("[")
        return nodeid[:cut], nodeid[cut + 1 : -1]
    return nodeid, ""


def location(text: str) -> tuple[str, int, str] | None:
    """(file, line, exception type) from the `tests/test_a.py:12: AssertionError` line."""
    m = _LOCATION.match(text)
    return (m.group(1), bounded_int(m.group(2)), m.group(3)) if m else None


def frame(text: str) -> tuple[str, int] | None:
    """(file, line) from a `path:12: in func` or a native `File "path", line 12` frame."""
    m = _FRAME.match(text) or _NATIVE_FRAME.match(text)
    return (m.group(1), bounded_int(m.group(2))) if m else None


def exception_type(message: str) -> str:
    """The class name an exception line starts with: `json.decoder.JSONDecodeError: ...` →
    `JSONDecodeError`; a bare `assert ...` (pytest's rewritten assertion) → `AssertionError`."""
    message = message.strip()
    if m := _EXCEPTION.match(message):
        return m.group(1).rsplit(".", 1)[-1]
    return "AssertionError" if message.startswith("assert ") else ""


def e_line(text: str) -> str | None:
    """The text after the `E` of an `E       message` line, indentation kept."""
    if text == "E" or text.startswith(("E ", "E\t")):
        return text[1:]
    return None


def join_e_run(run: list[str]) -> str:
    """The texts of one run of `E` lines, pytest's indentation removed: the exception as raised."""
    if not run:
        return ""
    indent = len(run[0]) - len(run[0].lstrip())
    cut = [e[indent:] if not e[:indent].strip() else e.strip() for e in run]
    return "\n".join(line.rstrip() for line in cut).strip("\n")


def e_message(run: list[str]) -> str:
    """The exception an `E` run shows: the whole run when it starts with the exception (pytest's
    reprcrash message, multi-line for assertions), else its last exception line (a SyntaxError
    shown with its source line and caret first)."""
    if not run or exception_type(run[0]):
        return join_e_run(run)
    last = next((e.strip() for e in reversed(run) if exception_type(e)), "")
    return last or join_e_run(run)


def progress(text: str) -> bool:
    """A non-verbose progress line: `tests/test_a.py ..F.s  [ 40%]`."""
    return bool(_PROGRESS.match(text))
