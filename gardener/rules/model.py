"""What a rule pack is made of: categories (defaults) and rules (evidence → category).

A rule's evidence is a set of fields, each a tuple of regexes (any may match); every field the
rule names must match for the rule to apply, and no veto may match. Among the rules that apply,
the highest precedence wins (earlier rules win ties, so user rules beat shipped ones).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gardener import regex as re
from gardener.model import Layer, Priority
from gardener.rules.pattern import DeferredPattern, RulePattern

if TYPE_CHECKING:
    from gardener.rules.patternset import PatternSets

# The text fields a rule can look at, built per result by the engine (see engine.Evidence).
FIELDS: tuple[str, ...] = ("text", "message", "log", "error_type", "exception", "test", "file", "outcome", "source")

# How a finding's key spans results: the masked key alone (a shared cause across tests), the key
# plus the test identity (a test's own logic), or the key plus the failing code location.
SCOPES: tuple[str, ...] = ("shared", "test", "location")


@dataclass(frozen=True, slots=True)
class Category:
    name: str
    priority: Priority
    area: str
    layer: Layer
    blocks: tuple[str, ...] = ()
    title: str = ""
    remediation: str = ""


@dataclass(frozen=True, slots=True)
class Pattern:
    field: str
    regex: DeferredPattern | re.Pattern[str] | RulePattern  # the loader's are DeferredPattern
    needles: frozenset[str] | None = None  # one of these occurs in any match (see prefilter.py)
    fold: bool = False  # needles are lower-case; compare with the lower-cased field



@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    category: str
    precedence: int
    match: tuple[tuple[Pattern, ...], ...]  # one tuple per field; any pattern in it may match
    unless: tuple[Pattern, ...] = ()
    capture: tuple[Pattern, ...] = ()  # optional: adds named groups, never decides
    scope: str = "shared"
    key: str = ""
    title: str = ""
    root_cause: str = ""
    remediation: str = ""
    priority: Priority | None = None
    area: str | None = None
    blocks: tuple[str, ...] | None = None
    # Where the failure acts, when not where its category does: a type error that stops the app's
    # build leaves the tests' server missing (environment), not one test module (collection).
    layer: Layer | None = None
    wrapper: bool = False
    weak: bool = False  # weak evidence of its category: joins a stronger result of it from the same input
    origin: str = "builtin"

    @property
    def gate(self) -> Gate | None:
        """Literals of which one must occur for the first required field to match, or None."""
        groups: dict[tuple[str, bool], set[str]] = {}
        for p in self.match[0]:
            if p.needles is None:
                return None
            groups.setdefault((p.field, p.fold), set()).update(p.needles)
        return tuple((k, frozenset(v)) for k, v in groups.items())


NeedleIndex = dict[tuple[str, bool], re.LiteralSet]
Gate = tuple[tuple[tuple[str, bool], frozenset[str]], ...]


def needle_index(rules: tuple[Rule, ...]) -> NeedleIndex:
    """Every distinct needle per (field, case-folded?), all found in one pass over the field."""
    index: dict[tuple[str, bool], set[str]] = {}
    for rule in rules:
        for p in (*(p for f in rule.match for p in f), *rule.unless, *rule.capture):
            if p.needles is not None:
                index.setdefault((p.field, p.fold), set()).update(p.needles)
    return {k: re.LiteralSet(tuple(sorted(v)), fold=k[1]) for k, v in index.items()}


Opened = dict[tuple[str, bool], dict[str, tuple[int, ...]]]


def gated_rules(gates: tuple[Gate | None, ...]) -> tuple[tuple[int, ...], Opened]:
    """The rules without a gate, and for each (field, fold) and needle the rules it opens, so a result
    only tries the rules one of its needles opens."""
    ungated = tuple(i for i, gate in enumerate(gates) if gate is None)
    opened: dict[tuple[str, bool], dict[str, list[int]]] = {}
    for i, gate in enumerate(gates):
        for key, needles in gate or ():
            for needle in needles:
                opened.setdefault(key, {}).setdefault(needle, []).append(i)
    return ungated, {k: {n: tuple(v) for n, v in by.items()} for k, by in opened.items()}


@dataclass(frozen=True, slots=True)
class RuleSet:
    categories: dict[str, Category]
    rules: tuple[Rule, ...]
    needles: NeedleIndex = field(init=False, compare=False, repr=False)
    gates: tuple[Gate | None, ...] = field(init=False, compare=False, repr=False)
    ungated: tuple[int, ...] = field(init=False, compare=False, repr=False)
    opened_by: Opened = field(init=False, compare=False, repr=False)
    pattern_sets: PatternSets = field(init=False, compare=False, repr=False)  # built on first evaluation

    def __post_init__(self) -> None:
        from gardener.rules.patternset import PatternSets  # it reads this module's types

        object.__setattr__(self, "pattern_sets", PatternSets(self.rules))
        object.__setattr__(self, "needles", needle_index(self.rules))
        gates = tuple(r.gate for r in self.rules)
        object.__setattr__(self, "gates", gates)
        ungated, opened = gated_rules(gates)
        object.__setattr__(self, "ungated", ungated)
        object.__setattr__(self, "opened_by", opened)

    def category(self, name: str) -> Category:
        return self.categories[name]

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def with_user_rules(self, user: tuple[Rule, ...], categories: dict[str, Category] | None = None) -> RuleSet:
        """User rules first; a user rule replaces the shipped rule with the same id."""
        replaced = {r.id for r in user}
        merged_categories = {**self.categories, **(categories or {})}
        return RuleSet(
            categories=merged_categories,
            rules=user + tuple(r for r in self.rules if r.id not in replaced),
        )
