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


# ci.agent-lost's evidence before key-v10 (TeamCity's `Canceled with comment: Agent removed` and its cloud log's
# `Cloud instance ... has gone`, Jenkins' `is already connected to this controller. Rejecting this connection` and
# GitLab's `There has been a timeout failure or the job got stuck` were added).
_AGENT_LOST_V9 = re.lazy(
    r"(?m)Backing channel '[^'\n]*' is disconnected|Agent went offline during the build|^Cannot contact \S+: "
    r"|hudson\.remoting\.(?:ChannelClosedException|RequestAbortedException)|^ERROR: Connection was broken"
    r"|Remote call on \S+ failed|no workspace from node |and has channel null"
    r"|wrapper script does not seem to be touching the log file|Failed to start an instance: "
    r"|There has been a runner system failure|^ERROR: Preparation failed: |The agent did not connect within"
    r"|No agent found in pool|^Agent lost$|The agent is being disconnected"
)


def agent_lost_v9(text: str) -> bool:
    """Whether ci.agent-lost's evidence before key-v10 matched `text`."""
    return _AGENT_LOST_V9.search(text) is not None
