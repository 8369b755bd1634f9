"""The state file's JSON form, and a strict reader that names what is wrong with a damaged file.

A state file is trusted with nothing: every record is checked against its dataclass's field types, and the
counters must lie above every id and number in use, because reusing one would break the promise that a
restarted sandbox never hands out the same issue number or REST id twice.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from typing import Any, TypeVar

from gardener.sandbox.records import Comment, Issue, Label, Repo

FORMAT = "gardener-sandbox-state"
VERSION = 1

R = TypeVar("R", Repo, Issue, Label, Comment)


_FIELD_NAMES = {cls: tuple(f.name for f in dataclasses.fields(cls)) for cls in (Repo, Issue, Label, Comment)}


class CorruptState(ValueError):
    """The state file parsed as JSON but does not hold a sandbox state."""


@dataclass(slots=True)
class Tables:
    """The mutable tables the Store owns; only ever touched under the Store's lock."""

    next_id: int
    users: dict[str, int] = field(default_factory=dict)
    repos: dict[str, Repo] = field(default_factory=dict)  # by repo key
    issues: dict[int, Issue] = field(default_factory=dict)  # by REST id
    labels: dict[int, Label] = field(default_factory=dict)
    comments: dict[int, Comment] = field(default_factory=dict)


def encode(t: Tables) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "next_id": t.next_id,
        "users": dict(t.users),
        "repos": [_row(r) for r in t.repos.values()],
        "labels": [_row(lb) for lb in t.labels.values()],
        "issues": [_row(i) for i in t.issues.values()],
        "comments": [_row(c) for c in t.comments.values()],
    }


def _row(record: Repo | Issue | Label | Comment) -> dict[str, Any]:
    """A record as JSON-ready values; several times faster than dataclasses.asdict, which deep-copies,
    and the whole state is written after every change."""
    row: dict[str, Any] = {}
    for name in _FIELD_NAMES[type(record)]:
        value = getattr(record, name)
        row[name] = list(value) if isinstance(value, tuple) else value
    return row


def decode(data: object) -> Tables:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CorruptState(f'not a sandbox state (expected "format": "{FORMAT}")')
    if data.get("version") != VERSION:
        raise CorruptState(f"unsupported state version {data.get('version')!r} (expected {VERSION})")
    next_id = data.get("next_id")
    users = data.get("users")
    if not isinstance(next_id, int) or isinstance(next_id, bool):
        raise CorruptState("next_id is missing or not an integer")
    if not isinstance(users, dict) or not all(isinstance(k, str) and isinstance(v, int) for k, v in users.items()):
        raise CorruptState("users must map logins to integer ids")
    t = Tables(next_id=next_id, users=dict(users))
    t.repos = {r.key: r for r in _records(Repo, data, "repos")}
    t.labels = {lb.id: lb for lb in _records(Label, data, "labels")}
    t.issues = {i.id: i for i in _records(Issue, data, "issues")}
    t.comments = {c.id: c for c in _records(Comment, data, "comments")}
    _check_consistent(t)
    return t


def _records(cls: type[R], data: dict[str, Any], key: str) -> list[R]:
    rows = data.get(key)
    if not isinstance(rows, list):
        raise CorruptState(f"{key} must be a list")
    hints = typing.get_type_hints(cls)
    out: list[R] = []
    for n, row in enumerate(rows):
        if not isinstance(row, dict):
            raise CorruptState(f"{key}[{n}] is not an object")
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            if f.name not in row:
                if f.default is not dataclasses.MISSING:
                    continue
                raise CorruptState(f"{key}[{n}] lacks {f.name!r}")
            value = row[f.name]
            if not _conforms(value, hints[f.name]):
                raise CorruptState(f"{key}[{n}].{f.name} has the wrong type: {value!r}")
            values[f.name] = tuple(value) if isinstance(value, list) else value
        out.append(cls(**values))
    return out


def _conforms(value: object, hint: Any) -> bool:
    origin = typing.get_origin(hint)
    if origin is types.UnionType or origin is typing.Union:
        return any(_conforms(value, h) for h in typing.get_args(hint))
    if origin is tuple:
        item = typing.get_args(hint)[0]
        return isinstance(value, list) and all(_conforms(v, item) for v in value)
    if hint is type(None):
        return value is None
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, hint)


def _check_consistent(t: Tables) -> None:
    ids = [*t.issues, *t.labels, *t.comments, *(r.id for r in t.repos.values())]
    if ids and max(ids) >= t.next_id:
        raise CorruptState(f"next_id {t.next_id} is not above the largest id in use ({max(ids)})")
    for issue in t.issues.values():
        repo = t.repos.get(issue.repo)
        if repo is None:
            raise CorruptState(f"issue id {issue.id} belongs to unknown repository {issue.repo!r}")
        if issue.number >= repo.next_number:
            raise CorruptState(f"{repo.full_name}#{issue.number} is not below next_number {repo.next_number}")
        for other in (*issue.blocked_by, *issue.sub_issues, *([issue.parent] if issue.parent else [])):
            if other not in t.issues:
                raise CorruptState(f"issue id {issue.id} links to unknown issue id {other}")
        if any(lid not in t.labels for lid in issue.labels):
            raise CorruptState(f"issue id {issue.id} carries an unknown label id")
    for label in t.labels.values():
        if label.repo not in t.repos:
            raise CorruptState(f"label {label.name!r} belongs to unknown repository {label.repo!r}")
    for comment in t.comments.values():
        if comment.repo not in t.repos:
            raise CorruptState(f"comment id {comment.id} belongs to unknown repository {comment.repo!r}")
