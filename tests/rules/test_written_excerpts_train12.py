"""Family rules for the twelfth (training) set's misses, on excerpts written after other public sources.

tests/data/classify/corpus12.jsonl showed the families (opam, nimble, hex, conan, CocoaPods, meson, nix hash
mismatches, GHCR write refusals, GitLab runner preparation, Jenkins remoting, dropped git transfers, xcodebuild /
zig compiles, SwiftLint / Gradle lint tasks / ansible-lint / dart analyze, the flaky plugin's report, Julia's Test,
git push refusals). Each excerpt in tests/data/rules/written_excerpts_train12.jsonl follows the output of ANOTHER
public thread or source file than the set's item (`modelled_on`), with names and values changed, so these tests check
that the rules name the mechanism rather than the one item (where rules-conv's family rules landed first for the same
tool, `rule` names theirs). The boundary cases below pin where the same words belong to another category.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gardener.config import Config
from tests.rules.excerpt_first import assert_explained_by_its_rule, first_finding_of, written

ITEMS = written("written_excerpts_train12")
CORPUS12 = Path(__file__).parents[1] / "data" / "classify" / "corpus12.jsonl"


@pytest.mark.parametrize("item", ITEMS, ids=[str(i["id"]) for i in ITEMS])
def test_excerpt_is_explained_by_its_rule(item: dict[str, str], config: Config, tmp_path: Path) -> None:
    assert_explained_by_its_rule(item, config, tmp_path)


def test_every_excerpt_cites_a_source_other_than_the_training_items() -> None:
    cited = {json.loads(line)["source"] for line in CORPUS12.read_text(encoding="utf-8").splitlines() if line.strip()}
    for item in ITEMS:
        assert item["modelled_on"].startswith("https://github.com/"), item["id"]
        assert item["modelled_on"] not in cited, item["id"]
    assert len({i["rule"] for i in ITEMS}) >= 18


@pytest.mark.parametrize(
    ("text", "not_category"),
    [
        # The flaky plugin's report of a test that never passed (`failed; it passed 0 out of the required 1 times`,
        # box/flaky's `_failure_message`): the test failed, it is not a flaky pass.
        (
            "===Flaky Test Report===\n\ntest_sync failed (1 runs remaining out of 2).\n\t<class 'AssertionError'>\n"
            "\tassert False\ntest_sync failed; it passed 0 out of the required 1 times.\n\t<class 'RuntimeError'>\n"
            "\tEvent loop is closed\n\n===End Flaky Test Report===\nFAILED tests/test_sync.py::test_sync - "
            "RuntimeError: Event loop is closed\n1 failed in 0.12s",
            "flaky-test",
        ),
        # opam quoting the project's own dune error (no failed-actions report, no opam log file): a compile error of
        # the project, not a package that failed to install.
        (
            "### output ###\n# File \"dune\", line 3, characters 0-40:\n# Error: No rule found for src/bin/gen.exe",
            "dependency-install-failure",
        ),
        # xcodebuild listing only a module emission (SwiftEmitModule): the list alone does not say the sources do
        # not compile.
        (
            "** BUILD FAILED **\n\nThe following build commands failed:\n\tSwiftEmitModule normal arm64 Emitting\\ "
            "module\\ for\\ App (in target 'App' from project 'App')\n(1 failure)",
            "compile-error",
        ),
    ],
    ids=["flaky-report-final-failure", "opam-quoting-project-dune", "xcode-emit-module-only"],
)
def test_the_same_words_elsewhere_are_not_the_family(text: str, not_category: str, config: Config,
                                                     tmp_path: Path) -> None:
    assert first_finding_of(text, config, tmp_path).category != not_category


def test_findings_name_what_failed(config: Config, tmp_path: Path) -> None:
    titles = {}
    for name in ("t12-nix3", "t12-pushdenied1", "t12-meson1"):
        item = next(i for i in ITEMS if i["id"] == name)
        titles[name] = first_finding_of(item["excerpt"], config, tmp_path).title
    assert titles == {
        "t12-nix3": "nix fetch hash mismatch for bootstrap-tools.tar.xz",
        "t12-pushdenied1": "git push to acme/feeds denied to github-actions[bot]",
        "t12-meson1": "meson cannot find dependency cairo",
    }
