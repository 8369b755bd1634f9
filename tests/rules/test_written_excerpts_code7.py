"""Code-side family rules (rules-code, session 7), on excerpts written after other public threads.

The open sets' misses (bats, gocheck, ctest, Sphinx -W, Spotless, .NET analyzers, pyright behind a wrapper, pytest's
collection summary, Jest's runtime SyntaxError, ES module scope, RSpec retries) and the output formats of tool
families no rule knew (Catch2, Boost.Test, Unity, dmd, Cython, go vet, Rollup/Vite, actionlint, hlint, cspell, lintr,
bandit). Each excerpt in tests/data/rules/written_excerpts_code7.jsonl follows the output of a public thread that no
open labelled set cites (`modelled_on`), with names and values changed, so these tests check that a rule names the
family's format rather than one item. The boundary cases pin where the same words belong to another category.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gardener.classify import find
from gardener.config import Config
from gardener.model import Finding
from gardener.whole_excerpt import ingest_for_classify
from tests.corpus_scoring import evidence_lines
from tests.rules.excerpt_first import written

ITEMS = written("written_excerpts_code7")
CLASSIFY = Path(__file__).parents[1] / "data" / "classify"
HELD_OUT = ("corpus13.jsonl", "corpus14.jsonl")  # clean held-out sets: never read here


def _findings(text: str, config: Config, tmp_path: Path) -> tuple[Finding, ...]:
    path = tmp_path / "excerpt.txt"  # a neutral name: the label must not leak through it
    path.write_text(text, encoding="utf-8")
    return tuple(find(ingest_for_classify([str(path)], config.rules).results, config))


@pytest.mark.parametrize("item", ITEMS, ids=[str(i["id"]) for i in ITEMS])
def test_excerpt_is_explained_by_its_rule(item: dict[str, str], config: Config, tmp_path: Path) -> None:
    findings = _findings(item["excerpt"], config, tmp_path)
    assert findings, item["id"]
    first = findings[0]
    assert (first.category, first.priority, first.rule_id) == (item["category"], item["priority"], item["rule"])


def test_every_excerpt_cites_a_thread_no_open_set_cites() -> None:
    cited = set()
    for path in CLASSIFY.glob("*.jsonl"):
        if path.name in HELD_OUT:
            continue
        cited |= {json.loads(line).get("source", "") for line in path.read_text(encoding="utf-8").splitlines()
                  if line.strip()}
    for item in ITEMS:
        assert item["modelled_on"].startswith("https://github.com/"), item["id"]
        assert item["modelled_on"] not in cited, item["id"]
    assert len({i["rule"] for i in ITEMS}) >= 15


# The line a finding gives as its evidence is the one that explains it, never the wrapper after it.
@pytest.mark.parametrize(
    ("name", "explaining"),
    [
        ("c7-sphinx1", "WARNING: toctree contains reference"),
        ("c7-gocheck1", "store_test.go:52:"),
        ("c7-ctest1", "***Failed"),
        ("c7-catch2", ": FAILED:"),
        ("c7-bats1", "(in test file test/cli.bats, line 27)"),
        ("c7-dmd", "model/data.d(69): Error:"),
    ],
)
def test_the_evidence_is_the_explaining_line(name: str, explaining: str, config: Config, tmp_path: Path) -> None:
    item = next(i for i in ITEMS if i["id"] == name)
    first = _findings(item["excerpt"], config, tmp_path)[0]
    lines = item["excerpt"].split("\n")
    assert any(explaining in lines[n - 1] for n in evidence_lines(first, item["excerpt"])), name


@pytest.mark.parametrize(
    ("text", "not_category"),
    [
        # A .NET compiler error (CS) is not an analyzer's finding: it stays a compile error.
        ("src/Foo.cs(12,13): error CS0103: The name 'bar' does not exist in the current context [src/Foo.csproj]",
         "lint-failure"),
        # The CI rejecting a workflow file is not actionlint's finding.
        ("Invalid workflow file: .github/workflows/ci.yml#L12\nThe workflow is not valid. .github/workflows/ci.yml "
         "(Line: 12, Col: 5): Unexpected value 'foo'", "lint-failure"),
        # RSpec listing a failure that the run still counts as failed is not a flaky pass.
        ("Failures:\n\n  1) Cart totals\n     Failure/Error: expect(total).to eq(3)\n\n       expected: 3\n"
         "            got: 2\n\n1 example, 1 failure", "flaky-test"),
        # A pytest error of one test (`::test`) is the test's own, not a module that failed to collect.
        ("ERROR tests/test_api.py::test_login - ConnectionRefusedError: [Errno 111] Connection refused",
         "import-collection-error"),
        # A compile error in a package dub fetched is the dependency's.
        ("../.dub/packages/vibe-core-2.7.1/vibe-core/source/vibe/core/net.d(88,3): Error: undefined identifier "
         "`SocketOption`", "compile-error"),
        # A test that writes `expect(x).toBe(y)` in its source (a code frame, a heredoc) is not Jest's matcher hint.
        (" FAIL  test/suite.test.js\n  ● Example › suite\n\n    TypeError: Cannot read properties of undefined "
         "(reading 'suite')\n\n      4 |   test(\"x\", () => {\n    > 5 |     qase.suite(\"x\");\n      6 |     "
         "expect(true).toBe(true);", "assertion-failure"),
    ],
    ids=["dotnet-compiler-error", "invalid-workflow", "rspec-still-failing", "pytest-test-error", "dub-dependency",
         "quoted-expect"],
)
def test_the_same_words_elsewhere_are_not_the_family(text: str, not_category: str, config: Config,
                                                     tmp_path: Path) -> None:
    findings = _findings(text, config, tmp_path)
    assert findings
    assert findings[0].category != not_category
