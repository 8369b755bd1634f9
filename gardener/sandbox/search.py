"""The issue search language, parsed and matched as pure functions.

Supported: `repo:`, `user:`/`org:`, `is:issue|pr|open|closed|blocked|blocking`, `type:issue|pr`,
`state:`, `reason:`, `label:` (quoted names; `a,b` means either), `-label:`, `no:label|assignee`,
`author:`, `assignee:`, `in:title,body,comments`, quoted phrases, plain words (all ANDed), `-word` and
`NOT word` to exclude; case-insensitive throughout. Words match whole tokens, as GitHub's index does:
`conn` does not find `connection`. Unknown `key:value` chunks are searched as text, like GitHub does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SCOPES = frozenset({"title", "body", "comments"})
QUALIFIERS = frozenset(
    {"repo", "user", "org", "is", "type", "state", "reason", "label", "no", "author", "assignee", "in"}
)
CHUNK = re.compile(
    r'(?P<neg>-)?(?:(?P<key>[A-Za-z]+):(?:"(?P<quoted>[^"]*)"?|(?P<value>\S*))|"(?P<phrase>[^"]*)"?|(?P<word>\S+))'
)
TOKEN = re.compile(r"\w+")


class QueryError(ValueError):
    """A qualifier value the sandbox (and GitHub) cannot search for."""


@dataclass(frozen=True, slots=True)
class Term:
    tokens: tuple[str, ...]
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Query:
    repos: tuple[str, ...] = ()  # lower-case owner/name
    owners: tuple[str, ...] = ()
    kinds: frozenset[str] = frozenset()  # issue | pr
    states: frozenset[str] = frozenset()
    reasons: frozenset[str] = frozenset()
    flags: frozenset[str] = frozenset()  # blocked | blocking
    label_groups: tuple[frozenset[str], ...] = ()  # each group: any of these; all groups must hold
    excluded_labels: frozenset[str] = frozenset()
    missing: frozenset[str] = frozenset()  # no:label, no:assignee
    authors: frozenset[str] = frozenset()
    assignees: frozenset[str] = frozenset()
    scopes: frozenset[str] = SCOPES
    terms: tuple[Term, ...] = ()


@dataclass(frozen=True, slots=True)
class Doc:
    """What the matcher needs to know about one issue."""

    repo: str  # lower-case owner/name
    state: str
    state_reason: str | None
    labels: frozenset[str]  # lower-case names
    author: str
    assignees: frozenset[str]  # lower-case logins
    title: str
    body: str
    comments: tuple[str, ...] = ()
    blocked: bool = False
    blocking: bool = False


def parse(q: str) -> Query:
    acc: dict[str, list[str]] = {}
    groups: list[frozenset[str]] = []
    excluded: list[str] = []
    terms: list[Term] = []
    negate_next = False
    for m in CHUNK.finditer(q):
        neg = bool(m["neg"]) or negate_next
        negate_next = False
        key = (m["key"] or "").lower()
        value = m["quoted"] if m["quoted"] is not None else m["value"]
        if key in QUALIFIERS and value:
            if key == "label" and neg:
                excluded.append(value.lower())
            elif neg:
                raise QueryError(f"-{key}: (excluding by {key}) is not supported; only -label: is")
            elif key == "label":
                names = [value] if m["quoted"] is not None else value.split(",")
                groups.append(frozenset(n.lower() for n in names if n))
            else:
                acc.setdefault(key, []).append(value.lower())
            continue
        text = m["phrase"] if m["phrase"] is not None else m.group(0).lstrip("-")
        if m["word"] is not None and m["word"] in ("AND", "OR"):
            continue  # boolean keywords: AND is implied; OR is not supported and must not become a word
        if m["word"] == "NOT":
            negate_next = True
            continue
        tokens = tuple(TOKEN.findall(text.lower()))
        if tokens:
            terms.append(Term(tokens, neg))
    return _build(acc, groups, excluded, terms)


def _build(acc: dict[str, list[str]], groups: list[frozenset[str]], excluded: list[str], terms: list[Term]) -> Query:
    kinds, states, flags = set(), set(), set()
    for v in acc.get("is", []):
        if v in ("issue", "pr"):
            kinds.add(v)
        elif v in ("open", "closed"):
            states.add(v)
        elif v in ("blocked", "blocking"):
            flags.add(v)
        else:
            raise QueryError(f"is:{v} is not supported")
    for v in acc.get("type", []):
        if v not in ("issue", "pr"):
            raise QueryError(f"type:{v} is not supported")
        kinds.add(v)
    for v in acc.get("state", []):
        if v not in ("open", "closed"):
            raise QueryError(f"state:{v} is not a state (open or closed)")
        states.add(v)
    scopes: set[str] = set()
    for v in acc.get("in", []):
        scopes.update(s for s in v.split(",") if s)
    if scopes - SCOPES:
        raise QueryError(f"in:{','.join(sorted(scopes - SCOPES))} is not supported")
    return Query(
        repos=tuple(acc.get("repo", [])),
        owners=tuple(acc.get("user", []) + acc.get("org", [])),
        kinds=frozenset(kinds),
        states=frozenset(states),
        reasons=frozenset(r.replace(" ", "_") for r in acc.get("reason", [])),
        flags=frozenset(flags),
        label_groups=tuple(groups),
        excluded_labels=frozenset(excluded),
        missing=frozenset(acc.get("no", [])),
        authors=frozenset(acc.get("author", [])),
        assignees=frozenset(acc.get("assignee", [])),
        scopes=frozenset(scopes) or SCOPES,
        terms=tuple(terms),
    )


def score(query: Query, doc: Doc) -> float | None:
    """None when the issue does not match; otherwise a relevance score (higher is better)."""
    if not _qualifiers_hold(query, doc):
        return None
    texts = [doc.title] * ("title" in query.scopes) + [doc.body] * ("body" in query.scopes)
    if "comments" in query.scopes:
        texts.extend(doc.comments)
    token_lists = [TOKEN.findall(t.lower()) for t in texts]
    hits = 0
    for term in query.terms:
        found = sum(_occurrences(term.tokens, tokens) for tokens in token_lists)
        if bool(found) == term.negated:
            return None
        hits += found
    return 1.0 + hits


def _qualifiers_hold(q: Query, d: Doc) -> bool:
    owner = d.repo.split("/", 1)[0]
    checks = (
        not q.repos or d.repo in q.repos,
        not q.owners or owner in q.owners,
        "pr" not in q.kinds,  # pull requests are not modelled, so is:pr matches nothing
        all(s == d.state for s in q.states),
        all(r == (d.state_reason or "") for r in q.reasons),
        "blocked" not in q.flags or d.blocked,
        "blocking" not in q.flags or d.blocking,
        all(group & d.labels for group in q.label_groups),
        not (q.excluded_labels & d.labels),
        "label" not in q.missing or not d.labels,
        "assignee" not in q.missing or not d.assignees,
        all(a == d.author.lower() for a in q.authors),
        all(a in d.assignees for a in q.assignees),
    )
    return all(checks)


def _occurrences(needle: tuple[str, ...], tokens: list[str]) -> int:
    n = len(needle)
    return sum(1 for i in range(len(tokens) - n + 1) if tuple(tokens[i : i + n]) == needle)
