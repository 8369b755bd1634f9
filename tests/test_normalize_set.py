"""The masks' pattern Set only skips masks that cannot match: every mask version gives the same text with
the Set as without it (when the Set cannot answer, every mask runs, as before it existed)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from gardener import normalize

DATA = Path(__file__).resolve().parent / "data" / "classify"


class _Blind:
    def matching(self, text: str) -> None:
        return None


def _texts() -> list[str]:
    lines: list[str] = []
    for name in ("corpus.jsonl", "corpus3.jsonl"):
        with (DATA / name).open(encoding="utf-8") as fh:
            for row in fh:
                if row.strip():
                    lines += [x for x in json.loads(row)["excerpt"].splitlines() if x.strip()]
    lines = lines[::20]  # a sample of the corpus lines: the random ones below hit every mask
    rng = random.Random(4)
    parts = ["2024-05-01T12:00:00Z", "12:01:02.5", "0x7ffd1234", "[::1]:8080", "10.0.0.7:5432", "db.internal:5432",
             "port 8080", "/home/runner/work/a/a/src/x.py:71", "/tmp/build-3f9a/x", "pid 4242", "12.5s", "3m2s",
             "sha256:" + "ab" * 20, "deadbeef" * 3, "Zm9vYmFyYmF6cXV4" * 3, "550e8400-e29b-41d4-a716-446655440000",
             "abc1234", "node_modules/x/y.js", "exit code 2", "404 Not Found", " ", ":", "x", "Thread-7", "\x1b[31m"]
    lines += ["".join(rng.choice(parts) for _ in range(rng.randint(1, 8))) for _ in range(2000)]
    return lines


@pytest.mark.parametrize("version", sorted(normalize.MASK_VERSIONS))
def test_masks_are_the_same_with_and_without_the_set(version: str, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _texts()
    masker = normalize.MASK_VERSIONS[version]
    with_set = [masker(t) for t in texts]
    monkeypatch.setattr(normalize, "_MASK_SET", _Blind())
    without = [masker(t) for t in texts]
    assert with_set == without
    assert sum(a != t for a, t in zip(with_set, texts, strict=True)) > 800  # the masks did work


@pytest.mark.parametrize("version", sorted(normalize.MASK_VERSIONS))
def test_masks_are_the_same_searched_one_by_one_before_the_set_is_compiled(
    version: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = _texts()
    masker = normalize.MASK_VERSIONS[version]
    monkeypatch.setattr(normalize, "_MASK_SET", _Blind())
    every_mask = [masker(t) for t in texts]
    monkeypatch.setattr(normalize, "_MASK_SET", None)
    monkeypatch.setattr(normalize, "_UNSET_BUDGET", 10**12)  # never compiled: each mask asked is searched
    one_by_one = [masker(t) for t in texts]
    assert normalize._MASK_SET is None
    assert one_by_one == every_mask
