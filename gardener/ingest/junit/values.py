"""Pure readers for the loosely specified values JUnit writers put in attributes and text.

Every function here accepts whatever a real report file holds and returns None (or the input
unchanged) rather than raising: odd values are common and must never stop an ingest.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from functools import lru_cache

from gardener import regex as re
from gardener.numbers import bounded_int
from gardener.redact.text import cut_raw, tail_raw

# Failure text kept per result: head and tail of a long traceback, the middle elided.
DETAILS_LIMIT = 8 * 1024
MESSAGE_LIMIT = 2 * 1024

_THOUSANDS = re.lazy(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
# `name[param-id]` where the name is one word or a method signature: pytest `test_x[a-1]`,
# JUnit5/Gradle `add(int, int)[2]`, C++ `case[0]`. A Jest title such as "renders [a b]" keeps
# its brackets. PHPUnit names data-provider runs `testX with data set #1` / `... "name"`.
_VARIANT = re.lazy(r"^(\S+?|.*\))\[(.*)\]$", re.DOTALL)
_PHPUNIT_DATA_SET = re.lazy(r"^(\S+) with data set (.+)$", re.DOTALL)
_RE2_SPACE = frozenset("\t\n\f\r ")  # what `\s` matches in RE2 (no \v, nothing beyond ASCII)
# The last line of a pytest longrepr: `tests/test_x.py:12: AssertionError`.
_PYTEST_LOCATION = re.lazy(r"^[ \t]*([^\s:][^:\n]*\.py):(\d+): \S", re.MULTILINE)
PLACEHOLDER_MESSAGES = frozenset({"failed", "failure", "fail", "error", "skipped", "skip"})
# Lines that head a report rather than say what failed: Go's runner lines, jest's `● title` header.
_GO_RUNNER_LINE = re.lazy(r"\s*(=== (RUN|PAUSE|CONT|NAME)\s|--- (FAIL|PASS|SKIP): |● )")
# Go's testing package prefixes t.Error/t.Fatal lines with `file_test.go:42:`.
_GO_LOCATION = re.lazy(r"^\s*([\w./-]+_test\.go):(\d+): ", re.MULTILINE)


# Suite names that are really source files (jest-junit names each suite after its test file).
_SOURCE_FILE = re.lazy(
    r"[^\s.]\.(js|jsx|mjs|cjs|ts|tsx|mts|cts|vue|svelte|py|rb|php|phpt|java|kt|scala|cs|go|rs"
    r"|swift|c|cc|cpp|cxx|m|mm|ex|exs|dart|lua|pl|t)$"  # lower case only: `com.acme.C` is a class
)


def looks_like_source_file(name: str) -> bool:
    return _SOURCE_FILE.search(name) is not None


# Memoised (as parse_int): a big report repeats the same few thousand `time` and `line` values, and each
# failing result holds its own; equal values read once share one float or int object (~4 MiB of 100k failures).
@lru_cache(maxsize=4096)
def parse_duration(raw: str | None) -> float | None:
    """Seconds from a `time` attribute: `1.5`, `1,234.5`, `4.5e-05`, `0,25`; None for `N/A` and the like."""
    if raw is None:
        return None
    text = raw.strip().removesuffix("s")
    if "," not in text:  # the usual `0.123`: neither spelling below applies
        pass
    elif _THOUSANDS.match(text):
        text = text.replace(",", "")
    elif text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")  # decimal comma from a localised writer
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


@lru_cache(maxsize=256)
@lru_cache(maxsize=256)
def parse_timestamp(raw: str | None) -> datetime | None:
    """A suite `timestamp` as an aware datetime; no zone given means UTC. Cached: every case of a
    suite has its timestamp, and results then share one datetime (immutable) instead of one each."""
    if not raw:
        return None
    text = raw.strip()
    for suffix in (" UTC", " GMT", "UTC"):
        if text.endswith(suffix):
            text = text[: -len(suffix)].rstrip() + "+00:00"
            break
    try:
        stamp = datetime.fromisoformat(text)
    except ValueError:
        return None
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)


# Counts and line numbers beyond this are no real report's: dropped, like any unreadable number.
MAX_COUNT = 10**12


@lru_cache(maxsize=4096)
def parse_int(raw: str | None) -> int | None:
    """A count or line number: a non-negative integer up to MAX_COUNT, else None."""
    if raw is None:
        return None
    try:
        value = int(raw.strip())
    except ValueError:  # also an integer string too long to convert
        number = parse_duration(raw)  # "3.0" from a writer that formats counts as floats
        value = int(number) if number is not None and number.is_integer() else -1
    return value if 0 <= value <= MAX_COUNT else None


def split_variant(name: str) -> tuple[str, str]:
    """`test_x[a-1]` -> (`test_x`, `a-1`); a name without a parametrize id is returned whole."""
    if not name.endswith("]") and " with data set " not in name:  # what either pattern needs
        return name, ""
    # _VARIANT's first branch without the regex call (most of the cost of a parametrized case):
    # the shortest head of non-space characters ending before a `[`, the rest up to the final `]`.
    bracket = name.find("[", 1)
    if bracket > 0 and name.endswith("]") and _RE2_SPACE.isdisjoint(name[:bracket]):
        return name[:bracket], name[bracket + 1 : -1]
    match = _VARIANT.match(name) or _PHPUNIT_DATA_SET.match(name)
    if match is None:
        return name, ""
    return match.group(1), match.group(2)


def bound(text: str, limit: int = DETAILS_LIMIT) -> str:
    """`text` cut to about `limit` characters, keeping its head and its tail (where the error is)."""
    if len(text) <= limit:
        return text
    head, tail = cut_raw(text, limit // 2), tail_raw(text, limit // 2)
    omitted = len(text) - len(head) - len(tail)
    return f"{head}\n[... {omitted} characters omitted ...]\n{tail}"


def first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip() and not _GO_RUNNER_LINE.match(line):
            return line.strip()
    return ""


def choose_message(attribute: str | None, text: str) -> str:
    """The `message` attribute, unless it says nothing (go-junit-report writes "Failed"); then
    the first line of the text that is not a Go runner line (`=== RUN`, `--- FAIL:`) or jest's
    `● Test suite failed to run` header."""
    if attribute and attribute.strip().lower() not in PLACEHOLDER_MESSAGES:
        return attribute
    return first_line(text) or (attribute or "").strip()


def traceback_location(text: str) -> tuple[str, int] | None:
    """Where a failure happened, when the text says so in a well-known shape (pytest, Go)."""
    found = _PYTEST_LOCATION.findall(text) or _GO_LOCATION.findall(text)
    if not found:
        return None
    path, line = found[-1]
    return path, bounded_int(line)


@lru_cache(maxsize=1024)  # the same class for every test in it
def python_class_part(classname: str, file: str) -> str:
    """The class part of a Python classname, without the module path that `file` already names.

    pytest writes classname `tests.test_x.TestFoo` beside file `tests/test_x.py`; other Python
    writers give absolute files, so the longest tail of the file's dotted path that starts the
    classname is taken as the module.
    """
    parts = file.replace("\\", "/").removesuffix(".py").split("/")
    names = classname.split(".")
    for start in range(len(parts)):
        module = parts[start:]
        if module and names[: len(module)] == module:
            return "::".join(names[len(module) :])
    return classname


def pytest_module_file(dotted: str) -> str:
    """`tests/test_x.py` from the dotted path pytest's junitxml gives a file-level node (`tests.test_x`)."""
    if dotted.endswith(".py") or "/" in dotted:
        return dotted
    return dotted.replace(".", "/") + ".py"


@lru_cache(maxsize=1024)  # the same class for every test in it
def pytest_file_from_classname(classname: str) -> tuple[str, str]:
    """(`tests/test_x.py`, `TestFoo`) from pytest's xunit2 classname `tests.test_x.TestFoo`.

    pytest derives classname from the node id (`/` -> `.`, `.py` dropped), so the module path is
    every component before the first CapWords one (pytest collects classes named `Test*`).
    """
    names = classname.split(".")
    split = next((i for i, n in enumerate(names) if n[:1].isupper()), len(names))
    if split == 0:
        return "", classname
    return "/".join(names[:split]) + ".py", "::".join(names[split:])
