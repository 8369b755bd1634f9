"""What session 11 (key-v9) changed in builtin rules' evidence, as predicates key_changes.py reads to give a failure the
key it had before: what a widened rule's evidence matched before.

Pure; RE2 (gardener.regex), compiled on first use.
"""

from __future__ import annotations

from gardener import regex as re

# docker.compose-dependency-unhealthy's evidence before key-v9 (compose's `has no healthcheck configured` and v1's
# `Service "x" is missing a healthcheck configuration` were added).
_COMPOSE_DEPENDENCY_V8 = re.lazy(
    r"(?i)dependency failed to start: container [\w.-]+ (?:is unhealthy|exited \(\d+\))"
    r"|container for service \"[^\"]+\" is unhealthy|Container \"?[\w.-]+\"? is unhealthy"
    r"|dependency \S+ failed to start|ERROR: for \S+\s+Container \"[^\"]+\" is unhealthy"
)


def compose_dependency_v8(text: str) -> bool:
    """Whether docker.compose-dependency-unhealthy's evidence before key-v9 matched `text`."""
    return _COMPOSE_DEPENDENCY_V8.search(text) is not None
