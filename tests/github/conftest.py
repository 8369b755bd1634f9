"""Fixtures: a sandbox started in-process on an ephemeral loopback port, and PyGithub clients for it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import github
import pytest

from gardener.sandbox import Sandbox
from tests.github.helpers import RawHttp, make_client, nullable_enums_admit_null, spec_file

REPO = "octo/demo"
SPEC_ENV = "GARDENER_OPENAPI_SPEC"
SPEC_FALLBACK = Path(__file__).resolve().parents[2].parent / "shared/github-openapi/api.github.com.issues-subset.json"


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox((REPO, "octo/other"), token=None) as sb:
        yield sb


@pytest.fixture
def base_url(sandbox: Sandbox) -> str:
    return sandbox.url


@pytest.fixture
def token(sandbox: Sandbox) -> str:
    return sandbox.token


@pytest.fixture
def gh(sandbox: Sandbox) -> github.Github:
    """A PyGithub client with retries off and no politeness delays: every call is one request."""
    return make_client(sandbox.url, sandbox.token)


@pytest.fixture
def repo(gh: github.Github) -> Any:
    return gh.get_repo(REPO)


@pytest.fixture
def http(sandbox: Sandbox) -> RawHttp:
    """Plain urllib against the sandbox, for exact status codes, headers and bodies."""
    return RawHttp(sandbox.url, sandbox.token)


@pytest.fixture(scope="session")
def openapi_spec() -> dict[str, Any]:
    path = spec_file(SPEC_ENV, SPEC_FALLBACK)
    spec: dict[str, Any] = nullable_enums_admit_null(json.loads(path.read_text(encoding="utf-8")))
    return spec


@pytest.fixture
def client_for(sandbox: Sandbox) -> Callable[..., github.Github]:
    def build(**options: Any) -> github.Github:
        return make_client(sandbox.url, sandbox.token, **options)

    return build
