"""Prefilters never hide a match: every literal they require really is in every match."""

from __future__ import annotations

import re

import pytest

from gardener.rules.engine import Evidence
from gardener.rules.loader import builtin_rules
from gardener.rules.prefilter import needles_of
from tests.rules.helpers import log_incident
from tests.rules.test_builtin_pack import CASES


@pytest.mark.parametrize(
    ("pattern", "needles", "fold"),
    [
        (r"No space left on device", {"No space left on device"}, False),
        (r"(?i)connection refused", {"connection refused"}, True),
        (r"ECONNREFUSED|\[Errno 111\]", {"ECONNREFUSED", "[Errno 111]"}, False),
        (r"(?:foo)?barbaz", {"barbaz"}, False),
        (r"x*abc(?:def)+", {"abc", "def"}, False),
        (r"\d+ failed", {" failed"}, False),
        (r"ab|[0-9]+", None, False),
        (r"(?i:Mixed)Case", {"Case"}, False),
        (r"(?P<a>\w+)@(?P=a)", None, False),
    ],
)
def test_needles(pattern: str, needles: set[str] | None, fold: bool) -> None:
    found, is_fold = needles_of(re.compile(pattern))
    if needles is None:
        assert found is None
    else:
        assert found is not None and found <= needles | {n.lower() for n in needles} and found
        assert is_fold == fold


def test_no_shipped_pattern_is_hidden_by_its_prefilter() -> None:
    rules = builtin_rules()
    for _, excerpt, _, _ in CASES:
        ev = Evidence.of(log_incident(excerpt))
        for rule, gate in zip(rules.rules, rules.gates, strict=True):
            patterns = [p for f in rule.match for p in f] + list(rule.unless) + list(rule.capture)
            for p in patterns:
                if p.regex.search(ev.fields[p.field]):
                    assert ev.may_match(p, rules.needles), (rule.id, p.regex.pattern)
            if any(p.regex.search(ev.fields[p.field]) for p in rule.match[0]) and gate is not None:
                assert ev.passes(gate, rules.needles), rule.id
