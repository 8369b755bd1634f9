"""Reading Actions runs (`DIR/<run id>/run.json`) and commits (`DIR/commits.json`) from local files.

A run file is checked whole before anything is served from it; a broken one is reported as one line naming
the file and what is wrong, and the other runs in the folder still load. Paths in a run file are relative to
its folder (absolute paths work too). Nothing named by a run file is executed or parsed: logs and archives
are streamed to clients as they are, which is how tests serve hostile zips.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gardener.errors import ConfigError, InputError
from gardener.sandbox.actions_records import CONCLUSIONS, STATUSES, Commit, FileChange

COMMITS_FILE = "commits.json"
RUN_FILE = "run.json"
SHA = re.compile(r"[0-9a-fA-F]{4,64}")
REPO = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}")
UNSET: Any = object()  # "conclusion" absent (derived from the jobs) vs present and null (still running)


class RunSpecError(ValueError):
    """What is wrong with a run or commits description, in one line (the caller adds the file name)."""


@dataclass(frozen=True, slots=True)
class StepSpec:
    name: str
    status: str
    conclusion: str | None
    started_at: str | None
    completed_at: str | None


@dataclass(frozen=True, slots=True)
class JobSpec:
    name: str
    attempt: int
    status: str
    conclusion: str | None
    log: Path | None
    steps: tuple[StepSpec, ...]
    id: int | None
    started_at: str | None
    completed_at: str | None
    runner_name: str | None
    labels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ArtifactSpec:
    name: str
    path: Path  # a folder (zipped by the sandbox) or a file (served as is)
    expired: bool
    id: int | None
    created_at: str | None
    expires_at: str | None
    attempt: int = 1  # which attempt uploaded it: GitHub keeps no such field, only the upload time says


@dataclass(frozen=True, slots=True)
class RunSpec:
    id: int | None
    repo: str | None  # OWNER/NAME; None: the sandbox's first repository
    workflow: str
    workflow_path: str | None
    head_sha: str
    head_branch: str | None
    event: str
    created_at: str
    updated_at: str | None
    status: str | None
    conclusion: Any  # str | None, or UNSET
    run_number: int | None
    display_title: str | None
    actor: str | None
    jobs: tuple[JobSpec, ...]
    artifacts: tuple[ArtifactSpec, ...]


# -- files ------------------------------------------------------------------------------------------


def load_runs_dir(folder: Path) -> tuple[tuple[RunSpec, ...], tuple[Commit, ...], tuple[str, ...]]:
    """Every `<run id>/run.json` under `folder` and its commits.json; problems come back as one-liners."""
    if not folder.is_dir():
        raise ConfigError("command line", "--runs", f"{folder} is not a folder")
    runs: list[RunSpec] = []
    problems: list[str] = []
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        file = sub / RUN_FILE
        if not file.is_file():
            continue
        try:
            runs.append(read_run_file(file))
        except InputError as exc:
            problems.append(str(exc))
    commits: tuple[Commit, ...] = ()
    if (folder / COMMITS_FILE).exists():
        try:
            commits = read_commits_file(folder / COMMITS_FILE)
        except InputError as exc:
            problems.append(str(exc))
    return tuple(runs), commits, tuple(problems)


def read_run_file(file: Path) -> RunSpec:
    data = _read_json(file)
    default_id = int(file.parent.name) if file.parent.name.isdigit() else None
    try:
        return parse_run(data, file.parent, default_id, need_id=True)
    except RunSpecError as exc:
        raise InputError(str(file), str(exc)) from None


def read_commits_file(file: Path) -> tuple[Commit, ...]:
    try:
        return parse_commits(_read_json(file))
    except RunSpecError as exc:
        raise InputError(str(file), str(exc)) from None


def _read_json(file: Path) -> Any:
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(str(file), f"cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InputError(str(file), "not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise InputError(str(file), f"not JSON: {exc.msg} at line {exc.lineno}") from None


# -- run descriptions -------------------------------------------------------------------------------


def parse_run(data: Any, base: Path, default_id: int | None = None, *, need_id: bool = False) -> RunSpec:
    """A run description (the run.json object) with paths relative to `base`; RunSpecError when invalid.

    Without an id (and not `need_id`), the sandbox picks one when the run is registered."""
    obj = _object(data, "the run")
    jobs_raw = obj.get("jobs")
    if not isinstance(jobs_raw, list):
        raise RunSpecError("'jobs' must be a list of jobs")
    artifacts_raw = obj.get("artifacts", [])
    if not isinstance(artifacts_raw, list):
        raise RunSpecError("'artifacts' must be a list")
    repo = _opt_str(obj, "repo")
    if repo is not None and not REPO.fullmatch(repo):
        raise RunSpecError(f"'repo' must be OWNER/NAME, got {repo!r}")
    run_id = _opt_int(obj, "id", default_id)
    if run_id is None and need_id:
        raise RunSpecError("no run id: name the folder after it (DIR/123/run.json) or give 'id'")
    head_sha = _str(obj, "head_sha")
    if not SHA.fullmatch(head_sha):
        raise RunSpecError(f"'head_sha' must be a hexadecimal commit SHA, got {head_sha!r}")
    conclusion = obj.get("conclusion", UNSET)
    if conclusion is not UNSET:
        conclusion = _conclusion(conclusion, "'conclusion'")
    status = _opt_str(obj, "status")
    if status is not None and status not in STATUSES:
        raise RunSpecError(f"'status' must be one of {', '.join(STATUSES)}, got {status!r}")
    return RunSpec(
        id=run_id,
        repo=repo,
        workflow=_str(obj, "workflow"),
        workflow_path=_opt_str(obj, "workflow_path"),
        head_sha=head_sha.lower(),
        head_branch=_opt_str(obj, "head_branch"),
        event=_opt_str(obj, "event") or "push",
        created_at=_time(obj.get("created_at"), "'created_at'") or _now(),
        updated_at=_time(obj.get("updated_at"), "'updated_at'"),
        status=status,
        conclusion=conclusion,
        run_number=_opt_int(obj, "run_number"),
        display_title=_opt_str(obj, "display_title"),
        actor=_opt_str(obj, "actor"),
        jobs=tuple(_job(j, base, n) for n, j in enumerate(jobs_raw, 1)),
        artifacts=tuple(_artifact(a, base, n) for n, a in enumerate(artifacts_raw, 1)),
    )


def _job(data: Any, base: Path, n: int) -> JobSpec:
    where = f"jobs[{n - 1}]"
    obj = _object(data, where)
    conclusion = _conclusion(obj.get("conclusion", "success"), f"{where}.conclusion")
    status = _opt_str(obj, "status", where) or ("completed" if conclusion is not None else "in_progress")
    if status not in STATUSES:
        raise RunSpecError(f"{where}.status must be one of {', '.join(STATUSES)}, got {status!r}")
    attempt = _opt_int(obj, "attempt", 1, where)
    assert attempt is not None
    if attempt < 1:
        raise RunSpecError(f"{where}.attempt must be 1 or more, got {attempt}")
    steps_raw = obj.get("steps", [])
    if not isinstance(steps_raw, list):
        raise RunSpecError(f"{where}.steps must be a list")
    log = _opt_str(obj, "log", where)
    log_path = _path(base, log, f"{where}.log") if log is not None else None
    if log_path is not None and not log_path.is_file():
        raise RunSpecError(f"{where}.log names {log_path}, which is not a file")
    labels = obj.get("labels", ["ubuntu-latest"])
    if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
        raise RunSpecError(f"{where}.labels must be a list of strings")
    return JobSpec(
        name=_str(obj, "name", where),
        attempt=attempt,
        status=status,
        conclusion=conclusion,
        log=log_path,
        steps=tuple(_step(s, f"{where}.steps[{i}]") for i, s in enumerate(steps_raw)),
        id=_opt_int(obj, "id", None, where),
        started_at=_time(obj.get("started_at"), f"{where}.started_at"),
        completed_at=_time(obj.get("completed_at"), f"{where}.completed_at"),
        runner_name=_opt_str(obj, "runner_name", where) or "GitHub Actions 1",
        labels=tuple(labels),
    )


def _step(data: Any, where: str) -> StepSpec:
    obj = _object(data, where)
    conclusion = _conclusion(obj.get("conclusion", "success"), f"{where}.conclusion")
    status = _opt_str(obj, "status", where) or ("completed" if conclusion is not None else "in_progress")
    if status not in ("queued", "in_progress", "completed"):
        raise RunSpecError(f"{where}.status must be queued, in_progress or completed, got {status!r}")
    return StepSpec(
        name=_str(obj, "name", where),
        status=status,
        conclusion=conclusion,
        started_at=_time(obj.get("started_at"), f"{where}.started_at"),
        completed_at=_time(obj.get("completed_at"), f"{where}.completed_at"),
    )


def _artifact(data: Any, base: Path, n: int) -> ArtifactSpec:
    where = f"artifacts[{n - 1}]"
    obj = _object(data, where)
    expired = obj.get("expired", False)
    if not isinstance(expired, bool):
        raise RunSpecError(f"{where}.expired must be true or false")
    # An expired artifact's bytes are gone (its download answers 410), so it needs no `path`.
    path = base if expired and "path" not in obj else _path(base, _str(obj, "path", where), f"{where}.path")
    if not expired and not path.exists():
        raise RunSpecError(f"{where}.path names {path}, which does not exist")
    attempt = _opt_int(obj, "attempt", 1, where)
    if attempt is None or attempt < 1:
        raise RunSpecError(f"{where}.attempt must be 1 or more, got {attempt}")
    return ArtifactSpec(
        attempt=attempt,
        name=_str(obj, "name", where),
        path=path,
        expired=expired,
        id=_opt_int(obj, "id", None, where),
        created_at=_time(obj.get("created_at"), f"{where}.created_at"),
        expires_at=_time(obj.get("expires_at"), f"{where}.expires_at"),
    )


# -- commits ----------------------------------------------------------------------------------------


def parse_commits(data: Any) -> tuple[Commit, ...]:
    if not isinstance(data, list):
        raise RunSpecError("expected a list of commits")
    out: list[Commit] = []
    seen: set[str] = set()
    for n, item in enumerate(data):
        where = f"[{n}]"
        obj = _object(item, where)
        sha = _str(obj, "sha", where).lower()
        if not SHA.fullmatch(sha):
            raise RunSpecError(f"{where}.sha must be a hexadecimal SHA, got {sha!r}")
        if sha in seen:
            raise RunSpecError(f"{where}.sha {sha} appears twice")
        seen.add(sha)
        parents = obj.get("parents", [])
        if not isinstance(parents, list) or not all(isinstance(p, str) and SHA.fullmatch(p) for p in parents):
            raise RunSpecError(f"{where}.parents must be a list of SHAs")
        name, email, login = _author(obj.get("author"), where)
        files_raw = obj.get("files", [])
        if not isinstance(files_raw, list):
            raise RunSpecError(f"{where}.files must be a list")
        repo = _opt_str(obj, "repo", where)
        out.append(
            Commit(
                sha=sha,
                parents=tuple(p.lower() for p in parents),
                author_name=name,
                author_email=email,
                author_login=login,
                date=_time(obj.get("date"), f"{where}.date") or _now(),
                message=_opt_str(obj, "message", where) or "",
                files=tuple(_file(f, f"{where}.files[{i}]") for i, f in enumerate(files_raw)),
                repo=repo.lower() if repo else None,
            )
        )
    return tuple(out)


AUTHOR = re.compile(r"\s*(?P<name>[^<]*?)\s*<(?P<email>[^>]*)>\s*")


def _author(value: Any, where: str) -> tuple[str, str, str | None]:
    """ "Name <email>", a plain name, or {"name", "email", "login"}."""
    if value is None:
        return "unknown", "unknown@example.com", None
    if isinstance(value, str):
        m = AUTHOR.fullmatch(value)
        if m:
            return m["name"] or m["email"], m["email"], None
        return value, f"{value.replace(' ', '.').lower()}@example.com", None
    obj = _object(value, f"{where}.author")
    name = _opt_str(obj, "name", f"{where}.author") or "unknown"
    email = _opt_str(obj, "email", f"{where}.author") or "unknown@example.com"
    return name, email, _opt_str(obj, "login", f"{where}.author")


def _file(value: Any, where: str) -> FileChange:
    if isinstance(value, str):
        return FileChange(value, "modified", 0, 0, None, None)
    obj = _object(value, where)
    status = _opt_str(obj, "status", where) or "modified"
    allowed = ("added", "removed", "modified", "renamed", "copied", "changed", "unchanged")
    if status not in allowed:
        raise RunSpecError(f"{where}.status must be one of {', '.join(allowed)}, got {status!r}")
    return FileChange(
        filename=_str(obj, "filename", where),
        status=status,
        additions=_opt_int(obj, "additions", 0, where) or 0,
        deletions=_opt_int(obj, "deletions", 0, where) or 0,
        patch=_opt_str(obj, "patch", where),
        previous_filename=_opt_str(obj, "previous_filename", where),
    )


# -- field readers ----------------------------------------------------------------------------------


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise RunSpecError(f"{where} must be a JSON object")
    return value


def _str(obj: dict[str, Any], key: str, where: str = "") -> str:
    value = obj.get(key)
    if not isinstance(value, str) or not value:
        raise RunSpecError(f"{_key(where, key)} must be a non-empty string")
    return value


def _opt_str(obj: dict[str, Any], key: str, where: str = "") -> str | None:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        raise RunSpecError(f"{_key(where, key)} must be a string")
    return value


def _opt_int(obj: dict[str, Any], key: str, default: int | None = None, where: str = "") -> int | None:
    value = obj.get(key, default)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        raise RunSpecError(f"{_key(where, key)} must be a non-negative integer")
    return value


def _conclusion(value: Any, where: str) -> str | None:
    if value is not None and value not in CONCLUSIONS:
        raise RunSpecError(f"{where} must be null or one of {', '.join(CONCLUSIONS)}, got {value!r}")
    return value  # type: ignore[no-any-return]


def _time(value: Any, where: str) -> str | None:
    """An ISO 8601 time, returned as GitHub prints it (UTC, seconds, Z)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise RunSpecError(f"{where} must be an ISO 8601 time string")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise RunSpecError(f"{where} is not an ISO 8601 time: {value!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _path(base: Path, value: str, where: str) -> Path:
    if "\x00" in value:
        raise RunSpecError(f"{where} is not a usable path")
    return (base / value).resolve()


def _key(where: str, key: str) -> str:
    return f"{where}.{key}" if where else f"'{key}'"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
