"""What a rule pack is made of: categories (defaults) and rules (evidence → category).

A rule's evidence is a set of fields, each a tuple of regexes (any may match); every field the
rule names must match for the rule to apply, and no veto may match. Among the rules that apply,
the highest precedence wins (earlier rules win ties, so user rules beat shipped ones).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gardener.model import Layer, Priority

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
    regex: re.Pattern[str]


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
    wrapper: bool = False
    origin: str = "builtin"


@dataclass(frozen=True, slots=True)
class RuleSet:
    categories: dict[str, Category]
    rules: tuple[Rule, ...]

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
