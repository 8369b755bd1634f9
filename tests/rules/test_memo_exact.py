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
        if i % 13 == 0:  # a module that failed collection: its id is the module path (collect.pytest-module-error)
            test_id = f"tests/test_m{i % 7}.py"
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
    internal = module = 0
    for c in classified:
        alone = classify_result(c.result, blind)
        assert _summary(c.verdict) == _summary(alone.verdict), c.result.id
        assert (c.key, c.category, c.captures) == (alone.key, alone.category, alone.captures), c.result.id
        internal += c.rule is not None and c.rule.id == "runtime.internalerror-result"
        module += c.rule is not None and c.rule.id == "collect.pytest-module-error"
    assert internal > 0  # the `test` rule still wins where its literal is in the id
    assert module > 0  # and where its pattern matches the id (`.py` alone is in every id: not enough)


def test_the_generic_layer_is_in_the_memo_key_a_log_and_a_report_with_one_text_get_each_their_own() -> None:
    """The generic layer names only a failing LOG result's line (generic_rule.named_verdict reads source.kind and
    the outcome); a JUnit failure and a log incident with the same text share every field the rule pack reads,
    so the memo key must tell them apart, whichever comes first."""
    line = "pkgtool: could not find package 'libfoo' in any index"  # words no rule knows: the generic layer's
    text = f"Deploying stage prod\n{line}\nERROR: script returned exit code 2"
    rules = builtin_rules()
    log = log_incident(text, message=line)
    report = failing_test("Billing.Invoice::totals", line, details=text, outcome="error")  # no `test` literal
    assert classify_result(log, rules).rule.id == "generic.dependency-install-failure"  # type: ignore[union-attr]
    assert classify_result(report, rules).category != "dependency-install-failure"
    for results in ([log, report], [report, log]):
        classified = classify_all(results, rules)
        for c in classified:
            alone = classify_result(c.result, rules)
            assert (c.category, c.rule and c.rule.id, c.key) == (
                alone.category, alone.rule and alone.rule.id, alone.key), c.result.source.kind


def test_an_id_holding_a_test_literal_but_matching_no_test_pattern_is_no_part_of_the_memo_key(monkeypatch) -> None:
    """`.py` (collect.pytest-module-error's literal) is in every pytest id: were each such id in the memo key, no two
    results would share a verdict (issue 11: 100,000 failing cases evaluated 100,000 times, not ~39,000)."""
    import gardener.classify as classify

    calls = 0
    real = classify.evaluate

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(classify, "evaluate", counting)
    results = [failing_test(f"tests/test_m{i % 3}.py::test_{i}", "KeyError: 'field'", error_type="KeyError",
                            details="Traceback (most recent call last):\nKeyError: 'field'") for i in range(50)]
    classified = classify_all(results, builtin_rules())
    assert calls == 1
    assert len({c.key for c in classified}) == 50  # each still keyed by its own test (test-logic scope)


def test_the_test_patterns_set_gives_the_memo_key_their_searches_give(monkeypatch) -> None:
    """classify._Reads.keyer asks one Set of the `test` patterns whether any matches an id (when all are plain);
    the key holds the same id as searching each pattern behind its literals (the Set turned off)."""
    import gardener.classify as classify

    rules = builtin_rules()
    reads = classify._Reads.of(rules)
    assert classify._one_pass(reads.on_test) is not None  # the shipped pack's `test` patterns are plain
    results = _results()
    with_set = [reads.keyer(rules)(r, "") for r in results]
    monkeypatch.setattr(classify, "_one_pass", lambda patterns: None)
    searched = [reads.keyer(rules)(r, "") for r in results]
    assert with_set == searched
    in_key = {k[-1][-1] for k in with_set} - {None}
    assert any(i.endswith("_INTERNALERROR") for i in in_key) and any(i.endswith(".py") for i in in_key)
    assert not any("::" in i and not i.endswith("_INTERNALERROR") for i in in_key)  # `.py` alone does not
