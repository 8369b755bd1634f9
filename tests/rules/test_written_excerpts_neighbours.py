"""Neighbouring categories decided by which layer failed (generic-neighbours, issue 12), on excerpts written after
public threads no labelled set cites (tests/data/rules/written_excerpts_neighbours.jsonl, `modelled_on`), and the
boundary on both sides of each principle:

- a command missing inside a Dockerfile RUN step (exit 127) is the image build's failure; missing on the runner it is
  a tool to install, and a package manager's own error inside a RUN step stays the install's;
- a pass on retry in each runner's words (CTest's tally of 0 failed after a failure mark, nextest's `TRY 2 PASS`,
  gotestsum's DONE line of several runs and no failure) is a flaky test; a failure left after the retries is not;
- ws's older `unexpected server response (NNN)` is a failed WebSocket handshake, unless the connection was refused;
- the operating system's EACCES is a permission denied even beside a push; a registry's `denied` on a push is the
  registry's;
- a server refusing credentials on a download's line is an auth error; a mirror's bare 403 stays the install's;
- no worker to run the work (a remote executor without workers, Buildbot losing its worker) is the CI's execution
  layer, whatever the action was; an action that ran and failed on the code is the code's;
- a Rust assert! panic in a program `cargo run` started, or in an installed tool's own source, is that program's
  runtime exception; inside cargo test's harness it is the test's assertion.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.config import Config
from gardener.ingest.runner_log.cargo_lines import RUNNING
from gardener.refusing_layer import credentials_outrank
from tests.rules.excerpt_first import (
    assert_explained_by_its_rule,
    assert_modelled_on_fresh_threads,
    first_finding_of,
    written,
)

ITEMS = written("written_excerpts_neighbours")
# The labelled sets open for rule work (the clean held-out sets are not read here).
OPEN_SETS = ("corpus", "holdout2", *(f"corpus{n}" for n in (*range(3, 16), 17)))


@pytest.mark.parametrize("item", ITEMS, ids=[str(i["id"]) for i in ITEMS])
def test_excerpt_is_explained_by_its_rule(item: dict[str, str], config: Config, tmp_path: Path) -> None:
    assert_explained_by_its_rule(item, config, tmp_path)


def test_every_excerpt_cites_a_thread_no_labelled_set_cites() -> None:
    assert_modelled_on_fresh_threads(ITEMS, OPEN_SETS)


@pytest.mark.parametrize(
    ("text", "category", "rule"),
    [
        # On the runner, not in an image build: the runner lacks a tool.
        ("Run mvn -B package\n/home/runner/work/_temp/1f2e.sh: line 1: mvn: command not found\n"
         "Error: Process completed with exit code 127.", "dependency-install-failure", "deps.toolchain-missing"),
        # A RUN step whose package manager fails (exit 1, not 127): the install's own failure.
        ("#7 [3/5] RUN pip install -r requirements.txt\n"
         "#7 2.113 ERROR: Could not find a version that satisfies the requirement torch==9.9.9 (from versions: 2.1.0)\n"
         "#7 2.114 ERROR: No matching distribution found for torch==9.9.9\n"
         "ERROR: failed to solve: process \"/bin/sh -c pip install -r requirements.txt\" did not complete "
         "successfully: exit code: 1", "dependency-install-failure", None),
        # The legacy builder's RUN step, exit 127: the image lacks the command.
        ("Step 4/6 : RUN apk add --no-cache curl\n ---> Running in 0c1d2e3f4a5b\n/bin/sh: 1: apk: not found\n"
         "The command '/bin/sh -c apk add --no-cache curl' returned a non-zero code: 127",
         "docker-build-failure", "docker.run-step-command-missing"),
        # CTest tallying a failure: the test failed, nothing passed on a retry.
        ("    Start 5: qa_cfar\n5/27 Test  #5: qa_cfar ..........***Failed    0.42 sec\n\n"
         "96% tests passed, 1 tests failed out of 27\n\nThe following tests FAILED:\n\t  5 - qa_cfar (Failed)\n"
         "Errors while running CTest", None, None),
        # ws's refusal under the old wording: the refused connection is the deeper cause.
        ("Error: unexpected server response (502)\nError: connect ECONNREFUSED 127.0.0.1:8080\n"
         "    at TCPConnectWrap.afterConnect [as oncomplete] (net.js:1107:14)", "connection-refused", None),
        # Bazel's action that ran and failed on the code: a compile error, not the execution layer.
        ("ERROR: /app/main/BUILD:3:10: C++ compilation of rule '//main:hello' failed (Exit 1): gcc failed: error "
         "executing command /usr/bin/gcc -c main/hello.cc\nmain/hello.cc:4:3: error: 'cout' was not declared in this "
         "scope\nTarget //main:hello failed to build", "compile-error", None),
        # The same assert_eq! panic inside cargo test's harness: the test's failed expectation.
        ("     Running tests/calc.rs (target/debug/deps/calc-0f1e2d3c4b5a6978)\n\nrunning 2 tests\n"
         "test adds ... ok\ntest multiplies ... FAILED\n\nfailures:\n\n---- multiplies stdout ----\n"
         "thread 'multiplies' panicked at 'assertion failed: `(left == right)`\n  left: `6`,\n right: `9`', "
         "tests/calc.rs:12:5\n\nfailures:\n    multiplies\n\ntest result: FAILED. 1 passed; 1 failed; 0 ignored",
         "assertion-failure", None),
        # gotestsum's DONE line with a failure left after its reruns: the test failed every try.
        ("=== FAIL: internal/cache TestEviction (0.01s)\n    cache_test.go:41: expected 3 entries, got 2\n\n"
         "=== RERUN internal/cache TestEviction\n=== FAIL: internal/cache TestEviction (re-run 1) (0.01s)\n"
         "    cache_test.go:41: expected 3 entries, got 2\n\nDONE 2 runs, 214 tests, 3 skipped, 2 failures in "
         "14.802s", "assertion-failure", None),
        # nextest's last attempt failed too: no pass on retry.
        ("  TRY 1 FAIL [   0.004s] mycrate tests::clock\n  RETRY 2/2 [         ] mycrate tests::clock\n"
         "  TRY 2 FAIL [   0.004s] mycrate tests::clock\n--- TRY 2 STDERR:        mycrate tests::clock ---\n"
         "thread 'tests::clock' panicked at src/lib.rs:9:5:\nassertion `left == right` failed\n  left: 1\n right: 2\n"
         "------------\n     Summary [   0.120s] 1 test run: 0 passed, 1 failed, 0 skipped", None, None),
        # A registry refusing a push in its own words: the registry's, P1.
        ("$ docker push acme/public/minio:latest\nThe push refers to repository [docker.io/acme/public/minio]\n"
         "3ad9ef560f12: Preparing\nc5a04ee148b4: Preparing\ndenied: requested access to the resource is denied",
         "registry-access-failure", None),
    ],
)
def test_the_other_side_of_each_boundary(text: str, category: str | None, rule: str | None, config: Config,
                                         tmp_path: Path) -> None:
    first = first_finding_of(text, config, tmp_path)
    if category is None:  # a runner's tally with a failure left: anything but a flaky test
        assert first.category != "flaky-test"
        return
    assert first.category == category
    if rule is not None:
        assert first.rule_id == rule


def test_registry_push_keeps_its_priority(config: Config, tmp_path: Path) -> None:
    first = first_finding_of("$ docker push ghcr.io/acme/api:1.2\nThe push refers to repository [ghcr.io/acme/api]\n"
                             "denied: permission_denied: write_package", config, tmp_path)
    assert (first.category, first.priority) == ("registry-access-failure", "P1")


@pytest.mark.parametrize(
    ("line", "outranks"),
    [
        ("Error: Failed to fetch pull request review comments: Bad credentials - https://docs.github.com/rest", True),
        ("Failed to get resource: GET. [HTTP HTTP/1.1 401 Unauthorized: http://repo.example.com/libs/a.pom]", True),
        ("failed to download `acme-core`: the access token has expired", True),
        # A mirror's bare 403 says nothing of credentials (apt's `W: Failed to fetch ... 403  Forbidden`).
        ("W: Failed to fetch http://archive.example.com/ubuntu/dists/trusty/main/Sources  403  Forbidden", False),
        ("Failed to fetch https://registry.example.com/pkg.tgz: 404 Not Found", False),
    ],
)
def test_credentials_refused_on_a_fetch_line_outrank_the_fetch(line: str, outranks: bool) -> None:
    assert credentials_outrank("auth-error", "dependency-install-failure", line) is outranks
    # Only a fetch phase: an assertion or exception keeps its own neighbour rules.
    assert credentials_outrank("auth-error", "assertion-failure", line) is False
    assert credentials_outrank("permission-denied", "dependency-install-failure", line) is False


def test_cargo_runs_program_is_no_test_binary() -> None:
    # cargo test names the binary it runs; cargo run quotes the command it starts in backticks.
    assert RUNNING.match("     Running unittests src/lib.rs (target/debug/deps/app-0f1e2d3c4b5a6978)") is not None
    assert RUNNING.match("     Running target/debug/deps/app-0f1e2d3c4b5a6978") is not None
    assert RUNNING.match("     Running `target/debug/app --port 8080`") is None
