"""Signature keys: the unmasked text that identifies one failure, as its rule decides.

Shared causes key on the rule's key text alone; test-logic failures add the test identity
(without the parametrize variant) or the failing code location (DESIGN.md §4). Without a rule
key, the line the rule matched (unless it is a diagnostic's note: then the message it annotates), or the
first line of the message, is the key.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from gardener import regex as re
from gardener.model import Result
from gardener.ruby_paths import in_project
from gardener.rules.endpoints import canonical_host
from gardener.rules.model import Rule
from gardener.rules.template import render

MAX_KEY_CHARS = 300

_LINE_PREFIX = re.lazy(
    r"^(?:\s*(?:E\s+|>\s+|#\d+\s+(?:[\d.]+\s+)?|##\[\w+\]\s*|\[[^\]\n]{0,40}\]\s*"
    r"|\d{4}-\d\d-\d\dT[\d:.]+Z?\s+|[\w.-]+\s+\|\s+))+"
)
# A diagnostic's continuation (rustc's and clippy's `= note:` / `= help:`, gcc's, clang's and swiftc's
# `file:line:col: note:` and `cc1: note:`):
# it says where to read more, or which flag made it an error, never which failure it is.
_NOTE_LINE = re.lazy(r"^\s*(?:=\s*|[\w./\\-]+(?::\d+)*:\s*)?(?:note|help)(?:\[\w+\])?:\s")
_PY_FRAME = re.lazy(r'File "(?P<file>[^"]+)", line \d+, in (?P<func>[\w<>]+)')
_JS_FRAME = re.lazy(r"^[ \t]+at (?:[\w.$<>\[\] ]+ )?\(?(?P<file>[^()\s]+\.[cm]?[jt]sx?):\d+:\d+\)?", re.MULTILINE)
_GO_FRAME = re.lazy(r"^[ \t]+(?P<file>[\w/.-]+\.go):\d+", re.MULTILINE)
_JAVA_FRAME = re.lazy(r"^[ \t]+at (?P<func>[\w.$]+)\(", re.MULTILINE)
# PHPUnit's stack: one `path/File.php:172` a line, the innermost first.
_PHP_FRAME = re.lazy(r"^(?P<file>(?:[A-Za-z]:)?[/\\][^\s:]*\.php):\d+[ \t]*$", re.MULTILINE)
# pytest's own traceback (`--tb=short` frames `path/x.py:21: in f`; `--tb=long`/`auto` entries end with
# `path/x.py:21: ExcType`, or nothing after the colon): the innermost is the last.
_PYTEST_FRAME = re.lazy(
    r"^(?P<file>(?:[A-Za-z]:)?[^\s:]+\.py):\d+: ?(?:in (?P<func>[\w<>]+)|[\w.]*)[ \t]*$", re.MULTILINE
)
# vitest's stack (`❯ writeReport src/export/csv.ts:41:14`), the innermost first; `node:fs` internals name no file.
_VITEST_FRAME = re.lazy(r"^\s*\u276f (?:[\w.$<>\[\] ]+ )?(?P<file>[^\s:()]+\.[cm]?[jt]sx?):\d+:\d+\s*$", re.MULTILINE)
# Ruby's backtrace (RSpec's `# ./app/x.rb:28:in `deliver'`, minitest's and a raise's `app/x.rb:28:in 'Foo#bar'`),
# the innermost first.
_RUBY_FRAME = re.lazy(
    r"^\s*(?:# )?(?:\./)?(?P<file>[^\s:#]+\.rb):\d+:in [`'](?:[\w:]+[#.])?(?P<func>[^'`\s]+)'", re.MULTILINE
)


def _clean_line(line: str) -> str:
    return _LINE_PREFIX.sub("", line).strip()[:MAX_KEY_CHARS]


def _first_line(text: str) -> str:
    for line in text.splitlines():
        cleaned = _clean_line(line)
        if cleaned:
            return cleaned
    return ""


def _python(text: str) -> str:
    frames = _PY_FRAME.findall(text)  # (file, func) of each frame; the innermost is the last
    return f"{frames[-1][0]}:{frames[-1][1]}" if frames else ""


def _innermost_first(pattern: re.Pattern[str]) -> Callable[[str], str]:
    def read(text: str) -> str:
        m = pattern.search(text)
        return m.group(m.lastgroup or 1) if m else ""
    return read


def _pytest(text: str) -> str:
    frames = list(_PYTEST_FRAME.finditer(text))
    if not frames:
        return ""
    file, func = frames[-1].group("file"), frames[-1].group("func")
    return f"{file}:{func}" if func else file


def _ruby(text: str) -> str:
    """The innermost frame in the project's own code (a gem's frame only when no other is shown)."""
    first = ""
    for m in _RUBY_FRAME.finditer(text):
        where = f"{m.group('file')}:{m.group('func')}"
        if in_project(m.group("file")):
            return where
        first = first or where
    return first


LocationReader = Callable[[str], str]
# The readers in the order they are tried: the first that finds a frame decides. Readers are only ever added at
# the end, so a text an earlier reader locates keeps its location (and its key); key_changes.py declares what
# each later reader changed (`KEY_V2_READERS`: those before pytest's and vitest's own frames were read).
KEY_V2_READERS: tuple[LocationReader, ...] = (
    _python, *(_innermost_first(p) for p in (_JS_FRAME, _GO_FRAME, _JAVA_FRAME, _PHP_FRAME)),
)
KEY_V4_READERS: tuple[LocationReader, ...] = (*KEY_V2_READERS, _pytest, _innermost_first(_VITEST_FRAME))
READERS: tuple[LocationReader, ...] = (*KEY_V4_READERS, _ruby)


def failing_location(text: str, readers: Sequence[LocationReader] = READERS) -> str:
    """The innermost code location of a traceback (Python, JS, Go, Java, PHP, pytest's, vitest's, Ruby's), or ''."""
    for read in readers:
        found = read(text)
        if found:
            return found
    return ""


def captures_map(captures: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in captures:
        out.setdefault(name, []).append(value)
    return out


def key_of(
    rule: Rule | None,
    verdict_line: str,
    captures: Sequence[tuple[str, str]],
    r: Result,
    text: str,
    where: str | None = None,
) -> str:
    """The unmasked key text: what identifies this failure before masking. A captured loopback host
    is keyed as `localhost`: `localhost:3000` and `127.0.0.1:3000` are one local service."""
    return scoped_key(rule, key_base(rule, verdict_line, captures, r), r, text, where)


def key_base(rule: Rule | None, verdict_line: str, captures: Sequence[tuple[str, str]], r: Result) -> str:
    """The key before its scope: from the verdict, or (no rule, no line) from the result's message,
    details and error type only, so results with the same evidence share it."""
    if rule is not None and rule.key:
        keyed = [(name, canonical_host(value) if name == "host" else value) for name, value in captures]
        return render(rule.key, captures_map(keyed), key=True)
    if verdict_line:
        # A note matched: the failure is the line it annotates (the incident's own line, its message).
        annotated = _first_line(r.message) if _NOTE_LINE.match(verdict_line) else ""
        return annotated if annotated and not _NOTE_LINE.match(annotated) else _clean_line(verdict_line)
    first = _first_line(r.message) or _first_line(r.details)
    return f"{r.error_type}: {first}" if r.error_type and not first.startswith(r.error_type) else first


def base_reads_result(rule: Rule | None, verdict_line: str) -> bool:
    """Whether `key_base` reads the result's own fields (its message, details, error type), not only the rule, its
    captures and the verdict's line: a memo of bases by verdict is sound only when this is False."""
    if rule is not None and rule.key:
        return False
    return not verdict_line or _NOTE_LINE.match(verdict_line) is not None


def shared_helper(r: Result) -> str:
    """The test's own helper that an assertion failed in, or '': the innermost frame of the test's package
    (Java's or .NET's `at pkg.Base.AssertRejected(...)`; the framework's frames above it are another package's) when
    it is not the test's own method and the test's frame calls it further down. Two tests failing the same assertion
    there fail one check, not two. Only str.find over the result's own stack: it runs for every failing test."""
    cls, _, method = r.id.partition("::")
    package = cls.rpartition(".")[0]
    details = r.details
    if not package or not method or "::" in method or (start := details.find(f"at {package}.")) < 0:
        return ""
    end = details.find("(", start)
    func = details[start + 3 : end] if end > 0 else ""
    own = f"{cls}.{method.split('(', 1)[0]}"
    if not func or func == own or not func.replace("$", "").replace(".", "").replace("_", "").isalnum():
        return ""
    return func if details.find(f"at {own}(", end) > 0 else ""


# Test-scoped failures an assertion of a shared helper decides: keyed by the helper (shared_helper), not the test.
HELPER_SCOPED = frozenset({"assertion-failure"})


def test_scope(rule: Rule, r: Result) -> str:
    """What a test-scoped key is scoped by: the test's id, or the shared helper its assertion failed in."""
    return (shared_helper(r) or r.id) if rule.category in HELPER_SCOPED else r.id


def scoped_key(rule: Rule | None, base: str, r: Result, text: str, where: str | None = None) -> str:
    """`base` widened by the rule's scope: the test identity (or the helper its assertion failed in), or the
    failing code location."""
    scope = rule.scope if rule is not None else "shared"
    if scope == "test":
        assert rule is not None
        return f"{test_scope(rule, r)} :: {base}"
    if scope == "location":
        if where is None:  # the caller may have found it once for many results with the same evidence
            where = failing_location(text)
        return f"{where or r.id} :: {base}"
    return base
