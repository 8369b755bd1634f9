"""One `<testcase>` element -> a CaseRecord: identity, outcome by the counting convention, evidence.

The common result elements (failure, error, skipped) are read straight from the element: a
wrapper object per element was most of the cost of a failing case. The surefire/Gradle interim
ones (`flakyFailure`, `rerunError`, ...) and properties go through junitparser (interim.py), loaded
only when a case holds one. Only direct children count: junitparser's own `TestCase.result` walks
all descendants.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from operator import itemgetter
from xml.etree.ElementTree import Element

from gardener.ingest.junit.go import GO_PLACEHOLDERS, go_failure
from gardener.ingest.junit.values import (
    MESSAGE_LIMIT,
    PLACEHOLDER_MESSAGES,
    bound,
    first_line,
    parse_duration,
    parse_int,
    parse_timestamp,
    pytest_file_from_classname,
    pytest_module_file,
    python_class_part,
    split_variant,
    traceback_location,
)
from gardener.model import Outcome, Result, source_of

# Most severe first: a case counts once, by the most severe of its direct result children.
_FINAL: tuple[tuple[str, Outcome], ...] = (("error", "error"), ("failure", "failed"), ("skipped", "skipped"))
_FINAL_TAGS = frozenset(tag for tag, _ in _FINAL)
# Earlier runs recorded inside the case (read by interim.py).
INTERIM_TAGS = frozenset({"flakyFailure", "flakyError", "rerunFailure", "rerunError"})
_SKIP_STATUSES = frozenset({"disabled", "skipped", "notrun"})
# pytest writes a second <testcase> for an error in teardown after a failure in call.
PYTEST_TEARDOWN_PREFIX = "failed on teardown with"

# Rerun identity, from raw attributes so that a passed case needs no further reading: file,
# classname, name with its parametrize id, and the suite name when nothing else names the test,
# joined by NUL (which no XML attribute can hold): one string, hashed once, half the memory of a
# tuple of four in the rerun window of a big file. `file\0classname\0name` when a file or a class
# names the test, else `\0\0name\0suite name`: the one starts with a character that is not NUL or
# holds one, so the two never meet.
CaseKey = str

# A case's file, classname and name in one C call (KeyError when one is missing).
_KEY_PARTS = itemgetter("file", "classname", "name")


@dataclass(frozen=True, slots=True)
class Interim:
    """A failed earlier run recorded inside the case (surefire/Gradle flaky and rerun elements)."""

    outcome: Outcome
    message: str
    error_type: str
    details: str


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """One `<testcase>` element: its rerun key, its own Result (attempts 1), its interim runs.

    The Result is built here once; when a test ran only once it is the merged result as is.
    """

    key: CaseKey
    result: Result  # outcome passed | failed | error | skipped: how this one element counts
    interim: tuple[Interim, ...] = ()

    @property
    def outcome(self) -> Outcome:
        return self.result.outcome

    @property
    def is_teardown_error(self) -> bool:
        return self.outcome == "error" and self.result.message.startswith(PYTEST_TEARDOWN_PREFIX)


@dataclass(frozen=True, slots=True)
class CaseContext:
    """Where a case sits: its suite path, name, file and timestamp, and whether pytest wrote it."""

    suite: str
    suite_name: str
    suite_file: str  # the suite's `file` attribute, or its name when that is a source file
    timestamp: str | None
    pytest: bool


def case_key(attrib: dict[str, str], ctx: CaseContext) -> CaseKey:
    file = attrib.get("file") or ctx.suite_file
    classname = attrib.get("classname", "")
    name = attrib.get("name", "")
    return f"{file}\0{classname}\0{name}" if file or classname else f"\0\0{name}\0{ctx.suite_name}"


def case_keys(attribs: list[dict[str, str]], ctx: CaseContext) -> list[CaseKey]:
    """`case_key` of every case of one suite, built by map and join: no Python code runs per case
    when each names a file or a class (the usual report), so a batch of passed cases costs a
    fraction of what a call per case did. Fastest when every case has a non-empty file, a classname
    and a name (one C lookup of the three per case); else by columns."""
    try:
        keys = list(map("\0".join, map(_KEY_PARTS, attribs)))
    except KeyError:  # a case without a file, class or name attribute
        pass
    else:
        if not keys or min(keys)[0] != "\0":  # the least key starts with NUL when some file is empty
            return keys
    files: list[str | None] = list(map(dict.get, attribs, repeat("file")))
    if not all(files):
        suite_file = ctx.suite_file
        files = [file or suite_file for file in files]
    classnames = list(map(dict.get, attribs, repeat("classname"), repeat("")))
    if not (all(files) or all(classnames)):  # some case may need its suite's name: case by case
        return [case_key(attrib, ctx) for attrib in attribs]
    names = map(dict.get, attribs, repeat("name"), repeat(""))
    return list(map("\0".join, zip(files, classnames, names, strict=True)))  # type: ignore[arg-type]


def skipped_by_status(elem: Element) -> bool:
    status = elem.get("status")
    return status is not None and status.strip().lower() in _SKIP_STATUSES


_LOUD_TAGS = frozenset({"failure", "error", *INTERIM_TAGS})


def quiet_outcome(elem: Element, has_result: bool) -> Outcome | None:
    """The outcome of a case that needs no reading to be counted (passed, skipped), else None."""
    if not has_result:
        return "skipped" if "status" in elem.attrib and skipped_by_status(elem) else "passed"
    for child in elem:  # a plain loop: any() over a generator costs twice as much per failing case
        if child.tag in _LOUD_TAGS:
            return None
    return "skipped"


def identity(classname: str, name: str, file: str, suite_name: str, pytest: bool) -> tuple[str, str]:
    """(id, variant): `file::Class::name` where the report lets us build it, else `class::name`.

    `file` is the case's own file attribute, else its suite's file. A missing classname (Jest,
    some C++ writers) falls back to the innermost suite name, so that same-named tests in
    different suites stay apart; a classname that repeats the name (nette tester) is dropped.
    A case named after its own file is that file (jest-junit's "Test suite failed to run" case),
    and so is a pytest case without a classname: pytest writes a file-level node (a module that
    failed to import) as its dotted path, `tests.test_x` for `tests/test_x.py`.
    """
    base, variant = split_variant(name)
    if name and name == file:
        return file, ""
    if pytest and not classname and not file and base:
        return pytest_module_file(base), variant
    if classname == name:
        classname = ""
    prefix = _id_prefix(classname, file, suite_name, pytest)
    return (f"{prefix}::{base}" if prefix else base), variant


# The same few classes and files for every case of a big report. Small: a report with one failure per class
# (the benchmark's) never hits it, and 4,096 entries held about 1 MiB more of its peak RSS.
@lru_cache(maxsize=512)
def _id_prefix(classname: str, file: str, suite_name: str, pytest: bool) -> str:
    """What `identity` puts before the test's own name: its file and class parts, joined by `::`."""
    if classname and classname == file:
        classname = ""  # Playwright names the class after the spec file the case already names
    if file.endswith(".py"):
        parts = [file, python_class_part(classname, file)]
    elif pytest and classname:
        parts = list(pytest_file_from_classname(classname))
    elif file:
        parts = [file, classname]
    else:
        parts = [classname or suite_name]
    return "::".join([p for p in parts if p])


def read_case(
    elem: Element,
    ctx: CaseContext,
    path: str,
    source_line: int | None,
    details: bool = True,
    key: CaseKey | None = None,
) -> CaseRecord:
    """The case's record; with details=False its Result holds no details (they are still read for the
    location and the Go message they yield). `key` is the case's `case_key` when the caller has it."""
    result, interim = read_result(elem, ctx, path, source_line, details)
    return CaseRecord(case_key(elem.attrib, ctx) if key is None else key, result, interim)


def read_result(
    elem: Element, ctx: CaseContext, path: str, source_line: int | None, details: bool = True
) -> tuple[Result, tuple[Interim, ...]]:
    """read_case's Result and interim runs, without the record: a failing case's first run (most of a big
    file's) is held as its Result alone, so the record would be made only to be taken apart."""
    attrib = elem.attrib
    get = attrib.get
    name = get("name") or ""
    classname = get("classname") or ""
    file_attr = get("file", "")
    case_id, variant = identity(classname, name, file_attr or ctx.suite_file, ctx.suite_name, ctx.pytest)
    outcome, message, error_type, text, result_elems, interim, has_properties, go_like = _final_result(
        elem, get("status")
    )
    failing = outcome == "failed" or outcome == "error"
    if file_attr:  # _location's first answer, without the call: most cases name their file
        line = parse_int(get("line"))
        file: str | None = file_attr
        if ctx.pytest and line is not None:
            line += 1  # pytest writes the 0-based line of the test's `def` (its item location)
    else:
        file, line = _location(file_attr, get("line"), result_elems, text if failing else "", ctx.pytest)
    if failing and go_like and (go := go_failure(result_elems, text)) is not None:
        message = go.message or message
        error_type = error_type or go.error_type
        file, line = (go.file, go.line) if go.file and not file_attr else (file, line)
    if outcome == "skipped":  # the same few reasons, thousands of times in a big file
        message, error_type = sys.intern(message), sys.intern(error_type)
    elif failing:  # one copy of a failure text many cases repeat (parametrised cases, one broken service)
        message = _TEXTS.get(message) or _one_copy(message)
        text = (_TEXTS.get(text) or _one_copy(text)) if details else ""
    attempts = 1
    if failing and get("flaky") == "true":
        # Firebase Test Lab and Flank mark a case that failed and then passed on a retry `flaky="true"`, its result
        # child the failed attempt's: a test that failed and also passed, as merge.py makes of surefire's reruns.
        outcome, attempts = "flaky", 2
    # Positional, in Result's field order (id, outcome, source, variant, message, error_type, details, file, line,
    # duration_s, attempts, suite, timestamp, properties, source_line): a third cheaper than keywords, once per case.
    result = Result(
        case_id,
        outcome,
        source_of(path, "junit"),
        sys.intern(variant),  # a few ids (`p0`..`p6`), and files, over thousands of results
        message,
        error_type,
        text if details else "",
        sys.intern(file) if file else file,
        line,
        parse_duration(get("time")),
        attempts,
        ctx.suite,
        parse_timestamp(ctx.timestamp),
        _properties(elem) if has_properties else (),
        source_line,
    )
    if interim and not details:  # an interim run's text becomes a flaky result's details (merge)
        interim = tuple(Interim(i.outcome, i.message, i.error_type, "") for i in interim)
    return result, interim


# Failure texts seen lately, each kept once: results holding equal texts share one string. Bounded, so
# a file of all-distinct failures costs at most this many extra references.
_TEXTS: dict[str, str] = {}
_TEXTS_KEPT = 4096


def _one_copy(text: str) -> str:
    """`text`, or an equal string already held by an earlier result."""
    kept = _TEXTS.get(text)
    if kept is not None:
        return kept
    if len(_TEXTS) >= _TEXTS_KEPT:
        _TEXTS.clear()
    _TEXTS[text] = text
    return text


def _properties(elem: Element) -> tuple[tuple[str, str], ...]:
    """The case's own `<property name value>` pairs (interim.properties)."""
    block = elem.find("properties")
    if block is None:
        return ()
    from gardener.ingest.junit.interim import properties

    return properties(block)


# What read_case makes of a testcase's direct child, by its tag: a final result (its severity, most
# severe first, as _FINAL), an interim run, properties; any other child (system-out) is not read.
_CHILD_KINDS: dict[str, int] = {
    **{tag: severity for severity, (tag, _) in enumerate(_FINAL)},
    **dict.fromkeys(INTERIM_TAGS, -1),
    "properties": -2,
}
_NO_RESULT = len(_FINAL)  # less severe than any result


def _final_result(
    elem: Element, status: str | None
) -> tuple[Outcome, str, str, str, list[Element], tuple[Interim, ...], bool, bool]:
    """Outcome, message, type and details of the most severe kind of direct result child, the
    interim runs recorded beside it, whether the case has a `<properties>` child, and whether the
    result's writer gave no message of its own (go.may_be_go: a Go case's text is read for one)."""
    raw: list[Element] = []  # the direct result children of the most severe kind so far
    severity = _NO_RESULT
    has_interim = has_properties = False
    for child in elem:  # one pass: a case has a handful of children
        kind = _CHILD_KINDS.get(child.tag)
        if kind is None:  # system-out, system-err, ...
            continue
        if kind == severity:
            raw.append(child)
        elif 0 <= kind < severity:
            raw, severity = [child], kind
        elif kind == -1:
            has_interim = True
        elif kind == -2:
            has_properties = True
    interim: tuple[Interim, ...] = ()
    if has_interim:
        from gardener.ingest.junit.interim import interim_results

        interim = interim_results(elem)
    if raw:
        first = raw[0]
        attribute = first.get("message")
        if len(raw) == 1:  # the usual case: one result element
            text = (first.text or "").strip()
            details = bound(text)
        else:
            texts = [(child.text or "").strip() for child in raw]
            text = texts[0]
            details = bound("\n\n".join(t for t in texts if t))
        said_raw = (attribute or "").strip()
        said = said_raw.lower()  # choose_message's test and go.may_be_go's, done once
        go_like = said in GO_PLACEHOLDERS
        message = attribute if attribute and said not in PLACEHOLDER_MESSAGES else first_line(text) or said_raw
        error_type = sys.intern(first.get("type") or "")
        outcome = _FINAL[severity][1]
        return outcome, bound(message, MESSAGE_LIMIT), error_type, details, raw, interim, has_properties, go_like
    if status is not None and status.strip().lower() in _SKIP_STATUSES:
        return "skipped", sys.intern(status.strip()), "", "", [], interim, has_properties, False
    return "passed", "", "", "", [], interim, has_properties, False


def _location(
    file_attr: str, line_attr: str | None, results: list[Element], details: str, pytest: bool
) -> tuple[str | None, int | None]:
    """The test's file and line from its attributes, its result's attributes, or its traceback."""
    if file_attr:
        line = parse_int(line_attr)
        # pytest writes the 0-based line of the test's `def` (its item location).
        return file_attr, (line + 1 if pytest and line is not None else line)
    for result in results:  # Catch2 and some xunit writers put the location on <failure>
        if result_file := result.get("file"):
            return result_file, parse_int(result.get("line"))
    found = traceback_location(details)
    return found if found is not None else (None, None)
