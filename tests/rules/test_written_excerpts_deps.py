"""Package managers' and image builders' own failure messages (rules-deps, issue 12), on excerpts written after
other public threads.

The open sets (corpus10's holdout10 above all) showed whole families falling to `unclassified` because no rule knew
the tool: cargo's resolver and MSRV errors, Bundler's platform and native-extension failures, npm publish refusals,
uv's lock file, FreeBSD's pkg, GitLab's runner failing to pull the job image, builds for another CPU. Each excerpt in
tests/data/rules/written_excerpts_deps.jsonl follows the output of ANOTHER public thread than any labelled set's item
(`modelled_on`), with names and values changed, so these tests check that the rules name the tool's message family
rather than one item; where an older rule already names the family (`deps.apt` for apk, `deps.toolchain-too-old` for
go.mod's toolchain), `rule` names it. The boundary cases pin where the same words belong to another category or
priority.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gardener.config import Config
from gardener.push_evidence import push_words
from tests.rules.excerpt_first import assert_explained_by_its_rule, first_finding_of, written

ITEMS = written("written_excerpts_deps")
CLASSIFY = Path(__file__).parents[1] / "data" / "classify"


@pytest.mark.parametrize("item", ITEMS, ids=[str(i["id"]) for i in ITEMS])
def test_excerpt_is_explained_by_its_rule(item: dict[str, str], config: Config, tmp_path: Path) -> None:
    assert_explained_by_its_rule(item, config, tmp_path)


def test_every_excerpt_cites_a_public_source_no_labelled_set_cites() -> None:
    labelled = {json.loads(line)["source"].rstrip("/") for path in sorted(CLASSIFY.glob("*.jsonl"))
                for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}
    for item in ITEMS:
        assert item["modelled_on"].startswith("https://github.com/"), item["id"]
        assert item["modelled_on"].rstrip("/") not in labelled, item["id"]
    assert len({i["rule"] for i in ITEMS}) >= 14


def test_findings_name_what_failed(config: Config, tmp_path: Path) -> None:
    titles = {}
    for name in ("d-cargo1", "d-npmpub1", "d-image1", "d-helm1"):
        item = next(i for i in ITEMS if i["id"] == name)
        titles[name] = first_finding_of(item["excerpt"], config, tmp_path).title
    assert titles == {
        "d-cargo1": "cargo cannot install the crate graph: `libc` needs rustc 1.65 (the job runs 1.63.0)",
        "d-npmpub1": "The npm registry refuses the publish of `chart-kit` (403)",
        "d-image1": "Job image `acme/android-sdk:34` cannot be pulled",
        "d-helm1": "Helm cannot get the chart `helm/ledger-api`",
    }


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # A pull refused with the same words (`docker pull` of a private image, its layers never listed): a blocking
        # pull, P0; the push mechanism reads only what was printed up to the refusal.
        (
            "$ docker pull acme/private-tools:1.2\nError response from daemon: pull access denied for "
            "acme/private-tools, repository does not exist or may require 'docker login': denied: requested access "
            "to the resource is denied",
            ("registry-access-failure", "P0"),
        ),
        # A rate-limited base-image pull whose job pushes afterwards: the push after the refusal is not the refused
        # operation.
        (
            "Step 1/8 : FROM python:3.12-slim\ntoomanyrequests: You have reached your pull rate limit. You may "
            "increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit\n"
            "Command did not exit successfully docker build -t app . exit status 1\n"
            "Running command docker push 1234.dkr.ecr.eu-west-1.amazonaws.com/app:42\n"
            "The push refers to repository [1234.dkr.ecr.eu-west-1.amazonaws.com/app]\n"
            "An image does not exist locally with the tag: 1234.dkr.ecr.eu-west-1.amazonaws.com/app",
            ("registry-access-failure", "P0"),
        ),
        # npm's 401 on a publish is a credential (auth.npm-e401), not the registry refusing the package.
        (
            "npm ERR! code E401\nnpm ERR! 401 Unauthorized - PUT https://registry.npmjs.org/chart-kit - "
            "unauthenticated: User cannot be authenticated with the token provided.",
            ("auth-error", "P1"),
        ),
        # An install's 403 (GET) is not a refused publish (the older rules read it as a refused credential).
        (
            "npm ERR! code E403\nnpm ERR! 403 403 Forbidden - GET https://registry.npmjs.org/left-pad\n"
            "npm ERR! 403 In most cases, you or one of your dependencies are requesting",
            ("not", "registry-access-failure"),
        ),
        # exec format error of a downloaded tool outside any image build: not the image's platform.
        (
            "$ ./bin/protoc --version\nbash: ./bin/protoc: cannot execute binary file: Exec format error\n"
            "Error: Process completed with exit code 126.",
            ("not", "docker-build-failure"),
        ),
    ],
    ids=["pull-denied-stays-p0", "push-after-refusal-is-not-the-refused-operation", "npm-publish-401-is-auth",
         "npm-install-403-is-not-publish", "exec-format-outside-a-build"],
)
def test_the_same_words_elsewhere(text: str, want: tuple[str, str], config: Config, tmp_path: Path) -> None:
    first = first_finding_of(text, config, tmp_path)
    if want[0] == "not":
        assert first.category != want[1]
    else:
        assert (first.category, first.priority) == want


def test_push_words_name_the_operation() -> None:
    assert push_words("The push refers to repository [docker.io/acme/web]\n5f70bf18a086: Preparing") == (
        "The push refers to repository [docker.io/acme/web]"
    )
    assert push_words("a1b2c3d4e5f6: Pulling fs layer\na1b2c3d4e5f6: Waiting\ndenied: requested access") == ""
    assert push_words("npm ERR! 403 403 Forbidden - PUT https://registry.npmjs.org/x - Forbidden")
