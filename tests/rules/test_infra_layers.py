"""Which infrastructure layer failed (rules-infra, session 10): a registry that does not answer a pull, a Docker daemon
that Compose cannot reach, Python's faulthandler watchdog firing, a SIGKILL beside a command line's `--timeout`.

The open sets' misses these mechanisms fix (corpus16, corpus18) came from different projects' logs; the texts below
are written in the tools' documented message formats (Go's net/http errors on the Registry API v2 paths, Docker
Compose v1's connection error, faulthandler.dump_traceback_later's dump), with names, hosts and values of their own,
and each mechanism has its boundary: what it must claim and what it must leave to another category.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.classify import find
from gardener.config import Config
from gardener.model import Finding
from gardener.priority_service import console_tests_refused
from gardener.whole_excerpt import ingest_for_classify
from gardener.widened_v8 import exit_137_v7
from tests.rules.excerpt_first import first_finding_of

REGISTRY_TIMEOUT = (
    "docker build -t reg.example.net/team/api:1.4 .\n"
    "Sending build context to Docker daemon  2.048MB\n"
    "Step 1/9 : FROM mirror.example.net/dockerhub/library/python:3.12-slim\n"
    'Get "https://mirror.example.net/v2/": net/http: request canceled while waiting for connection '
    "(Client.Timeout exceeded while awaiting headers)\n"
    "make: *** [image] Error 1"
)
PODMAN_PING = (
    "$ podman pull quay.example.org/acme/worker:2.0\n"
    "Trying to pull quay.example.org/acme/worker:2.0...\n"
    "Error: initializing source docker://quay.example.org/acme/worker:2.0: pinging container registry "
    'quay.example.org: Get "https://quay.example.org/v2/": dial tcp 10.20.30.40:443: i/o timeout'
)
BUILDKIT_MANIFEST = (
    "#4 [internal] load metadata for docker.io/library/node:22-alpine\n"
    "#4 ERROR: failed to do request: Head \"https://registry-1.docker.io/v2/library/node/manifests/22-alpine\": "
    "dial tcp: lookup registry-1.docker.io on 127.0.0.53:53: no such host\n"
    "------\n"
    "ERROR: failed to solve: node:22-alpine: failed to resolve source metadata for docker.io/library/node:22-alpine"
)
PUSH_UPLOAD = (
    "The push refers to repository [ghcr.io/acme/site]\n"
    "5f70bf18a086: Preparing\n"
    "5f70bf18a086: Retrying in 5 seconds\n"
    'Put "https://ghcr.io/v2/acme/site/blobs/uploads/0c1f?digest=sha256%3A5f70": net/http: TLS handshake timeout'
)


@pytest.mark.parametrize(
    ("text", "priority"),
    [(REGISTRY_TIMEOUT, "P0"), (PODMAN_PING, "P0"), (BUILDKIT_MANIFEST, "P0"), (PUSH_UPLOAD, "P1")],
    ids=["build-from-mirror-timeout", "podman-ping-timeout", "buildkit-manifest-dns", "push-upload-is-p1"],
)
def test_a_registry_that_does_not_answer_is_the_registry(text: str, priority: str, config: Config,
                                                         tmp_path: Path) -> None:
    first = first_finding_of(text, config, tmp_path)
    assert (first.category, first.priority, first.rule_id) == ("registry-access-failure", priority,
                                                               "registry.unreachable")


@pytest.mark.parametrize(
    "text",
    [
        # A test calling an API whose paths start with /v2/: a service the test needs, not an image pull.
        "--- FAIL: TestListUsers (30.01s)\n    client_test.go:41: Get \"https://api.example.com/v2/users?page=2\": "
        "dial tcp 203.0.113.7:443: i/o timeout\nFAIL\tgithub.com/acme/client\t30.045s",
        # Homebrew's bottles live under ghcr.io's /v2/ too: a package download.
        "==> Downloading https://ghcr.io/v2/homebrew/core/wget/blobs/sha256:9c1d\n"
        "curl: (56) Recv failure: Connection reset by peer\n"
        "Error: wget: Failed to download resource \"wget_bottle\"\n"
        "Download failed: https://ghcr.io/v2/homebrew/core/wget/blobs/sha256:9c1d: connection reset by peer",
    ],
    ids=["api-v2-path-in-a-test", "homebrew-bottle"],
)
def test_other_v2_urls_are_not_a_registry_pull(text: str, config: Config, tmp_path: Path) -> None:
    assert first_finding_of(text, config, tmp_path).rule_id != "registry.unreachable"


@pytest.mark.parametrize(
    "text",
    [
        "$ docker-compose up -d db\n"
        "ERROR: Couldn't connect to Docker daemon at http://docker:2375 - is it running?\n\n"
        "If it's at a non-standard location, specify the URL with the DOCKER_HOST environment variable.\n"
        "ERROR: Job failed: exit code 1",
        "docker-compose -f ci/compose.yml build\n"
        "ERROR: Couldn't connect to Docker daemon. You might need to start Docker for Mac.\n"
        "Error: Process completed with exit code 1.",
    ],
    ids=["gitlab-dind-not-up", "docker-for-mac-not-started"],
)
def test_compose_that_cannot_reach_the_daemon_is_a_docker_failure(text: str, config: Config, tmp_path: Path) -> None:
    first = first_finding_of(text, config, tmp_path)
    assert (first.category, first.priority, first.rule_id) == ("docker-build-failure", "P0",
                                                               "docker.daemon-unreachable-clients")


def test_compose_refused_the_socket_is_a_permission(config: Config, tmp_path: Path) -> None:
    text = ("$ docker-compose up -d\n"
            "ERROR: Couldn't connect to Docker daemon at http+docker://localhost - is it running?\n"
            "docker.errors.DockerException: Error while fetching server API version: ('Connection aborted.', "
            "PermissionError(13, 'Permission denied'))")
    assert first_finding_of(text, config, tmp_path).category == "permission-denied"


@pytest.mark.parametrize(
    "text",
    [
        # CPython's regrtest re-running a test that hung.
        "0:41:02 load avg: 2.10 [12/40/1] test_socketserver worker non-zero exit code (Exit code 1)\n"
        "Re-running test_socketserver in verbose mode\n"
        "test_shutdown_request (test.test_socketserver.Tests.test_shutdown_request) ... Timeout (0:10:00)!\n"
        "Thread 0x00007f3a1c2b5740 (most recent call first):\n"
        '  File "/build/Lib/selectors.py", line 398 in select\n'
        '  File "/build/Lib/socketserver.py", line 235 in serve_forever',
        # pytest's faulthandler_timeout arming the same watchdog.
        "tests/test_worker.py::test_drains_queue Timeout (0:05:00)!\n"
        "Current thread 0x00007fb8a2e1f740 (most recent call first):\n"
        '  File "/home/runner/work/q/q/src/q/worker.py", line 88 in _wait\n'
        '  File "/home/runner/work/q/q/tests/test_worker.py", line 31 in test_drains_queue',
    ],
    ids=["regrtest", "pytest-faulthandler-timeout"],
)
def test_faulthandler_watchdog_is_a_hang(text: str, config: Config, tmp_path: Path) -> None:
    first = first_finding_of(text, config, tmp_path)
    assert (first.category, first.priority, first.rule_id) == ("timeout-hang", "P2", "timeout.faulthandler-dump")


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # faulthandler's dump after a fatal signal: a crash, not its watchdog.
        ("Fatal Python error: Segmentation fault\n\nCurrent thread 0x00007f0e4c5d6740 (most recent call first):\n"
         '  File "/src/ext/loader.py", line 14 in load\nSegmentation fault (core dumped)', "segfault-crash"),
    ],
    ids=["fatal-signal-dump"],
)
def test_a_thread_dump_without_the_watchdog_is_not_a_hang(text: str, category: str, config: Config,
                                                          tmp_path: Path) -> None:
    assert first_finding_of(text, config, tmp_path).category == category


def test_a_timeout_line_without_a_thread_dump_is_not_the_watchdog(config: Config, tmp_path: Path) -> None:
    text = "deploy: waiting for rollout\nTimeout (0:02:00)!\nError: rollout did not finish\nexit status 1"
    assert first_finding_of(text, config, tmp_path).rule_id != "timeout.faulthandler-dump"


@pytest.mark.parametrize(
    "text",
    [
        # PyCharm's run console: a script given `--timeout` on its command line, killed by SIGKILL.
        "python eval.py --split dev --timeout 120\n 31%|###       | 63/204 [00:01<00:02, 66.83it/s]\n"
        "Process finished with exit code 137 (interrupted by signal 9:SIGKILL)",
        # A build script given `--timeout=300`, killed, and yarn's wrapper.
        "$ node scripts/bundle.js --timeout=300\nKilled\nerror Command failed with exit code 137.",
    ],
    ids=["pycharm-sigkill-with-timeout-option", "yarn-killed-with-timeout-option"],
)
def test_a_timeout_option_does_not_veto_the_kill(text: str, config: Config, tmp_path: Path) -> None:
    first = first_finding_of(text, config, tmp_path)
    assert (first.category, first.priority) == ("out-of-memory", "P1")
    assert not exit_137_v7(text)  # key-v7's veto read the option as a time limit (key_changes declares it)


def test_a_time_limit_that_ran_out_still_vetoes_the_kill(config: Config, tmp_path: Path) -> None:
    text = "Running integration suite\nThe step timed out after 30 minutes and was killed.\nexit code 137"
    assert first_finding_of(text, config, tmp_path).category != "out-of-memory"


def _go_console(blocks: list[tuple[str, str]]) -> str:
    """go test's console in its first releases' words (`--- FAIL: TestX (0.02 seconds)`): no reader claims it as test
    results, so its `--- FAIL:` headers are log incidents, each naming its test."""
    body = "".join(f"--- FAIL: {name} (0.02 seconds)\n        {where}\n" for name, where in blocks)
    return f"$ go test ./store/...\n{body}FAIL\nFAIL    github.com/acme/store 0.214s"


REFUSED = "store_test.go:{n}: dial tcp 127.0.0.1:5432: connect: connection refused"


def test_every_console_test_refused_is_p0(config: Config, tmp_path: Path) -> None:
    text = _go_console([(f"Test{name}", REFUSED.format(n=10 + i)) for i, name in enumerate(("Get", "Put", "Scan"))])
    first = first_finding_of(text, config, tmp_path)
    assert (first.category, first.priority) == ("connection-refused", "P0"), first.priority_reason
    assert "3 failing tests the console names" in first.priority_reason


@pytest.mark.parametrize(
    "blocks",
    [
        # Two tests shown: too few to say every service-backed test.
        [("TestGet", REFUSED.format(n=10)), ("TestPut", REFUSED.format(n=20))],
        # A third test fails on its own assertion: the refusal is not every failure of the run.
        [("TestGet", REFUSED.format(n=10)), ("TestPut", REFUSED.format(n=20)), ("TestScan", REFUSED.format(n=30)),
         ("TestParse", "parse_test.go:12: got 3, want 4")],
    ],
    ids=["two-tests", "another-failure-beside"],
)
def test_a_refusal_that_is_not_every_console_test_keeps_p1(blocks: list[tuple[str, str]], config: Config,
                                                           tmp_path: Path) -> None:
    found = [f for f in _findings(_go_console(blocks), config, tmp_path) if f.category == "connection-refused"]
    assert found and found[0].priority == "P1", found[0].priority_reason


def _findings(text: str, config: Config, tmp_path: Path) -> tuple[Finding, ...]:
    path = tmp_path / "excerpt.txt"
    path.write_text(text, encoding="utf-8")
    return find(ingest_for_classify([str(path)], config.rules).results, config)


@pytest.mark.parametrize(
    ("headers", "refused_at", "tests"),
    [
        ([(2, "TestA"), (4, "TestB"), (6, "TestC")], {3, 5, 7}, {"TestA", "TestB", "TestC"}),
        ([(2, "TestA"), (4, "TestB"), (6, "TestC")], {3, 7}, set()),  # TestB's block shows no refusal
        ([(2, "TestA"), (4, "TestB"), (6, "TestC")], {3, 5}, set()),  # nor does the last one's
        ([], {3}, set()),
    ],
    ids=["each-block-refused", "a-middle-block-without", "the-last-block-without", "no-header"],
)
def test_console_tests_refused_needs_the_refusal_under_every_header(
        headers: list[tuple[int, str]], refused_at: set[int], tests: set[str]) -> None:
    assert console_tests_refused(headers, refused_at) == tests


def test_a_refused_layer_upload_is_a_registry_push(config: Config, tmp_path: Path) -> None:
    text = ("$ ch-image push app registry.example.org:5050/team/app\nstarting upload\n"
            "layer 1/2: 7a1c2e9: checking if already in repository\nlayer 1/2: 7a1c2e9: not present, uploading\n"
            "error: POST failed; expected status {202} but got 401: Unauthorized")
    first = first_finding_of(text, config, tmp_path)
    assert (first.category, first.priority, first.rule_id) == ("registry-access-failure", "P1", "registry.push-denied")


@pytest.mark.parametrize(
    "text",
    [
        # A layer's download answered 401: a pull, never a push.
        "layer 1/1: 7a1c2e9: downloading\nerror: GET failed; expected status {200} but got 401: Unauthorized",
        # An upload that is no image layer (a coverage report).
        "Uploading coverage report coverage.xml\nerror: upload failed: 401 Unauthorized (check the token)",
    ],
    ids=["layer-download", "report-upload"],
)
def test_other_refusals_are_not_a_layer_push(text: str, config: Config, tmp_path: Path) -> None:
    assert first_finding_of(text, config, tmp_path).rule_id != "registry.push-denied"


@pytest.mark.parametrize(
    "text",
    [
        # The legacy docker CLI's pull in a TeamCity step.
        "[10:02:11] :  [docker] Executing command: docker pull registry.corp.example/qa/selenium-node\n"
        "[10:02:12] :  [docker] Pulling repository registry.corp.example/qa/selenium-node\n"
        "[10:02:12]W:  [docker] 2015/03/02 10:02:12 HTTP code: 503\n"
        "[10:02:12]W:  [docker] Process exited with code 1",
        # The daemon's distribution client.
        "$ docker pull registry.corp.example/base/jdk:21\n21: Pulling from base/jdk\n"
        "Error response from daemon: received unexpected HTTP status: 500 Internal Server Error",
    ],
    ids=["legacy-cli-http-code", "daemon-unexpected-status"],
)
def test_a_registry_answering_the_pull_5xx_is_the_registry(text: str, config: Config, tmp_path: Path) -> None:
    first = first_finding_of(text, config, tmp_path)
    assert (first.category, first.rule_id) == ("registry-access-failure", "registry.server-error")


def test_a_5xx_outside_a_pull_is_not_the_registry(config: Config, tmp_path: Path) -> None:
    text = ("POST /api/images/upload\nHTTP code: 502\nFAIL tests/upload.test.js\n"
            "  ● upload › stores the image\n    expect(received).toBe(expected)\n    Expected: 201\n    Received: 502")
    assert first_finding_of(text, config, tmp_path).category != "registry-access-failure"


def test_twine_verbose_4xx_is_a_refused_publish(config: Config, tmp_path: Path) -> None:
    text = ("Uploading acme_tools-2.3.0.tar.gz\nINFO     Response from https://upload.pypi.org/legacy/:\n"
            "         400 Bad Request\nINFO     <html>\n          <head>\n"
            "          <title>400 Only one sdist may be uploaded per release.</title>\n          </head>")
    first = first_finding_of(text, config, tmp_path)
    assert (first.category, first.priority, first.rule_id) == ("registry-access-failure", "P1",
                                                               "registry.publish-refused")


def test_twine_verbose_403_stays_a_credential(config: Config, tmp_path: Path) -> None:
    text = ("Uploading acme_tools-2.3.0.tar.gz\nINFO     Response from https://upload.pypi.org/legacy/:\n"
            "         403 Invalid or non-existent authentication information. See https://pypi.org/help/#invalid-auth")
    assert first_finding_of(text, config, tmp_path).category == "auth-error"


def test_an_exception_provisioning_a_jenkins_agent_is_the_ci(config: Config, tmp_path: Path) -> None:
    text = ("[Pipeline] node\nStill waiting to schedule task\nAll nodes of label 'linux-large' are offline\n"
            "Mar 03, 2024 9:14:02 AM WARNING hudson.plugins.ec2.EC2Cloud provision\nFailed to provision a new agent\n"
            "java.lang.IllegalStateException: no subnet matches the template\n"
            "\tat hudson.plugins.ec2.SlaveTemplate.provision(SlaveTemplate.java:512)\n"
            "\tat hudson.plugins.ec2.EC2Cloud.provision(EC2Cloud.java:766)\n"
            "\tat hudson.slaves.NodeProvisioner$StandardStrategyImpl.apply(NodeProvisioner.java:725)\n"
            "\tat hudson.slaves.NodeProvisioner.update(NodeProvisioner.java:331)")
    first = first_finding_of(text, config, tmp_path)
    assert (first.category, first.priority, first.rule_id) == ("ci-runner-failure", "P1",
                                                               "ci.agent-provisioning-failed")


def test_an_exception_in_the_project_under_jenkins_is_not_provisioning(config: Config, tmp_path: Path) -> None:
    text = ("[Pipeline] sh\n+ java -jar build/app.jar --check\nException in thread \"main\" "
            "java.lang.NullPointerException: config is null\n\tat com.acme.app.Main.load(Main.java:41)\n"
            "\tat com.acme.app.Main.main(Main.java:12)\nERROR: script returned exit code 1")
    assert first_finding_of(text, config, tmp_path).rule_id != "ci.agent-provisioning-failed"


def test_actions_exit_143_alone_is_no_runner_cancellation(config: Config, tmp_path: Path) -> None:
    text = "Run ./ci/integration.sh\nStarting stack...\n##[error]Process completed with exit code 143."
    first = first_finding_of(text, config, tmp_path)
    assert (first.category, first.priority) == ("unclassified", "P2")


@pytest.mark.parametrize(
    "text",
    [
        "2024-05-02T10:00:01Z Running tests\n2024-05-02T10:04:11Z ##[error]The operation was canceled.",
        "ERROR: Job failed: exit code 143\nTerminated",
    ],
    ids=["actions-cancel", "terminated"],
)
def test_the_runner_s_own_cancellation_is_still_the_runner(text: str, config: Config, tmp_path: Path) -> None:
    assert first_finding_of(text, config, tmp_path).category == "ci-runner-failure"


@pytest.mark.parametrize(
    "text",
    [
        "The image build stops here:\n```\nDockerfile:14\n--------------------\n  12 |     RUN npm ci\n"
        "  13 |     \n  14 | >>> COPY dist/ /usr/share/nginx/html/\n--------------------\n```",
        "Dockerfile:7\n   6 |     WORKDIR /srv\n   7 | >>> ADD config/app.yaml /srv/config/\n   8 |     CMD [\"app\"]",
    ],
    ids=["copy-pointer", "add-pointer"],
)
def test_buildkit_pointing_at_a_copy_is_the_docker_build(text: str, config: Config, tmp_path: Path) -> None:
    first = first_finding_of(text, config, tmp_path)
    assert (first.category, first.priority, first.rule_id) == ("docker-build-failure", "P0",
                                                               "docker.buildkit-dockerfile-pointer")


def test_buildkit_pointing_at_a_run_is_left_to_its_output(config: Config, tmp_path: Path) -> None:
    text = ("#9 12.31 ERROR: Could not find a version that satisfies the requirement torch==9.9 (from versions: 2.3)"
            "\n"
            "#9 12.31 ERROR: No matching distribution found for torch==9.9\n------\nDockerfile:9\n"
            "   9 | >>> RUN pip install -r requirements.txt\n"
            "ERROR: failed to solve: process \"/bin/sh -c pip install -r requirements.txt\" did not complete "
            "successfully: exit code: 1")
    assert first_finding_of(text, config, tmp_path).category == "dependency-install-failure"


STALL_DEFECT = (
    "an Actions cancellation after a long silence (a test run stuck for 20+ minutes, its runner process terminated as "
    "an orphan) is read as the runner cancelling the job: the gap between the timestamps, the evidence of a hang, is "
    "not read")


# Was a strict xfail (the summary read as the project's runtime exception): docker.testcontainers-no-environment
# reads it (session 11), and a refused socket the strategies logged beside it decides through consequences.REFERS_BACK.
def test_testcontainers_without_a_docker_environment_is_an_unreachable_daemon(config: Config, tmp_path: Path) -> None:
    text = ("java.lang.ExceptionInInitializerError\n\tat com.acme.it.OrdersIT.<clinit>(OrdersIT.java:22)\n"
            "Caused by: java.lang.IllegalStateException: Could not find a valid Docker environment. Please see logs "
            "and check configuration")
    assert first_finding_of(text, config, tmp_path).category == "docker-build-failure"


@pytest.mark.xfail(strict=True, reason=STALL_DEFECT)
def test_a_cancellation_after_a_long_silence_is_a_hang(config: Config, tmp_path: Path) -> None:
    text = ("2026-03-02T10:01:10Z  tests/test_sync.py ......................  [ 97%]\n"
            "2026-03-02T10:39:44Z  ##[error]The operation was canceled.\n"
            "                      Terminate orphan process: pid (3120) (pytest)")
    assert first_finding_of(text, config, tmp_path).category == "timeout-hang"
