"""The narrowed memo key (rules/narrow.py) is sound: results that share it get the verdict each gets alone.

Three layers: what linelocal.py claims of each shipped `text` pattern holds on real excerpts (a line-local
pattern's matches hold no newline; a match starts in a line holding one of its start literals); a
hypothesis property that classify_all, memo and narrowed key included, decides for every result what an
evaluation of that result alone decides (on a pack whose Sets never answer); and that the key does drop
what no searched pattern reads (a traceback's paths), so the memo is narrower than the exact fields.
"""

from __future__ import annotations

import re
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gardener.classify import classify_all, classify_result
from gardener.rules.engine import Evidence
from gardener.rules.linelocal import line_local, start_needles
from gardener.rules.loader import builtin_rules, parse_rules
from gardener.rules.model import RuleSet
from gardener.rules.narrow import Narrowing
from gardener.rules.patternset import PatternSets
from gardener.rules.prefilter import needles_of
from tests.rules.helpers import failing_test, log_incident
from tests.rules.test_patternset import _excerpts, _summary, _Unknowing


def test_line_local_and_start_literals_on_examples() -> None:
    assert line_local(r"\.py\b") and line_local(r"(?m)^[ \t>E]*(?:SyntaxError|TabError)(?::|$)")
    assert line_local(r"[^\n]+x") and line_local("a.b")
    for spans in (r"a\sb", r'File "[^"]+"', r"(?s)a.b", r"a\nb", r"\Dx", r"x(?=y)", r"[\W]"):
        assert not line_local(spans), spans
    assert start_needles(r'File "[^"]+", line \d+') == (frozenset({'File "'}), False)
    assert start_needles(r"(?i)\bEROFS\b|\[Errno 30\] Read-only(?:: '[^']+')?") == (
        frozenset({"erofs", "[errno 30] read-only"}), True)
    assert start_needles(r"(?m)^[ \t>]*E\s+assert\b") == (frozenset({"E"}), False)
    assert start_needles(r"\s+abc")[0] is None  # a match may start on a line before the literal's


def test_what_linelocal_claims_holds_for_every_shipped_text_pattern_on_real_excerpts() -> None:
    rules = builtin_rules()
    texts = [Evidence.of(log_incident(t)).fields["text"] for t in _excerpts()[::3]]
    patterns = {p.regex.pattern: p for rule in rules.rules
                for p in (*(p for g in rule.match for p in g), *rule.unless, *rule.capture) if p.field == "text"}
    checked = 0
    for p in patterns.values():
        local = line_local(p.regex.pattern, p.regex.flags) and "(?=" not in p.regex.pattern and (
            "(?!" not in p.regex.pattern and "(?P=" not in p.regex.pattern)
        needles, fold = start_needles(p.regex.pattern, p.regex.flags)
        for text in texts:
            for m in p.regex.finditer(text):
                checked += 1
                if local:
                    assert "\n" not in text[m.start():m.end()], (p.regex.pattern, text)
                if needles is not None:
                    start = text.rfind("\n", 0, m.start()) + 1
                    end = text.find("\n", m.start())
                    line = text[start:end if end >= 0 else len(text)]
                    line = line.lower() if fold else line
                    assert any(n in line for n in needles), (p.regex.pattern, line)
    assert checked > 1000


def _warm(rules: RuleSet) -> RuleSet:
    """The pack with its Sets built from the first evaluation on (the narrowed key needs them)."""
    warm = RuleSet(categories=rules.categories, rules=rules.rules)
    object.__setattr__(warm, "pattern_sets", PatternSets(warm.rules, warm_up=0))
    return warm


_SHIPPED = builtin_rules()
_BLIND = RuleSet(categories=_SHIPPED.categories, rules=_SHIPPED.rules)
object.__setattr__(_BLIND, "pattern_sets", _Unknowing(_BLIND.rules, warm_up=0))

_MESSAGES = [
    "ModuleNotFoundError: No module named 'pkg_{n}'",
    "ConnectionRefusedError: [Errno 111] Connection refused: 'db-{n}.internal:5432'",
    "AssertionError: assert {n} == 1",
    "PermissionError: [Errno 13] Permission denied: '/var/lib/{n}.lock'",
    "  File \"/src/app/m{n}.py\", line 3\nSyntaxError: invalid syntax",
    "E       assert {n} == 2",
    "Expected: {n}\nReceived: 3",
    "psycopg2.OperationalError: connection to server at \"10.0.0.{n}\", port 5432 failed",
    "OSError: [Errno 30] Read-only file system: '/data/{n}'",
    "websocket handshake failed with 1011 for agent {n}",
]
_LINES = [
    '  File "/src/pkg{n}/mod.py", line {n}, in helper_{n}',
    "    value = compute({n})",
    "Traceback (most recent call last):",
    "During handling of the above exception, another exception occurred:",
    "E   ConnectionError: 'quote {n}",  # an unmatched quote: what a non-local pattern could run across
    "Error: Not equal: {n}",
    "\x1b[31mred {n}\x1b[0m",
    "2024-05-01T12:00:00.000Z step {n}",
    "",
]


@st.composite
def _twins(draw: st.DrawFn) -> list[object]:
    """Results that differ in one line of their details (and the first a few more times): where a key too
    narrow would hand one of them the other's verdict."""
    n = draw(st.integers(0, 3))
    message = draw(st.sampled_from(_MESSAGES)).format(n=n)
    before = [line.format(n=draw(st.integers(0, 3))) for line in draw(st.lists(st.sampled_from(_LINES), max_size=5))]
    after = [line.format(n=n) for line in draw(st.lists(st.sampled_from(_LINES), max_size=2))]
    lines = [*before, *message.split("\n"), *after]
    error_type = message.split(":", 1)[0] if draw(st.booleans()) and ":" in message.split("\n")[0] else ""
    # The message a report gives: the error's last line, or a word that says nothing (the details then decide).
    shown = draw(st.sampled_from([message.split("\n")[-1], "test failed", ""]))
    as_log = draw(st.integers(0, 4)) == 0
    test_id = f"tests/test_m{n}.py::test_{draw(st.integers(0, 5))}"
    out = []
    for _ in range(draw(st.integers(2, 6))):
        changed = list(lines)
        at = draw(st.integers(0, len(changed)))
        new = draw(st.sampled_from([*_LINES, *_MESSAGES])).format(n=draw(st.integers(0, 3)))
        if draw(st.booleans()) and at < len(changed):
            changed[at] = new
        else:
            changed.insert(at, new)
        details = "\n".join(changed)
        out.append(log_incident(details, line=n) if as_log else
                   failing_test(test_id, shown, details=details, error_type=error_type))
    return out


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(_twins(), min_size=1, max_size=6))
def test_classify_all_with_the_narrowed_key_decides_what_each_result_gets_alone(groups: list[list[object]]) -> None:
    results = [r for group in groups for r in group]
    classified = classify_all(results, _warm(_SHIPPED))
    for c in classified:
        alone = classify_result(c.result, _BLIND)
        assert _summary(c.verdict) == _summary(alone.verdict), c.result
        assert (c.key, c.category, c.captures, c.wrapper) == (alone.key, alone.category, alone.captures,
                                                              alone.wrapper), c.result


def test_the_key_drops_a_tracebacks_paths_and_keeps_the_lines_rules_read() -> None:
    rules = _warm(_SHIPPED)
    narrowing = Narrowing(rules)
    assert narrowing.key(Evidence.of(failing_test("t::a", "x")), True) is None  # no key before the Sets are built
    assert rules.pattern_sets.ready()

    def key(suite: int, message: str) -> tuple[object, ...] | None:
        frames = "\n".join(f'  File "/src/pkg{suite}/mod.py", line {k * 7}, in helper_{k}' for k in range(6))
        r = failing_test("t::a", message, error_type=message.split(":")[0],
                         details=f"Traceback (most recent call last):\n{frames}\n{message}")
        ev = Evidence.of(r)
        ev.matches_nothing("test")
        return narrowing.key(ev, False)

    refused = "ConnectionRefusedError: [Errno 111] Connection refused: 'db-3.internal:5432'"
    assert key(1, refused) is not None
    assert key(1, refused) == key(2, refused)  # the paths: no pattern the candidates search reads them
    assert key(1, refused) != key(1, refused.replace("db-3", "db-4"))  # the line the rule reads
    syntax = "SyntaxError: invalid syntax"  # syntax.python reads the frames (File "...", line N)
    assert key(1, syntax) != key(2, syntax)

    def told(line: str) -> tuple[object, ...] | None:  # the message says nothing; a line of the details does
        ev = Evidence.of(failing_test("t::a", "test failed", details=f"setup\n{line}\n  at helper()\ndone"))
        ev.matches_nothing("test")
        return narrowing.key(ev, False)

    assert told("E       assert 1 == 2") != told("E       assert 1 == 3")


def test_a_posix_class_python_misreads_is_neither_line_local_nor_prefiltered() -> None:
    # RE2 runs `[[:space:]]` as a POSIX class (a newline included); Python's parser reads `[[:space:]` and `]`,
    # which would require a `]y` no match holds and blank every line of the memo key (review, session 6).
    assert not line_local(r"x[[:space:]]y")
    assert start_needles(r"x[[:space:]]y(?P<what>\w+)") == (None, False)
    assert needles_of(re.compile(r"x[[:space:]]yes")) == (None, False)


def test_a_user_rule_with_a_posix_class_is_memoised_as_each_result_alone() -> None:
    user = parse_rules(
        '[[rules]]\nid = "demo.posix"\ncategory = "runtime-exception"\nprecedence = 99\n'
        'key = "demo {what}"\nmatch.text = [\'x[[:space:]]y(?P<what>\\w+)\']\n', "demo.toml", base=_SHIPPED)
    pack = _warm(user)
    results = [failing_test(f"t::{n}", "boom", details=f"x y{n}\nend") for n in ("AAA", "BBB", "CCC")]
    assert [c.key for c in classify_all(results, pack)] == ["demo AAA", "demo BBB", "demo CCC"]


def test_a_pack_reading_the_file_and_every_test_id_is_memoised_as_each_result_alone() -> None:
    """The memo key's general form (classify._Reads.keyer): a rule on `file`, and one on `test` with no literal (so
    every id is in the key), each decide as for the result alone."""
    user = parse_rules(
        '[[rules]]\nid = "demo.file"\ncategory = "runtime-exception"\nprecedence = 99\nkey = "in {f}"\n'
        'match.file = [\'(?P<f>legacy/\\w+)\']\n'
        '[[rules]]\nid = "demo.slow"\ncategory = "timeout-hang"\nprecedence = 98\nkey = "slow {t}"\n'
        'match.test = [\'(?P<t>\\w+)_(?:s|S)low$\']\n', "demo.toml", base=_SHIPPED)
    pack = _warm(user)
    results = []
    for n in range(8):
        results.append(failing_test(f"t::case{n % 3}_slow", "boom", details="boom"))
        results.append(replace(failing_test(f"t::c{n}", "boom", details="boom"), file=f"legacy/m{n % 2}.py"))
    classified = classify_all(results, pack)
    for c in classified:
        alone = classify_result(c.result, pack)
        assert (c.key, c.category, c.rule and c.rule.id) == (alone.key, alone.category, alone.rule and alone.rule.id)
    assert {c.rule.id for c in classified if c.rule} >= {"demo.file", "demo.slow"}
