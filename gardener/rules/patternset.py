"""Which rule patterns can match a field, found in one pass: one RE2 Set of every pattern on that field.

The engine used to try each rule a literal of the result opened, one regex search per pattern; most of
those searches failed (a generic literal such as `Error` opens a dozen rules). One Set per field reads
the text once and says which patterns match somewhere in it, so only rules whose every required field
has a matching pattern are tried, and a pattern the Set rules out is never searched.

Exact: a plain pattern is in the Set as RE2 compiles it alone, so "in the Set's answer" is "its search
finds a match" (regex.PatternSet). A rule pattern with a linear lookaround or backreference
(rules/pattern.py) is in the Set as its prefilter regex, which every match of it matches: the Set can
only rule it out when it cannot match. When a Set cannot answer (RE2 out of memory) or cannot be built,
the field is unknown and every pattern on it is searched as before (behind its literal prefilter).
"""

from __future__ import annotations

from typing import Any

from gardener import regex as re
from gardener.memory import release_free_heap
from gardener.rules.model import Pattern, Rule
from gardener.rules.pattern import RulePattern

# Fields asked only when a rule gets to them: `source` is a whole input's failures (up to 32 KB).
LAZY_FIELDS = frozenset({"source"})
# Evaluations before the Sets are built: building them costs about as much as 500 evaluations save,
# so a small run (the bundled example, one pasted excerpt) never pays for them.
WARM_UP = 256
_MEMO_CHARS = 200  # field values up to this long have their Set answers memoised
_MEMO_ENTRIES = 4096
_NOT_PLAIN = ("(?=", "(?!", "(?P=")  # what makes a rule pattern a RulePattern (pattern.compile_rule_pattern)


def _plain(rx: Any) -> tuple[str, int]:
    """(source, flags) of a regex every match of the rule pattern `rx` matches: its own source when it is
    plain (nothing is compiled for it), else its RulePattern's prefilter."""
    if not any(marker in rx.pattern for marker in _NOT_PLAIN):
        return rx.pattern, rx.flags
    compiled = rx.compiled() if hasattr(rx, "compiled") else rx  # a pattern the loader compiles on first use
    first: re.Pattern[str] = compiled.prefilter if isinstance(compiled, RulePattern) else compiled
    return first.pattern, first.flags


class PatternSets:
    """Per field, one Set of every pattern rules look for in it (match, veto and capture patterns).
    Built on first use, so loading a rule pack costs nothing more."""

    __slots__ = ("_answers", "_built", "_calls", "_chosen", "_eager", "_free", "_needed", "_owners", "_rules", "_sets",
                 "_slots")

    def __init__(self, rules: tuple[Rule, ...], warm_up: int = WARM_UP) -> None:
        self._rules = rules
        self._built = False
        self._calls = warm_up
        self._sets: dict[str, re.PatternSet] = {}
        self._slots: dict[int, int] = {}  # id(Pattern) -> its index in its field's Set
        self._owners: dict[str, dict[int, tuple[tuple[int, int], ...]]] = {}  # field -> index -> (rule, group)
        self._eager: tuple[str, ...] = ()
        self._needed: tuple[int, ...] = ()  # per rule: how many of its required fields are asked up front
        self._free: tuple[int, ...] = ()  # rules with none: always tried
        # Short field values repeat across results (an exception name, an outcome), and so do the Set
        # answers that choose the candidates: each is worked out once (bounded; cleared when full).
        self._answers: dict[tuple[str, str], frozenset[int] | None] = {}
        self._chosen: dict[tuple[tuple[str, frozenset[int] | None], ...], tuple[int, ...]] = {}

    def _build(self) -> None:
        patterns: dict[str, list[tuple[str, int]]] = {}
        owners: dict[str, dict[int, list[tuple[int, int]]]] = {}
        for i, rule in enumerate(self._rules):
            placed = [(p, j) for j, group in enumerate(rule.match) for p in group]
            placed += [(p, -1) for p in (*rule.unless, *rule.capture)]  # vetoes and captures decide no group
            for p, j in placed:
                known = patterns.setdefault(p.field, [])
                if id(p) not in self._slots:
                    self._slots[id(p)] = len(known)
                    known.append(_plain(p.regex))
                if j >= 0:
                    owners.setdefault(p.field, {}).setdefault(self._slots[id(p)], []).append((i, j))
        for field, compiled in patterns.items():
            try:
                self._sets[field] = re.PatternSet(tuple(compiled))
            except re.error:  # a pattern RE2 takes alone but not in a Set: that field is searched as before
                continue
        self._owners = {f: {k: tuple(v) for k, v in by.items()} for f, by in owners.items()}
        self._eager = tuple(f for f in self._owners if f not in LAZY_FIELDS)
        self._needed = tuple(sum(1 for g in rule.match if g[0].field in self._eager) for rule in self._rules)
        self._free = tuple(i for i, n in enumerate(self._needed) if n == 0)
        self._built = True
        release_free_heap()  # RE2's compile scratch, freed below the Sets it built (gardener/memory.py)

    def built(self) -> bool:
        """True once the Sets are built (no evaluation builds them before its WARM_UP)."""
        return self._built

    def has_set(self, field: str) -> bool:
        """True when `field` has a Set (else its patterns are searched one by one)."""
        if not self._built:
            self._build()
        return field in self._sets

    def ready(self) -> bool:
        """True once this pack has been asked to evaluate WARM_UP results (the Sets are then built)."""
        if self._calls > 0:
            self._calls -= 1
            return False
        if not self._built:
            self._build()
        return True

    def matching(self, field: str, text: str) -> frozenset[int] | None:
        """The Set indices of the patterns on `field` that match somewhere in `text`; None when unknown."""
        if not self._built:
            self._build()
        found = self._sets.get(field)
        if found is None:
            return None
        if len(text) > _MEMO_CHARS:
            return found.matching(text)
        key = (field, text)
        if key in self._answers:
            return self._answers[key]
        if len(self._answers) >= _MEMO_ENTRIES:
            self._answers.clear()
        answer = self._answers[key] = found.matching(text)
        return answer

    def slot(self, p: Pattern) -> int:
        return self._slots.get(id(p), -1)

    def candidates(self, matched: dict[str, frozenset[int] | None]) -> list[int] | None:
        """The rules (pack order) whose every required field among `eager_fields()` has a pattern matching
        it, given each such field's Set answer (the other fields are checked when a rule gets to them);
        None when some field's answer is unknown."""
        if any(v is None for v in matched.values()):
            return None
        key = tuple(matched.items())
        known = self._chosen.get(key)
        if known is None:
            if len(self._chosen) >= _MEMO_ENTRIES:
                self._chosen.clear()
            known = self._chosen[key] = tuple(self._candidates(matched))
        return list(known)

    def _candidates(self, matched: dict[str, frozenset[int] | None]) -> list[int]:
        satisfied: dict[int, set[int]] = {}
        for field, hits in matched.items():
            by_index = self._owners.get(field, {})
            for index in hits or ():
                for rule, group in by_index.get(index, ()):
                    satisfied.setdefault(rule, set()).add(group)
        needed = self._needed
        return sorted([*self._free, *(i for i, groups in satisfied.items() if len(groups) == needed[i])])

    def eager_fields(self) -> tuple[str, ...]:
        """The fields whose Set answers decide which rules are tried."""
        if not self._built:
            self._build()
        return self._eager
