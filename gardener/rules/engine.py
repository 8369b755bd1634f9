"""Evaluating a rule pack against one failing result: every rule is tried, the best one wins.

The winner is the highest-precedence rule whose evidence matched and whose vetoes did not
(earlier rules win ties). The verdict keeps every rule that matched, and why the losers lost,
so `gardener explain` can show the whole decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gardener import regex as re
from gardener.model import Result
from gardener.normalize import strip_ansi
from gardener.redact.text import cut_raw
from gardener.rules.model import NeedleIndex, Pattern, Rule, RuleSet
from gardener.rules.pattern import RuleMatch
from gardener.rules.patternset import PatternSets

# Bound the text a rule looks at: the head (what started it) and the long tail (where the error is).
TEXT_HEAD = 8_000
TEXT_TAIL = 40_000
MAX_VALUES = 32

_EXCEPTION_LINE = re.lazy(
    r"^[ \t>|]*(?:E[ \t]+)?(?:[\w-]+ \| )?"
    r"(?P<exc>(?:[A-Za-z_]\w*\.)*[A-Z]\w*(?:Error|Exception|Exit|Interrupt|Failure|Fault|Timeout|Warning))(?::|$)",
    re.MULTILINE,
)


# What runners and tools put in front of each line (timestamps, BuildKit step numbers, Actions
# markup): peeled off so rules anchored at a line start see the line as the tool printed it.
_LINE_PREFIX = re.lazy(
    r"^(?:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?"
    r"|\[\d{4}-\d\d-\d\d[T ][\d:.,]+Z?\] ?"
    r"|\d{1,2}-[A-Z][a-z]{2}-\d{4} \d\d:\d\d:\d\d(?: \| ?| {2,})"
    r"|\d\d:\d\d:\d\d(?:[.,]\d+)?(?: \| ?| {2})"
    r"|#\d+ (?:\d+\.\d+ ?)?"
    r"|##\[\w+\]"
    r")+",
    re.MULTILINE,
)


def peel(text: str) -> str:
    return _LINE_PREFIX.sub("", text)


def _bounded(text: str) -> str:
    if len(text) <= TEXT_HEAD + TEXT_TAIL:
        return text
    return text[:TEXT_HEAD] + "\n[...]\n" + text[-TEXT_TAIL:]


@dataclass(frozen=True, slots=True)
class Evidence:
    """The text fields rules can look at, for one result."""

    fields: dict[str, str]
    _present: dict[tuple[str, bool], frozenset[str]] = field(default_factory=dict, compare=False, repr=False)
    cut_lines: int = 0  # lines longer than regex.MAX_LINE, cut to it before any rule saw them
    # Per field, the rule patterns that match it (rules/patternset.py), None when not known.
    _matching: dict[str, frozenset[int] | None] = field(default_factory=dict, compare=False, repr=False)

    def matching(self, field_name: str, sets: PatternSets) -> frozenset[int] | None:
        """Which patterns on one field match it (one Set pass, computed once per field)."""
        if field_name in self._matching:
            return self._matching[field_name]
        found = self._matching[field_name] = sets.matching(field_name, self.fields[field_name])
        return found

    def matches_nothing(self, field_name: str) -> None:
        """Record that no rule pattern on `field_name` matches it: the caller found none of the literals
        every such pattern needs (classify's memo key), so no Set pass is spent on it."""
        self._matching[field_name] = frozenset()

    def present(self, key: tuple[str, bool], index: NeedleIndex) -> frozenset[str]:
        """Which of the rule pack's literals occur in one field (computed once per field).

        A field is lower-cased only when a case-insensitive literal is looked for in it: the
        `source` field (a whole input's failures) is large and most results never need it."""
        found = self._present.get(key)
        if found is None:
            literals = index.get(key)
            found = self._present[key] = literals.find(self.fields[key[0]]) if literals else frozenset()
        return found

    def may_match(self, p: Pattern, index: NeedleIndex) -> bool:
        """False when none of the pattern's required literals occurs in its field."""
        return p.needles is None or not p.needles.isdisjoint(self.present((p.field, p.fold), index))

    def passes(self, gate: tuple[tuple[tuple[str, bool], frozenset[str]], ...], index: NeedleIndex) -> bool:
        return any(not needles.isdisjoint(self.present(key, index)) for key, needles in gate)

    @classmethod
    def of(cls, r: Result, source_context: str = "") -> Evidence:
        message, cut_message = re.clip_lines(peel(strip_ansi(r.message)))
        details, cut_details = re.clip_lines(peel(_bounded(strip_ansi(r.details))))
        head = head_of(r.error_type, message)
        text = head if not details else (details if message and message in details else f"{head}\n{details}")
        fields = {
                "text": text,
                "message": message,
                "log": details,
                "error_type": r.error_type,
                "exception": r.error_type or last_exception(text),
                "test": r.id,
                "file": r.file or "",
                "outcome": r.outcome,
                "source": source_context,
        }
        return cls(fields=fields, cut_lines=cut_message + cut_details)


def names_its_type(error_type: str, message: str) -> bool:
    """True when the message already starts with its exception's name (pytest's `AssertionError: assert ...`, a
    driver's qualified `sqlalchemy.exc.ProgrammingError: ...` under `ProgrammingError`)."""
    first = message.partition(":")[0].strip()
    return bool(error_type) and (first == error_type or first.endswith("." + error_type))


def head_of(error_type: str, message: str) -> str:
    """The first line of a result's text: its message, under its exception's name unless it already says it (the
    name twice, `AssertionError: AssertionError: ...`, was key-v2's reading: key_changes.py)."""
    return message if not error_type or names_its_type(error_type, message) else f"{error_type}: {message}"


def last_exception(text: str) -> str:
    found = ""
    for m in _EXCEPTION_LINE.finditer(text):
        found = m.group("exc")
    return found


@dataclass(frozen=True, slots=True)
class Hit:
    """One rule whose required evidence matched: what it captured and the line that decided it."""

    rule: Rule
    captures: tuple[tuple[str, str], ...]
    line: str
    vetoed_by: str = ""
    also: tuple[tuple[str, str], ...] = ()  # (field, line) each further required field matched on


@dataclass(frozen=True, slots=True)
class Verdict:
    winner: Hit | None
    hits: tuple[Hit, ...]
    cut_lines: int = 0  # said in the evidence (`gardener explain`): what the rules did not see

    def losers(self) -> tuple[tuple[Hit, str], ...]:
        """Every other matching rule with the reason it lost."""
        out: list[tuple[Hit, str]] = []
        for h in self.hits:
            if h is self.winner:
                continue
            if h.vetoed_by:
                out.append((h, f"vetoed by {h.vetoed_by!r}"))
            elif self.winner is not None:
                w = self.winner.rule
                why = (
                    f"lower precedence ({h.rule.precedence} < {w.precedence})"
                    if h.rule.precedence < w.precedence
                    else f"same precedence ({h.rule.precedence}), {w.id} comes first"
                )
                out.append((h, why))
        return tuple(out)


def _line_at(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text[start : end if end != -1 else len(text)]


def _ruled_out(p: Pattern, ev: Evidence, sets: PatternSets | None) -> bool:
    """True when the field's Set answer (if known) says `p` cannot match."""
    if sets is None:
        return False
    known = ev.matching(p.field, sets)
    return known is not None and sets.slot(p) not in known


def _field_match(
    patterns: tuple[Pattern, ...], ev: Evidence, index: NeedleIndex, sets: PatternSets | None = None
) -> tuple[list[re.Match[str] | RuleMatch], str]:
    """All matches of the first pattern (in order) that matches this field, and the text it ran on."""
    present = ev._present
    known = ev.matching(patterns[0].field, sets) if sets is not None else None
    for p in patterns:
        if known is not None:  # the Set's answer is exact: no literal test, no failing search
            if sets.slot(p) not in known:  # type: ignore[union-attr]
                continue
        elif p.needles is not None:  # may_match, inlined: this loop runs ~50 times per result
            found = present.get((p.field, p.fold))
            if found is None:
                found = ev.present((p.field, p.fold), index)
            if p.needles.isdisjoint(found):
                continue
        text = ev.fields[p.field]
        first = p.regex.search(text)
        if first is None:
            continue
        matches = [first]
        if p.regex.groupindex:
            for m in p.regex.finditer(text, first.end() if first.end() > first.start() else first.end() + 1):
                matches.append(m)
                if len(matches) >= MAX_VALUES:
                    break
        return matches, text
    return [], ""


def try_rule(rule: Rule, ev: Evidence, index: NeedleIndex, sets: PatternSets | None = None) -> Hit | None:
    fields = ev.fields
    captures: list[tuple[str, str]] = []
    line = ""
    also: list[tuple[str, str]] = []
    for patterns in rule.match:
        matches, text = _field_match(patterns, ev, index, sets)
        if not matches:
            return None
        if not line:
            line = _line_at(text, matches[0].start())
        else:
            also.append((patterns[0].field, _line_at(text, matches[0].start()).strip()))
        for m in matches:
            for name, value in m.groupdict().items():
                if value and (name, value.strip()) not in captures:
                    captures.append((name, value.strip()))
    for extra in rule.capture:
        if _ruled_out(extra, ev, sets) or not ev.may_match(extra, index):
            continue
        for m in extra.regex.finditer(fields[extra.field]):
            for name, value in m.groupdict().items():
                if value and (name, value.strip()) not in captures and len(captures) < MAX_VALUES * 2:
                    captures.append((name, value.strip()))
    line = line.strip()
    if line == fields["message"]:  # most often the deciding line is the message: held once, not copied per verdict
        line = fields["message"]
    for veto in rule.unless:
        if _ruled_out(veto, ev, sets) or not ev.may_match(veto, index):
            continue
        vm = veto.regex.search(fields[veto.field])
        if vm is not None:
            return Hit(rule, tuple(captures), line, vetoed_by=cut_raw(vm.group(0), 120), also=tuple(also))
    return Hit(rule, tuple(captures), line, also=tuple(also))


def evaluate(rules: RuleSet, evidence: Evidence) -> Verdict:
    hits: list[Hit] = []
    winner: Hit | None = None
    # Only the rules whose every required field has a pattern matching it (one Set pass per field) ...
    sets = rules.pattern_sets if rules.pattern_sets.ready() else None
    order = sets.candidates({f: evidence.matching(f, sets) for f in sets.eager_fields()}) if sets else None
    if order is None:
        # ... or, when a Set could not answer, the rules a needle present in this result opens (plus the
        # ungated ones), in pack order.
        candidates = set(rules.ungated)
        for key, opened in rules.opened_by.items():
            for needle in evidence.present(key, rules.needles):
                candidates.update(opened.get(needle, ()))
        order = sorted(candidates)
    for i in order:
        rule = rules.rules[i]
        hit = try_rule(rule, evidence, rules.needles, sets)
        if hit is None:
            continue
        hits.append(hit)
        if not hit.vetoed_by and (winner is None or rule.precedence > winner.rule.precedence):
            winner = hit
    return Verdict(winner=winner, hits=tuple(hits), cut_lines=evidence.cut_lines)
