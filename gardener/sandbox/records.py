"""The sandbox's stored objects: immutable records, replaced whole on every change."""

from __future__ import annotations

import time
from dataclasses import dataclass


def now_iso() -> str:
    """UTC timestamp at second resolution, as GitHub prints it."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


@dataclass(frozen=True, slots=True)
class Repo:
    id: int
    owner: str
    name: str
    created_at: str
    next_number: int = 1  # issue numbers are never reused, even after a reset

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    @property
    def key(self) -> str:
        return repo_key(self.owner, self.name)


def repo_key(owner: str, name: str) -> str:
    """GitHub repository names are case-insensitive."""
    return f"{owner}/{name}".lower()


@dataclass(frozen=True, slots=True)
class Label:
    id: int
    repo: str  # repo key
    name: str
    color: str
    description: str | None
    default: bool = False


@dataclass(frozen=True, slots=True)
class Issue:
    id: int  # the REST database id, global across repositories
    repo: str  # repo key
    number: int
    title: str
    body: str | None
    user: str
    state: str  # open | closed
    state_reason: str | None
    labels: tuple[int, ...]  # label ids, in the order they were added
    assignees: tuple[str, ...]
    comments: int
    created_at: str
    updated_at: str
    closed_at: str | None
    closed_by: str | None
    locked: bool = False
    blocked_by: tuple[int, ...] = ()  # issue ids of the blockers
    parent: int | None = None  # issue id of the parent when this is a sub-issue
    sub_issues: tuple[int, ...] = ()  # issue ids, in priority order


@dataclass(frozen=True, slots=True)
class Comment:
    id: int
    repo: str  # repo key
    issue_number: int
    body: str
    user: str
    created_at: str
    updated_at: str
