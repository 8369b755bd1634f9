"""What a title names when the rule's own captures do not: the one test the finding holds; and what it
must not name: one of many random ports.

A rule that reads a failure from its text cannot always capture the test (an xUnit `Assert.Equal()
Failure` block, an ExUnit `Assertion with == failed`); its title then falls back to "the test". When
the finding holds exactly one test, that test is what the title means: it is named, short (the file
path and namespace left out, the class kept) so the title reads as a sentence. A finding of several
tests keeps the fallback: no one of them is "the test"; unless they all failed in one shared helper of theirs
(rules/keys.shared_helper: the assertion they share), which it names instead (`WebhookTestBase.AssertRejected`).

A finding whose failures were refused on many ephemeral ports (a port-0 server raced by its clients)
is one finding because the run masks the port (normalize.volatile_masked); its title then names the
host and says the port varies, rather than the first failure's random port as if it were a service.

The same for any other value the failures captured differently in a few places of one shape (a test's own
temporary folder, `/tmp/pytest-of-runner/pytest-0/<test>0/exports/report.csv`, a random mkdtemp suffix): the
title shows the shape with `*` where the failures differ, not the first failure's value as if it were the
only one.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from gardener import regex as re
from gardener.model import Result
from gardener.rules.endpoints import fixed_port
from gardener.rules.keys import shared_helper

# A leading part of a test id that is the file it lives in (`tests/test_x.py`, `spec/a_spec.rb`).
_FILE = re.lazy(r"[/\\]|\.(?:py|rb|exs?|js|ts|mjs|cjs|jsx|tsx|php|go|rs|java|kt|cs|swift|scala)$")


def short_test_name(test_id: str) -> str:
    """`Acme.Tests.ManifestPathTests::RelativeTo_X` → `ManifestPathTests.RelativeTo_X`; a file part dropped."""
    parts = [p for p in test_id.split("::") if p]
    if len(parts) > 1 and _FILE.search(parts[0]):
        parts = parts[1:]
    if not parts:
        return test_id
    name = parts[-1]
    if len(parts) == 1:
        return name
    owner = parts[-2].rsplit(".", 1)[-1]
    return f"{owner}.{name}" if owner else name


def with_named_test(values: Mapping[str, list[str]], results: Sequence[Result],
                    tests: Collection[str] | None = None) -> dict[str, list[str]]:
    """`values` with `test` set to the finding's one test when no rule captured it (and without a port that
    varies across its failures). `tests`: the ids of its test results, when the caller has them."""
    out = with_varying_parts_starred(without_random_ports(values))
    if any(out.get("test", ())):
        return out
    if tests is None:
        tests = {r.id for r in results if r.is_test}
    if len(tests) == 1:
        out["test"] = [short_test_name(next(iter(tests)))]
    elif len(tests) > 1 and (helper := _one_helper(results)):
        out["test"] = [".".join(helper.rsplit(".", 2)[-2:])]  # its class and method
    return out


def _one_helper(results: Sequence[Result]) -> str:
    """The shared helper every test of `results` failed in, or '' (at the first test that failed elsewhere)."""
    found = ""
    for r in results:
        if r.is_test:
            helper = shared_helper(r)
            if not helper or (found and helper != found):
                return ""
            found = helper
    return found


def without_random_ports(values: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """`values` without `port`, and with `endpoint` as its host, when the failures captured two or more
    ports and every one is ephemeral (a fixed port names a service and stays)."""
    out = dict(values)
    ports = set(out.get("port", ()))
    if len(ports) < 2 or any(fixed_port(p) for p in ports):
        return out
    del out["port"]
    hosts = {e.rsplit(":", 1)[0] for e in out.get("endpoint", ()) if ":" in e}
    if len(hosts) == 1:
        out["endpoint"] = [f"{hosts.pop()} (a random port in each failure)"]
    else:
        out.pop("endpoint", None)
    return out


# Where a captured value is cut into parts: path separators, dots, colons, quotes, dashes and spaces.
_SEPARATORS = re.lazy(r"([/\\:.\s'\"=-]+)")
_NOT_STARRED = frozenset({"test", "port", "endpoint"})  # the test is named whole; ports have their own rule
STARRED_MIN_DISTINCT = 3  # two values may be two things (two tags of an image); three of one shape vary


def with_varying_parts_starred(values: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """`values` with each capture whose distinct values (STARRED_MIN_DISTINCT or more) share one shape (the
    same parts and separators) and differ in fewer than half of their parts, each differing part holding a
    digit (a generated name, a number), given once as that shape with `*` in the differing parts."""
    out = dict(values)
    for name, found in values.items():
        distinct = list(dict.fromkeys(v for v in found if v))
        if name in _NOT_STARRED or len(distinct) < STARRED_MIN_DISTINCT:
            continue
        split = [_SEPARATORS.split(v) for v in distinct]
        if len({len(parts) for parts in split}) != 1:
            continue
        columns = list(zip(*split, strict=True))
        varies = [i for i, column in enumerate(columns) if len(set(column)) > 1]
        words = range(0, len(columns), 2)  # even places are parts, odd ones separators
        if any(i % 2 for i in varies) or not varies or 2 * len(varies) >= len(words):
            continue
        if not all(any(c.isdigit() for c in token) for i in varies for token in columns[i]):
            continue  # words that differ (two modules, two images) are different things, not one volatile place
        out[name] = ["".join("*" if i in varies else column[0] for i, column in enumerate(columns))]
    return out
