"""Anchor rules for linter, formatter and static-analysis reports the other family tables miss (issue 12, rules-6).

Each rule is a tool's own report line, written after the tool's output format: Checkstyle under Maven
(`[ERROR] A.java:[12,5] (javadoc) MissingJavadocMethod: ...`, which the javac rule would otherwise take for a
compile error) and Gradle's Ant task, SpotBugs, cpplint, `dotnet format`, ktlint without the column's colon,
commitlint, PHP-CS-Fixer, ansible-lint, editorconfig-checker, Vale, buf, SQLFluff, scalafmt, `mix format`,
eslint's unix formatter, TSLint's prose form and tflint; and the type checkers whose report lines no compile
rule reads (Psalm, Pyright, `dart analyze`, Elm, Flow). The report lines are SPECIFIC (they say what is
wrong and where); each tool's closing count is a WRAPPER that joins them. `FIRST` is tried before
families.py's table, so a Checkstyle line is a lint line before it could be a compile error.

Patterns stay within RE2's syntax (no lookarounds, no backreferences).
"""

from __future__ import annotations

from gardener.ingest.runner_log.anchor_rule import SPECIFIC, WRAPPER, Rule, rule

FIRST: tuple[Rule, ...] = (
    rule(
        "lint",
        r"^\[(?:ERROR|WARN(?:ING)?)\] \S+\.java:\[\d+(?:,\d+)?\] \(\w+\) [A-Z]\w+: "
        r"|^\[ant:checkstyle\] \[(?:ERROR|WARN(?:ING)?)\] \S+\.java:\d+"
        r"|^\[ERROR\] (?:High|Medium|Low): .+ \[[\w.$]+\] (?:At|In) \S+"
        r"|^\S+\.(?:c|cc|cpp|cxx|h|hh|hpp):\d+:  .+  \[[a-z_+]+/[a-z_+]+\] \[\d\]$"
        r"|\(\d+,\d+\): (?:error|warning) (?:WHITESPACE|IMPORTS|FINALNEWLINE|CHARSET|ENDOFLINE|IDE\d{4}): "
        r"|^\S+\.kts?:\d+:\d+ .+ \([a-z][a-z0-9-]*:[a-z0-9-]+\)$"
        r"|^✖ {2,}.+ \[[a-z-]+\]$"
        r"|^\s+\d+\) \S+\.php \([a-z_]+(?:, [a-z_]+)*\)$"
        r"|^[a-z][a-z-]*\[[a-z][\w-]*\]: \S"
        r"|^\t\d+: (?:Wrong amount of left-padding spaces|Trailing whitespace|Wrong line endings|Wrong indent style"
        r"|Final newline|Line too long)"
        r"|^\s*\d+:\d+\s+(?:error|warning)\s+.+\s[A-Z]\w+\.\w+$"
        r"|^\S+\.proto:\d+:\d+:\S"
        r"|^L:\s+\d+ \| P:\s+\d+ \| [A-Z]{2}\d{2} \| "
        r"|isn't formatted properly!$"
        r"|mix format failed due to --check-formatted"
        r"|^\S+\.[cm]?[jt]sx?:\d+:\d+: .+ \[(?:Error|Warning)/[\w@/-]+\]$"
        r"|^ERROR: \S+\.[jt]sx?:\d+:\d+ - \S"
        r"|^(?:Warning|Error): .+ \(terraform_\w+\)$"
        r"|PMD Failure: \S+:\d+ Rule:\w+",
        SPECIFIC,
        joins=True,
    ),
    # Type checkers whose report lines no compile rule reads: Psalm, Pyright, `dart analyze`, Elm, Flow; and two
    # compiler shapes the compile rules miss.
    rule(
        "compile-error",
        r"^ERROR: [A-Z]\w+ - \S+\.php:\d+:\d+ - |^\s*\S+\.pyi?:\d+:\d+ - error: |^\s*error - \S+\.dart:\d+:\d+ - "
        r"|^(?:Compiling \.\.\.)?-- [A-Z][A-Z ]+ -{3,} \S+\.elm$|^Error -{5,} \S+\.[cm]?jsx?:\d+:\d+$"
        # sbt 0.13's scalac (`[error] /x/A.scala:47: type mismatch;`, no column) and a C compiler's diagnostic
        # indented inside the output of the tool that ran it (pip building a wheel, a Ruby or Node native build).
        r"|^\[error\] \S+\.(?:scala|java):\d+: \S|^\s+\S+\.(?:c|cc|cpp|cxx|h|hh|hpp):\d+:\d+: (?:fatal )?error: ",
        SPECIFIC,
        joins=True,
    ),
    rule(
        "lint",
        r"^Total errors found: [1-9]|^✖ +found [1-9]\d* problems?, \d+ warnings?"
        r"|^Found [1-9]\d* of \d+ files? that can be fixed|^Failed: [1-9]\d* failure\(s\), \d+ warning\(s\)"
        r"|^Scanned \d+ files?, found [1-9]\d* errors?|^✖ [1-9]\d* errors?, \d+ warnings? and \d+ suggestions?"
        r"|^[1-9]\d* issue\(s\) found:$|^Lint errors found in the listed files"
        r"|^Done linting! Found [1-9]\d* violations?"
        r"|^\[error\] \(\S+ / scalafmtCheck\) [1-9]\d* files? must be formatted"
        r"|KtLint found code style violations|Checkstyle rule violations were found",
        WRAPPER,
        joins=True,
    ),
)

# Words (lower case) one of which every line above contains.
HINT_WORDS = (
    ".java:[", "[ant:checkstyle]", "error", "warning", ".kt:", ".kts:", "✖", ".php (", "wrong amount",
    "trailing whitespace", "wrong line endings", "wrong indent style", "final newline", "line too long", ".proto:",
    "| p:", "formatted properly", "check-formatted", "(terraform_", "pmd failure", "total errors found",
    "that can be fixed", "failure(s)", "scanned ", "issue(s) found", "lint errors found", "done linting",
    "must be formatted", "code style violations", "rule violations",
)  # fmt: skip
# Report lines whose words are the tool's own: cpplint's category and confidence, ansible-lint's rule.
HINT_PATTERNS = (r"\] \[\d\]$", r"^[a-z][a-z-]*\[[a-z][\w-]*\]: ")
