"""What session 10 (key-v8) changed in builtin rules' evidence, as predicates key_changes.py reads to give a failure the
key it had before: which text a veto added in key-v8 matched, and what a widened rule's evidence matched before.

Pure; RE2 (gardener.regex), compiled on first use.
"""

from __future__ import annotations

from gardener import regex as re

# oom.exit-137's veto before key-v8: any `timeout` / `timed out`, a command line's `--timeout 120` too.
_TIMEOUT_WORD_V7 = re.lazy(r"(?i)\btimed? ?out\b")


def exit_137_v7(text: str) -> bool:
    """Whether oom.exit-137's evidence before key-v8 matched `text`: its veto then read any timeout word."""
    return _TIMEOUT_WORD_V7.search(text) is None


# registry.push-denied's `also` before key-v8: the push words it read then (a layer's upload in a client's own progress
# words was added).
_PUSH_WORDS_V7 = re.lazy(
    r"(?i)installation not allowed to \w+ organization package|\bThe push refers to\b|destination repository"
    r"|reuse blob|writing blob|blob upload|uploading (?:blob|layer)|writing manifest"
    r"|\bpush(?:ing)?\b[^\n]*(?:ghcr|docker|registry|\.io/|image)|failed to push|push access denied|write_package"
)


def push_denied_v7(text: str) -> bool:
    """Whether registry.push-denied's evidence before key-v8 matched `text`: its push words then."""
    return _PUSH_WORDS_V7.search(text) is not None


# registry.publish-refused's evidence before key-v8 (twine's verbose `Response from <url>:` with the status on the next
# line was added).
_PUBLISH_REFUSED_V7 = re.lazy(
    r"(?m)HTTPError: (?:400|409|410|413|422) (?:Bad Request|Client Error|Conflict|Gone|Request Entity Too Large"
    r"|Unprocessable Entity)[^\n]*?(?: from | for url: )https?://[^\s/]+"
    r"|(?i:\b400 (?:Client Error: )?File already exists\b|A file named \"[^\"\n]+\" already exists for"
    r"|You cannot publish over the previously published versions|crate version `[^`\n]+` is already uploaded)"
)


def publish_refused_v7(text: str) -> bool:
    """Whether registry.publish-refused's evidence before key-v8 matched `text`."""
    return _PUBLISH_REFUSED_V7.search(text) is not None


# ci.operation-canceled's key-v8 veto: Actions' step wrapper with exit code 143.
_ACTIONS_143 = re.lazy(r"(?i)Process completed with exit code 143\b")


def actions_143_veto(vetoed_by: str) -> bool:
    """Whether the text that vetoed ci.operation-canceled is key-v8's Actions exit-143 wrapper veto."""
    return _ACTIONS_143.search(vetoed_by) is not None
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
