"""A narrower memo key for a verdict: the evidence a rule pack's evaluation can actually read.

classify_all memoises verdicts by the exact fields the pack reads; results that differ only in a
traceback's paths, which no rule that could win reads, still got one evaluation each. This key
keeps every field exact but the `text`, and of the text only the lines that matter:

- every eager field's Set answer (rules/patternset.py) is in the key, so the candidate rules are
  the same, and with them every pattern evaluate() will search on `text`: the candidates' match,
  veto and capture patterns (the pack's others are only ever ruled out by the Set answer);
- when each of those is line-local (rules/linelocal.py: no match of it holds a newline), a line
  that none of them matches on its own cannot hold a match of them in the text either; such a line
  is in the key only as a placeholder (None), so the lines that do matter keep their places;
- the lines that may hold a match are in the key as they are.

Two texts with one key then give every searched pattern the same matches (by line, captures and
deciding line), so evaluate() reaches the same verdict on both. Anything this cannot argue (a
non-local pattern among the candidates', a Set that cannot answer, a pack with patterns on the
`log` field, the Sets not built yet) gives no key: the caller keys on the exact text.
"""

from __future__ import annotations

from gardener import regex as re
from gardener.rules.engine import Evidence
from gardener.rules.linelocal import line_local, start_needles
from gardener.rules.model import RuleSet
from gardener.rules.patternset import PatternSets

# The fields whose values this key holds exactly (besides the Set answers): every field but `log`,
# whose patterns would read the details again. A pack with patterns on `log` is not narrowed.
_EXACT = ("message", "error_type", "exception", "file", "outcome", "source", "test")
_NARROWABLE = frozenset({"text", *_EXACT})
_MEMO = 4096


class Narrowing:
    """Per rule pack: which `text` patterns the candidates search, and whether they are line-local."""

    __slots__ = ("_exact", "_forms", "_kinds", "_lines", "_rules", "_searched", "_sets", "usable")

    def __init__(self, rules: RuleSet) -> None:
        self._sets: PatternSets = rules.pattern_sets
        self._rules = rules.rules
        self.usable: bool | None = None  # known once the Sets are built: a small run never asks
        self._exact: tuple[str, ...] = ()
        self._forms: dict[int, tuple[frozenset[str] | None, bool]] = {}  # Set slot on `text` -> _form
        self._kinds: dict[tuple[int, ...], int] = {}  # candidate list -> its number (small keys)
        self._searched: dict[tuple[frozenset[int] | None, ...], _Reads | None] = {}
        self._lines: dict[str, frozenset[int]] = {}  # a line alone -> the `text` patterns matching in it

    def key(self, ev: Evidence, test_matters: bool) -> tuple[object, ...] | None:
        """The narrowed key of `ev`'s verdict, or None (key on the exact evidence instead). `test_matters`: the
        caller did not rule the `test` field out (Evidence.matches_nothing); when it did, the id is no part of it."""
        sets = self._sets
        if not self.usable:
            if self.usable is False or not sets.built():
                return None
            read = {p.field for rule in self._rules for p in (*(p for g in rule.match for p in g), *rule.unless,
                                                              *rule.capture)}
            self.usable = read <= _NARROWABLE
            self._exact = tuple(f for f in _EXACT if f in read and f != "test")  # only what some pattern reads
            if not self.usable:
                return None
        answers = tuple([ev.matching(f, sets) for f in sets.eager_fields()])
        if answers in self._searched:
            searched = self._searched[answers]
        else:
            if len(self._searched) >= _MEMO:
                self._searched.clear()
            searched = self._searched[answers] = self._reads(answers)
        if searched is None:
            return None
        fields = ev.fields
        text = fields["text"]
        kind, starts, unled = searched
        lines: tuple[str | int | None, ...] = ()
        if starts or unled:
            if not text.isascii():  # the literal search below folds case and counts lines as ASCII does
                return None
            split = text.split("\n")
            first = len(split)  # the first line a searched pattern's match may start in: it and all after it are kept
            found_at = starts.search(text) if starts is not None else None
            if found_at is not None:
                first = text.count("\n", 0, found_at.start())
            kept: list[str | None] = [None] * first
            if unled:  # line-local patterns without such a literal: a line is kept when one matches in it alone
                memo = self._lines
                for i in range(first):
                    line = split[i]
                    found = memo.get(line)
                    if found is None:
                        if len(memo) >= _MEMO:
                            memo.clear()
                        answer = sets.matching("text", line)
                        found = memo[line] = _ALL if answer is None else answer
                    if found is _ALL or not unled.isdisjoint(found):
                        kept[i] = line
            # Held by the memo for the whole run: leading placeholders as their count (an int: no line is one), and
            # a line equal to the message as the message itself (usually the traceback's last line).
            message = fields["message"]
            tail = [message if line == message else line for line in split[first:]]
            lines = (first, *tail) if all(k is None for k in kept) else (*kept, *tail)
        return (kind, ev.cut_lines, lines, fields["test"] if test_matters else None,
                *(fields[f] for f in self._exact))

    def _reads(self, answers: tuple[frozenset[int] | None, ...]) -> _Reads | None:
        """What of `text` the candidates' evaluation may read, given the eager fields' Set answers: one number per
        distinct candidate list, the literals of which one is in the line where a match of each pattern the
        candidates search on `text` starts (linelocal.start_needles), and the Set slots of the line-local
        ones without such literals. None when a pattern is neither (or a field's Set cannot answer)."""
        sets = self._sets
        if any(a is None for a in answers) or not sets.has_set("text"):
            return None
        candidates = sets.candidates(dict(zip(sets.eager_fields(), answers, strict=True)))
        if candidates is None:
            return None
        kind = self._kinds.setdefault(tuple(candidates), len(self._kinds))
        unled: set[int] = set()
        starts: dict[int, tuple[frozenset[str], bool]] = {}
        for i in candidates:
            rule = self._rules[i]
            for p in (*(p for g in rule.match for p in g), *rule.unless, *rule.capture):
                if p.field != "text":
                    continue
                slot = sets.slot(p)
                form = self._forms.get(slot)
                if form is None:
                    form = self._forms[slot] = _form(p.regex) if slot >= 0 else (None, False)
                if form[0] is not None:
                    starts[slot] = form  # type: ignore[assignment]
                elif form[1]:
                    unled.add(slot)
                else:
                    return None
        return kind, _any_of(set(starts.values())), frozenset(unled)


_ALL: frozenset[int] = frozenset({-2})  # a Set that could not answer: the line may match anything (kept)
_Reads = tuple[int, "re.Pattern[str] | None", frozenset[int]]


def _any_of(starts: set[tuple[frozenset[str], bool]]) -> re.Pattern[str] | None:
    """One regex finding the first of all these literals (case-blind where marked) in one pass."""
    exact = sorted({n for needles, fold in starts if not fold for n in needles})
    folded = sorted({n for needles, fold in starts if fold for n in needles})
    parts = [re.escape(n) for n in exact]
    if folded:
        parts.append("(?i:" + "|".join(re.escape(n) for n in folded) + ")")
    return re.compile("|".join(parts)) if parts else None


def _form(rx: object) -> tuple[frozenset[str] | None, bool]:
    """(the literals of which one is in the line its matches start in, else None; line-local?) of a pattern."""
    source, flags = getattr(rx, "pattern", None), getattr(rx, "flags", 0)
    if not isinstance(source, str):
        return None, False
    needles, fold = start_needles(source, flags)
    if needles is not None:
        return needles, fold
    # A RulePattern's checks read beyond its first match's line.
    return None, not any(m in source for m in ("(?=", "(?!", "(?P=")) and line_local(source, flags)
