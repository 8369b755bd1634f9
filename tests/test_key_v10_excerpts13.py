"""Key changes of excerpts-13 (key-v10) on the labelled excerpts they move: each item's findings as d11bfec (the
branch's start) keyed them must still be given, or be an alias of a finding given now (a declared KeyChange), or their
issues are orphaned. Digests recorded from d11bfec's `build_report` on the excerpt written alone to `excerpt.txt`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories import keys_given, labelled_excerpt

CASES = [
    pytest.param("corpus23.jsonl", "c23-teamcity-agent-removed-071", ("30c25423bab8",), id="teamcity-agent-removed"),
    pytest.param("corpus25.jsonl", "c25-gitlab-stuck-023", ("6b0737779369",), id="gitlab-stuck"),
    pytest.param("corpus25.jsonl", "c25-jenkins-ws-agent-032", ("b5b119023c6d",), id="jenkins-agent-refused"),
    pytest.param("corpus23.jsonl", "c23-quay-pull-403-063", ("e2cc722b78ba",), id="registry-v1-pull-403"),
    pytest.param("corpus23.jsonl", "c23-xcpretty-retry-043", ("078253dcd5c3", "756873be413f"), id="xcpretty-retry"),
    pytest.param("corpus23.jsonl", "c23-stack-install-028", ("76398ed6232b",), id="stack-dependency-build"),
    pytest.param("corpus23.jsonl", "c23-ghc-hidden-pkg-035", ("2ced92c447c3",), id="ghc-hidden-package"),
    pytest.param("corpus20.jsonl", "c20-ginkgo-flake-017", ("9ec380f65b68",), id="ginkgo-suite-passed"),
]


@pytest.mark.parametrize(("corpus", "item", "old"), CASES)
def test_the_key_before_key_v10_is_still_given_or_an_alias(corpus: str, item: str, old: tuple[str, ...],
                                                           tmp_path: Path) -> None:
    given = keys_given(labelled_excerpt(corpus, item), tmp_path)
    assert set(old) <= given, item
