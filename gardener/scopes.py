"""Test categories (`--scope`) and product areas from config, and which results belong to them.

Both are declared by path globs, pytest markers and command names; an area adds the words the
documents use for its business impact, its required checks and its documentation links.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase

from gardener.model import Result


@dataclass(frozen=True, slots=True)
class Selector:
    """Path globs, markers and command names; a result matching any of them is selected."""

    paths: tuple[str, ...] = ()
    markers: tuple[str, ...] = ()
    commands: tuple[str, ...] = ()

    def selects(self, r: Result) -> bool:
        path = result_path(r)
        if path and any(fnmatchcase(path, g) or fnmatchcase(path, f"*/{g}") for g in self.paths):
            return True
        props = dict(r.properties)
        markers = set(props.get("markers", "").split())
        if markers & set(self.markers):
            return True
        return props.get("command") in self.commands


@dataclass(frozen=True, slots=True)
class ScopeSpec:
    name: str
    select: Selector


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Doc:
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class AreaSpec:
    """A part of the product the documents talk about in business terms (seed 002's context)."""

    name: str
    select: Selector
    impact: str = ""
    share: str = ""
    checks: tuple[Check, ...] = ()
    docs: tuple[Doc, ...] = ()


def result_path(r: Result) -> str:
    """The test file a result belongs to, with forward slashes; '' for log incidents.

    The id's path comes first: `file` may name the frame that raised (a library's file), not the test.
    """
    raw = r.id.split("::", 1)[0] if "::" in r.id else (r.file or "")
    return raw.replace("\\", "/")


def scope_of(r: Result, scopes: Sequence[ScopeSpec]) -> str | None:
    """The first configured scope selecting the result, else the scope its command declared."""
    for s in scopes:
        if s.select.selects(r):
            return s.name
    return dict(r.properties).get("scope")


def in_scope(r: Result, scope: str, scopes: Sequence[ScopeSpec]) -> bool:
    """Results of the scope, plus log incidents that belong to no scope: broken infrastructure
    (a failed image build, a full disk) stops every category of tests, so it is never filtered out."""
    found = scope_of(r, scopes)
    if found is not None:
        return found == scope
    return r.source.kind == "log" and not result_path(r)


def filter_scope(results: Sequence[Result], scope: str | None, scopes: Sequence[ScopeSpec]) -> tuple[Result, ...]:
    if scope is None:
        return tuple(results)
    return tuple(r for r in results if in_scope(r, scope, scopes))
