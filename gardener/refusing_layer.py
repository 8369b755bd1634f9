"""Which layer refused, when one line names two neighbouring categories (README labelling guide: "which layer").

A line can say both what the job was doing and why it failed: `Failed to fetch pull request review comments: Bad
credentials` (a Deno action), `Failed to get resource: GET. [HTTP HTTP/1.1 401 Unauthorized` (Gradle against
Artifactory). The fetch is only the phase; a 401 or a credential the server calls bad says the credentials are the
cause, so the line is an auth error even though it holds a download's words too. A bare `403 Forbidden` from a
package mirror (apt's `W: Failed to fetch ... 403  Forbidden`) says nothing about credentials and stays the install's.

Pure; RE2 (gardener.regex), compiled on first use; asked only for a generic verdict's evidence line.
"""

from __future__ import annotations

from gardener import regex as re

# A credential refused in the server's own words: 401, `Unauthorized`, `Bad credentials`, a token or password it calls
# invalid or expired.
_CREDENTIALS_REFUSED = re.lazy(
    r"(?i)\b401\b|\bunauthori[sz]ed\b|\bbad credentials\b|\binvalid (?:credentials|(?:access |api |auth )?token)\b"
    r"|\b(?:token|credentials?) (?:has |have |is |are )?(?:expired|revoked|invalid)\b"
    r"|\bauthentication (?:failed|required)\b")

# The phase a credential refusal outranks on the same line: fetching what the job depends on.
_PHASES = frozenset(("dependency-install-failure",))


def credentials_outrank(named: str, phase: str, line: str) -> bool:
    """Whether `line`, whose words name both `named` and the rule's `phase` category, is the credentials' failure
    rather than the phase's (pure)."""
    return named == "auth-error" and phase in _PHASES and _CREDENTIALS_REFUSED.search(line) is not None
