"""Test helpers: PyGithub clients for a sandbox, raw HTTP calls, and OpenAPI response validation."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import github
import pytest
from openapi_schema_validator import OAS30Validator


def make_client(base_url: str, token: str = "t", **options: Any) -> github.Github:
    """PyGithub as gardener will use it, minus the politeness delays (0.25 s/request, 1 s/write) and, unless
    asked for, the retries: a test should see each request's own answer."""
    options.setdefault("retry", None)
    options.setdefault("seconds_between_requests", None)
    options.setdefault("seconds_between_writes", None)
    options.setdefault("timeout", 10)
    return github.Github(base_url=base_url, auth=github.Auth.Token(token), **options)


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]  # lower-case names
    body: Any


class RawHttp:
    def __init__(self, base_url: str, token: str | None) -> None:
        self.base_url = base_url
        self.token = token

    def __call__(self, method: str, path: str, body: Any = None, *, token: str | None = "default") -> Reply:
        data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        req = urllib.request.Request(self.base_url + path, data=data, method=method)
        sent_token = self.token if token == "default" else token
        if sent_token:
            req.add_header("Authorization", f"token {sent_token}")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return _reply(resp.status, resp.headers.items(), resp.read())
        except urllib.error.HTTPError as err:
            return _reply(err.code, err.headers.items(), err.read())


def _reply(status: int, headers: Any, raw: bytes) -> Reply:
    return Reply(status, {k.lower(): v for k, v in headers}, json.loads(raw) if raw else None)


def nullable_enums_admit_null(node: Any) -> Any:
    """GitHub's description marks `issue.state_reason` `nullable` but leaves null out of its `enum`; strict
    OpenAPI 3.0.3 then rejects the `"state_reason": null` that api.github.com really sends for every issue
    never closed. Read `nullable` as admitting null there too, as GitHub's own responses do."""
    if isinstance(node, dict):
        out = {k: nullable_enums_admit_null(v) for k, v in node.items()}
        if out.get("nullable") is True and isinstance(out.get("enum"), list) and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
        return out
    if isinstance(node, list):
        return [nullable_enums_admit_null(v) for v in node]
    return node


def response_schema(spec: dict[str, Any], method: str, path: str, status: int) -> dict[str, Any]:
    """The JSON schema GitHub documents for this operation's response, with the components to resolve refs."""
    operation = spec["paths"][path][method.lower()]
    response = operation["responses"][str(status)]
    if "$ref" in response:
        response = spec["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    schema = response["content"]["application/json"]["schema"]
    return {**schema, "components": spec["components"]}


def schema_errors(spec: dict[str, Any], method: str, path: str, status: int, body: Any) -> list[str]:
    validator = OAS30Validator(response_schema(spec, method, path, status))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(body)]


def component_errors(spec: dict[str, Any], name: str, body: Any) -> list[str]:
    validator = OAS30Validator({"$ref": f"#/components/schemas/{name}", "components": spec["components"]})
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(body)]


def spec_file(env: str, fallback: Path) -> Path:
    """The OpenAPI description named by `env`, else `fallback` beside the checkout; skip when neither exists."""
    configured = os.environ.get(env)
    if configured:
        path = Path(configured)
        assert path.is_file(), f"{env}={configured} does not name a file"
        return path
    if fallback.is_file():
        return fallback
    pytest.skip(f"GitHub's OpenAPI description is absent: set {env} or provide {fallback}")

