"""Anchor rules for failures no other table reads (issue 12, rules-7): a tool the job needs that is not there, a
stack that names an undefined secret, a Jenkinsfile that does not compile.

Each line is the tool's own message, written after its source (tests/data/rules/long_log_locating.jsonl cites
them): the go command's `go: no such tool "covdata"`, the JVM's `java.lang.UnsatisfiedLinkError: no x in
java.library.path`, pkg-config's `No package 'x' found`, docker's stack deploy (`service web: undefined secret
"db_password"`) and Jenkins' Groovy compiler (`WorkflowScript: 12: unexpected token: } @ line 12, column 1.`). They
are SPECIFIC: they say what is missing or wrong. A download's 404 is not here: a script that probes a URL goes on
when it is not there (the rule deps.download-not-found reads only downloads). Patterns stay within RE2's syntax.
"""

from __future__ import annotations

from gardener.ingest.runner_log.anchor_rule import SPECIFIC, Rule, rule

FIRST: tuple[Rule, ...] = (
    rule(
        "dependency-missing",
        r"^go(?: tool)?: no such tool \"(?P<subject>\w+)\"|\bjava\.lang\.UnsatisfiedLinkError: ",
        SPECIFIC,
        joins=True,
    ),
    # docker stack deploy / compose conversion naming a secret the file does not define (cli/compose/convert,
    # wrapped as `service web: undefined secret "db_password"`).
    rule("docker-deploy", r"\bservice (?P<subject>[\w.-]+): undefined (?:secret|config) \"", SPECIFIC),
    # pkg-config (`No package 'glib-2.0' found`, 0.29's `Package 'x', required by 'y', not found`) under configure's
    # `Package requirements (...) were not met`.
    rule(
        "dependency-missing",
        r"^No package '(?P<subject>[^']+)' found|^Package '(?P<subject2>[^']+)',? required by '[^']*',? not found",
        SPECIFIC,
        joins=True,
    ),
    rule("pipeline-script", r"^WorkflowScript: \d+: .+ @ line \d+, column \d+\.$", SPECIFIC, joins=True),
)

# Words (lower case) one of which every line above contains.
HINT_WORDS = (
    "no such tool", "unsatisfiedlinkerror", "workflowscript: ", "undefined secret",
    "undefined config", "no package '", "package '",
)  # fmt: skip
