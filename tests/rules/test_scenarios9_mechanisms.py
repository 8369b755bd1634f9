"""Mechanisms the round-9 outage scenarios (tests/scenarios/data9) showed missing, each on its documented message
format, with the boundary on both sides:

- Bazel failing to reach its gRPC remote cache (`Failed to query remote execution capabilities: UNAVAILABLE` or
  `DEADLINE_EXCEEDED`) is the CI's cache service down, whatever action it failed; a refused credential or a server
  without the API is not.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.config import Config
from tests.rules.excerpt_first import first_finding_of

BAZEL_ACTION = ("ERROR: /src/libs/money/BUILD.bazel:3:11: Compiling libs/money/src/decimal.cc failed: Failed to query "
                "remote execution capabilities: {status}\nINFO: Elapsed time: 4.1s\n"
                "ERROR: Build did NOT complete successfully")


@pytest.mark.parametrize(
    "status",
    [
        "UNAVAILABLE: io exception",  # buildbuddy-io/buildbuddy#7670
        "UNAVAILABLE: Unable to resolve host cache.example.internal",  # bazelbuild/bazel#27734
        "DEADLINE_EXCEEDED: deadline exceeded after 59.99s",
    ],
)
def test_bazel_remote_cache_unreachable_is_the_ci_service(status: str, config: Config, tmp_path: Path) -> None:
    first = first_finding_of(BAZEL_ACTION.format(status=status), config, tmp_path)
    assert (first.category, first.rule_id) == ("ci-runner-failure", "ci.remote-cache-unreachable")
    assert "remote cache" in first.title


def test_bazel_remote_cache_names_the_host_that_does_not_resolve(config: Config, tmp_path: Path) -> None:
    first = first_finding_of(BAZEL_ACTION.format(status="UNAVAILABLE: Unable to resolve host cache.example.internal"),
                             config, tmp_path)
    assert "cache.example.internal" in first.title


@pytest.mark.parametrize(
    "status",
    [
        "UNAUTHENTICATED: Request had invalid authentication credentials.",  # a refused credential
        "UNIMPLEMENTED: Method not found: build.bazel.remote.execution.v2.Capabilities/GetCapabilities",
    ],
)
def test_bazel_remote_refusals_are_not_an_unreachable_cache(status: str, config: Config, tmp_path: Path) -> None:
    first = first_finding_of(BAZEL_ACTION.format(status=status), config, tmp_path)
    assert first.rule_id != "ci.remote-cache-unreachable"
