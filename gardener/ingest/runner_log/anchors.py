"""The anchor table: which log lines mark an incident, what kind it is, and how sure that is.

Rules are tried in order and the first match wins, so the specific ones come first. `rank`
says how much a line explains: a WRAPPER only reports that something failed (`Process
completed with exit code 1`), a GENERIC line says something went wrong (`Error: ...`), a
SPECIFIC line names the cause (`pull access denied for x`). Python tracebacks are not here:
tracebacks.py follows them as blocks.
"""

from __future__ import annotations

from gardener import regex as re
from gardener.ingest.runner_log.anchor_needles import Gate, folded, gates_for, opens
from gardener.ingest.runner_log.anchor_rule import GENERIC, SPECIFIC, WRAPPER, Anchor, Rule
from gardener.ingest.runner_log.anchor_rule import rule as _rule
from gardener.ingest.runner_log.families import FAMILY_HINT_PATTERNS, FAMILY_HINT_WORDS, FAMILY_RULES
from gardener.ingest.runner_log.locator import goes_on, is_quoted_source
from gardener.ingest.runner_log.prefilter import after_prefix

__all__ = ["GENERIC", "SPECIFIC", "WRAPPER", "Anchor", "Rule"]

_I = re.IGNORECASE
RULES: tuple[Rule, ...] = (
    # The runner itself: nothing after these is the job's fault.
    _rule(
        "runner-shutdown",
        r"runner has received a shutdown signal|lost communication with the server",
        SPECIFIC,
        absorbs=("cancelled",),
    ),
    _rule(
        "timeout",
        r"has exceeded the maximum execution time|job running on runner .* has exceeded"
        # Travis' and CircleCI's no-output watchdogs, Azure's job limit, Actions' step `timeout-minutes`.
        r"|No output has been received in the last|Too long with no output|ran longer than the maximum time"
        r"|^The action has timed out\.",
        SPECIFIC,
        absorbs=("cancelled",),
    ),
    # A cancellation alone is worth reporting; after a shutdown or a timeout it is their consequence.
    _rule(
        "cancelled",
        r"The operation was cancell?ed\.|The run was cancell?ed|Cancell?ing since a higher",
        GENERIC,
        joins=True,
    ),
    # npm's metadata line naming the errno (`npm ERR! code ENOSPC`, `code EACCES`): its block's message line says
    # what and where (`npm ERR! nospc ENOSPC: no space left on device, write`), so that line is the evidence.
    _rule("npm", r"^npm (?:ERR!|error) (?:code|errno) (?P<subject>E(?:NOSPC|ACCES|PERM))$", GENERIC, joins=True),
    # Machine resources.
    _rule(
        "disk-full",
        r"No space left on device|\bENOSPC\b|not enough space on the disk|running out of disk space",
        SPECIFIC,
        flags=_I,  # Go and docker print `no space left on device`
        joins=True,
    ),
    _rule(
        "oom-killed",
        r"^Killed\b|: Killed\b|\d Killed\s|\bOOMKilled\b|Out of memory|signal: killed|heap out of memory"
        r"|Cannot allocate memory",
        SPECIFIC,
        joins=True,
        absorbs=("crash",),  # a runtime out of memory aborts (`Aborted (core dumped)`): the same event
    ),
    # A JVM that ran out of heap: Maven prints the bare message (`[ERROR] Java heap space -> [Help 1]`).
    _rule("out-of-memory", r"\bJava heap space\b|GC overhead limit exceeded", SPECIFIC, joins=True),
    _rule(
        "crash",
        r"Segmentation fault|Fatal Python error|core dumped|The forked VM terminated|There was an error in the forked",
        SPECIFIC,
        joins=True,
    ),
    # Killed by a signal (137 = SIGKILL, 139 = SIGSEGV): says how it died, not why; the cause is near.
    _rule(
        "oom-killed",
        # Gradle's killed test JVM: `Process 'Gradle Test Executor 4' finished with non-zero exit value 137`.
        r"\bexit(?:ed with)? (?:code|status):? 137\b|Error 137\b|code 137\b|Exit Code: 137\b|\bexit value 137\b",
        WRAPPER,
        joins=True,
    ),
    _rule(
        "crash",
        r"\bexit(?:ed with)? (?:code|status):? 139\b|Error 139\b|code 139\b|Exit Code: 139\b",
        WRAPPER,
        joins=True,
    ),
    # go prints a test's `--- FAIL: TestX` line before the panic that failed it.
    _rule("go-panic", r"^panic: |^fatal error: ", SPECIFIC, joins=True, explains=("go-test",)),
    # Registries and images.
    _rule("pull-denied", r"pull access denied for (?P<subject>[\w./:@-]+)", SPECIFIC),
    # A push refused with the same words lists its layers first: the context reaches back to `The push refers to
    # repository [x]` and the layers' `Preparing` lines, which say the refused operation was a push (push_evidence.py).
    _rule("pull-denied", r"requested access to the resource is denied", SPECIFIC, before=12),
    # A registry refusing a push prints `denied: <reason>`; the lines above name the repository.
    _rule("registry-denied", r"^denied: \S", SPECIFIC, before=8),
    _rule("registry-auth", r"unauthorized: (?:authentication required|incorrect username or password)", SPECIFIC),
    _rule("manifest-unknown", r"manifest for (?P<subject>\S+) not found", SPECIFIC),
    _rule("manifest-unknown", r"manifest unknown", SPECIFIC),
    # kubelet's event for a pod's image it cannot pull, as `kubectl describe pod` / `kubectl get events` print it
    # (`Warning  Failed  3m44s (x5 over 5m10s)  kubelet  Failed to pull image "x": rpc error: ... not found`).
    _rule("image-pull-failed", r'Failed to pull image "(?P<subject>[^"\s]+)"', SPECIFIC),
    _rule(
        "rate-limited",
        r"toomanyrequests|reached your pull rate limit|429 Too Many Requests|rate limit exceeded",
        SPECIFIC,
    ),
    # Python packaging.
    _rule(
        "pip-resolution",
        r"Could not find a version that satisfies the requirement (?P<subject>\S+)",
        SPECIFIC,
        joins=True,
    ),
    _rule("pip-resolution", r"No matching distribution found for (?P<subject>\S+)", SPECIFIC, joins=True),
    _rule(
        "pip-resolution",
        r"ResolutionImpossible|because these package versions have conflicting dependencies",
        SPECIFIC,
        joins=True,
    ),
    _rule(
        "pip-build",
        r"Failed building wheel for (?P<subject>\S+)|Could not build wheels for (?P<subject2>\S+)",
        SPECIFIC,
        joins=True,
    ),
    _rule(
        "pip-build",
        r"error: (?:subprocess-exited-with-error|metadata-generation-failed)|did not run successfully\.",
        GENERIC,
        joins=True,
        inner_cause=True,
    ),
    _rule("dependency-resolution", r"version solving (?:has )?failed", SPECIFIC, joins=True),
    # poetry's exception name; the `Because ... version solving failed` line under it says why.
    _rule("dependency-resolution", r"SolverProblemError", GENERIC, joins=True),
    # JavaScript packaging. npm 6 naming a dependency's install script that failed (`puppeteer@24.3.0 postinstall:
    # `node install.mjs``, `Failed at the puppeteer@24.3.0 postinstall script.`): more than the block's ELIFECYCLE
    # says, less than the script's own error above it (when the log shows one).
    _rule(
        "npm",
        r"^npm (?:ERR!|error) (?P<subject>[\w@/.-]+@[\w.+-]+) (?:pre|post)?install: |^npm (?:ERR!|error) Failed at the "
        r"(?P<subject2>[\w@/.-]+@[\w.+-]+) (?:pre|post)?install script",
        GENERIC,
        joins=True,
    ),
    _rule(
        "npm",
        r"^npm (?:ERR!|error) (?:code ELIFECYCLE|code \d+$|errno |Exit status |Failed at the |Lifecycle script "
        r"|command |path |workspace |location |A complete log|This is probably not a problem|\S+@\S+ \S+: "
        r"|argv |node v\d|npm {1,2}v\d|(?:Linux|Darwin|Windows_NT) \d|cwd |If you need help|    <https?://"
        r"|\s+(?:in workspace|at location|command))",
        WRAPPER,
        joins=True,
    ),
    # npm's metadata lines (`code EACCES`, `syscall mkdir`): the message line of the block says more.
    _rule("npm", r"^npm (?:ERR!|error) (?:code (?P<subject>\w+)|syscall |dest )", GENERIC, joins=True),
    _rule("npm", r"^npm (?:ERR!|error) \S", SPECIFIC, joins=True),
    _rule("yarn", r"^error Command failed with exit code", WRAPPER),
    _rule("yarn", r"^error (?:An unexpected error|Couldn't find package|Package \S+ not found)", SPECIFIC),
    # `pnpm run` / `pnpm -r` reporting that a script failed: the script's own error is above it.
    _rule("pnpm-run", r"\bERR_PNPM_RECURSIVE_(?:RUN|EXEC)_FIRST_FAIL\b|\bERR_PNPM_RECURSIVE_FAIL\b", WRAPPER),
    _rule("pnpm", r"\bERR_PNPM_\w+", SPECIFIC, joins=True),
    # System packages.
    _rule("apt", r"^E: ", SPECIFIC, joins=True),
    # Docker builds: the specific ones first, the wrappers (a step failed) last.
    _rule(
        "docker-build",
        r"Failed to build images?: |failed to compute cache key"
        r"|failed to read dockerfile|unable to prepare context|dockerfile parse error|COPY failed:"
        r"|failed to calculate checksum|failed to solve: ",
        SPECIFIC,
        joins=True,
        unless=r"Failed to build images?: .*did not complete successfully|failed to solve: process \"",
    ),
    _rule("port-in-use", r"port is already allocated|address already in use|\bEADDRINUSE\b", SPECIFIC),
    _rule("container-unhealthy", r"container (?P<subject>[\w.-]+) (?:is unhealthy|exited \(\d+\))", SPECIFIC),
    _rule("docker-daemon", r"Error response from daemon: |Cannot connect to the Docker daemon", SPECIFIC),
    # Test runners printing their own failures (pytest is read by its own reader).
    _rule("go-test", r"^\s*--- FAIL: (?P<subject>\S+)", SPECIFIC, before=20),
    _rule("go-test", r"^FAIL\t(?P<subject>\S+)", WRAPPER),
    _rule("jest-suite", r"● Test suite failed to run", SPECIFIC, detail_next=True),
    _rule("jest-test", r"^\s*● (?P<subject>.+ › .+)$", SPECIFIC, detail_next=True),
    _rule("jest", r"^FAIL (?P<subject>\S+\.[cm]?[jt]sx?)\b", WRAPPER),
    _rule(
        "timeout",
        r"Exceeded timeout of \d+ ?ms|Timeout of \d+ ?ms exceeded|context deadline exceeded"
        r"|test timed out after|timed out after \d|Timed out waiting|\bETIMEDOUT\b|Read timed out"
        r"|Connection timed out",
        SPECIFIC,
    ),
    # Network and file system.
    _rule("connection-refused", r"\bECONNREFUSED\b|Connection refused|ConnectionRefusedError", SPECIFIC, flags=_I),
    _rule(
        "dns",
        r"Temporary failure in name resolution|Name or service not known|getaddrinfo ENOTFOUND"
        r"|Could not resolve host",
        SPECIFIC,
    ),
    _rule(
        "permission-denied",
        # Apple's Foundation words it `You don’t have permission to save the file “x” in the folder “y”.` (xcodebuild
        # may print the apostrophe escaped, `don\U2019t`).
        r"permission denied|\bEACCES\b|Access is denied|Operation not permitted"
        r"|You don(?:’|'|\\U2019)t have permission to (?:save|access|view|open|write)|read-only file system",
        SPECIFIC,
        flags=_I,
    ),
    # C/C++, tsc, rustc; `next build` prints tsc's errors as `Type error: ...` under the file's location.
    _rule(
        "compile-error",
        r"^\S+:\d+:\d+: (?:fatal )?error:(?: |$)|: error TS\d+: |^error\[E\d+\]: |^Type error: ",
        SPECIFIC,
    ),
    # The tool families no console reader covers (families.py): test failure blocks, compilers, linters.
    *FAMILY_RULES,
    # Wrappers: a step, a build or a container failed; the cause is usually just above.
    _rule(
        "docker-build",
        r"did not complete successfully|^ERROR: failed to build|Docker command failed"
        r"|executor failed running|returned a non-zero code: \d+|Service '(?P<subject>[\w.-]+)' failed to build"
        r"|buildx failed with",
        WRAPPER,
        joins=True,
    ),
    _rule("container-exit", r"^(?P<subject>[\w.-]+) exited with code [1-9]\d*", WRAPPER),
    _rule(
        "exit-code",
        r"Process completed with exit code [1-9]|\bJob failed: exit code\b|failed with exit code [1-9]"
        r"|Command failed with exit code [1-9]|script returned exit code [1-9]|^exit status [1-9]"
        r"|\b[Cc]ommand failed with non-zero exit code\b"  # Azure's DotNetCoreCLI task, after the tests' report
        # TeamCity's build step (`[Step 3/4] Process exited with code 1`), pnpm's script wrapper (` ELIFECYCLE  Test
        # failed. See above for more details.`).
        r"|\bProcess exited with code [1-9]|^\s*ELIFECYCLE\s+(?:Test|Command) failed"
        # tox's own lines around an env's failed commands (`ERROR: InvocationError for command ... (exited with
        # code 1)`, its summary's `ERROR:   py312: commands failed`): the env's output above says why.
        r"|^ERROR: InvocationError for command .*\(exited with code [1-9]\d*\)|^ERROR:\s+[\w.-]+: commands failed$",
        WRAPPER,
    ),
    _rule("make", r"^make(?:\[\d+\])?: \*\*\* .*Error \d+", WRAPPER),
    # The Maven goal that failed, when the reason is on the lines around it (or is the tests).
    _rule(
        "maven",
        r"^\[ERROR\] Failed to execute goal .*(?:There are test failures|on project [\w.-]+:\s*$)",
        WRAPPER,
        joins=True,
    ),
    # Consequences: a demanding user wants to see that nothing ran, but it is not a cause.
    _rule(
        "aborted",
        r"\b0 tests? (?:executed|ran|run)\b|FAST FAIL|services? failed to start|\b0 of \d+ containers?"
        r" running|\b[Aa]borting\b",
        GENERIC,
        joins=True,
        standalone=True,
    ),
    # Whatever else says it is an error.
    _rule("exception", r"^(?P<subject>[A-Z]\w*(?:Error|Exception)): \S", GENERIC),
    # Terraform and OpenTofu draw their diagnostics in a box (`│ Error: Failed to query available provider packages`).
    _rule("error", r"^(?:│ )?(?:Error|ERROR|error|FATAL|Fatal|fatal|CRITICAL)(?:\[[\w-]+\])?(?:\s*:|\s+-|!)\s*\S",
          GENERIC),
    # Maven's level tag, also when the selection a log was pasted from cut its opening bracket.
    _rule("error", r"^\[?(?:ERROR|FATAL)\] \S", GENERIC),
)
# A `##[error]` line that no rule above explains is still an error the runner reported.
RUNNER_ERROR = _rule("error", r"", GENERIC)


# Every rule above needs one of these in the (lowercased) line. Most log lines have none, and one
# search for them costs a small fraction of trying every rule. Words are as narrow as the rules
# allow: "npm err" not "npm " (every npm line), "already in use" not "already" (pip's "Requirement
# already satisfied" on every line of an install). Add a word with each new rule
# (tests/ingest/test_runner_log.py checks an example line of every rule gets through).
_HINT_WORDS = (
    "error", "fail", "fatal", "critical", "exception", "panic", "killed", "oom", "memory", "space",
    "segmentation", "core dumped", "denied", "unauthorized", "manifest", "toomanyrequests", "rate limit",
    "429 too many", "could not", "no matching", "resolutionimpossible", "conflicting", "subprocess-exited",
    "metadata-generation", "did not run", "did not complete", "solv", "npm err", "err_pnpm", "cache key",
    "dockerfile", "prepare context", "checksum", "already allocated", "already in use", "eaddrinuse",
    "unhealthy", "exited", "daemon", "●",
    "timeout", "timed out", "exceeded", "etimedout", "refused", "name resolution", "not known", "enotfound",
    "resolve host", "permission", "read-only file system", "eacces", "not permitted", "non-zero", "exit code",
    "exit status", "***",
    "0 test", "0 of ", "abort", "cancel", "shutdown", "lost communication", "enospc", "forked", "heap space",
    "gc overhead", "no output", "longer than",
)  # fmt: skip
_HINT_PATTERNS = (r"^e: ", r"(?:code|status|error):? 13[79]\b")


def _by_first_letter(words: tuple[str, ...]) -> str:
    """An alternation grouped by first character: the regex engine then tries one group per position."""
    groups: dict[str, list[str]] = {}
    for word in sorted(set(words)):
        groups.setdefault(word[0], []).append(re.escape(word[1:]))
    longest_first = {first: sorted(rests, key=len, reverse=True) for first, rests in groups.items()}
    return "|".join(f"{re.escape(first)}(?:{'|'.join(rests)})" for first, rests in longest_first.items())


_HINTS = re.lazy(
    "|".join((_by_first_letter((*_HINT_WORDS, *FAMILY_HINT_WORDS)), *_HINT_PATTERNS, *FAMILY_HINT_PATTERNS))
)

# What match_anchor peels off before its hint test (a paste's backticks, a wrapping tool's prefixes, a
# process prefix), so the prefilter's copy of the hints (prefilter.py) reads each `^` after it.
_PEELED = r"`*(?:> |BUILDSTDERR: |BUILDSTDOUT: )*(?:\[[\w:-]{1,20}\] )?"
FINDER_HINTS = ("(?i)" + after_prefix(_HINTS.pattern, _PEELED),)


# Lines that look like errors and say nothing about one: Maven's closing advice and the parts of a
# surefire crash report around its cause, at Maven's `[ERROR]` level or as GitHub Actions shows that
# level (`Error: `). Never anchors; an incident open above keeps them as context.
_MAVEN_ERROR = ("[ERROR]", "Error:")
_NOT_ANCHORS = re.lazy(
    r"^(?:\[ERROR\]|Error:)(?:\s*(?:Please refer to |-> \[Help \d+\]|To see the full stack trace|Re-run Maven using"
    r"|For more information about the errors|\[Help \d+\] https?://|After correcting the problems"
    r"|Crashed tests:|Command was |Error occurred in starting fork|See .* for the individual test results\."
    r"|See dump files \(if any exist\))|\s+mvn .* -rf :)"
)
# A stack frame, or the line that chains the next exception to the one above: part of the exception
# above it (with or without Maven's level tag), never an incident of its own.
_FRAME = (
    r"at (?:async |new )?[\w$.<>\[\]/-]+(?:\(| \()"  # Java `at a.B.c(B.java:1)`, JS `at f (file.js:1:2)`
    r"|at (?:async )?(?:file://)?/|at [A-Za-z]:\\"  # JS frames without a function name
    r"|\.\.\. \d+ (?:more|common frames omitted)"
)
_LEVEL_TAG = r"^(?:\[(?:ERROR|WARNING|WARN|INFO)\]|Error:)?\s*"
_STACK_FRAME = re.lazy(_LEVEL_TAG + r"(?:" + _FRAME + r")")
_STACK_LINE = re.lazy(_LEVEL_TAG + r"(?:" + _FRAME + r"|Caused by: \S|Suppressed: \S)")
# Text pasted into an issue or chat keeps Markdown's inline-code backticks at the start of a line.
_PASTE_MARKS = "`"
# Prefixes a wrapping tool puts before every line of a build's output: a quote (`> error[E0308]`), an
# RPM mock build's stream tag (`BUILDSTDERR: `).
_WRAPPED = ("> ", "BUILDSTDERR: ", "BUILDSTDOUT: ")
# concurrently / lerna / turbo's process prefixes (`[0] npm ERR! ...`, `[web] ...`).
_PROCESS_PREFIX = re.lazy(r"^\[[\w:-]{1,20}\] ")
# Ant's task prefix, indented (`    [javac] a/B.java:12: error: ...`, `    [junit] Tests run: ...`).
_ANT_TASK = re.lazy(r"^\s+\[[a-z][\w:-]{1,20}\] ")


def is_boilerplate(text: str) -> bool:
    """Maven's advice lines (`re-run with -e`, `-> [Help 1]`): never evidence of a cause."""
    return text.startswith(_MAVEN_ERROR) and _NOT_ANCHORS.match(text) is not None


def continues_stack(text: str) -> bool:
    """A stack frame or a `Caused by:` line: it belongs to the exception just above it."""
    return ("at " in text or "by: " in text or "ed: " in text or "..." in text) and _STACK_LINE.match(text) is not None


_GATES: tuple[Gate, ...] | None = None
_HINT_SET: re.PatternSet | None = None


def _has_hint(lowered: str) -> bool:
    """`_HINTS.search(lowered) is not None`, asked of an RE2 Set of that one pattern (made on first use): a yes or no
    needs only the forward program, where `search` also builds the reverse one to report a start no one reads
    (~10 M instructions of a run on the bundled example, beside the ~24 M of compiling the hints); the search
    itself when the Set cannot tell (RE2 out of memory)."""
    global _HINT_SET
    if _HINT_SET is None:
        _HINT_SET = re.PatternSet(((_HINTS.pattern, _HINTS.flags),))
    found = _HINT_SET.any_match(lowered)
    return found if found is not None else _HINTS.search(lowered) is not None


def _gates() -> tuple[Gate, ...]:
    """Each rule's needles (anchor_needles.py), read when a line first reaches the rules: a rule whose
    literals a line lacks is not compiled for it."""
    global _GATES
    if _GATES is None:
        _GATES = gates_for(tuple(rule.pattern for rule in RULES))
    return _GATES


def match_anchor(text: str, marker: str = "") -> Anchor | None:
    """The anchor `text` is, by the first rule that matches; `marker` is the line's `##[...]` command."""
    if goes_on(text) or is_quoted_source(text):
        return None  # (quoted source code: its words are the program's, `pr_warn("... core dumped")`)
    if text.startswith(_PASTE_MARKS):
        text = text.lstrip(_PASTE_MARKS)
    while text.startswith(_WRAPPED):
        text = text.split(" ", 1)[1]
    if text.startswith(" ") and (task := _ANT_TASK.match(text)) is not None:
        text = text[task.end() :]
    if text.startswith("[") and (prefix := _PROCESS_PREFIX.match(text)) is not None and not text.startswith(
        ("[ERROR]", "[error]", "[WARN", "[INFO]", "[FATAL]", "[warn]", "[CXX")  # `[CXX1409]`: AGP's error code
    ):
        text = text[prefix.end() :]
    if (
        not _has_hint(text.lower())
        or is_boilerplate(text)
        or (text.startswith(_MAVEN_ERROR) and _STACK_FRAME.match(text))
    ):
        return Anchor(RUNNER_ERROR, "", text) if marker == "error" and text.strip() else None
    gates, lowered = _gates(), folded(text)
    for rule, gate in zip(RULES, gates, strict=True):
        if opens(gate, text, lowered) and (m := rule.search(text)):
            subject = next((v for k, v in m.groupdict().items() if k.startswith("subject") and v), "")
            return Anchor(rule, subject, text[m.start() :])
    if marker == "error" and text.strip():
        return Anchor(RUNNER_ERROR, "", text)
    return None


WARNING = re.lazy(r"\b\w*Warning: |^warning: |^npm WARN |^WARNING: ", re.IGNORECASE)
