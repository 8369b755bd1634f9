"""Every input reader is total: any bytes give a ParsedFile or a one-line InputError, never another
exception; what is read serialises to strict JSON (no NaN, no infinity).

Inputs are real seed files (every reader's test data, one property per seed so each ecosystem's
console reader gets its own run) mutated byte-wise and spliced with hostile fragments: deep
nesting, huge numbers, wrong JSON types, long runs of one character, entity declarations. The
readers are called directly, not through registry.parse_file, whose catch-all would hide a bug.
"""

from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from gardener.errors import InputError
from gardener.ingest import registry
from gardener.ingest.base import ParsedFile
from gardener.model import Outcome
from gardener.serialize import result_dict

DATA = Path(__file__).parent.parent / "data"
SEEDS: dict[str, bytes] = {
    p.relative_to(DATA).as_posix(): p.read_bytes()
    for p in sorted(
        [
            *(DATA / "junit" / "dialects").glob("*.xml"),
            *(DATA / "logs").glob("*.log"),
            DATA / "logs" / "families" / "gha-xcodebuild.log",  # the XCTest console reader (fuzz-10)
            *(DATA / "pytest").glob("*.txt"),
            *(DATA / "reportlog").glob("*.jsonl"),
        ]
    )
    if p.stat().st_size <= 64 * 1024
}
OUTCOMES: frozenset[Outcome] = frozenset({"passed", "failed", "error", "skipped", "flaky"})

# Fragments that broke, or could break, a reader: each is spliced in whole.
HOSTILE = (
    b"[" * 5_000,
    b"{" * 5_000,
    b"<testsuite>" * 300,
    b"<a>" * 300,
    b"::" * 2_000,
    b" " * 5_000,
    b"\t" * 5_000,
    b"std::vector<std::map<int, std::string>>::" * 40,
    b'{"$report_type": "TestReport", "nodeid": "t::x", "outcome": "failed", "start": 1e300, "duration": 1e999}\n',
    b'{"$report_type": "TestReport", "nodeid": "t::x", "when": "call", "outcome": "failed",'
    b' "longrepr": {"reprtraceback": {"reprentries": 5}, "chain": 3}, "location": [1, true, 2]}\n',
    b'{"$report_type": "SessionFinish", "exitstatus": 1e400}\n',
    b'<!DOCTYPE x [<!ENTITY a "aaaaaaaa">]><x>&a;&a;</x>',
    b'<testcase name="x" time="1e999" line="99999999999999999999"><failure message="m"/></testcase>',
    b'<testsuite name="s" tests="-1" failures="1e9" timestamp="9999-99-99T99:99:99"/>',
    b"\xff\xfe\x00<\x00",
    b"\xef\xbb\xbf",
    b"\x00",
    b"\x1b[31m" * 200,
    b"##[group]" * 100,
    b"FAILED " * 500,
    b"=" * 3_000 + b" FAILURES " + b"=" * 3_000,
    b"Traceback (most recent call last):\n" * 200,
    b"\r" * 1_000,
)


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """The seed with a few edits: bytes flipped, ranges cut or repeated, hostile fragments spliced."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        edit = draw(st.sampled_from(("flip", "cut", "repeat", "splice", "truncate", "garbage", "digits")))
        if edit == "flip" and data:
            data[min(at, len(data) - 1)] = draw(st.integers(0, 255))
        elif edit == "cut":
            del data[at : at + draw(st.integers(1, 200))]
        elif edit == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 200))] * draw(st.integers(2, 20))
        elif edit == "splice":
            data[at:at] = draw(st.sampled_from(HOSTILE))
        elif edit == "truncate":
            del data[at:]
        elif edit == "digits":  # the next number made absurdly long (fuzz-6: int() refuses >4,300 digits)
            start = next((i for i in range(at, len(data)) if 48 <= data[i] <= 57), len(data))
            end = next((i for i in range(start, len(data)) if not 48 <= data[i] <= 57), len(data))
            data[start:end] = b"9" * draw(st.sampled_from((20, 400, 5_000)))
        else:
            data[at:at] = draw(st.binary(max_size=64))
    return bytes(data)


def check_total(content: bytes, suffix: str) -> None:
    """Sniff and parse `content` with every reader; only ParsedFile or InputError may come out."""
    text = content[:65536].decode("utf-8", errors="replace").lstrip("\ufeff")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(content)
        for parser in registry.all_parsers():
            assert isinstance(parser.sniff(text), int)
            try:
                parsed = parser.parse(path)
            except InputError as exc:
                assert exc.reason and "\n" not in exc.reason
                continue
            check_parsed(parsed)
        try:
            registry.parse_file(path)  # detection, including the .xml rule
        except InputError as exc:
            assert "reader error" not in exc.reason  # the safety net never had to catch anything


def check_parsed(parsed: ParsedFile) -> None:
    c = parsed.counts
    assert min(c.cases, c.failures, c.errors, c.skipped, c.flaky) >= 0
    for result in parsed.results:
        assert result.outcome in OUTCOMES
        assert result.duration_s is None or math.isfinite(result.duration_s)
        json.dumps(result_dict(result), allow_nan=False)
    if parsed.warning is not None:
        assert "\n" not in parsed.warning


SUFFIX = {"junit": ".xml", "logs": ".log", "pytest": ".txt", "reportlog": ".jsonl"}


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_every_reader_is_total_on_mutated_seeds(seed: str) -> None:
    @given(mutated(SEEDS[seed]))
    def prop(content: bytes) -> None:
        check_total(content, SUFFIX[seed.split("/")[0]])

    prop()


# Crashes found before this suite existed (issue 10, class 2) and by it since: kept, run first.
@given(st.binary(max_size=2048))
@example(b"[" * 50_000 + b"\n")
@example(b'{"$report_type": "SessionStart"}\n{"$report_type": "TestReport", "nodeid": "a", "start": 1e300}\n')
@example(
    b'{"$report_type": "TestReport", "nodeid": "a", "when": "call", "outcome": "failed",'
    b' "longrepr": {"reprtraceback": {"reprentries": 1}}}\n'
)
@example(
    b'{"$report_type": "TestReport", "nodeid": "a", "when": "call", "outcome": "failed",'
    b' "longrepr": {"reprtraceback": {"reprentries": [{"data": {"lines": 1}}]}}}\n'
)
@example(b'{"$report_type": "TestReport", "nodeid": "a", "when": "call", "duration": NaN}\n')
@example(b"<testsuites>" + b"<testsuite>" * 20_000 + b"<testcase name='x'/>")
@example(b"not xml at all\n")
def test_every_reader_is_total_on_any_bytes(content: bytes) -> None:
    for suffix in (".xml", ".log"):
        check_total(content, suffix)


@given(st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=6))
def test_every_reader_is_total_on_hostile_fragments(parts: list[bytes]) -> None:
    check_total(b"\n".join(parts), ".log")


# Round 6 (fuzz-6, after issue 12's readers): a number a log prints (a line, an exit code, a count, a
# timestamp) longer than Python's int() takes (4,300 digits) or than a timestamp holds. One seed per reader
# that reads such a number; each had at least one `int(...)` of a `\d+` capture that raised.
LOGS = DATA / "logs"
LONG_NUMBER_SEEDS = (
    "families/azure-dotnet-test.log", "cargo-nextest.log",
    "families/gitlab-exunit.log", "families/jenkins-javac.log", "families/plain-go-build.log",
    "families/travis-hspec.log", "families/travis-noisy-gcc.log", "families/travis-noisy-pytest.log",
    "families/travis-phpunit10.log", "families/travis-rspec.log", "chained-traceback.log", "go-test-panic.log",
    "gitlab-trace.log", "maven-surefire.log",
)
VITEST = (
    "⎯⎯⎯⎯⎯⎯⎯ Failed Tests 1 ⎯⎯⎯⎯⎯⎯⎯\n\n"
    " FAIL  src/cart.test.ts > cart > total > adds tax\n"
    "AssertionError: expected 107 to be 110 // Object.is equality\n\n"
    " ❯ src/cart.test.ts:14:25\n\n"
    " Test Files  1 failed | 1 passed (2)\n"
)


def lengthened(content: bytes, digits: int) -> bytes:
    """Every run of digits in `content` replaced by `digits` nines."""
    import re as pyre  # test-side only: rewriting a seed, not matching untrusted text in gardener

    return pyre.sub(rb"[0-9]+", b"9" * digits, content)


@pytest.mark.parametrize("seed", [*LONG_NUMBER_SEEDS, "vitest"])
def test_every_reader_is_total_when_a_number_is_thousands_of_digits_long(seed: str) -> None:
    content = VITEST.encode() if seed == "vitest" else (LOGS / seed).read_bytes()
    check_total(lengthened(content, 5_000), ".log")


@pytest.mark.parametrize("seed", ["families/gitlab-exunit.log", "gitlab-trace.log"])
def test_a_gitlab_section_timestamp_out_of_range_is_not_a_reader_error(seed: str) -> None:
    check_total(lengthened((LOGS / seed).read_bytes(), 20), ".log")


# The per-family excerpts (issue 12's readers and locator: RSpec, PHPUnit, dotnet, Nextflow, Travis, Jenkins,
# GitLab, ...) as seeds of one property, so each run mutates a different few of them.
FAMILY_SEEDS: dict[str, bytes] = {
    p.name: p.read_bytes() for p in sorted((LOGS / "families").glob("*.log")) if p.stat().st_size <= 64 * 1024
}
FAMILY_SEEDS["vitest.log"] = VITEST.encode()


@given(st.sampled_from(sorted(FAMILY_SEEDS)).flatmap(lambda name: mutated(FAMILY_SEEDS[name])))
def test_every_reader_is_total_on_mutated_family_logs(content: bytes) -> None:
    check_total(content, ".log")
