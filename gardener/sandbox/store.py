"""All sandbox state behind one lock, with lookups, id allocation and atomic persistence.

Every handler runs inside `read()` or `write()`; `write()` saves the whole state to the state file when the
block ends without an error, so a write that answered 2xx is on disk. One lock for everything is plenty
for a loopback test server and makes lost updates impossible.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from gardener.sandbox import codec
from gardener.sandbox.actions_store import ActionsStore
from gardener.sandbox.persist import load_state_file, save_state_file
from gardener.sandbox.protocol import not_found
from gardener.sandbox.records import Comment, Issue, Label, Repo, now_iso, repo_key

FIRST_ID = 1_000_001  # far above issue numbers, so sending a number where an id belongs fails loudly


class Store:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.lock = threading.RLock()
        self.tables = codec.Tables(next_id=FIRST_ID)
        self._label_index: dict[tuple[str, str], int] = {}
        self._number_index: dict[tuple[str, int], int] = {}
        self._blocking: dict[int, list[int]] = {}
        self.actions = ActionsStore()  # runs and commits: rebuilt from their files at every start, never saved
        if path is not None:
            loaded = load_state_file(path)
            if loaded is not None:
                self.tables = loaded
            self._reindex()

    # -- transactions -------------------------------------------------------------------------------

    @contextmanager
    def read(self) -> Iterator[Store]:
        with self.lock:
            yield self

    @contextmanager
    def write(self) -> Iterator[Store]:
        with self.lock:
            yield self
            self.save()

    def save(self) -> None:
        with self.lock:
            if self.path is not None:
                save_state_file(self.path, codec.encode(self.tables))

    def clear_data(self) -> None:
        """Forget issues, labels and comments; counters stay so numbers and ids are never reused."""
        with self.write():
            t = self.tables
            t.issues.clear()
            t.labels.clear()
            t.comments.clear()
            self._reindex()

    # -- ids and users ------------------------------------------------------------------------------

    def allocate_id(self) -> int:
        value = self.tables.next_id
        self.tables.next_id += 1
        return value

    def user_id(self, login: str) -> int:
        users = self.tables.users
        if login not in users:
            users[login] = len(users) + 1
        return users[login]

    # -- repositories -------------------------------------------------------------------------------

    def add_repo(self, owner: str, name: str) -> Repo:
        key = repo_key(owner, name)
        existing = self.tables.repos.get(key)
        if existing is not None:
            return existing
        repo = Repo(id=self.allocate_id(), owner=owner, name=name, created_at=now_iso())
        self.tables.repos[key] = repo
        self.user_id(owner)
        return repo

    def repo(self, owner: str, name: str) -> Repo:
        found = self.tables.repos.get(repo_key(owner, name))
        if found is None:
            raise not_found()
        return found

    def repo_by_key(self, key: str) -> Repo:
        return self.tables.repos[key]

    def take_number(self, key: str) -> int:
        repo = self.tables.repos[key]
        self.tables.repos[key] = replace(repo, next_number=repo.next_number + 1)
        return repo.next_number

    # -- issues -------------------------------------------------------------------------------------

    def issue(self, key: str, number: int) -> Issue:
        issue_id = self._number_index.get((key, number))
        if issue_id is None:
            raise not_found()
        return self.tables.issues[issue_id]

    def issue_by_id(self, issue_id: int) -> Issue | None:
        return self.tables.issues.get(issue_id)

    def issues_in(self, key: str) -> list[Issue]:
        return [i for i in self.tables.issues.values() if i.repo == key]

    def all_issues(self) -> list[Issue]:
        return list(self.tables.issues.values())

    def put_issue(self, issue: Issue) -> None:
        old = self.tables.issues.get(issue.id)
        self.tables.issues[issue.id] = issue
        self._number_index[(issue.repo, issue.number)] = issue.id
        if (old.blocked_by if old else ()) != issue.blocked_by:
            self._index_blocking()

    def blocking(self, issue_id: int) -> list[int]:
        """Ids of the issues this one blocks (the reverse of `blocked_by`)."""
        return self._blocking.get(issue_id, [])

    # -- labels -------------------------------------------------------------------------------------

    def label_named(self, key: str, name: str) -> Label | None:
        label_id = self._label_index.get((key, name.lower()))
        return None if label_id is None else self.tables.labels[label_id]

    def label(self, label_id: int) -> Label:
        return self.tables.labels[label_id]

    def labels_in(self, key: str) -> list[Label]:
        return sorted((lb for lb in self.tables.labels.values() if lb.repo == key), key=lambda lb: lb.id)

    def put_label(self, label: Label) -> None:
        old = self.tables.labels.get(label.id)
        if old is not None:
            self._label_index.pop((old.repo, old.name.lower()), None)
        self.tables.labels[label.id] = label
        self._label_index[(label.repo, label.name.lower())] = label.id

    def delete_label(self, label: Label) -> None:
        """Remove a label from the repository and from every issue carrying it."""
        del self.tables.labels[label.id]
        self._label_index.pop((label.repo, label.name.lower()), None)
        for issue in self.issues_in(label.repo):
            if label.id in issue.labels:
                self.put_issue(replace(issue, labels=tuple(x for x in issue.labels if x != label.id)))

    # -- comments -----------------------------------------------------------------------------------

    def comment(self, key: str, comment_id: int) -> Comment:
        found = self.tables.comments.get(comment_id)
        if found is None or found.repo != key:
            raise not_found()
        return found

    def comments_on(self, key: str, number: int) -> list[Comment]:
        return sorted(
            (c for c in self.tables.comments.values() if c.repo == key and c.issue_number == number),
            key=lambda c: c.id,
        )

    def all_comments(self) -> list[Comment]:
        return list(self.tables.comments.values())

    def put_comment(self, comment: Comment) -> None:
        self.tables.comments[comment.id] = comment

    def delete_comment(self, comment: Comment) -> None:
        del self.tables.comments[comment.id]

    # -- derived indexes ----------------------------------------------------------------------------

    def _reindex(self) -> None:
        t = self.tables
        self._number_index = {(i.repo, i.number): i.id for i in t.issues.values()}
        self._label_index = {(lb.repo, lb.name.lower()): lb.id for lb in t.labels.values()}
        self._index_blocking()

    def _index_blocking(self) -> None:
        blocking: dict[int, list[int]] = {}
        for issue in sorted(self.tables.issues.values(), key=lambda i: i.id):
            for blocker in issue.blocked_by:
                blocking.setdefault(blocker, []).append(issue.id)
        self._blocking = blocking
