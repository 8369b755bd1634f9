"""Contract: the sandbox's Actions, commit and compare responses validate against GitHub's full OpenAPI
description (the Actions paths are not in the issues subset the other contract tests use)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gardener.sandbox import Sandbox
from tests.github import actions_world as w
from tests.github.helpers import RawHttp, nullable_enums_admit_null, schema_errors, spec_file
from tests.github.test_sandbox_actions import fetch

FULL_SPEC_ENV = "GARDENER_OPENAPI_FULL_SPEC"
FULL_SPEC_FALLBACK = Path(__file__).resolve().parents[2].parent / "shared/github-openapi/api.github.com.full.json.gz"
R = "/repos/{owner}/{repo}"
A = f"{R}/actions"
BASE = "/repos/octo/demo"


@pytest.fixture(scope="session")
def full_spec() -> dict[str, Any]:
    path = spec_file(FULL_SPEC_ENV, FULL_SPEC_FALLBACK)
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        spec: dict[str, Any] = nullable_one_of_admits_null(nullable_enums_admit_null(json.load(fh)))
    return spec


def nullable_one_of_admits_null(node: Any) -> Any:
    """`commit.author` is `{"nullable": true, "oneOf": [simple-user, empty-object]}`; strict OpenAPI 3.0.3
    applies `nullable` only beside a `type`, so the `"author": null` api.github.com sends for an email linked
    to no account would fail. Read `nullable` as admitting null there too, as GitHub's responses do."""
    if isinstance(node, dict):
        out = {k: nullable_one_of_admits_null(v) for k, v in node.items()}
        if out.get("nullable") is True and isinstance(out.get("oneOf"), list) and "type" not in out:
            out["oneOf"] = [*out["oneOf"], {"type": "object", "nullable": True, "enum": [None]}]
        return out
    if isinstance(node, list):
        return [nullable_one_of_admits_null(v) for v in node]
    return node


@pytest.fixture
def api(tmp_path: Path) -> Iterator[RawHttp]:
    with Sandbox(("octo/demo",), runs=w.write_runs(tmp_path)) as sb:
        sb.add_run(
            {
                **w.green_run(),
                "id": 11,
                "jobs": [
                    {"name": "b", "conclusion": None, "steps": [{"name": "s", "status": "queued", "conclusion": None}]}
                ],
            },
            tmp_path,
        )
        yield RawHttp(sb.url, sb.token)


def check(spec: dict[str, Any], template: str, status: int, reply: Any) -> None:
    assert reply.status == status, reply.body
    errors = schema_errors(spec, "GET", template, status, reply.body)
    assert errors == [], f"GET {template} {status}: {errors[:5]}"


def test_run_endpoints_match_the_schemas(full_spec: dict[str, Any], api: RawHttp) -> None:
    run = f"{BASE}/actions/runs/{w.FAILED_RUN}"
    check(full_spec, f"{A}/runs", 200, api("GET", f"{BASE}/actions/runs"))
    check(full_spec, f"{A}/runs", 200, api("GET", f"{BASE}/actions/runs?status=in_progress"))
    check(full_spec, f"{A}/runs/{{run_id}}", 200, api("GET", run))
    check(full_spec, f"{A}/runs/{{run_id}}", 200, api("GET", f"{BASE}/actions/runs/11"))  # in progress
    check(full_spec, f"{A}/runs/{{run_id}}/attempts/{{attempt_number}}", 200, api("GET", f"{run}/attempts/1"))
    check(full_spec, f"{A}/workflows", 200, api("GET", f"{BASE}/actions/workflows"))
    check(full_spec, f"{A}/workflows/{{workflow_id}}", 200, api("GET", f"{BASE}/actions/workflows/ci.yml"))
    check(full_spec, f"{A}/workflows/{{workflow_id}}/runs", 200, api("GET", f"{BASE}/actions/workflows/ci.yml/runs"))


def test_job_and_artifact_endpoints_match_the_schemas(full_spec: dict[str, Any], api: RawHttp) -> None:
    run = f"{BASE}/actions/runs/{w.FAILED_RUN}"
    check(full_spec, f"{A}/runs/{{run_id}}/jobs", 200, api("GET", f"{run}/jobs?filter=all"))
    check(full_spec, f"{A}/runs/{{run_id}}/jobs", 200, api("GET", f"{BASE}/actions/runs/11/jobs"))  # unfinished
    check(full_spec, f"{A}/runs/{{run_id}}/attempts/{{attempt_number}}/jobs", 200, api("GET", f"{run}/attempts/2/jobs"))
    check(full_spec, f"{A}/jobs/{{job_id}}", 200, api("GET", f"{BASE}/actions/jobs/{w.FAILED_RUN * 10_000 + 1}"))
    check(full_spec, f"{A}/runs/{{run_id}}/artifacts", 200, api("GET", f"{run}/artifacts"))
    check(full_spec, f"{A}/artifacts", 200, api("GET", f"{BASE}/actions/artifacts"))
    check(
        full_spec,
        f"{A}/artifacts/{{artifact_id}}",
        200,
        api("GET", f"{BASE}/actions/artifacts/{w.FAILED_RUN * 1000 + 1}"),
    )


def test_commit_and_compare_match_the_schemas(full_spec: dict[str, Any], api: RawHttp) -> None:
    check(full_spec, f"{R}/commits/{{ref}}", 200, api("GET", f"{BASE}/commits/{w.BAD_SHA}"))
    check(full_spec, f"{R}/commits/{{ref}}", 200, api("GET", f"{BASE}/commits/{w.GOOD_SHA}"))  # with a user
    for base, head in ((w.ROOT_SHA, w.BAD_SHA), (w.SIDE_SHA, w.BAD_SHA), (w.BAD_SHA, w.BAD_SHA)):
        check(full_spec, f"{R}/compare/{{basehead}}", 200, api("GET", f"{BASE}/compare/{base}...{head}"))
    check(full_spec, f"{R}/compare/{{basehead}}", 404, api("GET", f"{BASE}/compare/{w.ROOT_SHA}...{'e' * 40}"))


def test_the_full_spec_validator_rejects_a_broken_run(full_spec: dict[str, Any], api: RawHttp) -> None:
    body = api("GET", f"{BASE}/actions/runs/{w.FAILED_RUN}").body
    template = f"{A}/runs/{{run_id}}"
    assert schema_errors(full_spec, "GET", template, 200, body) == []
    assert schema_errors(full_spec, "GET", template, 200, {k: v for k, v in body.items() if k != "head_sha"}) != []
    assert schema_errors(full_spec, "GET", template, 200, {**body, "run_number": "7"}) != []
    job = api("GET", f"{BASE}/actions/jobs/{w.FAILED_RUN * 10_000 + 1}").body
    assert schema_errors(full_spec, "GET", f"{A}/jobs/{{job_id}}", 200, {**job, "status": "done"}) != []


def test_error_and_redirect_answers_match_the_schemas(full_spec: dict[str, Any], api: RawHttp) -> None:
    run = f"{BASE}/actions/runs/{w.FAILED_RUN}"
    check(full_spec, f"{A}/runs/{{run_id}}/attempts/{{attempt_number}}/jobs", 404, api("GET", f"{run}/attempts/9/jobs"))
    check(full_spec, f"{R}/commits/{{ref}}", 422, api("GET", f"{BASE}/commits/{'e' * 40}"))
    gone = api("GET", f"{BASE}/actions/artifacts/{w.FAILED_RUN * 1000 + 3}/zip")
    check(full_spec, f"{A}/artifacts/{{artifact_id}}/{{archive_format}}", 410, gone)
    log = f"{BASE}/actions/jobs/{w.FAILED_RUN * 10_000 + 1}/logs"
    zipped = f"{BASE}/actions/artifacts/{w.FAILED_RUN * 1000 + 1}/zip"
    for template, path in (
        (f"{A}/jobs/{{job_id}}/logs", log),
        (f"{A}/artifacts/{{artifact_id}}/{{archive_format}}", zipped),
    ):
        documented = full_spec["paths"][template]["get"]["responses"]["302"]
        status, headers, body = fetch(api.base_url + path, api.token)
        assert status == 302 and body == b"" and "Location" in documented["headers"]
        assert headers["location"].startswith(f"{api.base_url}/_sandbox/downloads/")
