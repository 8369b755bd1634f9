"""What a JUnit file claims about itself: the tests/failures/errors/skipped attributes.

Read from the raw attributes: junitparser's count properties recompute missing values from the
cases, which would hide exactly the disagreement this reports.
"""

from __future__ import annotations

from gardener.ingest.junit.values import parse_int
from gardener.model import Counts

COUNT_FIELDS = ("tests", "failures", "errors", "skipped")
_SKIPPED_ALIASES = ("skipped", "skips", "skip")

Claimed = dict[str, int | None]


def suite_counts(attrs: dict[str, str]) -> Claimed:
    skipped = next((attrs[a] for a in _SKIPPED_ALIASES if a in attrs), None)
    return {
        "tests": parse_int(attrs.get("tests")),
        "failures": parse_int(attrs.get("failures")),
        "errors": parse_int(attrs.get("errors")),
        "skipped": parse_int(skipped),
    }


def declared_counts(root_tag: str | None, root: Claimed, top_suites: Claimed, counts: Counts) -> Counts | None:
    """The root's claimed counts (or, for a bare `<testsuites>`, the sum of its top suites),
    when they disagree with what the file holds; a count the file does not claim agrees."""
    claimed = root
    if root_tag == "testsuites" and all(v is None for v in claimed.values()):
        claimed = top_suites
    held = dict(zip(COUNT_FIELDS, (counts.cases, counts.failures, counts.errors, counts.skipped), strict=True))
    said = {k: v if (v := claimed.get(k)) is not None else held[k] for k in COUNT_FIELDS}
    if said == held:
        return None
    return Counts(cases=said["tests"], failures=said["failures"], errors=said["errors"], skipped=said["skipped"])
