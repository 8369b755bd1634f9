"""The generic locator: the line that explains a failure when no reader or anchor claimed one.

A job can fail with only a wrapper line anchored (`Process completed with exit code 1`, `make: ***
[all] Error 2`, `npm ERR! code ELIFECYCLE`), or with nothing anchored at all (a pasted excerpt in
a tool gardener has no rule for). The cause is then usually the last error-looking line before the
wrappers: `tool: error: ...`, a `file:line:col: error` diagnostic, an exception, or a line with
`error` / `failed` / `not found` / `denied` in it. The locator rates lines by that generic evidence
and picks the strongest, the later of equals (the last word before the job gave up), and never a
wrapper line or a summary count (`1 error generated.`): those only say that something failed.
The located line is handed on as the incident's line, so category rules can still name it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gardener import regex as re
from gardener.diagnostic_shapes import is_findings_count
from gardener.kernel_report import is_kernel_frame, is_kernel_report, is_panic_after_report
from gardener.line_category import WRAPPER_EXCEPTION, name_line

# Lines that only report that something failed: exit statuses, make's and npm's wrappers, runners' verdicts.
WRAPPER_LINE = re.lazy(
    r"(?i)(?:^|\s)(?:##\[error\])?Process completed with exit code \d+"
    r"|^(?:g?make|mingw32-make|ninja)(?:\[\d+\])?: \*\*\*"
    r"|^ninja: build stopped"
    r"|recipe for target [^\n]* failed"
    r"|^npm (?:ERR!|error) (?:code ELIFECYCLE|errno|Exit status|Failed at the|This is probably not a problem"
    r"|A complete log|Lifecycle script|\S+@\S+ \S+: |command failed|command (?:sh|bash|cmd)\b|$"
    # npm 2-6's closing line on a failing `npm test` (`npm ERR! Test failed.  See above for more details.`).
    r"|Test failed\.\s+See above for more details)"
    r"|^error Command failed with exit code"
    r"|^info Visit https://yarnpkg"
    r"|^ELIFECYCLE\b|ERR_PNPM_RECURSIVE_\w+"
    r"|^The command \"[^\"]*\" (?:failed and )?exited with"
    r"|^(?:Exited|exited) with (?:code|status)"
    # (Xcode: `Command PhaseScriptExecution failed with a nonzero exit code`.)
    r"|^(?:Error: )?(?:Command|Script|Process|Step)\b[^\n]*\b(?:exited|returned|failed) with "
    r"(?:a non-?zero )?(?:exit )?(?:code|status)"
    r"|\bexit (?:code|status) [1-9]\d*\s*$"
    r"|returned non-zero exit status"
    r"|^Exit code:? [1-9]"
    r"|^(?:ERROR: )?Job failed"
    r"|^Build step '[^']*' marked build as failure"
    # makepkg's verdict on a PKGBUILD function (`==> ERROR: A failure occurred in build().`, then `Aborting...`).
    r"|^==> ERROR: A failure occurred in \w+\(\)\.|^Aborting\.\.\.\s*$"
    # Vercel's verdict on the build command (`Error: Command "npm run build" exited with 1`: no `code` word).
    r"|^Error: Command \"[^\"]+\" exited with \d+\s*$"
    # Google Cloud Build's verdict on a step and its bare `ERROR` line before it.
    r"|^ERROR: build step \d+ \"[^\"]*\" failed: step exited with non-zero status|^ERROR\s*$"
    r"|^Finished: FAILURE"
    r"|^\[Pipeline\]"
    r"|^(?:\*\*\* )?Error code \d+"
    r"|^Error: Process completed"
    r"|^error: Recipe `[^`]*` failed"
    # An image build's step that exited non-zero (the legacy builder's and BuildKit's): its own output said why.
    r"|The command '/bin/sh -c [^']*' returned a non-zero code|failed to solve: process \"/bin/sh -c "
)
# Summary counts and give-up lines: the failure was stated above them.
_SUMMARY = re.lazy(
    r"(?i)^\s*(?:[✖⨯×]\s*)?(?:\d+ (?:errors?|warnings?) generated"
    r"|error: aborting due to"
    r"|(?:Found|found) \d+ errors?"
    r"|\d+ problems? \("
    r"|compilation terminated"
    r"|(?:\d+ )?errors? (?:occurred|found)\b"
    r"|FAILURE: Build failed with an exception"
    r"|\* What went wrong:"
    r"|BUILD FAILED\b|BUILD FAILURE\b"
    r"|There (?:was|were) \d+ errors?"
    # Next.js's closing line after webpack's errors.
    r"|> Build failed because of \w+ errors"
    r"|For more information about this error"
    r"|To see the full report"
    r"|Run with --(?:stacktrace|info|debug|scan)"
    r"|Re-run Maven"
    r"|\[(?:ERROR|INFO)\]\s*$"
    r"|\[ERROR\] -> \[Help"
    r"|\[ERROR\] (?:To see|Re-run|For more information|\[Help|Please refer to)"
    # A results table's total row (Bitcoin Core's test_runner: `ALL  | ✖ Failed  | 13345 s (accumulated)`): the rows
    # above it say which failed.
    r"|(?:ALL|TOTAL|Total)\s+\|"
    # Jest's, Vitest's and Pest's closing count (`Tests:    1 failed, 32 passed, 113 pending (69 assertions)`).
    r"|Tests:?\s+\d+ failed\b)"
)
# A tool's own closing count or verdict (families_summary.py anchors them): how many failed, never what. cargo,
# Julia's Test and Pkg, cabal, Playwright's list of failed tests, RSpec's rerun list, luacheck's total, Bazel, Rust's
# x.py and tidy, clang-tidy's `-warnings-as-errors` count.
SUMMARY_LINE = re.lazy(
    r"^error: could not compile `|Some tests did not pass: \d+ passed|\berrored during testing$"
    r"|^(?:Error: )?(?:cabal(?:\.exe)?: )?Tests failed for |^\s*\d+ (?:failed|flaky)$|^rspec \./\S+:\d+ # "
    r"|^Total: \d+ warnings? / \d+ errors? in \d+ files?|^failed to run: |^Build completed unsuccessfully"
    r"|^some tidy checks failed|Build did NOT complete successfully|^Target //\S+ failed to build"
    r"|^\d+ warnings? treated as errors?$"
    # mix's closing verdict under `--warnings-as-errors`: the warnings above it are what failed.
    r"|^Compilation failed due to warnings while using the --warnings-as-errors option"
    # ctest's closing line (the failing tests are listed above it).
    r"|^\**Errors? while running C[Tt]est"
    # pytest's place of a failed test's last frame (`tests/test_auth.py:71: AssertionError`, nothing after the name):
    # the `E   ` lines above it say what failed.
    r"|^[\w./\\-]+\.py:\d+: (?:[\w.]+\.)?[A-Z]\w*(?:Error|Exception|Exit|Failed|Interrupt)$"
    # Nix's consequences of a builder that failed above it: the derivations that depend on it.
    r"|^error: \d+ dependencies of derivation '|^cannot build derivation '[^'\n]*': \d+ dependencies couldn't be built"
    r"|^error: build of '[^'\n]*' failed$"
    # A retry loop giving up (a release action's `❌ Too many retries. Aborting...`): each attempt above said why.
    r"|^(?:[❌✖×]\s*)?(?:Error: )?(?:Too many retries|Giving up)\b[.!]*(?: Aborting\.*)?$"
    # A test runner's closing verdict that names no test (testthat's `Error: Test failures` / `! Test failures.` before
    # R's `Execution halted`, rebar's `ERROR: One or more eunit tests failed.`): the failing tests' blocks say what.
    r"|^(?:(?:Error|ERROR):? )?(?:! )?(?:Test failures|One or more (?:\w+ )?tests (?:have )?failed)[.!]*"
    r"(?: Execution halted)?$"
)


def is_summary_line(text: str) -> bool:
    """True for a tool's closing count or verdict (`error: could not compile ...`, `Some tests did not pass`)."""
    return SUMMARY_LINE.search(text.strip()) is not None


# The strongest evidence: a diagnostic naming its tool or file, an exception, a failed assertion.
_EXPLAINS = re.lazy(
    r"^\s*[\w./\\@+-]+\.\w+[:(]\d+(?:[:,]\d+)?\)?:?\s*(?:- )?(?:fatal )?(?:error|Error|ERROR)\b"
    r"|^\s*[\w.+-]+: (?:fatal )?(?:error|ERROR)(?:\[\w+\])?:"
    r"|\b(?:[A-Za-z_$][\w$]*\.)*[A-Z][\w$]*(?:Error|Exception)\b:"
    r"|^\s*(?:Uncaught |Unhandled )?(?:[A-Z]\w*)?(?:Error|Exception)\b"
    r"|\bAssertionError\b|\bassert(?:ion)? failed\b|\b[Ee]xpected\b[^\n]*\b(?:but was|got|received|actual)\b"
    # Test frameworks' own assertion lines: Jest's matcher hint (`expect(received).toBe(expected)`) and snapshot
    # verdict, gocheck's compared values (`... obtained int = 14`), bats' place of the failed command.
    r"|^\s*expect\((?:received|value|jest\.fn\(\)|function|string|element)\)\.(?:not\.|resolves\.|rejects\.)*to\w+\("
    r"|^\s*Received value does not match stored snapshot"
    r"|^\.\.\. (?:obtained|expected) \S|^\s*#?\s*\(in test file \S+, line \d+\)$"
)
# An error-level line: a log level or a tool's prefix saying what follows is an error.
# (A tool's elapsed-time column may come first: yarn in a Docker build prints `239.8 error An unexpected ...`.)
_ERROR_LEVEL = re.lazy(
    r"^\s*(?:\d+\.\d+\s+)?(?:\[(?:ERROR|FATAL|error|fatal)\]|::error\b|(?:Error|ERROR|error|FATAL|fatal|FAILED|FAIL)\b[:!\]\s]"
    # A CLI's error mark (electron-builder's `⨯`, ava's and eslint's `✖`).
    r"|[⨯✖❌]\s+\S"
    r"|[\w.-]+: (?:fatal|error|ERROR|cannot|Cannot)|not ok \d+|E/\w+[:(])"
)
# Any error-ish word: the weakest evidence, still better than a wrapper.
# (A word inside a path, `./missing/setproctitle.c`, is not one: it must stand between spaces or punctuation.)
_ERRORISH = re.lazy(
    r"(?i)(?:^|[\s:'\"(\[])(?:error|errors|fatal|failed|failure|exception|not found|cannot|can't|could not|couldn't"
    r"|unable to|denied|refused|no such file|undefined|unresolved|invalid|missing|panic(?:ked)?|abort(?:ed)?"
    r"|illegal|unrecognized|unauthori[sz]ed|forbidden|timed out|segmentation fault|killed|does not exist|doesn't exist"
    # (a shell's `set -u` stopping the script: `line 3: PULL_REFS: unbound variable`)
    r"|unbound variable)"
    r"(?:$|[\s:.,;!'\")\]])"
)
# Words every line rated above zero holds: most lines are dismissed without a regex call.
_HINTS: tuple[str, ...]
_HINTS = ("rror", "RROR", "ail", "AIL", "atal", "ATAL", "xception", "ot found", "annot", "an't", "enied",
          "efused", "nable", "such file", "ndefined", "nresolved", "nvalid", "issing", "anic", "bort",
          "ould not", "ouldn't", "xpected", "xpect(received", "xpect(value", "xpect(jest.fn", "xpect(function",
          "xpect(string", "xpect(element", "eceived value", "obtained", "in test file", "ssert", "llegal", "ecognized",
          "nauthori", "orbidden", "imed out",
          "egmentation", "illed", "not ok", "E/")
# The environment's own words that hold none of those (rules-env): `No space left on device`, `out of memory`, `The
# job exceeded the maximum allowed time`, Go's `driver: bad connection`; line_category.py names them.
_HINTS = (*_HINTS, "xceeded", "emory", "pace left", "NOSPC", "bad connection", "hrashing", "dubious")
# (rules-generic-3) A WebSocket upgrade's `bad status`, ShellCheck's and hadolint's codes, a linter's `file:1:2: E501`.
_HINTS = (*_HINTS, "ebSocket", "ebsocket", "[SC", "[DL", ": E", ": W", ": F", ": C")
# ... a formatter's verdict (`6 files would be reformatted`), Lua's run-time error (`attempt to index a nil value`).
_HINTS = (*_HINTS, "eformat", "ormatted", "ormatting", "ttempt to", "⨯", "✖", "❌", "exist")
# ... the runner's and the environment's own sentences (`The runner has received a shutdown signal`, Travis' `No output
# has been received`, `You are running out of disk space`, a stack overflow, Kafka with no broker).
_HINTS = (*_HINTS, "hutdown signal", "anceled", "o output has been", "isk space", "verflow", "NoBrokers")
# ... a C library's error strings (locator._STRERROR: `Broken pipe`, `Read-only file system`).
_HINTS = (*_HINTS, "pipe", "/output error", "ead-only", "pen files", "esource busy", "ot permitted", "ile descriptor",
          "ile busy", "a directory", "ile exists", "ist too long", "emporarily unavailable", "eset by peer",
          "o such device", "ENOENT", "EACCES", "EPERM", "ECONN", "ETIMEDOUT", "EADDR", "EEXIST", "EISDIR", "ENOTDIR",
          "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EMFILE", "ENFILE", "ENOTEMPTY", "EBUSY", "EROFS", "UNREACH", "ENOMEM")
# ... the Dart analyzer's count of its findings (`72 issues found.`).
_HINTS = (*_HINTS, "ssues found", "nbound variable", "Timeout", "TIMEOUT")
# A line at a level below error, whatever words it holds: a tool's warning (`warning:`, `file:3:1: warning:`,
# `[WARNING]`, `##[warning]`) or info and debug lines (`info - ...` of a linter, `[DEBUG]`; not Maven's `[INFO]`,
# whose reactor says FAILURE). The tool went on from it; an error line says so if the step then failed.
_BELOW_ERROR = re.lazy(
    r"^\s*(?:\d+\.\d+\s+)?(?:[\w./\\@+-]+[:(]\d+(?:[:,]\d+)?\)?:?\s*)?(?:\[\w+\]:?\s+)?"
    r"(?:warning|Warning|WARNING|WARN|warn|\[WARN(?:ING)?\]|\[warn(?:ing)?\]|##\[warning\]|W:|info -|\[DEBUG\]"
    r"|DEBUG\b|\[debug\])[:\s]"
    # Node's process warnings (`(node:6466) UnhandledPromiseRejectionWarning: ...`, `(node:1) [DEP0005]
    # DeprecationWarning: ...`).
    r"|^\(node:\d+\) (?:\[\w+\] )?\w*Warning: "
)
# A count of nothing (`0 Error(s)`, `0 failed`) with no count above zero: the tool reports all is well.
_NONE_COUNTED = re.lazy(r"(?i)\b0 (?:errors?|error\(s\)|failures?|failed)\b")
_SOME_COUNTED = re.lazy(r"(?i)\b[1-9]\d* (?:errors?|error\(s\)|failures?|failed)\b")
# A stack frame (`at NUnit.Framework.Assert.AreEqual(Object expected, ...)`, Python's `File "x.py", line 3, in f`,
# a native backtrace's `#3 0x...`): where the failure passed, never what it was, whatever names it holds.
_FRAME = re.lazy(
    r"^(?:at (?:async )?[\w$<>`\[\]:-]*[.(/\\][\w$.<>`\[\]/\\:-]*[ (]|File \"[^\"]+\", line \d+|#\d+ +0x[0-9a-f]+ )"
    # A JavaScript frame of a plain function (`at error (/x/asarFileChecker.ts:7:12)`).
    r"|^at (?:async )?[\w$]+ \(\S+:\d+:\d+\)$"
    # A Go goroutine dump's place (`/usr/local/go/src/runtime/panic.go:522 +0x1b5`, gitea's `panic.go:113 (0x43cec7)`)
    # and call (`panic(0x8c93a0, 0xd7b5a0)`, `x.(*Suite).TestFoo(0xc0001025e0)`, `panic({0x8c93a0?, 0xd7b5a0?})`).
    r"|^\S+\.go:\d+(?: \+0x[0-9a-f]+| \(0x[0-9a-f]+\))$"
    r"|^[\w./-]+(?:\.\(\*?\w+\)\.\w+)?\((?:[0-9a-fx{}?, .]*0x[0-9a-fx{}?, .]*|\.\.\.)\)$"
    # A Rust backtrace's numbered frame (`8: core::panicking::panic::h2398043957`, `0: __rustc::rust_begin_unwind`).
    r"|^\d+: (?:[\w<>$.{} ]+::)+[\w<>${}.]+$"
)
# A label inside a failure block, with nothing or only a file after it: dotnet test's `Error Message:` (the message
# is on the next line), Playwright's `Error Context: test-results/x/error-context.md` (an attachment's path).
_BLOCK_LABEL = re.lazy(r"^(?:Error|Failure|Exception) (?:Message|Context|Details|Output)s?:(?:\s*$|\s+\S+$)")
# A line a test runner marks as passed (hspec's `[✔]`, pytest's `PASSED [ 4%]`, unittest's `... ok`, TAP's `ok 3 -`,
# mocha's and jest's `✓`): whatever words the test's name holds (`parses invalid [✔]`), it passed.
_PASSED = re.lazy(
    r"^(?:[✓✔√]\s|ok \d+\b)|(?:\[[✓✔]\]|\bPASSED(?: +\[ *\d+%\])?|\.\.\. ok|\[ *(?:OK|PASS(?:ED)?) *\])$"
)
# A C tool's report of a failed call in the C library's own words (`prog: what: <strerror>`), for the errors that hold
# no error word (`yes: standard output: Broken pipe`, `tar: x: Read-only file system`). Weak evidence: a pipe's
# producer prints the first one when its consumer is done.
_STRERROR = re.lazy(
    r"^[\w./+-]+: (?:[^\n]*: )?(?:Broken pipe|Input/output error|Read-only file system|Too many open files"
    r"|Device or resource busy|Operation not permitted|Bad file descriptor|Text file busy|Is a directory"
    r"|Not a directory|File exists|Argument list too long|Resource temporarily unavailable|Connection reset by peer"
    r"|No such device)\s*$"
)
# A system call's error code as Node, libuv and many CLIs print it (`spawn ENOENT`, `EACCES`, `ECONNRESET`).
_ERRNO = re.lazy(
    r"\bE(?:NOENT|ACCES|PERM|CONNREFUSED|CONNRESET|CONNABORTED|TIMEDOUT|ADDRINUSE|ADDRNOTAVAIL|EXIST|ISDIR|NOTDIR"
    r"|PIPE|NOTFOUND|AI_AGAIN|MFILE|NFILE|NOTEMPTY|BUSY|ROFS|HOSTUNREACH|NETUNREACH|NOMEM|NOSPC)\b"
)
# A check's or test suite's status word in capitals (`Test suite x: FAIL`, `CheckPatch   FAIL   6.70 seconds`), not a
# count of none (`FAIL: 0`).
_FAIL_STATUS = re.lazy(r"(?:^|[\s:\[(|-])FAIL(?:ED)?(?:$|[\s\])|-]|:\s*(?:$|[^\s0]|0\d))")
# A test runner's timeout verdict on a test (CPython's regrtest `test_x (...) ... Timeout (0:20:00)!`, ctest's
# `***Timeout`, Bazel's `TIMEOUT in 300.0s`), not a setting (`timeout=30`, `--timeout 60`).
_TIMEOUT_VERDICT = re.lazy(r"(?:\.\.\.|\*\*\*)\s*Timeout\b|\bTimeout \(\d[\d:.]*\)!|(?:^|\s)TIMEOUT(?:$|\s)")
# A linker's closing line: that the link failed (the missing library or symbol was named above it). Weak evidence.
_LINK_FAILED = re.lazy(r"\bld returned \d+ exit status|linker command failed with exit code")
# A CI runner's housekeeping after a failed job (GitLab's artifact upload and clean-up): it says the job
# failed, never why.
_HOUSEKEEPING = re.lazy(
    r"^(?:Uploading artifacts\b|Cleaning up (?:project directory|file based variables)"
    r"|Post job cleanup|Cleaning up orphan processes|ERROR: Uploading artifacts)"
)


# A runner's verdict on the whole job, printed after the job's last step and its housekeeping (GitLab's
# cleanup sections, Jenkins' `[Pipeline] }` lines, Travis' cache step): the step that failed came before.
_JOB_VERDICT = re.lazy(
    r"^(?:ERROR: )?Job failed\b|^Done\. Your build exited with|^Finished: FAILURE|script returned exit code"
    r"|^Build step '[^']*' marked build as failure|^CircleCI received exit code|^(?:##\[error\])?Bash exited with code"
)


def is_job_verdict(text: str) -> bool:
    """True for a runner's verdict on the whole job (`ERROR: Job failed: exit code 1`, `Finished: FAILURE`)."""
    return _JOB_VERDICT.search(text.strip()) is not None


# Warnings a tool goes on from, whatever words they hold: npm's `npm WARN ...` (`EBADENGINE Unsupported engine`),
# pip's retry of a request that timed out or was refused (`WARNING: Retrying (Retry(total=4, ...)) after connection
# broken by 'ReadTimeoutError(...)'`), git describe finding no tag (setuptools-scm and version scripts go on
# without one). A later error line says so if the step then failed.
_GOES_ON = ("npm WARN ", "WARNING: Retrying (Retry(", "fatal: No names found, cannot describe anything")


# ...unless it says the disk is full (`npm WARN tar ENOSPC: no space left on device`): what fails after it fails
# for that, whatever it says (`npm ERR! cb() never called!`).
_STILL_CAUSE = re.lazy(r"(?i)\bENOSPC\b|no space left on device")


# A line of quoted source code that no marker points at: a compiler's or bundler's code frame (`  117 |   pr_warn("...
# core dumped")`; not BuildKit's `23 | >>> COPY ...` it points at) or the 0-day robot's blame listing (`4adbb6ac4b807e
# Nicolas Pitre 2016-07-24  117  code`; not its `@118` line). Its words are the program's, not the failure's.
# Collision (the PHP console Laravel and Pest print failures with) draws its frame with `▕` and points with `➜` at the
# test's own line (`➜  10▕         ->assertOk()`): the exception's message above the frame says what failed.
_CODE_FRAME = re.lazy(r"^\s*\d+\s*\|(?:\s|$)|^\s*(?:➜\s+)?\d+▕")
_BLAME_LINE = re.lazy(
    r"^\^?[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]+ .* \d\d\d\d-\d\d-\d\d +\d+(?:\s|$)"
)


def is_quoted_source(text: str) -> bool:
    """True for a line of quoted source code no marker points at (a code frame's context line, a blame listing)."""
    return (_CODE_FRAME.match(text) is not None and "| >" not in text) or _BLAME_LINE.match(text) is not None


def goes_on(text: str) -> bool:
    """True for a warning its tool goes on from (`npm WARN ...`, pip's `WARNING: Retrying ...`): never evidence."""
    return text.lstrip().startswith(_GOES_ON) and _STILL_CAUSE.search(text) is None


# A line at a tool's info level (yarn's `info If you think this is a bug, ... yarn-error.log`): advice, not a cause.
_INFO_LEVEL = re.lazy(r"^(?:\d+\.\d+\s+)?info\s")


# A wrapper whose status is a signal (`Error 139`, `exit code 137`): it names the cause itself.
_SIGNALLED = re.lazy(
    r"(?i)(?:\bError|exit(?:ed)? (?:with )?(?:code|status)|exited with|exit value)[: ]*(?:12[89]|13\d|14[0-3])\b"
)


def names_a_signal(text: str) -> bool:
    """True for a wrapper that says its process died of a signal (a crash, an OOM kill): its own best evidence."""
    return _SIGNALLED.search(text) is not None


def is_wrapper_line(text: str) -> bool:
    """True for a line that only reports that something failed (an exit status, make's `*** Error 2`)."""
    return WRAPPER_LINE.search(text.strip()) is not None


def _excluded(stripped: str) -> bool:
    """A line that is never evidence, whatever words it holds: a wrapper, a summary count, a line below the
    error level, the runner's housekeeping, a count of nothing."""
    return bool(
        goes_on(stripped)
        or WRAPPER_LINE.search(stripped)
        or _SUMMARY.search(stripped)
        or SUMMARY_LINE.search(stripped)
        or _INFO_LEVEL.match(stripped)
        or _BELOW_ERROR.match(stripped)
        or _HOUSEKEEPING.match(stripped)
        or (_NONE_COUNTED.search(stripped) and not _SOME_COUNTED.search(stripped))
        or ("Exception" in stripped and WRAPPER_EXCEPTION.search(stripped))  # `sbt.TestsFailedException: ...`
        or _FRAME.match(stripped)
        or _BLOCK_LABEL.match(stripped)
        or _PASSED.search(stripped)
        or is_kernel_frame(stripped)
        or is_quoted_source(stripped)
        or is_panic_after_report(stripped)
    )


# A quote mark before a line: a tool quoting another's output (Nix's `last 10 log lines:` as `> ...`, Gradle's nested
# causes, a mailed report's `>> ` marks on new errors).
_QUOTE = re.lazy(r"^>+\s*")


def _unquoted(text: str) -> str:
    stripped = text.strip()
    return _QUOTE.sub("", stripped, count=1) if stripped.startswith(">") else stripped


def score(text: str) -> int:
    """How well `text` explains a failure: 3 a diagnostic or exception, 2 an error-level line, 1 an
    error-ish word, 0 nothing (or a wrapper, a summary count, a blank line)."""
    stripped = _unquoted(text)
    if is_kernel_report(stripped):
        return 3  # (`WARNING: CPU: 1 PID: 57 at ...` is a report, not a warning level)
    if not stripped or not any(h in stripped for h in _HINTS) or _excluded(stripped):
        return 0
    return _level(stripped)


def _level(stripped: str) -> int:
    if _LINK_FAILED.search(stripped):
        return 1
    if _EXPLAINS.search(stripped):
        return 3
    if _ERROR_LEVEL.search(stripped):
        return 2
    weak = (_ERRORISH.search(stripped) or _STRERROR.search(stripped) or _FAIL_STATUS.search(stripped)
            or _ERRNO.search(stripped))
    return 1 if weak or _TIMEOUT_VERDICT.search(stripped) else 0


# The least rank of a line whose words name a category.
NAMED_RANK = 3


# A cause with the exit status it ended with on the same line (syzbot's `failed to checkout kernel repo ...: failed to
# run ["git" "fetch" "--tags" ...]: exit status 1`): the words before the status say what failed.
_CARRIES_CAUSE = re.lazy(r"^(\S.{11,}?)[:;,]\s*exit (?:code|status) [1-9]\d*\s*$")


def rank(text: str) -> int:
    """`score`, raised by two when the line's own words name a category (line_category.py: `Permission
    denied`, `Unable to locate credentials`, `command not found`): such a line says what failed, where an
    error-ish line of equal score (`Failed in branch deploy`) only says that something did. A wrapper's exit status
    at the end of a line that says what failed before it is not the line's only word: the rest is rated."""
    stripped = _unquoted(text)
    if (carried := _CARRIES_CAUSE.match(stripped)) is not None:
        stripped = carried.group(1)
    kernel = is_kernel_report(stripped)
    if not kernel and (not stripped or not any(h in stripped for h in _HINTS) or _excluded(stripped)):
        return 0
    rated = 3 if kernel else _level(stripped)
    if _LINK_FAILED.search(stripped):
        return rated  # `clang: error: linker command failed ...`: its words name nothing the line above did not
    if is_findings_count(stripped):
        return 1  # `72 issues found.`: it names the check, but the findings it counts say what failed
    if name_line(stripped) is not None:
        return max(rated + 2, NAMED_RANK)  # `** (FunctionClauseError) ...`: no error word, but the words name it
    return rated


# An exception rendered by its class name alone on an indented line, its message a blank line below (poetry's and
# cleo's console: `  SolverProblemError`, blank, `  Because mylib depends on ...`): the message explains it.
_NAME_ALONE = re.lazy(r"^\s+[A-Z]\w*(?:Error|Exception)\s*$")


# A logger's record below the error level (Spring Boot's `WARN 1 --- [main] o.s.b.SpringApplication : Unable to close
# ApplicationContext`, logback's and log4j's `[main] WARN  a.B - x`, Python's `WARNING:root:x`; the runner's timestamp
# already peeled), and what continues it: the exception it logged, that exception's frames and causes, blank lines.
_RECORD_BELOW_ERROR = re.lazy(
    r"^(?:\[[^\]\n]*\]\s+)?(?:TRACE|DEBUG|INFO|WARN|WARNING)\s+(?:\d+ --- |\[[^\]\n]*\] |[\w$.]+\s+[:-] )"
    r"|^(?:WARNING|INFO|DEBUG):[\w.]+:"
)
_RECORD_STARTS = frozenset("[TDIW")
_CONTINUES_RECORD = re.lazy(
    r"^\s*$|^\s+\S|^(?:[\w$]+\.)+[\w$]*(?:Exception|Error|Throwable)\b|^(?:Caused by|Suppressed): "
)


def with_records_below_error(lines: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str, bool]]:
    """Each (number, text) of `lines` and whether it is a logger's record below the error level or what continues it
    (the exception it logged, with its frames and causes)."""
    logged = False
    for number, text in lines:
        start = text.lstrip()
        if start[:1] in _RECORD_STARTS and _RECORD_BELOW_ERROR.match(start):
            logged = True
        elif logged and not _CONTINUES_RECORD.match(text):
            logged = False
        yield number, text, logged


def locate(lines: Iterable[tuple[int, str]], first: bool = False) -> tuple[int, str] | None:
    """The line (number, text) that best explains the failure: the highest `rank`, the last of equals (the last
    word before a job gave up), or with `first` the first of equals (what a tool's summary counts starts at its
    first). An exception's name alone gives way to its message under it. An exception a logger recorded below the
    error level (a WARN record's `Unable to close ...` and the NullPointerException under it) is not the failure:
    the application went on from it."""
    best: tuple[int, int, str] | None = None
    seen: list[tuple[int, str]] = []
    at = -1
    for number, text, below in with_records_below_error(lines):
        seen.append((number, text))
        if below:
            continue
        rated = rank(text)
        if rated and (best is None or rated > best[0] or (rated == best[0] and not first)):
            best = (rated, number, text)
            at = len(seen) - 1
    if best is None:
        return None
    if not first and (earlier := _first_of_its_kind(seen, at, best[0])) != at:
        at = earlier
        best = (best[0], *seen[at])
    if _NAME_ALONE.search(best[2]) and (message := _message_under(seen, at)) is not None:
        return message
    if best[0] < NAMED_RANK and (item := _item_under(seen, at)) is not None:
        return item
    return best[1], best[2]


# What varies between repeats of one message: numbers and quoted names.
_VARYING = re.lazy(r"\d+|'[^'\n]*'|\"[^\"\n]*\"|`[^`\n]*`|‘[^’\n]*’")


def _first_of_its_kind(seen: list[tuple[int, str]], at: int, rated: int) -> int:
    """The index of the first line in `seen` that repeats the message at `seen[at]` (the same words, other numbers
    and quoted names) at its rank: a cascade's first (cpanm's `! Installing the dependencies failed: Module 'X' is not
    installed` for each dependent, a report repeated with another age) is its cause; the later ones follow from it."""
    text = seen[at][1].strip()
    literal = text[: next((i for i, c in enumerate(text) if c.isdigit() or c in "'\"`‘"), len(text))]
    kind = _VARYING.sub("#", text)
    for i in range(at):
        other = seen[i][1].strip()
        if other.startswith(literal) and _VARYING.sub("#", other) == kind and rank(other) == rated:
            return i
    return at


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def _item_under(seen: list[tuple[int, str]], at: int) -> tuple[int, str] | None:
    """The first item of a list that the weak line at `seen[at]` introduces (a report's heading ending in `:`, its
    items indented under it: osstest's `including tests which could not be run:` over ` build-amd64  6 xen-build
    fail REGR.`), if that is what follows it: the item names what failed, the heading only that something did."""
    heading = seen[at][1]
    if not heading.rstrip().endswith(":") or len(seen) <= at + 1:
        return None
    number, text = seen[at + 1]
    if not text.strip() or _indent(text) <= _indent(heading) or _excluded(text.strip()):
        return None
    return number, text


def _message_under(seen: list[tuple[int, str]], at: int) -> tuple[int, str] | None:
    """The message a blank line under an exception's name alone at `seen[at]`, if that is what follows it."""
    if len(seen) <= at + 2 or seen[at + 1][1].strip():
        return None
    number, text = seen[at + 2]
    if not text.strip() or _FRAME.match(text.strip()):
        return None
    return number, text
