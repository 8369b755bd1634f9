"""Request, response and error values shared by the router and the handlers.

Error bodies copy GitHub's shapes (REST 2022-11-28): `message`, `documentation_url`, `status`, and for
422 an `errors` list of `{resource, code, field, message}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DOCS = "https://docs.github.com/rest"
JsonValue = Any  # what json.loads returns: dict | list | str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class Request:
    """One parsed API call: what a handler needs and nothing about sockets."""

    method: str
    path: str  # without the query string, still percent-encoded
    params: Mapping[str, str]  # query parameters, first value of each
    body: JsonValue
    login: str | None  # the authenticated user, None when no token was sent
    base_url: str  # scheme://host:port the client reached us on; every URL we emit starts with it
    args: Mapping[str, str] = field(default_factory=dict)  # path captures, percent-decoded


@dataclass(frozen=True, slots=True)
class FileBody:
    """A response body streamed from a file in chunks (job logs, artifact zips), never read whole."""

    path: Path
    content_type: str
    cut_after: int | None = None  # an injected truncation: send this many bytes, then close the connection


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    body: JsonValue = None  # bytes: sent as is (web pages); FileBody: streamed; anything else: sent as JSON
    headers: Mapping[str, str] = field(default_factory=dict)


class ApiError(Exception):
    """A handler's refusal; the server turns it into a GitHub-shaped error response."""

    def __init__(self, status: int, body: dict[str, Any], headers: Mapping[str, str] | None = None) -> None:
        super().__init__(f"{status} {body.get('message')}")
        self.status = status
        self.body = body
        self.headers = dict(headers or {})


def error_body(status: int, message: str, doc: str = DOCS) -> dict[str, Any]:
    return {"message": message, "documentation_url": doc, "status": str(status)}


def not_found() -> ApiError:
    return ApiError(404, error_body(404, "Not Found"))


def requires_authentication() -> ApiError:
    return ApiError(401, error_body(401, "Requires authentication"))


def bad_credentials() -> ApiError:
    return ApiError(401, error_body(401, "Bad credentials"))


def bad_json() -> ApiError:
    return ApiError(400, error_body(400, "Problems parsing JSON"))


def invalid_request(detail: str) -> ApiError:
    """GitHub's answer to a body that breaks the operation's JSON schema (wrong type, missing key)."""
    return ApiError(422, error_body(422, f"Invalid request.\n\n{detail}"))


def validation_failed(resource: str, code: str, field_name: str, message: str | None = None) -> ApiError:
    err: dict[str, Any] = {"resource": resource, "code": code, "field": field_name}
    if message is not None:
        err["message"] = message
    body = error_body(422, "Validation Failed")
    body["errors"] = [err]
    return ApiError(422, body)


def custom_failure(status: int, message: str) -> ApiError:
    return ApiError(status, error_body(status, message))
