"""Lookups every view needs per finding (who it blocks, by id, its position), built once per run.

Views are called once per finding; scanning all findings inside each call made rendering a run
of 5,000 findings quadratic. These indexes are memoised on the identity of the findings tuple
(tuples do not change, and the memo holds a reference so the identity stays theirs).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from gardener.model import Finding

T = TypeVar("T")

_MEMO: dict[tuple[str, int], tuple[Sequence[Finding], object]] = {}
_MEMO_SIZE = 12


def _memo(kind: str, findings: Sequence[Finding], build: Callable[[Sequence[Finding]], T]) -> T:
    if not isinstance(findings, tuple):  # a list may change between calls: no memo
        return build(findings)
    key = (kind, id(findings))
    hit = _MEMO.get(key)
    if hit is not None and hit[0] is findings:
        return hit[1]  # type: ignore[return-value]
    value = build(findings)
    if len(_MEMO) >= _MEMO_SIZE:
        _MEMO.pop(next(iter(_MEMO)))
    _MEMO[key] = (findings, value)
    return value


def _blocks(findings: Sequence[Finding]) -> dict[str, tuple[Finding, ...]]:
    out: dict[str, list[Finding]] = {}
    for g in findings:
        for b in g.blocked_by:
            out.setdefault(b, []).append(g)
    return {k: tuple(v) for k, v in out.items()}


def blocks_of(findings: Sequence[Finding], finding_id: str) -> tuple[Finding, ...]:
    """The findings among `findings` that `finding_id` blocks, in their order."""
    return _memo("blocks", findings, _blocks).get(finding_id, ())


def by_id(findings: Sequence[Finding]) -> dict[str, Finding]:
    return _memo("by_id", findings, lambda fs: {f.id: f for f in fs})


def position(findings: Sequence[Finding], finding_id: str) -> int | None:
    """1-based position of `finding_id` among `findings`, None when it is not there."""
    index = _memo("position", findings, lambda fs: {f.id: i for i, f in enumerate(fs, 1)})
    return index.get(finding_id)
