"""Anchor rules for the environment's own messages (issue 12, rules-env): the lines that explain a job the
machine, the network, a service or a credential failed, in the words each tool prints them.

The same kind of table as families_more.py. anchors.py already anchors the plainest words (`Permission denied`,
`No space left on device`, `Connection refused`, `Segmentation fault`); these are the messages those words miss,
looked up in the tools' own sources: git refusing a repository it does not own (setup.c's `detected dubious
ownership` and its older `unsafe repository`), Windows' sharing violation, gcc's driver reporting a compiler killed
by a signal in the user's locale (`%s signal terminated program %s`), Gradle's daemon giving up on a thrashing
heap, V8's, the JVM's, Rust's, PHP's and Ruby's own out-of-memory lines, WebAssembly traps, sanitizer reports,
a service nobody started (Cypress' base-URL check, Go's `driver: bad connection`, kubectl's refused API server),
job time limits in each CI system's words, and a GitLab runner that cannot pull the job's image. `FIRST` is tried
at the head of families.py's table; every line is specific enough never to shadow a rule there.

Patterns stay within RE2's syntax (no lookarounds, no backreferences). Leading blanks are allowed: Actions indents
a step's output under its command (`  fatal: detected dubious ownership ...`).
"""

from __future__ import annotations

from gardener.ingest.runner_log.anchor_rule import SPECIFIC, rule

FIRST = (
    # git >= 2.35.2 (setup.c): the repository's owner is not the user running git (a container's root over the
    # runner's checkout). Older wording: `unsafe repository ('/x' is owned by someone else)`.
    rule(
        "permission-denied",
        r"^\s*(?:Error: )?fatal: (?:detected dubious ownership in repository at '(?P<subject>[^'\n]+)'"
        r"|unsafe repository \('(?P<subject2>[^'\n]+)' is owned by someone else\))",
        SPECIFIC,
        joins=True,
    ),
    # Windows refusing a file another process holds open (ERROR_SHARING_VIOLATION, Python's `PermissionError:
    # [WinError 32]`, .NET's IOException) or the caller may not touch (ERROR_ACCESS_DENIED, `[WinError 5]`).
    # sudo refusing a job that may not use it non-interactively.
    rule(
        "permission-denied",
        r"^sudo: (?:a terminal is required to read the password|no tty present and no askpass program specified"
        r"|a password is required)|\bis not in the sudoers file\b",
        SPECIFIC,
    ),
    rule(
        "permission-denied",
        r"\b(?:PermissionError|WindowsError|OSError): \[(?:WinError|Error) (?:5|32)\]"
        r"|^\s*(?:\S+: )?The process cannot access the file\b[^\n]*\bbeing used by another process"
        r"|\bSystem\.UnauthorizedAccessException\b",
        SPECIFIC,
        joins=True,
    ),
    # gcc's driver: a compiler pass killed by a signal, its name in the user's locale (`Killed`, `Morto`, `已杀死`):
    # the kernel's OOM killer. A segmentation fault there is an internal compiler error, not memory.
    rule(
        "oom-killed",
        r"\S+ signal terminated program (?P<subject>cc1(?:plus|obj)?|lto1|f951|cc1objplus|jc1|as|ld|gnat1|d21|go1)\b"
        r"|\bld terminated with signal 9\b|\bunable to execute command: Killed\b",
        SPECIFIC,
        joins=True,
        unless=r"(?:Segmentation fault|Bus error|Illegal instruction|Aborted) signal terminated",
    ),
    # Out of memory in each runtime's own words: Gradle's daemon health monitor, the JVM's native allocator, PHP,
    # Ruby, Rust's alloc error handler, Erlang's allocator, GHC's RTS, MSVC, LLVM, Kotlin's compile daemon.
    rule(
        "out-of-memory",
        # (Gradle's forecasts, `Expiring Daemon because JVM heap space is exhausted`, come before the failure.)
        r"\bGradle build daemon has been stopped: [^\n]*(?:garbage collector|JVM memory|heap space|Metaspace)"
        r"|\bDaemon will expire immediately since the JVM garbage collector is thrashing"
        r"|There is insufficient memory for the Java Runtime Environment to continue"
        r"|Native memory allocation \(m(?:alloc|map)\) failed"
        r"|Could not reserve enough space for (?:\d+\w+ )?object heap"
        r"|\bAllowed memory(?: size of \d+ bytes exhausted|\s*$)|\bfailed to allocate memory \(NoMemoryError\)"
        r"|\bmemory allocation of \d+ bytes failed|\bCannot allocate \d+ bytes of memory|\bHeap exhausted;"
        r"|\bfatal error C1060: compiler is out of heap space|\bLLVM ERROR: out of memory"
        r"|\bSystem\.OutOfMemoryException\b|\bNot enough memory to run compilation|cannot allocate vector of size",
        SPECIFIC,
        joins=True,
    ),
    # A native crash the runtime reports in its own words: a WebAssembly trap (wasmtime, V8), the JVM's fatal error
    # report, Rust's stack overflow, a sanitizer's report, ctest's `***Exception: SegFault`.
    rule(
        "crash",
        r"\bwasm trap: |\bmemory fault at wasm address\b|\bRuntimeError: memory access out of bounds"
        r"|A fatal error has been detected by the Java Runtime Environment"
        r"|has overflowed its stack$|\bfatal runtime error: stack overflow"
        r"|^==\d+==ERROR: (?:Address|Leak|Memory|Thread|UndefinedBehavior)Sanitizer: "
        r"|^WARNING: ThreadSanitizer: |\*\*\*Exception: SegFault|^\s*\*\*\* caught (?:segfault|bus error) \*\*\*"
        # ctest's list of failed tests names how each died (`12 - test_codec (SEGFAULT)`).
        r"|^\s*\d+ - (?P<subject>\S+) \((?:SEGFAULT|ILLEGAL|NUMERICAL|OTHER_FAULT|BUS_ERROR)\)\s*$",
        SPECIFIC,
        joins=True,
    ),
    # A service the tests need is not there: Cypress' check of its base URL, Go's database/sql giving up on a
    # connection, kubectl refused by its API server, gRPC finding no address that answers, .NET's WebException.
    rule(
        "connection-refused",
        r"\bCypress (?:could not|failed to) verify that (?:this|your|the) server\b"
        r"|\bdriver: bad connection\b|The connection to the server \S+ was refused"
        r"|\bfailed to connect to all addresses\b|\bUnable to connect to the remote server\b"
        r"|\bNoNodesAvailableException\b|\bNo living connections\b|\bSQLSTATE\[HY000\] \[2002\]",
        SPECIFIC,
        joins=True,
    ),
    # Job time limits in each CI system's words (anchors.py has Actions', Travis' and CircleCI's watchdogs).
    rule(
        "timeout",
        r"\bThe job exceeded the maximum (?:allowed )?time\b|\bexceeded the maximum time limit for jobs\b"
        r"|\bexecution took longer than \S+ seconds|^Build timed out \(after |\bCancelling nested steps due to timeout"
        r"|\bBuild execution time has reached the maximum allowed time"
        # Karma losing its browser, or never capturing it: the whole run stops.
        r"|\bDisconnected ?,? because no message in \d+ ms|\bha(?:ve|s) not captured in \d+ ms"
        r"|^\s*\d+ - (?P<subject>\S+) \(Timeout\)\s*$"
        r"|^(?:Error: )?The action '[^'\n]+' has timed out after \d+ minutes",
        SPECIFIC,
        absorbs=("cancelled",),
    ),
    # A runner that cannot get the job's image: families_deps.py's `pull-denied`.
    # Kubernetes' RBAC refusing the job's service account (`Error from server (Forbidden): deployments.apps "api" is
    # forbidden: User "system:serviceaccount:ci:deployer" cannot patch resource "deployments"`), from kubectl or Helm.
    rule(
        "permission-denied",
        r"\bis forbidden: User \"(?P<subject>[^\"\n]+)\" cannot \w+ resource ",
        SPECIFIC,
        joins=True,
    ),
)

# Words (lower case) one of which every line above contains.
HINT_WORDS = (
    "is forbidden: user",
    "dubious ownership", "unsafe repository", "winerror", "[error 5]", "[error 32]", "used by another process",
    "unauthorizedaccessexception", "signal terminated program", "terminated with signal 9", "command: killed",
    "thrashing", "running out of jvm", "is exhausted", "insufficient memory", "native memory allocation",
    "object heap", "allowed memory", "nomemoryerror", "memory allocation of", "bytes of memory",
    "heap exhausted", "c1060", "llvm error", "outofmemoryexception", "not enough memory", "wasm trap",
    "wasm address", "memory access out of bounds", "java runtime environment", "overflowed its stack",
    "stack overflow", "sanitizer", "segfault", "verify that", "bad connection", "was refused",
    "failed to connect to all", "unable to connect to the remote", "nonodesavailable", "no living connections",
    "maximum allowed time", "maximum time", "took longer than", "build timed out", "due to timeout",
    "preparation failed", "(segfault)", "(illegal)", "(numerical)", "(other_fault)", "(bus_error)",
    "(timeout)", "sudo: ", "has timed out after", "sudoers", "no message in", "not captured in", "no such image",
    "specified policies", "accessviolationexception", "allocate vector", "caught segfault", "caught bus error",
    "[2002]",
)  # fmt: skip
