"""One failure read as two log incidents: the part that names nothing joins the part that names it.

A package manager's message can span two incidents of one step (bundler's `Could not find compatible
versions` with the conflict under it, then `version solving has failed.` after it): one rule matches
both, but only the first has the package in its text, so the second keys on a signature that names
nothing (`dependency install failed:`) and would be a second root cause titled "for the build". An
incident whose rule is the same, in the same input file and CI step, whose captures are a strict
subset of another's there, is that failure seen again: it takes that incident's key (and so its
finding). Tests are never joined this way (a test is a failure of its own), nor incidents of other
steps or files. Pure: classified results in, classified results out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from gardener.cluster import Classified


def _place(c: Classified) -> tuple[str, str, str] | None:
    """Input file, CI step and rule of a log incident a rule named (None: not joinable)."""
    r = c.result
    if r.is_test or c.rule is None or c.wrapper or c.absorbed_by:
        return None
    props = dict(r.properties)
    return (r.source.path, props.get("job_step") or props.get("step") or "", c.rule.id)


def absorb_repeats(classified: Sequence[Classified]) -> list[Classified]:
    """Each incident whose captures another incident of its rule, file and step names and more joins the
    nearest such incident (by position in the input)."""
    by_place: dict[tuple[str, str, str], list[int]] = {}
    for i, c in enumerate(classified):
        place = _place(c)
        if place is not None:
            by_place.setdefault(place, []).append(i)
    out = list(classified)
    for indexes in by_place.values():
        if len(indexes) < 2:
            continue
        names = {i: frozenset(classified[i].captures) for i in indexes}
        for i in indexes:
            fuller = [j for j in indexes if j != i and names[i] < names[j] and classified[j].key != classified[i].key]
            if not fuller:
                continue
            target = classified[min(fuller, key=lambda j: abs(j - i))]
            out[i] = replace(classified[i], key=target.key)
    return out
