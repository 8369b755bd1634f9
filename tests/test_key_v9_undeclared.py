"""Key changes of session 11 (key-v9) on labelled excerpts outside the signature guard's scenarios: each item's
finding as 7763cbf (the session's start) keyed it must still be given, or be an alias of a finding given now (a
declared KeyChange), or its issue is orphaned. Digests recorded by review-11 from 7763cbf's `build_report` on the
excerpt written alone to `excerpt.txt` (the digest holds the file's stem where a key names the test id)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories import keys_given, labelled_excerpt

CASES = [
    # raffomania/ties#290: compose's `Error dependency db failed to start` above `... container ties-db-1 has no
    # healthcheck configured`: the service the older pattern captured (`db`) stays the key's.
    pytest.param("corpus.jsonl", "docker-build-005", "compose dependency failed to start: db", id="compose-service"),
    pytest.param("corpus22.jsonl", "c22-lava-kpanic-009", "---[ end Kernel panic", id="kernel-panic-banner",
                 marks=pytest.mark.xfail(strict=True, reason=(
                     "review-11: key-v9 names die()'s `Kernel panic - not syncing: Fatal exception` (kernel_report.py) "
                     "where key-v8 keyed the closing `---[ end Kernel panic` banner (generic.runtime-exception); no "
                     "KeyChange gives the old key"))),
    pytest.param("corpus4.jsonl", "c4-flaky-001", "log:…:test-summary:summarizing-failure-… :: SUCCESS! -- …",
                 id="ginkgo-summary-test-id", marks=pytest.mark.xfail(strict=True, reason=(
                     "review-11: the Ginkgo reader claims `Summarizing N Failures:`, so the flaky finding's test id "
                     "(in its key) moves from the summary's incident to the excerpt's; neither declared nor retired"))),
]


@pytest.mark.parametrize(("corpus", "item", "old_key"), CASES)
def test_the_key_before_key_v9_is_still_given_or_an_alias(corpus: str, item: str, old_key: str,
                                                          tmp_path: Path) -> None:
    text = labelled_excerpt(corpus, item)
    old = {"docker-build-005": "cfe1927d1644", "c22-lava-kpanic-009": "b47bd05a5e25",
           "c4-flaky-001": "4c29051865f1"}[item]
    assert old in keys_given(text, tmp_path), old_key
