"""Where a recorded run's metadata comes from, field by field, first source that knows wins:

1. the GitHub run itself (a run read through the Actions API: `github`),
2. the Actions environment (GITHUB_* variables, only when GITHUB_ACTIONS=true),
3. the command line (--commit, --branch, --run-id, --started-at; the reports' own timestamps stand in
   for --started-at),
4. git in the working directory (HEAD, its branch, the origin remote as owner/name).

So a replay of old runs is recorded with the times and commits they had.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gardener import regex as re
from gardener.history.errors import HistoryError
from gardener.history.record import CaseRow, FindingRow, RunMeta, content_digest

if TYPE_CHECKING:
    from gardener.sources.model import RunInfo

_REMOTE = re.lazy(r"(?:github\.com[:/]|^)([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)(?:\.git)?/?$")
_SHA = re.lazy(r"[0-9a-f]{7,64}")
GIT_FIELDS = ("repo", "sha", "branch")
FIELDS = ("repo", "workflow", "job", "run_id", "attempt", "sha", "branch", "event", "url", "started_at")
# A run's identity comes whole from one source: a GitHub run read by id must not take the job name of the
# Actions job gardener itself runs in.
IDENTITY = ("run_id", "attempt", "job", "workflow", "url", "event")


@dataclass(frozen=True, slots=True)
class MetaOptions:
    """What the command line says about the run (all optional)."""

    repo: str | None = None
    commit: str | None = None
    branch: str | None = None
    run_id: str | None = None
    started_at: str | None = None  # ISO 8601


def parse_time(text: str, what: str = "--started-at") -> datetime:
    try:
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise HistoryError(what, f"{text!r} is not an ISO 8601 time (e.g. 2026-11-28T09:30:00Z)") from None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _int(text: str | None) -> int | None:
    return int(text) if text and text.strip().isdigit() else None


def actions_layer(environ: Mapping[str, str]) -> dict[str, Any]:
    if environ.get("GITHUB_ACTIONS") != "true":
        return {}
    repo = environ.get("GITHUB_REPOSITORY") or None
    run_id = _int(environ.get("GITHUB_RUN_ID"))
    attempt = _int(environ.get("GITHUB_RUN_ATTEMPT"))
    server = (environ.get("GITHUB_SERVER_URL") or "https://github.com").rstrip("/")
    url = f"{server}/{repo}/actions/runs/{run_id}" + (f"/attempts/{attempt}" if attempt else "") \
        if repo and run_id else None
    return {"repo": repo, "workflow": environ.get("GITHUB_WORKFLOW") or None, "job": environ.get("GITHUB_JOB") or None,
            "run_id": run_id, "attempt": attempt, "sha": environ.get("GITHUB_SHA") or None,
            "branch": environ.get("GITHUB_HEAD_REF") or environ.get("GITHUB_REF_NAME") or None,
            "event": environ.get("GITHUB_EVENT_NAME") or None, "url": url}


def options_layer(options: MetaOptions, report_started: datetime | None) -> dict[str, Any]:
    run_id = None
    if options.run_id:
        if not options.run_id.strip().isdigit():
            raise HistoryError("--run-id", f"{options.run_id!r} is not a number (a GitHub Actions run id)")
        run_id = int(options.run_id)
    sha = options.commit.strip().lower() if options.commit else None
    if sha is not None and not _SHA.fullmatch(sha):
        raise HistoryError("--commit", f"{options.commit!r} is not a commit SHA (7 to 64 hex digits)")
    started = parse_time(options.started_at) if options.started_at else report_started
    return {"repo": options.repo, "sha": sha, "branch": options.branch, "run_id": run_id, "started_at": started}


def git(args: Sequence[str], cwd: Path) -> str | None:
    import subprocess  # here: a run outside a repository (git_layer) spawns no git and need not import it

    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    out = done.stdout.strip()
    return out if done.returncode == 0 and out else None


def in_repository(cwd: Path, environ: Mapping[str, str] = os.environ) -> bool:
    """Whether git could find a repository from `cwd`: its own upward search finds a `.git` (or `cwd` sits in
    a bare repository); with GIT_DIR or GIT_WORK_TREE set, git is asked. False means git would fail too."""
    if environ.get("GIT_DIR") or environ.get("GIT_WORK_TREE"):
        return True
    here = cwd.absolute()
    return any((d / ".git").exists() or ((d / "HEAD").is_file() and (d / "objects").is_dir())
               for d in (here, *here.parents))


def needs_git(*layers: Mapping[str, Any]) -> bool:
    """Whether git could add anything: the fields it gives are not all known from the layers above it (the
    Actions environment names all three, so a run in Actions spawns no git)."""
    return not all(any(layer.get(name) not in (None, "") for layer in layers) for name in GIT_FIELDS)


def git_layer(cwd: Path, run: Callable[[Sequence[str], Path], str | None] = git) -> dict[str, Any]:
    if not in_repository(cwd):  # outside a repository each git process would only fail, a few ms each
        return {}
    remote = run(["config", "--get", "remote.origin.url"], cwd)
    m = _REMOTE.search(remote) if remote else None
    # One process for both (each git spawn costs a few ms of a ~200 ms run): the commit, then its branch.
    # Without a commit (an empty repository) both are unknown, as each alone would be.
    head = (run(["rev-parse", "HEAD", "--abbrev-ref", "HEAD"], cwd) or "").split("\n")
    sha, branch = (head[0].strip(), head[1].strip()) if len(head) == 2 else (None, None)
    return {"repo": m.group(1) if m else None, "sha": sha or None,
            "branch": branch if branch and branch != "HEAD" else None}


def run_layer(run: RunInfo) -> dict[str, Any]:
    """A GitHub Actions run read through the API (the whole run: no job)."""
    return {"repo": run.repo, "workflow": run.workflow or None, "job": None, "run_id": run.id,
            "attempt": run.attempt, "sha": run.head_sha or None, "branch": run.head_branch or None,
            "event": run.event or None, "url": run.html_url or None, "started_at": run.created_at}


def merge(*layers: Mapping[str, Any]) -> dict[str, Any]:
    """Field by field, the first layer with a value wins; the identity fields all come from the first layer
    that names a run id."""
    out: dict[str, Any] = {}
    for name in FIELDS:
        out[name] = next((layer[name] for layer in layers if layer.get(name) not in (None, "")), None)
    owner = next((layer for layer in layers if layer.get("run_id")), None)
    if owner is not None:
        out.update({name: owner.get(name) for name in IDENTITY})
    return out


def run_meta(fields: Mapping[str, Any], tests: Sequence[CaseRow], findings: Sequence[FindingRow], now: datetime,
             fallback_repo: str, sig_version: str) -> RunMeta:
    """The natural key: a GitHub run's id, attempt and job; else a digest of what the run found."""
    repo = fields.get("repo") or fallback_repo
    started: datetime | None = fields.get("started_at")
    if fields.get("run_id"):
        key = f"gh:{fields['run_id']}:{fields.get('attempt') or 1}:{fields.get('job') or ''}"
    else:
        key = "local:" + content_digest(tests, findings, fields.get("sha"), started.isoformat() if started else None)
    return RunMeta(repo=repo, run_key=key, started_at=started or now, sig_version=sig_version,
                   workflow=fields.get("workflow"), job=fields.get("job"), run_id=fields.get("run_id"),
                   attempt=fields.get("attempt"), sha=fields.get("sha"), branch=fields.get("branch"),
                   event=fields.get("event"), url=fields.get("url"))
