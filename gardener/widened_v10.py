"""What session 12 (key-v10) changed in builtin rules' evidence, as predicates key_changes.py reads to give a failure
the key it had before: which text a veto added in key-v10 matched.

Pure; RE2 (gardener.regex), compiled on first use.
"""

from __future__ import annotations

from gardener import regex as re

# runtime.go-panic's key-v10 veto: a panic whose own message is a refused connection (network.connection-refused's).
_GO_PANIC_REFUSED = re.lazy(r"(?im)^[ \t]*panic: [^\n]*\bconnection refused\b")


def go_panic_refused_veto(vetoed_by: str) -> bool:
    """Whether the text that vetoed runtime.go-panic is key-v10's refused-connection veto."""
    return _GO_PANIC_REFUSED.search(vetoed_by) is not None
