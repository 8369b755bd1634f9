"""Registering Actions runs and commits, for `--runs DIR`, `Sandbox(runs=...)` and the admin routes:

    POST /_sandbox/runs          {"dir": "/abs/runs"}                  load a runs folder (and its commits.json)
                                 {"run": {...run.json...}, "base": "/abs/dir"}   one run; paths relative to base
                                 {"commits": [...commits.json items...]}        add commits
                                 answers 201 {"runs": [ids], "problems": [one line per broken run]}
    GET  /_sandbox/runs          the registered runs: [{id, repo, workflow, run_attempt, conclusion}]
    PUT  /_sandbox/permissions   {"actions": false}: Actions routes answer 403 (a token without actions: read)

A run's repository is its `repo` field, else the sandbox's first repository; an unknown one is added.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gardener.errors import GardenerError
from gardener.sandbox.actions_records import Run
from gardener.sandbox.protocol import Response, error_body
from gardener.sandbox.runs_loader import RunSpec, RunSpecError, load_runs_dir, parse_commits, parse_run
from gardener.sandbox.store import Store


def register(store: Store, spec: RunSpec) -> Run:
    """Add one run (RunSpecError when its id or its jobs' ids are taken)."""
    with store.write():
        if spec.repo is not None:
            owner, name = spec.repo.split("/", 1)
            repo = store.add_repo(owner, name)
        else:
            repo = min(store.tables.repos.values(), key=lambda r: r.id)
        return store.actions.add_run(spec, repo.key)


def load_folder(store: Store, folder: Path) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """Register every run under `folder` (commits first, so run titles can use them); (run ids, problems)."""
    specs, commits, problems = load_runs_dir(folder)
    with store.write():
        store.actions.add_commits(commits)
    ids: list[int] = []
    found = list(problems)
    for spec in specs:
        try:
            ids.append(register(store, spec).id)
        except RunSpecError as exc:
            found.append(f"{folder / str(spec.id) / 'run.json'}: {exc}")
    return tuple(ids), tuple(found)


def handle_runs_admin(store: Store, method: str, name: str, body: Any) -> Response | None:
    """The admin routes above, or None when the path is not one of them."""
    if name == "runs" and method == "GET":
        with store.read():
            runs = sorted(store.actions.runs.values(), key=lambda r: r.id)
            return Response(200, {"runs": [_summary(store, r) for r in runs]})
    if name == "runs" and method == "POST":
        return _post_runs(store, body)
    if name == "permissions" and method == "PUT":
        if not isinstance(body, dict) or not isinstance(body.get("actions"), bool):
            return Response(422, error_body(422, 'expected {"actions": true|false}'))
        with store.write():
            store.actions.permitted = body["actions"]
        return Response(200, {"actions": store.actions.permitted})
    return None


def _post_runs(store: Store, body: Any) -> Response:
    if not isinstance(body, dict):
        return Response(422, error_body(422, 'expected {"dir": ...}, {"run": ..., "base": ...} or {"commits": [...]}'))
    try:
        if isinstance(body.get("dir"), str):
            ids, problems = load_folder(store, Path(body["dir"]))
            return Response(201, {"runs": list(ids), "problems": list(problems)})
        if "commits" in body:
            commits = parse_commits(body["commits"])
            with store.write():
                store.actions.add_commits(commits)
            return Response(201, {"runs": [], "problems": [], "commits": len(commits)})
        if "run" in body:
            base = body.get("base")
            if not isinstance(base, str):
                return Response(422, error_body(422, "'base' must name the folder the run's paths are relative to"))
            run = register(store, parse_run(body["run"], Path(base)))
            return Response(201, {"runs": [run.id], "problems": []})
    except (RunSpecError, GardenerError) as exc:
        return Response(422, error_body(422, str(exc)))
    return Response(422, error_body(422, 'expected {"dir": ...}, {"run": ..., "base": ...} or {"commits": [...]}'))


def _summary(store: Store, run: Run) -> dict[str, Any]:
    return {
        "id": run.id,
        "repo": store.repo_by_key(run.repo).full_name,
        "workflow": run.name,
        "run_attempt": run.run_attempt,
        "conclusion": run.conclusion,
    }
