"""Which CI step each test a console reader read from a log sat in.

Log incidents carry the step the layout was in when they were found (`step` property); a console reader
(RSpec, PHPUnit, vitest, jest, ...) sees lines, not steps. A failing test without a step gets the one of the
log's steps (LogStep, line to end_line) that holds its evidence line, so its evidence names the step as an
incident's does. A step the log does not delimit (a plain console) leaves the test as it was.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import replace

from gardener.model import LogStep, Result


def placed_in_steps(results: Sequence[Result], steps: Sequence[LogStep]) -> list[Result]:
    """`results`, each failing test that names no step given the step holding its line (steps sorted by line)."""
    if not steps:
        return list(results)
    starts = [s.line for s in steps]
    out = []
    for r in results:
        line = r.source_line
        if r.is_test and r.is_failing and line is not None and not any(k == "step" for k, _ in r.properties):
            i = bisect_right(starts, line) - 1
            if i >= 0 and line <= steps[i].end_line and steps[i].name:
                r = replace(r, properties=(*r.properties, ("step", steps[i].name)))
        out.append(r)
    return out
