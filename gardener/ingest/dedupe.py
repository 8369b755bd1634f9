"""One result per failure when several inputs of the same run report it."""

from __future__ import annotations

from collections.abc import Sequence

from gardener.model import Result


def dedupe(results: Sequence[Result]) -> tuple[Result, ...]:
    """One result per test when two inputs of the same run report it (JUnit and console output);
    the one with more detail wins. Log incidents have no test identity and are all kept."""
    kept: dict[tuple[str, str], Result] = {}
    order: list[tuple[str, str] | int] = []
    for i, r in enumerate(results):
        if r.source.kind == "log" and not r.file:
            order.append(i)
            continue
        key = (r.id, r.variant)
        if key not in kept:
            order.append(key)
            kept[key] = r
        elif len(r.details) > len(kept[key].details):
            kept[key] = r
    return tuple(results[k] if isinstance(k, int) else kept[k] for k in order)
