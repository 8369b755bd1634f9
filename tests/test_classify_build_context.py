"""A cause found inside a container build acts, for correlation, as the failed build it caused."""

from __future__ import annotations

from gardener.classify import find
from gardener.config import Config
from gardener.correlate import correlate
from gardener.model import Finding
from tests.rules.helpers import failing_test, log_incident

NPM_CI = """\
#8 [storefront deps 4/4] RUN npm ci --no-audit --no-fund
#8 1.206 npm ERR! code EUSAGE
#8 1.206 npm ERR! `npm ci` can only install packages when your package.json and package-lock.json are in sync.
#8 1.206 npm ERR! Invalid: lock file's left-pad@1.3.0 does not satisfy left-pad@1.4.0
#8 ERROR: process "/bin/sh -c npm ci --no-audit --no-fund" did not complete successfully: exit code: 1
------
 > [storefront deps 4/4] RUN npm ci --no-audit --no-fund:
------
failed to solve: process "/bin/sh -c npm ci --no-audit --no-fund" did not complete successfully: exit code: 1
"""
NPM_CI_ON_THE_RUNNER = "\n".join(
    line.split(" ", 2)[-1] for line in NPM_CI.splitlines() if "npm ERR!" in line
)
PULL_DENIED = ("storefront Warning pull access denied for acme/shop-storefront, repository does not exist or may "
               "require 'docker login': denied: requested access to the resource is denied")
REFUSED = ("E   requests.exceptions.ConnectionError: HTTPConnectionPool(host='localhost', port=3000): Max retries "
           "exceeded (Caused by NewConnectionError('Failed to establish a new connection: [Errno 111] Connection "
           "refused'))")


def _run(install: str) -> tuple[dict[str, Finding], set[tuple[str, str]]]:
    results = [
        log_incident(PULL_DENIED, path="job.log", line=3),
        log_incident(install, path="job.log", line=10),
        failing_test("tests/test_cart.py::test_add", REFUSED, details=REFUSED, path="job.log", kind="log"),
    ]
    findings, edges = correlate(find(results, Config()))
    return {f.category: f for f in findings}, {(e.blocker, e.blocked) for e in edges}


def test_an_install_failing_inside_an_image_build_blocks_what_the_failed_build_blocks() -> None:
    found, edges = _run(NPM_CI)
    install, pull, refused = (found[c] for c in
                              ("dependency-install-failure", "registry-access-failure", "connection-refused"))
    assert install.layer == "infrastructure"
    assert {"registry-access-failure", "connection-refused"} <= set(install.blocks)
    assert "inside a container build (rule docker.buildkit-step-failed" in install.priority_reason
    assert ("service", "storefront") in install.captures  # the target BuildKit was building
    assert {(install.id, pull.id), (install.id, refused.id)} <= edges


def test_the_same_install_failing_on_the_runner_stays_an_environment_finding() -> None:
    found, edges = _run(NPM_CI_ON_THE_RUNNER)
    install = found["dependency-install-failure"]
    assert install.layer == "environment"
    assert "registry-access-failure" not in install.blocks
    assert "container build" not in install.priority_reason
    assert not any(blocker == install.id for blocker, _ in edges)
