"""What session 10 (key-v8) changed in builtin rules' evidence, as predicates key_changes.py reads to give a failure the
key it had before: which text a veto added in key-v8 matched, and what a widened rule's evidence matched before.

Pure; RE2 (gardener.regex), compiled on first use.
"""

from __future__ import annotations

from gardener import regex as re

# Playwright's web-first expectation block (`Expected: visible`, `Timeout: 5000ms`): timeout.generic's key-v8 veto and
# assert.retrying-expectation's key-v8 evidence.
_PLAYWRIGHT_BUDGET = re.lazy(r"(?m)^[ \t>]*Expected: [^\n]*\n(?:[ \t>]*Received: [^\n]*\n)?[ \t>]*Timeout: \d+ms")
# assert.retrying-expectation's evidence before key-v8.
_RETRYING_V7 = re.lazy(
    r"(?m)CypressError: Timed out retrying(?: after \d+ ?ms)?: (?:Expected|expected)"
    r"|AssertionError: Timed out retrying(?: after \d+ ?ms)?: (?:Expected|expected)"
    r"|^[ \t]*(?:Error: )?(?:expect\(received\)|Timed out \d+ms waiting for expect\()"
)


def playwright_budget_veto(vetoed_by: str) -> bool:
    """Whether the text that vetoed timeout.generic is key-v8's Playwright expectation veto."""
    return _PLAYWRIGHT_BUDGET.search(vetoed_by) is not None


def retrying_expectation_v7(text: str) -> bool:
    """Whether assert.retrying-expectation's evidence before key-v8 matched `text`."""
    return _RETRYING_V7.search(text) is not None
