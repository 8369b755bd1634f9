"""Commits and comparisons, answered from the commits file (`commits.json`): GET a commit by SHA (or an
unambiguous prefix) and compare `base...head` by walking parents, as GitHub's three-dot comparison does."""

from __future__ import annotations

from collections import deque

from gardener.sandbox.actions_records import Commit, FileChange
from gardener.sandbox.actions_store import ActionsStore
from gardener.sandbox.handlers.fields import repo_of
from gardener.sandbox.paging import link_header
from gardener.sandbox.protocol import ApiError, Request, Response, error_body, not_found
from gardener.sandbox.render import Renderer
from gardener.sandbox.render_actions import ActionsRenderer
from gardener.sandbox.store import Store

COMPARE_DEFAULT_PER_PAGE = 250  # GitHub pages a comparison's commits by 250, at most 1000
COMPARE_MAX_PER_PAGE = 1000


def get_commit(store: Store, req: Request) -> Response:
    with store.read():
        repo = repo_of(store, req)
        commit = store.actions.commit(repo.key, req.args["ref"])
        if commit is None:
            raise ApiError(422, error_body(422, f"No commit found for SHA: {req.args['ref']}"))
        return Response(200, ActionsRenderer(Renderer(store, req.base_url)).commit(repo.key, commit))


def compare(store: Store, req: Request) -> Response:
    with store.read():
        repo = repo_of(store, req)
        actions = store.actions
        base_ref, sep, head_ref = req.args["basehead"].partition("...")
        if not sep:
            raise not_found()
        base, head = actions.commit(repo.key, base_ref), actions.commit(repo.key, head_ref)
        if base is None or head is None:
            raise not_found()
        head_side, base_side = ancestors(actions, head.sha), ancestors(actions, base.sha)
        merge_base = _merge_base(actions, head.sha, base_side)
        if merge_base is None:
            raise not_found_message(f"No common ancestor between {base_ref} and {head_ref}.")
        ahead = [c for c in _chronological(actions, head_side) if c.sha not in base_side]
        behind = [sha for sha in base_side if sha not in head_side]
        status = {(False, False): "identical", (True, False): "ahead", (False, True): "behind"}.get(
            (bool(ahead), bool(behind)), "diverged"
        )
        page, per_page = _page(req)
        chunk = ahead[(page - 1) * per_page : page * per_page]
        last = max(1, -(-len(ahead) // per_page))
        link = link_header(req.params, req.base_url, req.path, page, last)
        render = ActionsRenderer(Renderer(store, req.base_url))
        api = f"{render.r.repo_url(repo.key)}/compare/{req.args['basehead']}"
        web = f"{render.r.web}/{repo.owner}/{repo.name}/compare/{req.args['basehead']}"
        body = {
            "url": api,
            "html_url": web,
            "permalink_url": f"{render.r.web}/{repo.owner}/{repo.name}/compare/{base.sha}...{head.sha}",
            "diff_url": f"{web}.diff",
            "patch_url": f"{web}.patch",
            "base_commit": render.commit(repo.key, base, with_files=False),
            "merge_base_commit": render.commit(repo.key, actions.commits[merge_base], with_files=False),
            "status": status,
            "ahead_by": len(ahead),
            "behind_by": len(behind),
            "total_commits": len(ahead),
            "commits": [render.commit(repo.key, c, with_files=False) for c in chunk],
            "files": [render.file(repo.key, sha, f) for sha, f in _net_files(ahead)],
        }
        return Response(200, body, {"Link": link} if link else {})


def ancestors(actions: ActionsStore, sha: str) -> dict[str, int]:
    """Every commit reachable from `sha` (itself included) with its distance; unknown parents end the walk."""
    seen: dict[str, int] = {sha: 0}
    queue = deque([sha])
    while queue:
        current = actions.commits.get(queue.popleft())
        if current is None:
            continue
        for parent in current.parents:
            if parent not in seen:
                seen[parent] = seen[current.sha] + 1
                queue.append(parent)
    return seen


def _merge_base(actions: ActionsStore, head: str, base_side: dict[str, int]) -> str | None:
    """The common ancestor nearest to head (breadth first), among commits the file describes."""
    for sha, _ in sorted(ancestors(actions, head).items(), key=lambda item: item[1]):
        if sha in base_side and sha in actions.commits:
            return sha
    return None


def _chronological(actions: ActionsStore, shas: dict[str, int]) -> list[Commit]:
    """Oldest first, as GitHub lists a comparison's commits; ties broken by distance (farther is older)."""
    known = [actions.commits[s] for s in shas if s in actions.commits]
    return sorted(known, key=lambda c: (c.date, -shas[c.sha]))


def _net_files(commits: list[Commit]) -> list[tuple[str, FileChange]]:
    """Each file once, as its latest commit in the range left it."""
    latest: dict[str, tuple[str, FileChange]] = {}
    for c in commits:
        for f in c.files:
            latest[f.filename] = (c.sha, f)
    return sorted(latest.values(), key=lambda item: item[1].filename)


def _page(req: Request) -> tuple[int, int]:
    def positive(raw: str | None, default: int) -> int:
        try:
            value = int(raw) if raw is not None else default
        except ValueError:
            return default
        return value if value > 0 else default

    per_page = min(positive(req.params.get("per_page"), COMPARE_DEFAULT_PER_PAGE), COMPARE_MAX_PER_PAGE)
    return positive(req.params.get("page"), 1), per_page


def not_found_message(message: str) -> ApiError:
    return ApiError(404, error_body(404, message))
