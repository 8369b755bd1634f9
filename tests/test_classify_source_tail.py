"""The `source` field of a result is the tail of everything its input shows failing: built from the end,
it is the same text the whole join gave, without copying every failure of a large input."""

from __future__ import annotations

import random

from gardener.classify import SOURCE_CONTEXT_CHARS, _source_contexts
from gardener.model import Result, Source
from gardener.rules.loader import builtin_rules


def test_source_tail_is_the_tail_of_the_whole_join() -> None:
    rng = random.Random(3)
    results = [
        Result(id=f"t{i}", outcome="failed", source=Source(f"f{rng.randrange(3)}.xml", "junit"),
               message="m" * rng.randrange(0, 50), details="d" * rng.randrange(0, 20_000))
        for i in range(60)
    ]
    rules = builtin_rules()
    for n in range(0, 61, 3):
        parts: dict[str, list[str]] = {}
        for r in results[:n]:
            parts.setdefault(r.source.path, []).append(f"{r.message}\n{r.details}")
        whole = {path: "\n".join(texts)[-SOURCE_CONTEXT_CHARS:] for path, texts in parts.items()}
        assert _source_contexts(results[:n], rules) == whole, n
