"""Defects found in review-10 (fresh-eyes review of f763bdd..main), each pinned on its smallest realistic input."""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.config import Config
from gardener.line_category import name_line
from gardener.priority_runner import outside_any_test
from gardener.redact import clean
from gardener.tool_crash import own_bug
from tests.rules.excerpt_first import first_finding_of

# A GitLab token: its shape needs twenty characters after `glpat-`, so a head of it cut shorter is no token to
# redaction. BODY is twelve characters of what only the whole token may show.
TOKEN = "glpat-Zq9Xw7V3fuzzTOKENbody01"
BODY = TOKEN[6:18]


@pytest.fixture(scope="module")
def config() -> Config:
    return Config()


def _padded(prefix: str, width: int, glue: str = " ", suffix: str = "") -> str:
    """`prefix`, padded so the token after it (behind `glue`) straddles character `width` with thirteen of its
    body's characters before it: a cut there keeps more than BODY but too few for the token's shape."""
    pad = width - 19 - len(prefix) - len(glue)
    assert pad > 0
    return f"{prefix}{'x' * pad}{glue}{TOKEN}{suffix}"


# --- 1. raw words cut with `text[:N]` in new code (line_category, priority_runner) --------------------------------

def test_a_failure_headers_words_are_cut_at_a_words_edge() -> None:
    # unittest's FAIL header over a block whose message names nothing: the header is quoted as the deciding words.
    header = _padded("FAIL: test_upload (tests.test_up.", 60, ".", ")")
    named = name_line("this fails for no reason", ["=" * 70, header, "-" * 70, "Traceback (most recent call last):"])
    assert named is not None and named.category == "assertion-failure"
    assert named.words.startswith("FAIL: test_upload "), named.words  # cut at a word, not dropped
    assert BODY not in clean(named.words), named.words


def test_an_exception_lines_words_are_cut_at_a_words_edge() -> None:
    line = _padded("com.acme.UploadFailed: the repository refused the key", 80)
    named = name_line(line, [], ["    at com.acme.Uploader.push(Uploader.java:42)"])
    assert named is not None and named.category == "runtime-exception"
    assert named.words.startswith("com.acme.UploadFailed: the repository refused the key"), named.words
    assert BODY not in clean(named.words), named.words


def test_a_maven_goals_words_are_cut_at_a_words_edge() -> None:
    goal = _padded("com.acme:deploy-helper-maven-plugin:1.0.0:push", 80, ":")
    why = outside_any_test(f"[ERROR] Execution default of goal {goal} failed.: NullPointerException")
    assert "NullPointerException" in why and "(`com.acme:deploy-helper-maven-plugin:1.0.0:push" in why, why
    assert BODY not in clean(why), why


# --- 2. a refused deploy in the deploy plugin's other documented words -------------------------------------------

DEPLOY = "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-deploy-plugin:{v}:deploy (default-deploy) on "


@pytest.mark.parametrize(
    "text",
    [
        # Wagon's `Failed to transfer file <url> with status code 401` (caldav4j/caldav4j#100)
        DEPLOY.format(v="2.8.2") + "project caldav4j: Failed to deploy artifacts: Could not transfer artifact "
        "com.github.caldav4j:caldav4j:jar:1.0.0-20181206.162611-4 from/to ossrh (https://oss.sonatype.org/content/"
        "repositories/snapshots): Failed to transfer file https://oss.sonatype.org/content/repositories/snapshots/com/"
        "github/caldav4j/caldav4j/1.0.0-SNAPSHOT/caldav4j-1.0.0-20181206.162611-4.jar with status code 401 -> [Help 1]",
        # maven-resolver's `Transfer failed for <url> 401 Unauthorized` (GitHub Packages, actions/setup-java#599)
        DEPLOY.format(v="3.1.1") + "project acme-lib: Failed to deploy artifacts: Could not transfer artifact "
        "com.acme:acme-lib:jar:1.2.0 from/to github (https://maven.pkg.github.com/acme/acme-lib): Transfer failed for "
        "https://maven.pkg.github.com/acme/acme-lib/com/acme/acme-lib/1.2.0/acme-lib-1.2.0.jar 401 Unauthorized "
        "-> [Help 1]",
    ],
)
def test_a_refused_deploy_in_wagons_and_the_resolvers_other_words_is_the_deploys(
        text: str, config: Config, tmp_path: Path) -> None:
    first = first_finding_of(text, config, tmp_path)
    assert (first.category, first.rule_id) == ("auth-error", "auth.repository-refused-deploy"), first.rule_id
    assert "401" in first.title, first.title


def test_a_refused_fetch_in_the_resolvers_transfer_words_stays_the_fetchs(config: Config, tmp_path: Path) -> None:
    first = first_finding_of(
        "[ERROR] Failed to execute goal on project api: Could not resolve dependencies for project "
        "com.acme:api:jar:1.0: Could not transfer artifact com.acme:core:jar:1.0 from/to github "
        "(https://maven.pkg.github.com/acme/core): "
        "Transfer failed for https://maven.pkg.github.com/acme/core/com/acme/core/1.0/core-1.0.pom 401 Unauthorized "
        "-> [Help 1]", config, tmp_path)
    assert first.rule_id != "auth.repository-refused-deploy"


# --- 3. a push answered with a server error is no pull ------------------------------------------------------------

@pytest.mark.parametrize(
    "text",
    [
        # podman / skopeo (containers/image's words; konflux-ci/build-definitions#2100)
        'Copying blob sha256:6f0a4413f0e0eac0199d0ccade8d781a577fb7d6c43619a9b21a0549c3809374\nerror pushing image '
        '"quay.io/acme/builds:utils-b4525f6" to "docker://quay.io/acme/builds:utils-b4525f6": writing blob: initiating '
        'layer upload to /v2/acme/builds/blobs/uploads/ in quay.io: received unexpected HTTP status: 502 Bad Gateway\n'
        'time="2025-03-21T08:36:37Z" level=error msg="exit status 125"\n',
        # the docker CLI (goharbor/harbor#16653, docker/hub-feedback#1761)
        "$ docker push harbor.example.org/library/hello-world\nUsing default tag: latest\nThe push refers to "
        "repository [harbor.example.org/library/hello-world]\n6b73d082fc93: Pushing [=====>]  845.8kB\n"
        "6b73d082fc93: Retrying in 1 second\nreceived unexpected HTTP status: 502 Bad Gateway\n",
    ],
)
def test_a_push_answered_with_a_server_error_is_the_registrys_at_a_pushs_priority(
        text: str, config: Config, tmp_path: Path) -> None:
    first = first_finding_of(text, config, tmp_path)
    assert (first.rule_id, first.priority) == ("registry.server-error", "P1"), (first.rule_id, first.priority)
    assert "image push" in first.title, first.title


def test_a_pull_answered_with_a_server_error_stays_a_pull(config: Config, tmp_path: Path) -> None:
    first = first_finding_of(
        "/usr/bin/docker pull quay.io/acme/phpcs-action:php8.4\nError response from daemon: received unexpected HTTP "
        "status: 502 Bad Gateway\nError: Docker pull failed with exit code 1\n", config, tmp_path)
    assert (first.rule_id, first.priority) == ("registry.server-error", "P0")
    assert "pull" in first.title


# --- 4. pinned: the runner's own cancellation under a step's 143 ------------------------------------------------

@pytest.mark.xfail(strict=True, reason="review-10: ci.operation-canceled's text-wide veto on Actions' `Process "
                   "completed with exit code 143` also vetoes the runner's own `The operation was canceled.` above it")
def test_the_runners_own_cancellation_decides_over_the_step_wrappers_143(config: Config, tmp_path: Path) -> None:
    first = first_finding_of("Run npm test\n> jest --ci\n PASS  src/a.test.js\n##[error]The operation was canceled.\n"
                             "Error: Process completed with exit code 143.\n", config, tmp_path)
    assert first.rule_id == "ci.operation-canceled", first.rule_id


# --- 5. a tested server's `500 Internal Error: ...` is no crash of the tool -------------------------------------

def test_a_servers_internal_error_reply_is_no_tool_crash() -> None:
    assert own_bug("E       requests.exceptions.HTTPError: 500 Internal Error: key 'temp' missing for url: "
                   "http://localhost:5000/weather?city=Hanoi") == ""


@pytest.mark.parametrize("line", [
    "%Error: Internal Error: ../src/acme_top.sv:103:55: ../V3EmitC.cpp:2056: Wide Op w/ no temp, perhaps missing op",
    "Internal Error: Sub-system: FSAC, File: /quartus/fitter/fsac/fsac_util.cpp, Line: 112",
])
def test_an_hdl_tools_internal_error_label_is_its_own_bug(line: str) -> None:
    assert "Internal Error: " in own_bug(line), own_bug(line)

