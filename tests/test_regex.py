"""gardener.regex: RE2 behind re's API — the same answers as re where gardener relies on them, a clear
refusal for what cannot run in linear time, and character offsets on non-ASCII text."""

from __future__ import annotations

import re as pyre

import pytest

from gardener import regex
from gardener.rules.pattern import RulePattern, compile_rule_pattern

SAME_AS_RE = [
    (r"(?P<a>\w+):(?P<b>\d+)", "x foo:12 bar:3", 0),
    (r"é(?P<x>.)", "aé€ béz ü", 0),
    (r"\d*", "ab12c", 0),
    (r"^(\w+)$", "one\ntwo", pyre.MULTILINE),
    (r"a{,2}b", "aaab", 0),
    (r"x\Z", "ax", 0),
    (r"", "héllo", 0),
    (r"[]a]+", "]a]x", 0),
    (r"[^]a]+", "]a]xyz", 0),
    (r"(?i)ERROR: (?P<m>.*)", "x error: boom\nERROR: two", 0),
    (r"\u00e9+", "ééx", 0),
]


@pytest.mark.parametrize(("pattern", "text", "flags"), SAME_AS_RE)
def test_matches_sub_and_split_agree_with_re(pattern: str, text: str, flags: int) -> None:
    ours = regex.compile(pattern, flags)
    theirs = pyre.compile(pattern, flags)
    assert [(m.span(), m.groups()) for m in ours.finditer(text)] == [
        (m.span(), m.groups()) for m in theirs.finditer(text)
    ]
    assert ours.sub(lambda m: f"<{m.group()}>", text) == theirs.sub(lambda m: f"<{m.group()}>", text)
    assert ours.sub(r"[\g<0>]", text) == theirs.sub(r"[\g<0>]", text)
    assert ours.split(text) == theirs.split(text)
    assert ours.findall(text) == theirs.findall(text)


def test_match_object_api() -> None:
    m = regex.compile(r"(?P<a>x)(?P<b>y)?").search("zx")
    assert m is not None
    assert m.groupdict() == {"a": "x", "b": None} and m.groupdict("") == {"a": "x", "b": ""}
    assert m.span("a") == (1, 2) and m["a"] == "x" and m.group(1, "a") == ("x", "x")
    assert m.lastindex == 1 and m.lastgroup == "a"
    # Offsets are characters, also after multi-byte ones, and `pos` reads the text before it.
    m2 = regex.compile(r"\bw").search("é w w", 2)
    assert m2 is not None and m2.span() == (2, 3)
    assert regex.compile(rb"enc=([a-z]+)").search(b"x enc=utf ").group(1) == b"utf"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        (r"(?<=a)b", "lookbehind"),
        (r"a(?=b)", "lookahead"),
        (r"(a)\1", "backreference"),
        (r"(?P<n>a)(?P=n)", "backreference"),
        (r"a++", "possessive"),
        (r"(?>a)", "atomic group"),
        (r"a{2000}", "over 1000"),
    ],
)
def test_patterns_that_are_not_linear_time_are_refused_with_the_reason(pattern: str, why: str) -> None:
    with pytest.raises(regex.error, match="not linear-time-safe") as err:
        regex.compile(pattern)
    assert why in str(err.value)


def test_a_typo_is_an_invalid_regex_not_a_safety_refusal() -> None:
    with pytest.raises(regex.error, match="invalid regex"):
        regex.compile("(unclosed")


def test_clip_lines_cuts_only_long_lines_and_counts_them() -> None:
    text = "short\n" + "x" * (regex.MAX_LINE + 10) + "\nend"
    clipped, cut = regex.clip_lines(text)
    assert cut == 1 and clipped == "short\n" + "x" * regex.MAX_LINE + "\nend"
    assert regex.clip_lines("a\nb") == ("a\nb", 0)


def test_rule_lookahead_is_a_check_at_its_point() -> None:
    p = compile_rule_pattern(r"ERR_PNPM_(?!RECURSIVE_)\w+")
    assert isinstance(p, RulePattern)
    m = p.search("ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL then ERR_PNPM_FETCH_404")
    assert m is not None and m.group(0) == "ERR_PNPM_FETCH_404"
    assert p.search("ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL") is None
    neg_at_start = compile_rule_pattern(r"^(?!(?:builtins\.)?(?:AssertionError|TimeoutError)$)(?P<e>\w*Error)$")
    assert neg_at_start.search("AssertionError") is None
    assert neg_at_start.search("ValueError") is not None
    assert "e" in neg_at_start.groupindex and not any(k.startswith("__") for k in neg_at_start.groupindex)


def test_rule_backreference_after_a_bounded_gap() -> None:
    p = compile_rule_pattern(r"(?m)^RERUN (?P<test>\S+)[\s\S]{0,200}?^PASSED (?P=test)\s*$", regex.MULTILINE)
    log = "RERUN t::a\nRERUN t::b\nPASSED t::c\nPASSED t::b\n"
    m = p.search(log)
    assert m is not None and m["test"] == "t::b"
    assert p.search("RERUN t::a\nPASSED t::b\n") is None
    assert p.search("RERUN t::a\n" + "x" * 300 + "\nPASSED t::a\n") is None  # beyond the gap


@pytest.mark.parametrize(
    "pattern",
    [r"(?<!x)y", r"(a(?!b))+", r"(?P<t>\w+) (?P=t)", r"(?P<t>\w+)[\s\S]{0,9}?(?P=t)[\s\S]{0,9}?(?P=t)"],
)
def test_rule_forms_that_cannot_run_linearly_are_refused(pattern: str) -> None:
    with pytest.raises(regex.error, match="not linear-time-safe"):
        compile_rule_pattern(pattern)


def test_a_pattern_without_a_rewritten_spelling_is_its_own_translation() -> None:
    import random

    import gardener.cli  # with the stages below: the patterns compiled at start
    import gardener.pipeline  # noqa: F401
    from gardener import regex
    from gardener.rules.loader import builtin_rules

    sources = [p.pattern for p in regex.live_patterns() if isinstance(p.pattern, str)]
    sources += [p.regex.pattern for r in builtin_rules().rules for f in r.match for p in f]
    alphabet = ["\\", "Z", "u", "0", "a", "{", ",", "}", "[", "]", "^", "(", ")", "z"]
    rnd = random.Random(5)
    sources += ["".join(rnd.choice(alphabet) for _ in range(rnd.randrange(1, 12))) for _ in range(20_000)]
    for source in sources:
        assert regex.translate(source) == regex._rewrite(source), source


def test_escape_is_re_escape_for_every_character_rule_packs_and_logs_hold() -> None:
    import random
    import re as python_re

    from gardener import regex

    specials = "()[]{}?*+-|^$\\.&~# \t\n\r\v\f"
    rnd = random.Random(3)
    alphabet = specials + "aZ09_é'\"/:;<>=@!%`,"
    for _ in range(5_000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 16)))
        assert regex.escape(text) == python_re.escape(text)
        assert regex.compile(regex.escape(text)).fullmatch(text) is not None


def test_a_bracket_inside_a_class_does_not_keep_the_class_open() -> None:
    from gardener import regex
    from gardener.ingest.runner_log.prefilter import relax

    # `[a[]` is a whole class in Python's re: what follows is outside it, for both rewriters of pattern source.
    assert regex.translate(r"[a[]\Z") == r"[a[]\z"
    assert relax(r"[a[]$") != r"[a[]$" and relax(r"[]a]\b") == r"[]a]"
    assert [t for _, t, inside in regex.source_tokens(r"[^]x]\]") if not inside] == ["[^]", r"\]"]


@pytest.mark.parametrize(("pattern", "text", "flags"), SAME_AS_RE)
def test_a_lazy_pattern_answers_as_the_compiled_one(pattern: str, text: str, flags: int) -> None:
    lazy, eager = regex.lazy(pattern, flags), regex.compile(pattern, flags)
    assert isinstance(lazy, regex.Pattern)
    assert lazy == eager and hash(lazy) == hash(eager)
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in eager.finditer(text)]
    assert (lazy.groups, lazy.groupindex) == (eager.groups, eager.groupindex)
    assert lazy.sub("-", text) == eager.sub("-", text)
    assert lazy.split(text) == eager.split(text)


def test_a_lazy_pattern_compiles_on_first_use_and_is_live_before_it() -> None:
    source = r"lazy-(?P<n>\d+)-only-here"
    lazy = regex.lazy(source)
    assert (source, 0) not in regex._LIVE  # not compiled yet
    assert lazy in regex.live_patterns()  # but the linear-time tests see it
    assert lazy.search("x lazy-12-only-here")["n"] == "12"
    assert regex._LIVE[(source, 0)] == lazy
    assert repr(lazy) == f"gardener.regex.lazy({source!r})"


def test_a_lazy_pattern_that_cannot_compile_raises_when_used() -> None:
    lazy = regex.lazy(r"(?<=a)b")
    with pytest.raises(regex.error, match="lookbehind"):
        lazy.search("ab")
    with pytest.raises(AttributeError):
        lazy.no_such_attribute  # noqa: B018  (only the compiled slots are filled on demand)


def test_importing_gardener_compiles_no_pattern() -> None:
    # Each module's constant patterns are lazy: a command compiles only those it uses (issue 11 item 1).
    probe = (
        "import importlib, pkgutil, gardener\n"
        "from gardener import regex\n"
        "for info in pkgutil.walk_packages(gardener.__path__, 'gardener.'):\n"
        "    importlib.import_module(info.name)\n"
        "print(sorted(repr(p.pattern) for p in regex._LIVE.values()), len(regex._DEFERRED))\n"
    )
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert out[0] == "[]", out
    assert int(out[-1]) > 300


def test_case_folding_of_ascii_letters_is_what_literal_sets_scan_with() -> None:
    # LiteralSet scans short texts with `in` over a text mapped by regex._FOLD: that must be RE2's folding.
    beyond_ascii = "".join(chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c < 0xE000)
    for letter in "abcdefghijklmnopqrstuvwxyz":
        others = {m.group() for m in regex.compile("(?i)" + letter).finditer(beyond_ascii)}
        assert others == {chr(k) for k, v in regex._FOLD.items() if v == ord(letter) and k >= 0x80}


def test_a_literal_set_finds_the_same_by_scanning_and_by_its_compiled_set() -> None:
    import random

    rnd = random.Random(11)
    alphabet = ["a", "b", "K", "k", "\u212a", "s", "S", "\u017f", "é", "É", "●", " ", "x", "ß", "İ", "i", "ı"]
    for fold in (False, True):
        for _ in range(300):
            literals = tuple(sorted({"".join(rnd.choice(alphabet) for _ in range(rnd.randrange(1, 4)))
                                     for _ in range(rnd.randrange(1, 12))}))
            texts = ["".join(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 30))) for _ in range(5)]
            scanning, compiled = regex.LiteralSet(literals, fold), regex.LiteralSet(literals, fold, scan=False)
            for text in texts:
                assert scanning.find(text) == compiled.find(text), (literals, text, fold)
            assert scanning._set is None and compiled._set is not None


def test_a_literal_set_compiles_its_set_once_the_texts_add_up() -> None:
    found = regex.LiteralSet(("needle", "other"))
    for _ in range(10):
        assert found.find("a needle " * 100) == {"needle"}
    assert found._set is None  # ~9,000 characters: still scanning
    for _ in range(40):
        assert found.find("a needle " * 100) == {"needle"}
    assert found._set is not None
    assert found.find("no Needle here, another one") == {"other"}


# fuzz-6: ConsoleCopies (dedupe) builds a LiteralSet of the failing tests' names; 200 names of 2,000 characters are
# more than RE2's Set compiles, and its error escaped `gardener run` (exit 3).
@pytest.mark.parametrize("fold", [False, True])
def test_a_literal_set_too_big_for_re2_still_finds_what_it_holds(fold: bool) -> None:
    literals = tuple(f"test_payload[{i}-" + "ab" * 1_000 + "]" for i in range(200))
    found = regex.LiteralSet(literals, fold)
    text = "header " * 6_000  # over the scan budget: the Set is compiled for the next text
    assert found.find(text) == frozenset()
    assert found.find(f"x {literals[7]} y") == {literals[7]}
    assert regex.LiteralSet(literals, fold, scan=False).find(f"{literals[3]}") == {literals[3]}


# rules-code: the shipped pack's `text` patterns outgrew RE2's default Set budget (the Set failed to compile, so every
# result fell back to searching ~900 patterns one by one). A pack too big for one Set is split into parts.
def test_a_pattern_set_too_big_for_its_budget_is_split_and_answers_as_each_pattern_would() -> None:
    patterns = tuple((rf"(?m)^step{i}: [a-z]+ \d{{1,3}} (?:failed|passed) in \w+\.py:\d+$", 0) for i in range(60))
    small = regex.PatternSet(patterns, memory=1 << 17)
    assert len(small._sets) > 1
    texts = ("step7: build 12 failed in a.py:3\nstep41: lint 1 passed in b_c.py:9", "nothing", "step59: x 1 failed")
    for text in texts:
        expected = frozenset(i for i, (p, _) in enumerate(patterns) if regex.compile(p).search(text) is not None)
        assert small.matching(text) == expected
    assert len(regex.PatternSet(patterns)._sets) == 1
    with pytest.raises(regex.error):
        regex.PatternSet(((r"(?m)^(?:[a-z]{2,40}\d{1,9}){1,20}$", 0),), memory=1 << 10)  # over the budget alone


# speed-classify-2: findall and spans read RE2's spans directly (no Match per match); they answer as finditer does
# (findall as it was built from finditer), for ASCII and non-ASCII text, empty matches, unmatched groups, pos, endpos.
@pytest.mark.parametrize("pattern", [r"\d+", r"(a)|(b)", r"x*", r"(?P<p>\w+)=(?P<v>\d*)", "", r"(?m)^", "é+", r"\b"])
def test_findall_and_spans_answer_as_finditer_does(pattern: str) -> None:
    compiled = regex.compile(pattern)
    for text in ("", "abc 12 x=3 y= bb", "ééa 1 é", "xxyxx", "a\nb\n", "ab" * 50):
        for pos, endpos in ((0, None), (1, None), (3, None), (0, 2), (1, 5)):
            matches = list(compiled.finditer(text, pos, endpos))
            assert compiled.spans(text, pos, endpos) == [m.span() for m in matches]
            groups = compiled.groups
            assert compiled.findall(text, pos, endpos) == [
                m.group() if groups == 0 else m.groups("")[0] if groups == 1 else m.groups("") for m in matches]
    if pattern.isascii():
        data, raw = b"abc 12 x=3 y= bb", regex.compile(pattern.encode())
        assert raw.spans(data) == [m.span() for m in raw.finditer(data)]
    if pattern and pattern != r"(?m)^":  # Python's re agrees on whole texts
        assert compiled.findall("abc 12 x=3 y= bb ééa") == pyre.findall(pattern, "abc 12 x=3 y= bb ééa")
