"""The per-field pattern Sets (rules/patternset.py) decide nothing the searches would not: their answer is
each pattern's own search, and the verdicts are the same when no Set can answer."""

from __future__ import annotations

import json
from pathlib import Path

from gardener import regex
from gardener.rules.engine import Evidence, Verdict, evaluate
from gardener.rules.loader import builtin_rules
from gardener.rules.model import RuleSet
from gardener.rules.pattern import RulePattern
from gardener.rules.patternset import PatternSets
from tests.rules.helpers import log_incident
from tests.rules.test_builtin_pack import CASES

DATA = Path(__file__).resolve().parents[1] / "data" / "classify"


def _excerpts() -> list[str]:
    texts = [excerpt for _, excerpt, _, _ in CASES]
    for name in ("corpus.jsonl", "corpus3.jsonl"):
        with (DATA / name).open(encoding="utf-8") as fh:
            texts += [json.loads(line)["excerpt"] for line in fh if line.strip()]
    return texts


class _Unknowing(PatternSets):
    """Sets that never answer, as when RE2 runs out of memory: every pattern is searched."""

    def matching(self, field: str, text: str) -> frozenset[int] | None:
        super().matching(field, text)  # built, so slots exist
        return None


def _summary(v: Verdict) -> tuple[object, ...]:
    winner = (v.winner.rule.id, v.winner.captures, v.winner.line) if v.winner else None
    return winner, tuple((h.rule.id, h.captures, h.line, h.vetoed_by, h.also) for h in v.hits)


def test_the_set_answer_is_each_patterns_own_search() -> None:
    rules = builtin_rules()
    sets = PatternSets(rules.rules, warm_up=0)
    checked = matched = 0
    for text in _excerpts()[::4]:  # a quarter: ~900 patterns each, every one also searched
        ev = Evidence.of(log_incident(text))
        for rule in rules.rules:
            for p in (*(p for group in rule.match for p in group), *rule.unless, *rule.capture):
                answer = sets.matching(p.field, ev.fields[p.field])
                assert answer is not None
                in_set = sets.slot(p) in answer
                found = p.regex.search(ev.fields[p.field]) is not None
                compiled = p.regex.compiled() if hasattr(p.regex, "compiled") else p.regex  # deferred: on use
                if isinstance(compiled, RulePattern):  # its prefilter only: may say yes where the checks refuse
                    assert in_set or not found, (rule.id, p.regex.pattern)
                else:
                    assert in_set == found, (rule.id, p.regex.pattern)
                checked += 1
                matched += found
    assert matched > 300 and checked > 100 * matched


def test_verdicts_are_the_same_when_no_set_can_answer() -> None:
    shipped = builtin_rules()
    rules = RuleSet(categories=shipped.categories, rules=shipped.rules)
    object.__setattr__(rules, "pattern_sets", PatternSets(rules.rules, warm_up=0))
    blind = RuleSet(categories=rules.categories, rules=rules.rules)
    object.__setattr__(blind, "pattern_sets", _Unknowing(blind.rules, warm_up=0))
    won = 0
    for text in _excerpts():
        with_sets = evaluate(rules, Evidence.of(log_incident(text)))
        without = evaluate(blind, Evidence.of(log_incident(text)))
        assert _summary(with_sets) == _summary(without), text[:200]
        won += with_sets.winner is not None
    assert won > 300


def test_pattern_set_unknown_and_flags() -> None:
    patterns = ((r"(?m)^boom$", 0), ("CASE", regex.IGNORECASE), (r"\d{3}", 0))
    found = regex.PatternSet(patterns)
    assert found.matching("x\nboom\nsome case") == frozenset({0, 1})
    assert found.matching("") == frozenset()
    assert found.matching("é 123") == frozenset({2})


def test_small_runs_never_build_the_sets() -> None:
    sets = PatternSets(builtin_rules().rules, warm_up=3)
    assert [sets.ready() for _ in range(5)] == [False, False, False, True, True]


def test_every_field_the_builtin_rules_read_has_a_set() -> None:
    """RE2 refuses a Set whose program outgrows its memory budget (a long counted repetition such as `[^\\n]{0,160}`
    in one pattern is enough); that field is then searched pattern by pattern, silently several times slower."""
    rules = builtin_rules()
    sets = PatternSets(rules.rules, warm_up=0)
    fields = {p.field for rule in rules.rules for group in rule.match for p in group}
    assert fields and all(sets.has_set(f) for f in fields), [f for f in fields if not sets.has_set(f)]
