"""cabal's solver titles name the package whose bounds exclude a boot package the compiler ships (round 10's cabal
scenario: `rejecting: aeson-2.2.3.0 (conflict: base==4.21.0.0/installed-4.21.0.0, aeson => base>=4.10.0.0 && <4.21)`
on a new GHC), for deps.cabal-solver (`cabal: Could not resolve dependencies:`) and deps.cabal-solver-coded
(cabal >= 3.10's `Error: [Cabal-7107]`).

Real text: haskell/cabal#7318 (`[__3] rejecting: rere-0.1 (conflict: base==4.15.0.0/installed-4.15.0.0, rere` /
`=> base>=4.3.0.0 && <4.15)`), coala/coala-bears#1629 (`rejecting: process-1.2.3.0, process-1.2.2.0,
process-1.2.1.0 (conflict:` / `base==4.9.1.0/installed-4.9..., process => base>=4.4 && <4.9)`, wrapped), and the
near-misses hasura/graphql-engine#5259 (base itself rejected by a project constraint) and GaloisInc/macaw#153
(`(conflict: base =>` / `ghc-prim==...`: base's own dependency, no package's bound on it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.config import Config
from tests.corpus_scoring import evidence_lines
from tests.rules.excerpt_first import first_finding_of

CABAL_7318 = (
    "% cabal build -w ghc-9.0.1 --dry all\nResolving dependencies...\ncabal: Could not resolve dependencies:\n"
    "[__0] trying: Cabal-3.5.0.0 (user goal)\n[__1] trying: base-4.15.0.0/installed-4.15.0.0 (dependency of Cabal)\n"
    "[__2] trying: Cabal-described-3.5.0.0 (user goal)\n[__3] next goal: rere (dependency of Cabal-described)\n"
    "[__3] rejecting: rere-0.1 (conflict: base==4.15.0.0/installed-4.15.0.0, rere\n=> base>=4.3.0.0 && <4.15)\n"
    "[__3] fail (backjumping, conflict set: Cabal-described, base, rere)\n"
)
COALA = (
    "+ cabal install cabal-install-1.22.9.0\nResolving dependencies...\ncabal: Could not resolve dependencies:\n"
    "trying: base-4.9.1.0/installed-4.9... (dependency of cabal-install-1.22.9.0)\n"
    "next goal: process (dependency of cabal-install-1.22.9.0)\n"
    "rejecting: process-1.2.3.0, process-1.2.2.0, process-1.2.1.0 (conflict:\n"
    "base==4.9.1.0/installed-4.9..., process => base>=4.4 && <4.9)\n"
)
CODED = (
    "Resolving dependencies...\nError: [Cabal-7107]\nCould not resolve dependencies:\n"
    "[__0] trying: tally-hs-0.4.1.0 (user goal)\n"
    "[__1] trying: base-4.21.0.0/installed-4.21.0.0 (dependency of tally-hs)\n"
    "[__3] rejecting: aeson-2.2.3.0 (conflict: base==4.21.0.0/installed-4.21.0.0, aeson => base>=4.10.0.0 && <4.21)\n"
    "[__3] fail (backjumping, conflict set: aeson, base, tally-hs)\n"
)
HASURA = (
    "cabal: Could not resolve dependencies:\n[__0] trying: ci-info-0.1.0.0 (user goal)\n"
    "[__1] next goal: base (dependency of ci-info)\n[__1] rejecting: base-4.12.0.0/installed-4.12.0.0 (constraint from "
    "project config TODO requires ==4.14.0.0)\n[__1] fail (backjumping, conflict set: base, ci-info)\n"
)
MACAW = (
    "$ cabal v2-test --project-file=cabal.project.dist x86 x86_symbolic\nResolving dependencies...\n"
    "cabal: Could not resolve dependencies:\n[__0] trying: asl-parser-0.1.0.0 (user goal)\n"
    "[__1] trying: base-4.11.1.0/installed-4.1... (dependency of asl-parser)\n[__2] next goal: what4 (user goal)\n"
    "[__2] rejecting: what4-1.0.0.0.99 (conflict: base =>\n"
    "ghc-prim==0.5.2.0/installed-0.5..., what4 => ghc-prim>=0.5.3)\n"
)


@pytest.mark.parametrize(("text", "rule", "excluded"), [
    (CABAL_7318, "deps.cabal-solver", "rere"), (COALA, "deps.cabal-solver", "process"),
    (CODED, "deps.cabal-solver-coded", "aeson"),
    (HASURA, "deps.cabal-solver", None), (MACAW, "deps.cabal-solver", None),
])
def test_the_title_names_the_package_excluding_the_boot_package(text: str, rule: str, excluded: str | None,
                                                                 config: Config, tmp_path: Path) -> None:
    f = first_finding_of(text, config, tmp_path)
    assert (f.category, f.rule_id) == ("dependency-install-failure", rule)
    if excluded:
        assert f"`{excluded}`'s bounds exclude" in f.title, f.title
    else:
        assert "bounds exclude" not in f.title, f.title


def test_the_coded_form_s_evidence_is_the_words_not_the_code(config: Config, tmp_path: Path) -> None:
    """cabal >= 3.10 prints `Error: [Cabal-7107]` alone, the words on the next line: those are the evidence."""
    text = f"Build profile: -w ghc-9.12.1 -O1\n{CODED}\n##[error]Process completed with exit code 1.\n"
    f = first_finding_of(text, config, tmp_path)
    lines = text.split("\n")
    assert [lines[n - 1] for n in evidence_lines(f, text)] == ["Could not resolve dependencies:"]
