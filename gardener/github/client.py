"""The tracker adapter: the only module that imports PyGithub (an import-linter contract says so).

Reads: gardener's own issues by listing its label (open, and closed ones updated within the
lookback), page by page; at most a couple of searches for related human-filed issues. Writes are
serial and paced; rate limits, 5xx and dropped connections are handled by client_retry's rules.
A create or comment whose answer was lost is looked up before it is retried, so a retry never
files the same issue twice. Every request is counted (the worklog footer and JSON report it).

PyGithub's own retries and delays are turned off: this module decides, so it can count, cap the
waits and reconcile ambiguous writes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import github
from github import Auth
from github.GithubException import GithubException
from github.GithubObject import GithubObject
from github.Issue import Issue
from github.PaginatedList import PaginatedList

from gardener import __version__
from gardener.garden.errors import ActionRefused, TrackerUnusable
from gardener.github.client_retry import Failure, Pacer, judge
from gardener.github.settings import TrackerSettings, is_loopback
from gardener.model import IssueRef, LabelSpec, SuspectCommit, TrackerPolicy
from gardener.tracker import markers

T = TypeVar("T")
G = TypeVar("G", bound=GithubObject)
PER_PAGE = 100
RELATED_PER_QUERY = 20
TIMEOUT_S = 20
INSTALLATION_TOKEN = "ghs_"  # GitHub App installation tokens, Actions' GITHUB_TOKEN among them


class _Counter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.value = 0

    def add(self) -> None:
        with self._lock:
            self.value += 1


class CountingToken(Auth.Token):
    """PyGithub's token auth; it is asked for the header once per request, so it counts requests."""

    def __init__(self, token: str, counter: _Counter) -> None:
        super().__init__(token)
        self._counter = counter

    def authentication(self, headers: dict[str, Any]) -> None:
        self._counter.add()
        super().authentication(headers)


class CountingAnonymous(Auth.Auth):
    """No token (reading a public repository): still counts requests, sends no credentials."""

    def __init__(self, counter: _Counter) -> None:
        self._counter = counter

    @property
    def token_type(self) -> str:
        return "none"

    @property
    def token(self) -> str:
        return ""

    def authentication(self, headers: dict[str, Any]) -> None:
        self._counter.add()

    def mask_authentication(self, headers: dict[str, Any]) -> None:
        return None


def _failure(exc: Exception) -> Failure:
    if isinstance(exc, GithubException):
        data = exc.data if isinstance(exc.data, dict) else {}
        errors = [e for e in data.get("errors", []) if isinstance(e, dict)]
        detail = "; ".join(str(e.get("message") or e.get("code")) for e in errors)
        message = str(data.get("message") or exc.message or "")
        headers = {str(k).lower(): str(v) for k, v in (exc.headers or {}).items()}
        return Failure(exc.status, headers, f"{message} ({detail})" if detail else message)
    return Failure(None, {}, type(exc).__name__)


def issue_ref(issue: Issue) -> IssueRef:
    marker = markers.parse(issue.body)
    return IssueRef(
        number=issue.number,
        id=issue.id,
        title=issue.title or "",
        state=issue.state,
        url=issue.html_url or "",
        state_reason=issue.state_reason,
        labels=tuple(label.name for label in issue.labels),
        body=issue.body or "",
        closed_at=issue.closed_at,
        updated_at=issue.updated_at,
        meta=markers.payload(marker) if marker else None,
    )


class GitHubTracker:
    """gardener's view of one repository's issues, through PyGithub."""

    def __init__(self, settings: TrackerSettings, policy: TrackerPolicy, *, backoff_s: float = 1.0,
                 timeout_s: int = TIMEOUT_S, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.time, pace: bool | None = None) -> None:
        self.settings = settings
        self.policy = policy
        self._counter = _Counter()
        auth: Auth.Auth = (CountingToken(settings.token, self._counter) if settings.token
                           else CountingAnonymous(self._counter))
        self._gh = github.Github(
            base_url=settings.api_url.rstrip("/"), auth=auth, retry=None, seconds_between_requests=None,
            seconds_between_writes=None, timeout=timeout_s, per_page=PER_PAGE, lazy=True,
            user_agent=f"gardener/{__version__}",
        )
        self._repo = self._gh.get_repo(settings.repo)  # lazy: no request until one is needed
        self._backoff_s = backoff_s
        self._sleep = sleep
        self._clock = clock
        # GitHub's secondary limits punish bursts of writes; a sandbox on loopback has none (pace: None).
        pace = not is_loopback(settings.api_url) if pace is None else pace
        self._pacer = Pacer(policy.write_interval_s if pace else 0.0, sleep)
        self._started = datetime.now(UTC)

    # -- what the pipeline asks ------------------------------------------------------------------

    @property
    def name(self) -> str:
        return f"{self.settings.repo} at {self.settings.api_url}"

    def requests_made(self) -> int:
        return self._counter.value

    def known_issues(self) -> tuple[IssueRef, ...]:
        bot = [self.policy.bot_label]
        since = datetime.now(UTC) - timedelta(days=self.policy.lookback_days)
        issues = self._pages(self._repo.get_issues(state="open", labels=bot))
        issues += self._pages(self._repo.get_issues(state="closed", labels=bot, since=since))
        return tuple(issue_ref(i) for i in issues)

    def search_related(self, words: Sequence[str]) -> tuple[IssueRef, ...]:
        """Open issues without the bot label mentioning each word (one search per word)."""
        found: dict[int, IssueRef] = {}
        label = self.policy.bot_label
        quoted = f'"{label}"' if " " in label else label
        for word in words:
            query = f"repo:{self.settings.repo} is:issue is:open -label:{quoted} {word}"
            page = self._read(lambda q=query: self._gh.search_issues(q).get_page(0))  # type: ignore[misc]
            for issue in page[:RELATED_PER_QUERY]:
                found.setdefault(issue.number, issue_ref(issue))
        return tuple(found.values())

    def compare_commits(self, base: str, head: str) -> tuple[SuspectCommit, ...]:
        """One compare call (`GET /repos/{o}/{r}/compare/{base}...{head}`, its first page of up to 250
        commits). A compare lists commits without their files, and fetching each commit would cost a
        request per commit: a file of the comparison is given to the commit its `blob_url` names (the
        latest in the range that changed it on the sandbox; GitHub names the head there)."""
        def call() -> tuple[SuspectCommit, ...]:
            data = self._repo.compare(base, head).raw_data
            shas = [str(c.get("sha", "")) for c in data.get("commits", []) if isinstance(c, dict)]
            files: dict[str, list[str]] = {sha: [] for sha in shas}
            for f in data.get("files") or []:
                owner = _blob_commit(str(f.get("blob_url") or ""), shas)
                files.setdefault(owner, []).append(str(f.get("filename") or ""))
            out = []
            for c in data.get("commits", []):
                commit = c.get("commit") or {}
                author = (c.get("author") or {}).get("login") or (commit.get("author") or {}).get("name") or ""
                subject = str(commit.get("message") or "").splitlines()[0] if commit.get("message") else ""
                out.append(SuspectCommit(str(c.get("sha", "")), str(author), subject,
                                         tuple(files.get(str(c.get("sha", "")), ()))))
            return tuple(out)

        return self._read(call)

    def prepare_writes(self, labels: Sequence[LabelSpec]) -> None:
        """Checks push access (without it GitHub silently drops the labels of a new issue, and gardener
        could not find its issues again) and creates the labels that are missing.

        A repository's `permissions` describe the token's *user*; an installation token (`ghs_`, such
        as Actions' GITHUB_TOKEN) has none and reads as push: false whatever it was granted. For those
        the first create is checked instead (create_issue)."""
        if not (self.settings.token or "").startswith(INSTALLATION_TOKEN):
            permissions = self._read(lambda: self._repo.permissions)
            if permissions is not None and not (permissions.push or permissions.maintain or permissions.admin):
                raise TrackerUnusable(f"the token cannot push to {self.settings.repo}: GitHub would drop the "
                                      "labels gardener finds its issues by; nothing was written")
        existing = {label.name.lower() for label in self._pages(self._repo.get_labels())}
        for spec in labels:
            if spec.name.lower() not in existing:
                self._write(lambda s=spec: self._repo.create_label(s.name, s.color, s.description),  # type: ignore[misc]
                            accept=lambda f: f.status == 422 and "already" in f.message.lower())

    def create_issue(self, title: str, body: str, labels: Sequence[str], signature: str) -> IssueRef:
        created = self._write(lambda: self._repo.create_issue(title=title, body=body, labels=list(labels)),
                              reconcile=lambda: self._find_created(signature))
        issue = created if isinstance(created, IssueRef) else issue_ref(created)
        if self.policy.bot_label in labels and self.policy.bot_label not in issue.labels:
            # Labels silently dropped: this issue could never be found again. Take it back and stop.
            self.edit_issue(issue.number, state="closed", state_reason="not_planned")
            raise TrackerUnusable(f"GitHub dropped the labels of #{issue.number} (closed again): the token needs "
                                  "push access, or issues: write for a GitHub App or Actions' GITHUB_TOKEN")
        return issue

    def edit_issue(self, number: int, *, body: str | None = None, labels: Sequence[str] | None = None,
                   state: str | None = None, state_reason: str | None = None) -> IssueRef:
        issue = self._repo.get_issue(number)  # lazy
        changes: dict[str, Any] = {}
        if body is not None:
            changes["body"] = body
        if labels is not None:
            changes["labels"] = list(labels)
        if state is not None:
            changes["state"] = state
        if state_reason is not None:
            changes["state_reason"] = state_reason
        self._write(lambda: issue.edit(**changes))  # PATCH is idempotent: retrying is safe
        return issue_ref(issue)

    def add_comment(self, number: int, body: str) -> None:
        issue = self._repo.get_issue(number)
        self._write(lambda: issue.create_comment(body), reconcile=lambda: self._find_comment(issue, body))

    def link_blocked_by(self, number: int, blocker_id: int) -> None:
        # PyGithub's Issue.add_blocked_by needs both issues fetched; the requester call is the same POST.
        url = f"{self._repo.url}/issues/{number}/dependencies/blocked_by"
        self._write(lambda: self._gh.requester.requestJsonAndCheck("POST", url, input={"issue_id": blocker_id}),
                    accept=lambda f: f.status == 422 and "already" in f.message.lower())

    def unlink_blocked_by(self, number: int, blocker_id: int) -> None:
        url = f"{self._repo.url}/issues/{number}/dependencies/blocked_by/{blocker_id}"
        self._write(lambda: self._gh.requester.requestJsonAndCheck("DELETE", url),
                    accept=lambda f: f.status == 404)

    # -- reconciling writes whose answer was lost --------------------------------------------------

    def _find_created(self, signature: str) -> IssueRef | None:
        since = self._started - timedelta(minutes=2)
        listing = self._repo.get_issues(state="all", labels=[self.policy.bot_label], since=since, sort="created",
                                        direction="desc")
        for issue in self._read(lambda: listing.get_page(0)):
            marker = markers.parse(issue.body)
            if marker is not None and signature in marker.digests():
                return issue_ref(issue)
        return None

    def _find_comment(self, issue: Issue, body: str) -> object | None:
        since = self._started - timedelta(minutes=2)
        comments = self._read(lambda: issue.get_comments(since=since).get_page(0))
        return next((c for c in comments if (c.body or "").strip() == body.strip()), None)

    # -- requests ----------------------------------------------------------------------------------

    def _pages(self, listing: PaginatedList[G]) -> list[G]:
        items: list[G] = []
        page = 0
        while True:
            batch = self._read(lambda n=page: listing.get_page(n))  # type: ignore[misc]
            items.extend(batch)
            if len(batch) < PER_PAGE:
                return items
            page += 1

    def _read(self, call: Callable[[], T]) -> T:
        return self._attempt(call, None, None)

    def _write(self, call: Callable[[], T], reconcile: Callable[[], object | None] | None = None,
               accept: Callable[[Failure], bool] | None = None) -> T | Any:
        self._pacer.wait()
        return self._attempt(call, reconcile, accept)

    def _attempt(self, call: Callable[[], T], reconcile: Callable[[], object | None] | None,
                 accept: Callable[[Failure], bool] | None) -> T | Any:
        attempt = 0
        while True:
            attempt += 1
            try:
                return call()
            except (GithubException, OSError) as exc:  # requests' errors are OSErrors
                failure = _failure(exc)
            if accept is not None and accept(failure):
                return None
            verdict = judge(failure, attempt, self.policy, self._clock(), self._backoff_s)
            if verdict.action == "stop":
                raise TrackerUnusable(verdict.why) from None
            if verdict.action == "retry":
                self._sleep(verdict.wait_s)
            if failure.ambiguous and reconcile is not None:
                # The write may have happened although its answer was lost: look (after the wait,
                # so a slow write has landed) before writing again.
                done = reconcile()
                if done is not None:
                    return done
            if verdict.action == "refuse":
                raise ActionRefused(verdict.why, status=failure.status, transient=failure.ambiguous) from None


def _blob_commit(blob_url: str, shas: Sequence[str]) -> str:
    """The range's commit a compare file's blob URL (`…/blob/<sha>/<path>`) names; the head when none."""
    for sha in shas:
        if f"/blob/{sha}/" in blob_url:
            return sha
    return shas[-1] if shas else ""
