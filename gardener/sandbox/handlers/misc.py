"""The small read-only endpoints: repository, authenticated user, issue types, rate limit."""

from __future__ import annotations

from gardener.sandbox.handlers.fields import repo_of
from gardener.sandbox.protocol import Request, Response, requires_authentication
from gardener.sandbox.ratelimit import RateLimiter
from gardener.sandbox.render import Renderer
from gardener.sandbox.store import Store


def get_repo(store: Store, req: Request) -> Response:
    with store.read():
        return Response(200, Renderer(store, req.base_url).repo(repo_of(store, req)))


def get_authenticated_user(store: Store, req: Request) -> Response:
    if req.login is None:
        raise requires_authentication()
    with store.read():
        return Response(200, Renderer(store, req.base_url).user(req.login))


def list_issue_types(store: Store, req: Request) -> Response:
    """Issue types are an organisation feature the sandbox does not model: always none."""
    with store.read():
        repo_of(store, req)
        return Response(200, [])


def rate_limit_overview(limiter: RateLimiter) -> Response:
    """GET /rate_limit; like GitHub, asking does not spend anything."""
    resources = {name: limiter.peek(name).as_json() for name in limiter.resources}
    return Response(200, {"resources": resources, "rate": resources["core"]})
