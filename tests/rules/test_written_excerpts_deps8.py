"""Package managers, registries and stores the open sets left `unclassified` or named wrong (rules-deps-2, issue 12).

corpus13 showed whole tools no rule knew (LuaRocks, Crystal's shards, opam's solver, cargo publishing, rubygems.org's
push API, fastlane's store uploads) and mechanisms read the wrong way: a compile error located in a fetched package
(`node_modules/x/y.d.ts`, `~/.pub-cache/hosted/...`) is the dependency's, a cargo error chain ends in the cause that
explains it (`Permission denied (os error 13)`), a docker `denied:` line of its own is a push's refusal. Each excerpt in
tests/data/rules/written_excerpts_deps8.jsonl is written from the tool's own source or message catalogue
(`modelled_on`: the file that prints the message), with names and values invented, so these tests pin the tool's
message family rather than one labelled item. The boundary cases pin where the same words belong elsewhere.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gardener.config import Config
from gardener.push_evidence import push_words
from tests.rules.excerpt_first import first_finding_of

DATA = Path(__file__).parents[1] / "data" / "rules" / "written_excerpts_deps8.jsonl"
ITEMS = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
CLASSIFY = Path(__file__).parents[1] / "data" / "classify"


@pytest.fixture(scope="module")
def config() -> Config:
    return Config()


@pytest.mark.parametrize("item", ITEMS, ids=[str(i["id"]) for i in ITEMS])
def test_excerpt_is_explained_by_its_rule(item: dict[str, str], config: Config, tmp_path: Path) -> None:
    first = first_finding_of(item["excerpt"], config, tmp_path)
    assert (first.category, first.priority, first.rule_id) == (item["category"], item["priority"], item["rule"])


def test_every_excerpt_cites_the_tool_source_no_labelled_set_cites() -> None:
    labelled = {json.loads(line)["source"].rstrip("/") for path in sorted(CLASSIFY.glob("*.jsonl"))
                for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}
    for item in ITEMS:
        assert item["modelled_on"].startswith("https://github.com/"), item["id"]
        assert "/blob/" in item["modelled_on"], item["id"]
        assert item["modelled_on"].rstrip("/") not in labelled, item["id"]
        assert item["note"], item["id"]
    assert len({i["rule"] for i in ITEMS}) >= 20
    assert len({i["category"] for i in ITEMS}) == 5  # the five families this branch owns


def test_findings_name_what_failed(config: Config, tmp_path: Path) -> None:
    titles = {}
    for name in ("d8-lr-dep", "d8-sh-resolving", "d8-cargo-pub403", "d8-ruby-gemnotfound", "d8-tsc-nodemod"):
        item = next(i for i in ITEMS if i["id"] == name)
        titles[name] = first_finding_of(item["excerpt"], config, tmp_path).title
    assert titles == {
        "d8-lr-dep": "LuaRocks cannot install the rocks (`lrexlib-pcre`): the system library PCRE is missing",
        "d8-sh-resolving": "shards cannot install the dependencies (`pg`)",
        "d8-cargo-pub403": "The crate registry refuses the publish of `ledger-core` 0.3.1 (403)",
        "d8-ruby-gemnotfound": "Bundler (>= 0.a) is not installed for this Ruby",
        "d8-tsc-nodemod": "Dependency `@types/express-serve-static-core` does not type-check (TS2430)",
    }


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # opam building the project's own pinned package, or quoting a type error from it: the compiler's words decide.
        (
            "#=== ERROR while compiling acme.dev ============================================#\n"
            "# context     2.1.5 | linux/x86_64 | ocaml-base-compiler.5.1.0 | pinned(git+file:///home/runner/work/acme#main)\n"
            "# path        ~/.opam/5.1.0/.opam-switch/build/acme.dev\n"
            "# command     ~/.opam/opam-init/hooks/sandbox.sh build dune build -p acme -j 3\n"
            "# exit-code   1\n### output ###\n# File \"src/acme.ml\", line 12, characters 4-9:\n"
            "# Error: Unbound value parse",
            ("compile-error", "P1"),
        ),
        # tsc's own file naming a dependency's path in its message is the project's error; so is a dependency's
        # declaration failing for a type package the project did not install (TS2688).
        (
            "src/config.ts:9:24 - error TS7016: Could not find a declaration file for module 'left-pad'. "
            "'/app/node_modules/left-pad/index.js' implicitly has an 'any' type.",
            ("compile-error", "P1"),
        ),
        (
            "node_modules/@acme/kit/dist/index.d.ts(1,23): error TS2688: Cannot find type definition file for 'node'.",
            ("compile-error", "P1"),
        ),
        # A stack frame through node_modules under the project's compile error is not the error's location.
        (
            "TSError: ⨯ Unable to compile TypeScript:\nsrc/app.ts(3,7): error TS2322: Type 'string' is not assignable "
            "to type 'number'.\n\n    at createTSError (/app/node_modules/ts-node/src/index.ts:859:12)",
            ("compile-error", "P1"),
        ),
        # The daemon's sentence for a refused pull ends with the same words as a push's refusal: a pull, P0.
        (
            "Error response from daemon: pull access denied for acme/tools, repository does not exist or may require "
            "'docker login': denied: requested access to the resource is denied",
            ("registry-access-failure", "P0"),
        ),
        # A Lua error with no install around it is the script's own failure, not a dependency.
        (
            "$ lua spec/run.lua\nlua: spec/run.lua:14: attempt to index a nil value (global 'config')\n"
            "stack traceback:\n\tspec/run.lua:14: in main chunk",
            ("not", "dependency-install-failure"),
        ),
        # A setup action's installer wrapper yields to the installer's own words above it.
        (
            "Could not find gem 'rails (~> 9.0)' in locally installed gems.\n"
            "Error: Error: The process '/opt/hostedtoolcache/Ruby/3.3.0/x64/bin/bundle' failed with exit code 7",
            ("dependency-install-failure", "P0", "deps.bundler-install-or-older"),
        ),
    ],
    ids=["opam-pinned-own-package", "tsc-own-file-naming-node-modules", "tsc-missing-types-package",
         "ts-node-stack-frame", "pull-denied-sentence-stays-p0", "lua-script-error-alone", "installer-wrapper-yields"],
)
def test_the_same_words_elsewhere(text: str, want: tuple[str, ...], config: Config, tmp_path: Path) -> None:
    first = first_finding_of(text, config, tmp_path)
    if want[0] == "not":
        assert first.category != want[1]
    elif len(want) == 3:
        assert (first.category, first.priority) == want[:2]
        assert first.rule_id != "deps.actions-installer-failed"
    else:
        assert (first.category, first.priority) == want


def test_a_push_refusal_is_read_from_its_place() -> None:
    assert push_words("denied: requested access to the resource is denied\n##[error]Docker run failed")
    assert push_words("Error response from daemon: pull access denied for x, repository does not exist or may "
                      "require 'docker login': denied: requested access to the resource is denied") == ""
