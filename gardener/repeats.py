"""One failure read as two log incidents: the part that names nothing joins the part that names it.

A package manager's message can span two incidents of one step (bundler's `Could not find compatible
versions` with the conflict under it, then `version solving has failed.` after it): one rule matches
both, but only the first has the package in its text, so the second keys on a signature that names
nothing (`dependency install failed:`) and would be a second root cause titled "for the build". An
incident whose rule is the same, in the same input file and CI step, whose captures are another's
there with some names missing, and that lies within SAME_MESSAGE_LINES of it, is that failure seen
again: it takes the key of the nearest such incident (and so its finding). Tests are never joined
this way (a test is a failure of its own), nor incidents of other steps or files. Pure: classified
results in, classified results out; each place's incidents are indexed by what they name, so many
incidents cost a lookup each, not a scan.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from gardener.cluster import Classified

Captures = frozenset[tuple[str, str]]
SAME_MESSAGE_LINES = 50  # as far apart as the lines of one failure's message are read (grouping.JOIN_GAP)


def _place(c: Classified) -> tuple[str, str, str] | None:
    """Input file, CI step and rule of a log incident a rule named (None: not joinable)."""
    r = c.result
    if r.is_test or c.rule is None or c.wrapper or c.absorbed_by:
        return None
    props = dict(r.properties)
    return (r.source.path, props.get("job_step") or props.get("step") or "", c.rule.id)


def _names(captures: Captures) -> frozenset[str]:
    return frozenset(name for name, _ in captures)


def absorb_repeats(classified: Sequence[Classified]) -> list[Classified]:
    """Each incident whose captures another incident of its rule, file and step names, and more names
    besides, takes the key of the nearest such incident (by position in the input)."""
    by_place: dict[tuple[str, str, str], list[int]] = {}
    for i, c in enumerate(classified):
        place = _place(c)
        if place is not None:
            by_place.setdefault(place, []).append(i)
    out = list(classified)
    for indexes in by_place.values():
        if len(indexes) > 1:
            _join_in_place(indexes, classified, out)
    return out


def _join_in_place(indexes: list[int], classified: Sequence[Classified], out: list[Classified]) -> None:
    sets = {i: frozenset(classified[i].captures) for i in indexes}
    named: dict[frozenset[str], list[int]] = {}  # the names an incident captured -> its incidents, in order
    for i in indexes:
        named.setdefault(_names(sets[i]), []).append(i)
    if len(named) < 2:  # every incident names the same things: nothing is missing anywhere
        return
    # (fuller names, fewer names) -> the fuller incidents by what they name of the fewer names, in order.
    index: dict[tuple[frozenset[str], frozenset[str]], dict[Captures, list[int]]] = {}
    for fewer, mine in named.items():
        fuller = [names for names in named if fewer < names]
        for names in fuller:
            table = index.get((names, fewer))
            if table is None:
                table = index[(names, fewer)] = {}
                for j in named[names]:
                    table.setdefault(frozenset(p for p in sets[j] if p[0] in fewer), []).append(j)
        for i in mine:
            found = [js for names in fuller if (js := index[(names, fewer)].get(sets[i]))]
            target = min((_nearest(js, i) for js in found), key=lambda j: abs(j - i), default=None)
            if target is not None and classified[target].key != classified[i].key and _close(classified, i, target):
                out[i] = classified[i].changed(key=classified[target].key)


def _close(classified: Sequence[Classified], i: int, j: int) -> bool:
    """Two incidents of one message: within SAME_MESSAGE_LINES lines of each other in their file."""
    a, b = classified[i].result.source_line, classified[j].result.source_line
    return a is not None and b is not None and abs(a - b) <= SAME_MESSAGE_LINES


def _nearest(ordered: list[int], i: int) -> int:
    at = bisect.bisect_left(ordered, i)
    near = ordered[max(0, at - 1) : at + 1]
    return min(near, key=lambda j: abs(j - i))
