"""Mechanisms the round-9 outage scenarios (tests/scenarios/data9) showed missing, each on its documented message
format, with the boundary on both sides:

- Bazel failing to reach its gRPC remote cache (`Failed to query remote execution capabilities: UNAVAILABLE` or
  `DEADLINE_EXCEEDED`) is the CI's cache service down, whatever action it failed; a refused credential or a server
  without the API is not;
- ChromeDriver's `session deleted because of page crash` / `from tab crashed` is the browser crashing (a crash, P1),
  and a command to a session that is gone (`invalid session id`) its own runtime failure, which the job's crash
  explains (tests/test_consequences.py); a browser's network error is neither;
- a path the operating system refuses as too long (Windows' `os error 206`, git's `Filename too long`) is where the
  job writes, not a test's exception; an application's own length limit or a linter's line length is not;
- kubelet's `Failed to pull image "x"` in a `kubectl describe` dump is that image's pull failure (the Helm wait it
  explains is folded under it: tests/test_consequences.py);
- a repository refusing a deploy's credentials (Maven's `Failed to deploy artifacts: ... 401`, Gradle's `Could not
  PUT ... 401`) is an auth error of the deploy naming the repository; a refused fetch keeps the dependency
  repository's rule, and a refused overwrite (400) is no credentials' failure.
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


@pytest.mark.parametrize(
    "text",
    [
        # Ruby (Capybara on Rails system tests): teamcapybara/capybara#2437
        "Error:\nCheckoutTest#test_pays:\nSelenium::WebDriver::Error::UnknownError: unknown error: session deleted "
        "because of page crash\nfrom unknown error: cannot determine loading status\nfrom tab crashed\n"
        "  (Session info: chrome=92.0.4515.131)\n"
        "    test/system/checkout_test.rb:12:in `block in <class:CheckoutTest>'",
        # Python: the same ChromeDriver words in a WebDriverException
        "E   selenium.common.exceptions.WebDriverException: Message: unknown error: session deleted because of page "
        "crash\nE   from tab crashed\nE     (Session info: headless chrome=118.0.5993.70)",
    ],
)
def test_a_crashed_browser_tab_is_a_crash(text: str, config: Config, tmp_path: Path) -> None:
    first = first_finding_of(text, config, tmp_path)
    assert (first.category, first.rule_id, first.priority) == ("segfault-crash", "crash.browser-tab", "P1")
    assert "page crash, chrome " in first.title


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        # A session already gone says nothing of a crash: its own runtime failure (folded under a crash by the job).
        ("Error:\nCheckoutTest#test_pays:\nSelenium::WebDriver::Error::InvalidSessionIdError: invalid session id\n"
         "    test/system/checkout_test.rb:30:in `block in <class:CheckoutTest>'", "runtime.webdriver-session-gone"),
        # The browser answered with a network error: the page's server, not the browser, failed.
        ("Error:\nCheckoutTest#test_pays:\nSelenium::WebDriver::Error::UnknownError: unknown error: "
         "net::ERR_CONNECTION_REFUSED\n  (Session info: chrome=131.0.6778.85)", None),
    ],
)
def test_other_webdriver_errors_are_no_tab_crash(text: str, rule: str | None, config: Config, tmp_path: Path) -> None:
    first = first_finding_of(text, config, tmp_path)
    assert first.rule_id != "crash.browser-tab" and first.category != "segfault-crash"
    if rule is not None:
        assert first.rule_id == rule


@pytest.mark.parametrize(
    "text",
    [
        # cargo, a build script writing its generated code under a deep Windows checkout (round 9)
        "error: failed to run custom build command for `ledger-proto v0.3.0 (D:\\a\\l\\l\\crates\\ledger-proto)`"
        "\n\nCaused by:\n  process didn't exit successfully: `D:\\a\\l\\l\\target\\debug\\build\\ledger-proto-"
        "4f1c\\build-script-build` (exit code: 101)\n  --- stderr\n\n  thread 'main' panicked at crates\\ledger-proto\\"
        "build.rs:23:10:\n  failed to write generated code: Os { code: 206, kind: InvalidFilename, message: \"The "
        "filename or extension is too long.\" }",
        # cargo unpacking a crate (rust-lang/cargo#2309)
        "error: unable to get packages from source\n\nCaused by:\n  failed to unpack package `neon-sys v0.1.7`\n\n"
        "Caused by:\n  failed to create `C:/cargo/registry/src/neon-sys-0.1.7/node_modules/node-gyp/node_modules/x`\n\n"
        "Caused by:\n  The filename or extension is too long. (os error 206)",
        # git checking out on Windows without core.longpaths
        "error: unable to create file packages/web/src/components/checkout/steps/payment/providers/adyen/"
        "AdyenDropInContainer.test.tsx: Filename too long\nfatal: unable to checkout working tree",
    ],
)
def test_a_path_the_os_refuses_as_too_long_is_the_runner_s_layout(text: str, config: Config, tmp_path: Path) -> None:
    first = first_finding_of(text, config, tmp_path)
    assert (first.category, first.rule_id) == ("ci-runner-failure", "ci.path-too-long")


def test_a_too_long_path_in_a_build_script_names_the_crate(config: Config, tmp_path: Path) -> None:
    first = first_finding_of(
        "error: failed to run custom build command for `ledger-proto v0.3.0 (D:\\a\\l\\l\\crates\\ledger-proto)`\n"
        "  thread 'main' panicked at crates\\ledger-proto\\build.rs:23:10:\n  failed to write generated code: Os { "
        "code: 206, kind: InvalidFilename, message: \"The filename or extension is too long.\" }", config, tmp_path)
    assert "`ledger-proto`'s build script" in first.title


@pytest.mark.parametrize(
    "text",
    [
        # A test of the application's own length limit: no path was refused.
        "FAILED tests/test_profile.py::test_rejects_long_names - AssertionError: assert 'Display name too long' == "
        "'ok'",
        # A linter's line length.
        "src/app.py:14:81: E501 line too long (97 > 79 characters)",
    ],
)
def test_other_things_too_long_are_no_path_limit(text: str, config: Config, tmp_path: Path) -> None:
    assert first_finding_of(text, config, tmp_path).rule_id != "ci.path-too-long"


def test_kubelet_s_failed_pull_in_a_describe_dump_is_the_image_s_failure(config: Config, tmp_path: Path) -> None:
    # `kubectl describe pod` after a Helm --wait timed out (openconfig/kne#345, kubernetes-sigs/kind#2961)
    first = first_finding_of(
        "Events:\n  Type     Reason     Age                   From     Message\n"
        "  ----     ------     ----                  ----     -------\n"
        "  Normal   Pulling    3m44s (x5 over 5m11s) kubelet  Pulling image \"ghcr.io/acme/api:sha-5e0c2a9\"\n"
        "  Warning  Failed     3m44s (x5 over 5m10s) kubelet  Failed to pull image \"ghcr.io/acme/api:sha-5e0c2a9\": "
        "rpc error: code = NotFound desc = failed to pull and unpack image \"ghcr.io/acme/api:sha-5e0c2a9\": failed to "
        "resolve reference \"ghcr.io/acme/api:sha-5e0c2a9\": ghcr.io/acme/api:sha-5e0c2a9: not found\n"
        "  Warning  Failed     8s (x21 over 5m10s)   kubelet  Error: ImagePullBackOff", config, tmp_path)
    assert first.category == "registry-access-failure" and "ghcr.io/acme/api:sha-5e0c2a9" in first.title
    assert first.title.startswith("Image not found in its registry"), first.title  # no denial: the tag is missing


def test_a_denied_pull_keeps_saying_denied(config: Config, tmp_path: Path) -> None:
    first = first_finding_of("$ docker pull acme/private-tools:1.2\nError response from daemon: pull access denied for "
                             "acme/private-tools, repository does not exist or may require 'docker login': denied: "
                             "requested access to the resource is denied", config, tmp_path)
    assert first.title.startswith("Image pull access denied for acme/private-tools"), first.title


DEPLOY = "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-deploy-plugin:3.1.3:deploy (default-deploy) on "


@pytest.mark.parametrize(
    "text",
    [
        # Maven 3.9 / maven-resolver
        DEPLOY + "project core: Failed to deploy artifacts: Could not transfer artifact com.acme:core:jar:1.2.0-2026"
        "1207.101512-1 from/to nexus-snapshots (https://nexus.acme.dev/repository/maven-snapshots/): status code: 401, "
        "reason phrase: Unauthorized (401) -> [Help 1]",
        # older Wagon (jmrozanec/cron-utils#250)
        DEPLOY + "project core: Failed to deploy artifacts: Could not transfer artifact com.acme:core:jar:1.2.0 "
        "from/to ossrh (https://oss.sonatype.org/content/repositories/snapshots/): Failed to transfer file: https://oss."
        "sonatype.org/x.jar. Return code is: 401, ReasonPhrase: Unauthorized. -> [Help 1]",
        # Gradle's maven-publish
        "> Task :core:publishMavenPublicationToNexusRepository FAILED\n\nFAILURE: Build failed with an exception.\n\n"
        "* What went wrong:\nExecution failed for task ':core:publishMavenPublicationToNexusRepository'.\n> Failed to "
        "publish publication 'maven' to repository 'nexus'\n   > Could not PUT 'https://nexus.acme.dev/repository/"
        "releases/com/acme/core/1.2.0/core-1.2.0.jar'. Received status code 401 from server: Unauthorized",
    ],
)
def test_a_refused_deploy_is_an_auth_error_naming_the_repository(text: str, config: Config, tmp_path: Path) -> None:
    first = first_finding_of(text, config, tmp_path)
    assert (first.category, first.rule_id) == ("auth-error", "auth.repository-refused-deploy")
    assert "401" in first.title and ("nexus" in first.title or "ossrh" in first.title), first.title


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        # A fetch refused: the dependency repository's rule, not a deploy's.
        ("[ERROR] Failed to execute goal on project api: Could not resolve dependencies for project "
         "com.acme:api:jar:1.0: Could not transfer artifact com.acme:core:jar:1.0 from/to nexus (https://nexus.acme.dev/repository/maven-"
         "public/): status code: 401, reason phrase: Unauthorized (401) -> [Help 1]", "auth.repository-refused"),
        # A release deployed twice: the repository refuses the overwrite, not the credentials.
        (DEPLOY + "project core: Failed to deploy artifacts: Could not transfer artifact com.acme:core:jar:1.2.0 "
         "from/to releases (https://nexus.acme.dev/repository/releases/): status code: 400, reason phrase: Repository "
         "does not allow updating assets: releases (400) -> [Help 1]", None),
    ],
)
def test_other_repository_answers_are_no_refused_deploy(text: str, rule: str | None, config: Config,
                                                        tmp_path: Path) -> None:
    first = first_finding_of(text, config, tmp_path)
    assert first.rule_id != "auth.repository-refused-deploy"
    if rule is not None:
        assert first.rule_id == rule
