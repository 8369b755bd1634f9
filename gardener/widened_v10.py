"""What session 12 (key-v10) changed in builtin rules' evidence, as predicates key_changes.py reads to give a failure
the key it had before: which text a veto added in key-v10 matched, and what a widened rule's evidence matched before.

Pure; RE2 (gardener.regex), compiled on first use.
"""

from __future__ import annotations

from gardener import regex as re
from gardener.rules.pattern import any_matches

# runtime.go-panic's key-v10 veto: a panic whose own message is a refused connection (network.connection-refused's).
_GO_PANIC_REFUSED = re.lazy(r"(?im)^[ \t]*panic: [^\n]*\bconnection refused\b")


def go_panic_refused_veto(vetoed_by: str) -> bool:
    """Whether the text that vetoed runtime.go-panic is key-v10's refused-connection veto."""
    return _GO_PANIC_REFUSED.search(vetoed_by) is not None


# ci.agent-lost's evidence before key-v10 (TeamCity's `Canceled with comment: Agent removed` and its cloud log's
# `Cloud instance ... has gone`, Jenkins' `is already connected to this controller. Rejecting this connection` and
# GitLab's `There has been a timeout failure or the job got stuck` were added).
_AGENT_LOST_V9 = (
    r"Backing channel '[^'\n]*' is disconnected",
    r"Agent went offline during the build",
    r"(?m)^Cannot contact \S+: ",
    r"hudson\.remoting\.(?:ChannelClosedException|RequestAbortedException)",
    r"(?m)^ERROR: Connection was broken",
    r"Remote call on \S+ failed",
    r"no workspace from node ",
    r"and has channel null",
    r"wrapper script does not seem to be touching the log file",
    r"Failed to start an instance: ",
    r"There has been a runner system failure",
    r"(?m)^ERROR: Preparation failed: ",
    r"The agent did not connect within",
    r"No agent found in pool",
    r"(?m)^Agent lost$",
    r"The agent is being disconnected",
)


_agent_lost_v9 = any_matches(_AGENT_LOST_V9)


def agent_lost_v9(text: str) -> bool:
    """Whether ci.agent-lost's evidence before key-v10 matched `text`."""
    return _agent_lost_v9(text)


# registry.pull-denied's evidence before key-v10 (Docker's registry v1 `Error: Status 403 trying to pull repository x`
# was added), as the rule pack spells it.
_PULL_DENIED_V9 = (
    r"(?i)pull access denied for (?P<image>[\w./:@-]+?)[,\s]",
    r"(?i)manifest for (?P<image>\S+) not found",
    r"(?i)manifest unknown",
    r'(?i)failed to resolve reference "(?P<image>[^"]+)"',
    r"(?i)Unable to find image '(?P<image>[^']+)' locally[\s\S]{0,400}?"
    r"(?:denied|not found|unauthorized|does not exist)",
    r"(?i)repository (?P<image>\S+) not found",
    r"(?i)ErrImagePull|ImagePullBackOff",
    r'(?i)Error response from daemon: (?:Get|Head) "?https://(?P<host>[\w.-]+)/v2/[^\n]*?(?:unauthorized|denied|forbidden|40[13])',
    r"(?i)(?:ghcr\.io|docker\.io|registry-1\.docker\.io|\.ecr\.[\w.-]+amazonaws\.com|gcr\.io|quay\.io|azurecr\.io|pkg\.dev)"
    r"[^\n]*?(?:unauthorized|denied|forbidden|\b40[13]\b)",
    r"(?i)no basic auth credentials",
    r"(?i)unauthorized: authentication required",
    r"(?i)denied: requested access to the resource is denied",
)


_pull_denied_v9 = any_matches(_PULL_DENIED_V9)


def pull_denied_v9(text: str) -> bool:
    """Whether registry.pull-denied's evidence before key-v10 matched `text`."""
    return _pull_denied_v9(text)
