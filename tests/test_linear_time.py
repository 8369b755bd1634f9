"""Every pattern gardener ships runs in linear time on hostile lines, and Python's backtracking `re`
is never used to match untrusted text.

The patterns are collected, not listed: every gardener module is imported and the shipped rule pack
loaded, and `regex.live_patterns()` returns each pattern they compiled. Each one then searches and
scans 40 KB lines of one repeated character or token (the shapes that took 16-58 s each under `re`:
runs of `:`, spaces, tabs, `[`, long C++ template names). RE2's automata make the budget generous.
"""

from __future__ import annotations

import importlib
import pkgutil
import time
from pathlib import Path

import pytest

import gardener
from gardener import regex
from gardener.config import Config
from gardener.explain import explain
from gardener.linked import linked_findings
from gardener.model import Result, Source
from gardener.normalize import mask, run_signatures
from gardener.redact import clean
from gardener.rules.engine import Evidence, evaluate
from gardener.rules.loader import builtin_rules, compile_all

SIZE = 40_000
HOSTILE = {
    "colons": ":" * SIZE,
    "double-colons": "::" * (SIZE // 2),
    "spaces": " " * SIZE,
    "tabs": "\t" * SIZE,
    "brackets": "[" * SIZE,
    "letters": "a" * SIZE,
    "digits": "0" * SIZE,
    "dots": "a." * (SIZE // 2),
    "equals": "a=" * (SIZE // 2),
    "slashes": "/" * SIZE,
    "quotes": '"' * SIZE,
    "dashes": "-" * SIZE,
    "cpp-template": ("std::vector<std::map<std::basic_string<char>, std::pair<int, long>>>, " * 600)[:SIZE],
    "java-frames": ("\tat com.example.Foo$Bar.baz(Foo.java:71)" * 1000)[:SIZE],
    "url-userinfo": ("x://b:" * (SIZE // 6)),
    "non-ascii": "é:" * (SIZE // 2),
}
PER_PATTERN_BUDGET_S = 0.5
TOTAL_BUDGET_S = 60.0


def _import_everything() -> None:
    for info in pkgutil.walk_packages(gardener.__path__, "gardener."):
        importlib.import_module(info.name)
    compile_all(builtin_rules())  # the pack's patterns compile on first use otherwise


def test_every_shipped_pattern_is_linear_on_hostile_lines() -> None:
    _import_everything()
    patterns = regex.live_patterns()
    assert len(patterns) > 900  # the readers' and the rule pack's patterns are all here
    slowest = (0.0, "")
    started = time.perf_counter()
    for p in patterns:
        for name, line in HOSTILE.items():
            text = line if isinstance(p.pattern, str) else line.encode("utf-8")
            t0 = time.perf_counter()
            p.search(text)
            for _ in zip(range(50), p.finditer(text), strict=False):  # a few matches, as subs do
                pass
            spent = time.perf_counter() - t0
            slowest = max(slowest, (spent, f"{p.pattern!r} on {name}"))
    total = time.perf_counter() - started
    assert slowest[0] < PER_PATTERN_BUDGET_S, slowest
    assert total < TOTAL_BUDGET_S, total


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_redaction_masking_and_the_rule_pack_are_linear_on_hostile_lines(name: str) -> None:
    line = HOSTILE[name]
    rules = builtin_rules()
    result = Result(
        id="t::x", outcome="failed", message=line[:2000], details=f"{line}\n{line}", source=Source("log.txt", "text")
    )
    t0 = time.perf_counter()
    clean(line)
    mask(line)
    run_signatures([line, line[:-1]])
    evaluate(rules, Evidence.of(result))
    assert time.perf_counter() - t0 < 5.0


# Modules that may import Python's re: the rule prefilter and the narrowed memo key's line-locality
# (rules/linelocal.py) only read pattern syntax with re's parser (RE2 runs every match); the sandbox is
# the GitHub stand-in server, which reads gardener's own requests, not CI output; shown.py (one character
# class) cannot backtrack and is loaded by `--help`, which must not pay for loading RE2; the JUnit reader's
# templates for runs of plain testcases (ingest/junit/runs.py) are literals and classes that each end at a
# literal outside them (linear, tests/ingest/test_junit_runs.py times a hostile file), where RE2 takes ten
# times as long to hand back captured values.
RE_ALLOWED = {"gardener/rules/prefilter.py", "gardener/rules/linelocal.py", "gardener/shown.py",
              "gardener/ingest/junit/runs.py"}
RE_ALLOWED_DIRS = ("gardener/sandbox/",)


def test_python_re_is_not_imported_to_match_untrusted_text() -> None:
    root = Path(gardener.__file__).parent.parent
    offenders = []
    for path in sorted((root / "gardener").rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel in RE_ALLOWED or rel.startswith(RE_ALLOWED_DIRS):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            words = line.split()
            if words[:2] in (["import", "re"], ["import", "regex"]) or words[:2] == ["from", "re"] or (
                words[:1] == ["import"] and "re," in words
            ):
                offenders.append(f"{rel}:{n}: {line.strip()}")
            if rel != "gardener/regex.py" and ("import re2" in line or "from re2" in line):
                offenders.append(f"{rel}:{n}: RE2 outside gardener/regex.py: {line.strip()}")
    assert offenders == []


def test_a_line_over_the_cap_is_cut_and_the_cut_is_said_in_explain() -> None:
    # Readers already bound their lines (4 KiB for JUnit); results from elsewhere (the pytest plugin,
    # a GitHub run) meet the engine's own cap.
    long_line = "OSError: [Errno 28] No space left on device: " + "x" * (regex.MAX_LINE + 500)
    result = Result(id="t::a", outcome="failed", message="disk", details=long_line, source=Source("p.xml", "junit"))
    linked = linked_findings([result], Config())
    text = explain(linked)
    assert f"1 line(s) over {regex.MAX_LINE:,} characters were cut" in text
    assert linked.findings[0].category == "disk-full"


def test_rules_check_refuses_a_pattern_that_is_not_linear_time_safe(tmp_path: Path) -> None:
    import subprocess
    import sys

    pack = tmp_path / "rules.toml"
    pack.write_text('[[rules]]\nid = "mine.slow"\ncategory = "disk-full"\nmatch.log = [\'(?<!no )space left\']\n')
    env = {"PYTHONPATH": str(Path(gardener.__file__).parent.parent), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-m", "gardener", "rules", "check", str(pack)], capture_output=True,
                          text=True, cwd=tmp_path, env=env, timeout=60, check=False)
    assert proc.returncode == 1
    assert "rule mine.slow.match.log" in proc.stderr and "not linear-time-safe: uses a lookbehind" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


# Round 6 (fuzz-6): the test above reads at most 50 matches of each pattern on 16 fixed shapes. A pattern can
# search in linear time and still scan in quadratic time (each of many matches re-reads the rest of the line),
# and the shapes that start a match over and over are the pattern's own words. So: every live pattern, rule
# patterns with their lookahead and backreference forms included, scans to the end lines made of its own
# literal words repeated, at two lengths; the cost grows near-linearly (a ratio, not a wall-time budget).
RATIO_SMALL, RATIO_GROWTH = 1_000, 8
RATIO_LIMIT = 24.0  # linear growth is 8, quadratic 64
NOISE_S = 0.02  # below this the larger scan is too quick to time


def _literal_words(source: str) -> list[str]:
    """Runs of literal characters outside classes in a pattern's source (at most four)."""
    words: list[str] = []
    current: list[str] = []
    for _, token, in_class in regex.source_tokens(source):
        char = token[-1]
        literal = not in_class and (
            (len(token) == 1 and (char.isalnum() or char in " :/=-_,'\"<>@#!%&~`"))
            or (token[0] == "\\" and len(token) == 2 and not char.isalnum())  # an escaped punctuation mark
        )
        if literal:
            current.append(char)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return [w for w in words if w.strip()][:4]


def _scan_cost(pattern: object, text: str) -> float:
    """CPU seconds of one full scan (CPU time: the other processes on a loaded machine do not count)."""
    t0 = time.process_time()
    for _ in pattern.finditer(text):  # type: ignore[attr-defined]
        pass
    return time.process_time() - t0


def _rule_patterns() -> list[object]:
    rules = builtin_rules()
    compile_all(rules)
    return [p.regex.compiled() for r in rules.rules for p in (*(p for f in r.match for p in f), *r.unless, *r.capture)]


def test_every_pattern_scans_lines_of_its_own_words_in_near_linear_time() -> None:
    _import_everything()
    patterns = {(p.pattern, p.flags): p for p in regex.live_patterns() if isinstance(p.pattern, str)}
    patterns.update({(p.pattern, p.flags): p for p in _rule_patterns()})  # type: ignore[attr-defined]
    superlinear = []
    for (source, _), p in patterns.items():
        words = _literal_words(source)
        for unit in dict.fromkeys([*words, *(w + " " for w in words), *(w + "\n" for w in words)]):
            small = (unit * (RATIO_SMALL // len(unit) + 1))[:RATIO_SMALL]
            large = (unit * (RATIO_SMALL * RATIO_GROWTH // len(unit) + 1))[: RATIO_SMALL * RATIO_GROWTH]
            large_cost = _scan_cost(p, large)
            if large_cost < NOISE_S:
                continue
            small_cost = min(_scan_cost(p, small) for _ in range(5))
            large_cost = min(large_cost, _scan_cost(p, large), _scan_cost(p, large))
            if large_cost / max(small_cost, 1e-6) > RATIO_LIMIT:
                superlinear.append((round(large_cost / max(small_cost, 1e-6)), source[:120], unit))
    assert superlinear == []
