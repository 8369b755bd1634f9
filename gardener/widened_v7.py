"""What session 9 (key-v7) changed in builtin rules' evidence, as predicates key_changes.py reads to give a failure the
key it had before: here, which text a veto added in key-v7 matched (key_changes.veto_added's `by`).

Pure; RE2 (gardener.regex), compiled on first use.
"""

from __future__ import annotations

from gardener import regex as re

# deps.dependency-does-not-compile's key-v7 veto: a Go panic's words (its runtime error, its goroutine header).
_GO_PANIC = re.lazy(r"(?i)\bpanic: runtime error: |\bgoroutine \d+ \[running\]:")


def go_panic_veto(vetoed_by: str) -> bool:
    """Whether the text that vetoed deps.dependency-does-not-compile is key-v7's Go panic veto."""
    return _GO_PANIC.search(vetoed_by) is not None
