"""Reading request bodies the way GitHub validates them, and the shared lookups every handler does.

Schema violations (wrong JSON type, missing required key) answer "Invalid request" like GitHub's schema
layer; business rules (too long, blank, already exists) answer "Validation Failed" with an `errors` item.
"""

from __future__ import annotations

import json
from typing import Any

from gardener.sandbox.protocol import JsonValue, Request, invalid_request, validation_failed
from gardener.sandbox.records import Issue, Repo
from gardener.sandbox.store import Store

TITLE_MAX = 256
BODY_MAX = 65_536
LABEL_NAME_MAX = 50
LABEL_DESCRIPTION_MAX = 100
MISSING: Any = object()


def body_object(req: Request) -> dict[str, Any]:
    if req.body is None:
        return {}
    if not isinstance(req.body, dict):
        raise invalid_request(f"For 'links/0/schema', {_show(req.body)} is not an object.")
    return req.body


def optional_string(data: dict[str, Any], key: str, *, nullable: bool = True) -> Any:
    """The value (a str, None if nullable, or MISSING when absent); anything else is a schema error."""
    value = data.get(key, MISSING)
    if value is MISSING or isinstance(value, str) or (value is None and nullable):
        return value
    kind = "a string or null" if nullable else "a string"
    raise invalid_request(f"For 'properties/{key}', {_show(value)} is not {kind}.")


def required_string(data: dict[str, Any], key: str) -> str:
    value = optional_string(data, key, nullable=False)
    if value is MISSING:
        raise invalid_request(f'"{key}" wasn\'t supplied.')
    assert isinstance(value, str)
    return value


def check_length(resource: str, key: str, value: str | None, limit: int) -> None:
    if value is not None and len(value) > limit:
        raise validation_failed(resource, "custom", key, f"{key} is too long (maximum is {limit} characters)")


def names(value: JsonValue, key: str, item_key: str = "name") -> list[str]:
    """A list of names given as strings or as objects with `item_key` (labels, assignees)."""
    if not isinstance(value, list):
        raise invalid_request(f"For 'properties/{key}', {_show(value)} is not an array.")
    out: list[str] = []
    for item in value:
        if isinstance(item, dict) and isinstance(item.get(item_key), str):
            item = item[item_key]
        if not isinstance(item, str):
            raise invalid_request(f"For 'items', {_show(item)} is not a string.")
        if item.strip() and item.strip().lower() not in (n.lower() for n in out):
            out.append(item.strip())
    return out


def repo_of(store: Store, req: Request) -> Repo:
    return store.repo(req.args["owner"], req.args["repo"])


def issue_of(store: Store, req: Request) -> Issue:
    repo = repo_of(store, req)
    return store.issue(repo.key, int(req.args["number"]))


def _show(value: JsonValue) -> str:
    return json.dumps(value)[:60]
