"""A log incident that is a reported test's failure block, printed by the test runner's console.

Test runners list each failure under a header naming the test (ExUnit's `13) test format/1 pads
single-digit cents (Acme.MoneyTest)`, PHPUnit's `1) Tests\\CartTest::testTotal`, mocha's and RSpec's
numbered headers) and the run's JUnit file reports the same test. When no console reader took the
block as a test, the log reader makes it an incident with no test identity: the one failure would be
two findings, the console's (its text) and the report's (its test). An incident whose header lines
(the excerpt's lines before its anchor line) name exactly one failing test of the run, by that test's
own name, is that test's console copy and is merged into it (ingest/dedupe.py). So is one anchored on the header
itself (Gradle's `PostcodeValidatorTest > acceptsNorthernIrelandPostcodes() FAILED`): its subject names the test.

Not merged: an incident that stands for several blocks (`occurrences` > 1: a repeated message is one
incident for many tests), names too short to tell (under MIN_NAME characters), or a header naming two
failing tests.
"""

from __future__ import annotations

from collections.abc import Iterable

from gardener import regex as re
from gardener.model import Result

MIN_NAME = 8
HEADER_LINES = 4  # lines above the anchor a runner's failure header sits in


def test_name(test_id: str) -> str:
    """The test's own name: the last part of its id."""
    return test_id.rsplit("::", 1)[-1].strip()


class ConsoleCopies:
    """Finds, for an incident, the one failing test whose console block it is."""

    __slots__ = ("_by_name", "_names")

    def __init__(self, failing: Iterable[Result]) -> None:
        by_name: dict[str, list[Result]] = {}
        for r in failing:
            name = test_name(r.id)
            if len(name) >= MIN_NAME:
                by_name.setdefault(name, []).append(r)
        self._by_name = by_name
        self._names = re.LiteralSet(tuple(by_name)) if by_name else None

    def test_of(self, incident: Result) -> Result | None:
        if self._names is None or int(dict(incident.properties).get("occurrences", "1") or 1) > 1:
            return None
        header = "\n".join(filter(None, (_header(incident), dict(incident.properties).get("subject", ""))))
        if not header:
            return None
        found = self._names.find(header)
        # A name inside a longer found name (`test total` in `test totals`) is not a second test.
        named = {n for n in found if not any(n != m and n in m for m in found)}
        if len(named) != 1:
            return None
        tests = self._by_name[next(iter(named))]
        return tests[0] if len({t.id for t in tests}) == 1 else None


def _header(incident: Result) -> str:
    """The excerpt's lines above the anchor line (the message), at most HEADER_LINES of them."""
    message = incident.message.strip()
    if not message or not incident.details:
        return ""
    lines = incident.details.split("\n")
    for i, line in enumerate(lines):
        if message in " ".join(line.split()):
            return "\n".join(lines[max(0, i - HEADER_LINES):i])
    return ""
