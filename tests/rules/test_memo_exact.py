"""classify_all's shortcuts decide nothing a plain evaluation would not: one verdict per memo key, Set
answers memoised per short field value, the candidates they choose memoised, and no Set pass on a test
id holding no literal a `test` pattern needs. Each result's verdict and key are compared with what the
same result gets alone from a rule pack whose Sets never answer (every pattern searched)."""

from __future__ import annotations

from gardener.classify import classify_all, classify_result
from gardener.rules.loader import builtin_rules
from gardener.rules.model import RuleSet
from gardener.rules.patternset import WARM_UP
from tests.rules.helpers import failing_test, log_incident
from tests.rules.test_builtin_pack import CASES
from tests.rules.test_patternset import _summary, _Unknowing


def _results() -> list:
    out = [log_incident(excerpt, line=i) for i, (_, excerpt, _, _) in enumerate(CASES)]
    errors = ["ValueError", "KeyError", "TimeoutError", "AssertionError", ""]
    for i in range(3 * WARM_UP):  # past the warm-up, so the Sets (and their memos) are in use
        error = errors[i % len(errors)]
        test_id = f"tests/test_m{i % 7}.py::test_{i}" + ("_INTERNALERROR" if i % 11 == 0 else "")
        out.append(failing_test(test_id, f"{error}: boom {i % 13}" if error else f"assert {i % 5} == 1",
                                details=f'File "/src/app/m{i % 3}.py", line {i}, in f\n{error or "AssertionError"}: '
                                        f"boom {i % 13}", error_type=error))
    return out


def test_classify_all_decides_what_each_result_gets_alone() -> None:
    shipped = builtin_rules()
    rules = RuleSet(categories=shipped.categories, rules=shipped.rules)
    blind = RuleSet(categories=shipped.categories, rules=shipped.rules)
    object.__setattr__(blind, "pattern_sets", _Unknowing(blind.rules, warm_up=0))
    results = _results()
    classified = classify_all(results, rules)
    assert [c.result for c in classified] == results
    internal = 0
    for c in classified:
        alone = classify_result(c.result, blind)
        assert _summary(c.verdict) == _summary(alone.verdict), c.result.id
        assert (c.key, c.category, c.captures) == (alone.key, alone.category, alone.captures), c.result.id
        internal += c.rule is not None and c.rule.id == "runtime.internalerror-result"
    assert internal > 0  # the `test` rule still wins where its literal is in the id
