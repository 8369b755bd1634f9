"""A category from a line's own words, for a failed log's explaining line that no rule names.

Rules are written per tool; a log from a tool nobody wrote one for still says what went wrong in
words most tools share: `Permission denied`, `Unable to locate credentials`, `command not found`,
`file.c:12:5: error: ...`, `FooError: ...`, `expected: 5 got: 10`. `name_line` reads those words
(in the order below: the most specific first, so `Connection refused` in an exception's message is
a refused connection, not just an exception) and names the category they point to, with the words
that decided it, so a finding's reason can say them. A line whose words point nowhere is left
unnamed (`unclassified`): `Error: rendered manifests contain a resource that already exists` is a
failure, but not one the taxonomy has a name for.

The few lines before the named line are its context: `LoadError` under RSpec's `An error occurred
while loading` is an import failure, not a missing package; a bare JavaScript `Error: ...` right
under a test runner's `FAIL` header is an exception thrown in a test. Context also names what the
line alone does not: a bare `Error:` under its source place (OCaml's `File "x", line 3, characters`,
gfortran's `x.f90:16:30:`) is a compiler's diagnostic, in a package manager's cache a fetched
dependency's; an error under an echoed install command (`$ luarocks install x`) or above a CI wrapper
naming one (Travis' `The command "bundle install" failed`) is the install's failure; a line under
Gradle's `* What went wrong:` is the build definition's; a test's `... FAIL` verdict or a runner's
`N failed` count takes the category of the failing test's block beside it.

Pure; every pattern is RE2 (gardener.regex) and compiled on first use. Called only for the
evidence line of a failing log result no rule classified, never per line of a log.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gardener import regex as re
from gardener.diagnostic_shapes import shape_of
from gardener.failure_kind import failure_header
from gardener.fetched_paths import FETCHED
from gardener.kernel_report import name_kernel_panic, name_kernel_report
from gardener.line_words_more import DEPENDENCY_MORE, TIMEOUT_MORE, only_a_timeout_setting
from gardener.redact.text import cut_raw
from gardener.text import markdown_unquoted

if TYPE_CHECKING:
    from gardener.ingest.runner_log.anchor_needles import Gate


@dataclass(frozen=True, slots=True)
class Named:
    """The category a line's words name, and those words (what decided it)."""

    category: str
    words: str


# (category, pattern) in the order tried: resource and environment words first, then the shapes of compiler and
# linter diagnostics, then looser words (timeouts, missing modules and tools), assertions, and exceptions, the
# least specific.
_TABLE: tuple[tuple[str, re.Pattern[str]], ...] = (
    # gcc's driver names the signal that ended a compiler pass in the user's locale: a segmentation fault there is a
    # compiler crash; any other (`Killed`, `Morto`, `已杀死`) is the OOM killer (the next entry).
    ("segfault-crash", re.lazy(
        r"(?i)(?:segmentation fault|bus error|illegal instruction|aborted) signal terminated program")),
    ("out-of-memory", re.lazy(
        r"(?i)\bout of memory\b|OutOfMemory(?:Error|Exception)|\bCannot allocate (?:memory\b|\d+ bytes)|\bENOMEM\b"
        r"|\bMemoryError\b|heap out of memory|std::bad_alloc|\bOOM[- ]?kill|signal terminated program|\bKilled\s*$"
        r"|Ineffective mark-compacts|\bheap limit\b|garbage collector is thrashing|\bheap (?:space )?(?:is )?exhausted"
        r"|insufficient memory for the Java Runtime|Allowed memory size of \d+ bytes exhausted|\bNoMemoryError\b"
        r"|memory allocation of \d+ bytes failed|\bout of heap space\b|enough space for (?:\d+\w+ )?object heap"
        r"|Native memory allocation|ld terminated with signal 9|\bGC overhead limit exceeded"
        r"|cannot allocate vector of size"
        # V8's own frame for its heap limit (`v8::internal::V8::FatalProcessOutOfMemory`), Java's `Java heap space`
        # without the exception's name, a container or runner stopped at its memory limit.
        r"|FatalProcessOutOfMemory|\bJava heap space\b|\bran out of memory\b|\bmemory limit (?:exceeded|reached)"
        r"|\bexceeded (?:the |its )?memory limit\b")),
    ("ci-runner-failure", re.lazy(r"(?i)System limit for number of file watchers reached")),
    ("disk-full", re.lazy(
        r"(?i)no space left on device|\bENOSPC\b|\bdisk (?:is )?full\b|not enough (?:free )?(?:disk )?space"
        r"|\[Errno 28\]|disk quota exceeded|insufficient (?:free )?disk space|database or disk is full")),
    ("segfault-crash", re.lazy(
        r"(?i)segmentation fault|\bSIGSEGV\b|\bSIGBUS\b|\bSIGABRT\b|\bSIGILL\b|core dumped|\bsignal 11\b|Abort trap"
        r"|access violation|0xC0000005|0xC00000FD|stack smashing detected|double free|\bwasm trap\b"
        r"|memory fault at wasm address|memory access out of bounds|fatal error has been detected by the Java Runtime"
        r"|overflowed its stack|fatal runtime error: stack overflow|Fatal Python error: (?:Aborted|Bus error)"
        r"|\b(?:Address|Leak|Memory|Thread|UndefinedBehavior)"
        r"Sanitizer\b|\bSegFault\b|\bEXC_BAD_ACCESS\b|\bBus error\b|\billegal instruction\b|caught segfault"
        # The Linux kernel's own sanitizers, reported as the user-space ones are (corpus19's syzbot kmemleak report):
        # KASAN, KMSAN, KCSAN, KFENCE (`BUG: KASAN: use-after-free in x`), kmemleak's `BUG: memory leak`, UBSAN.
        r"|\bBUG: (?:KASAN|KMSAN|KCSAN|KFENCE|memory leak)\b|^\s*UBSAN: [\w-]+ in \S")),
    # An image build's own step failing (a COPY whose source is not in the context, a RUN's command).
    ("docker-build-failure", re.lazy(
        r"^\s*(?:COPY|ADD) failed: |failed to compute cache key|The command '/bin/sh -c [^']*' returned a non-zero code"
        r"|\bfailed to solve: process \"/bin/sh -c ")),
    ("registry-access-failure", re.lazy(
        r"(?i)manifest unknown|pull access denied|requested access to the resource is denied"
        r"|toomanyrequests|pull rate limit|Preparation failed: (?:Error: )?No such image|failed to pull image"
        r"|\bunknown manifest\b|\bfailed to publish (?:to (?:the )?registry|crate|package)\b")),
    # An upgrade answered with anything but 101, whatever the status (README: a refused connection under it is the
    # deeper cause, so a line that says `refused` is left to connection-refused below).
    ("websocket-handshake-error", re.lazy(
        r"(?i)\bwebsocket[^\n]*(?:\bbad (?:status|handshake)\b|\bhandshake (?:failed|error|status)"
        # (Any status but 101 Switching Protocols, the upgrade's success: `established, status code 101` is progress.)
        r"|Unexpected (?:server )?response|\bInvalidStatus(?:Code)?\b"
        r"|\bstatus code:? (?:10[02-9]|1[1-9]\d|[2-5]\d\d)\b)"
        r"|\bHandshake status (?:10[02-9]|1[1-9]\d|[2-5]\d\d)\b"
        r"|Error during WebSocket handshake|closed before receiving a handshake response|WebSocketBadStatus"
        r"|\bUnexpected server response: [1-5]\d\d\b")),
    ("auth-error", re.lazy(
        r"(?i)unable to locate credentials|\bno ?credentials\b|Permission denied \(publickey"
        r"|password authentication failed|access denied for user\b|login failed for user\b|\bNOAUTH\b|\bWRONGPASS\b"
        r"|must be logged in to the server|Host key verification failed|\bENEEDAUTH\b|\bAADSTS\d{5,}"
        r"|\bDefaultCredentialsError\b|could not automatically determine credentials"
        r"|Support for password authentication|Invalid username or password"
        r"|\b(?:status code|HTTP(?:Error)?|response code:?) 401\b|\(401\) Unauthorized"
        r"|\bcredentials? (?:are |were |is )?(?:missing|invalid|expired|not found)"
        r"|\b401\b[^\n]*unauthori[sz]ed|\bunauthori[sz]ed\b|\b403 Forbidden\b|\bforbidden\b[^\n]*\b403\b"
        r"|authentication (?:failed|required)|bad credentials|invalid (?:api )?(?:token|api key|password)"
        r"|\b(?:token|password) (?:is )?(?:invalid|expired)|not authori[sz]ed|could not read Username"
        r"|\bExpiredToken\b|Resource not accessible by integration|\bPermission to \S+ denied to\b")),
    ("permission-denied", re.lazy(
        r"(?i)permission denied|\bEACCES\b|\bEPERM\b|operation not permitted|(?:don.t|do not) have permission"
        r"|access (?:is )?denied|insufficient permissions?|\bread-only file system\b|\bEROFS\b"
        # git's safe.directory check; Windows' sharing violation and access denied, as Python and .NET name them.
        r"|detected dubious ownership|unsafe repository \(|is owned by someone else"
        r"|\bPermissionError: \[(?:Errno 1|Errno 13|WinError 5|WinError 32)\]"
        r"|\[(?:WinError|Error) (?:5|32)\]|being used by another process|UnauthorizedAccessException")),
    # The machine the job ran on went away, or the CI system could not run the job: nothing the project did.
    ("ci-runner-failure", re.lazy(
        r"(?i)runner has received a shutdown signal|lost communication with the server|\b(?:worker|agent|runner)"
        r" (?:was )?(?:restarted|lost|died|disconnected|terminated|shut down)\b|The hosted runner\b"
        r"|internal error when running your job|stopped hearing from agent|no hosted parallelism"
        r"|job was not acquired by runner|no runner matching|This job is stuck because|runner system failure"
        r"|Job failed \(system failure\)|Backing channel [^\n]* is disconnected|Agent went offline"
        r"|log length has exceeded the limit|^The job has been terminated\b|Illegal option -o pipefail"
        r"|^\s*`?fatal: destination path '\.git/[^']*' already exists|^(?:Error: )?The operation was canceled\.\s*$")),
    ("connection-refused", re.lazy(
        r"(?i)connection refused|\bECONNREFUSED\b|\bECONNRESET\b|connection reset by peer|could not connect to"
        r"|failed to connect to|could not resolve host|\bgetaddrinfo\b|name or service not known|\bENOTFOUND\b"
        r"|temporary failure in name resolution|network is unreachable|no route to host|actively refused"
        r"|\bdriver: bad connection\b|could not verify that (?:this|your|the) server|connection to the server \S+ was"
        r" refused|unable to connect to the remote server|\bsocket hang up\b|\bE(?:HOST|NET)UNREACH\b|\bEAI_AGAIN\b"
        r"|can.t connect to (?:local )?MySQL server|is the server running|\bNoNodesAvailable|no living connections"
        r"|Failed to open TCP connection|\bMongo(?:Network|ServerSelection)Error\b|ServerSelectionTimeoutError"
        r"|\bserver selection timed out\b|Error connecting to Redis|\bRedis connection to \S+ failed"
        r"|AMQPConnectionError|Broker may not be available|\bNoHostAvailable|NoNodeAvailableException"
        r"|None of the configured nodes are available|the database system is starting up"
        r"|connection to server (?:on socket|at) [^\n]* failed|\bNoBrokersAvailable\b|\bUnknownHostException\b")),
    # The project's own code does not build: a compiler's or type checker's diagnostic.
    ("compile-error", re.lazy(
        r"(?:^|[^\w./\\@+-])[\w./\\@+-]+\.(?:c|cc|cpp|cxx|h|hh|hpp|m|mm|swift|go|rs|java|kt|kts|scala|cs|fs|vb|ts|tsx"
        r"|hs|ml|mli|f|f90|f95|f03|f08|for|d|nim|zig|v|sv|vhd|cu|pas|ex|erl|elm|purs|dart|sol|ino|cr|groovy|hx|idr"
        r"|gleam|mo|re|res|ads|adb)"
        # (A capitalised `Error` only as a label, `Error:` (Free Pascal, Dart, Nim): a Go test's `x_test.go:41: Error
        # parsing ...` and golangci's `Error return value of ... (errcheck)` are no compiler's.)
        r"[:(]\d+(?:[:,]\d+)?\)?:? ?(?:fatal )?(?:error\b|(?:Error|ERROR):)"
        r"|\berror(?:\[E\d{4}\]|:? (?:CS|TS|FS|BC|C)\d{3,5}\b)|\bundefined reference to\b|\bundeclared identifier\b"
        r"|\bUndefined symbols? for architecture\b|\bld(?:\.\w+)?: (?:error|cannot find)|\bcannot find symbol\b"
        r"|\bcompilation (?:failed|error)|\bcompiler error\b|\bcould not compile\b|^\s*Error: [^\n]* at \(\d\)"
        r"|\bis not a member of\b|\bhas no (?:exported )?member\b|\bimplicitly has an? '?any'? type\b"
        r"|\bunresolved reference\b|isn.t defined for the (?:type|class)\b|\bUndefined (?:name|class) '"
        # The JVM's class file limits a compiler hits (javac's `code too large`, kotlinc's ASM exceptions).
        r"|\bcode too large\b|\b(?:Class|Method)TooLargeException\b|\bError generating class file\b"
        r"|\bisn.t a type\b|\bNo named parameter with the name\b"
        r"|\btype mismatch\b|[Cc]ouldn.t match (?:expected )?type|\bincompatible types?\b"
        r"|\bno matching function for call\b|\bcannot (?:be )?(?:converted|assign|convert)\b"
        r"|\b(?:clang|gcc|g\+\+|cc|c\+\+|rustc|javac|scalac|swiftc|ghc|tsc|gfortran|nvcc)\S*: (?:fatal )?error\b"
        # Visual Studio's Error List copied as text (`Error<TAB>CS0246<TAB>The type or namespace name ...<TAB>
        # Project<TAB>File<TAB>Line`): an error row of a compiler's own code (C#, VB, F#, MSVC), not an analyzer's (CA).
        r"|^\s*(?:\d+\.\s+|[-*]\s+)?Error\t(?:CS|BC|FS|C)\d{4}\t")),
    ("lint-failure", re.lazy(
        r"(?i)would reformat|would be reformatted|needs? (?:re)?formatting|not (?:properly )?formatted"
        r"|^\s*Diff in \S|\bcode style issues?\b|\boffen[cs]es? detected|\blint(?:er|ing)? (?:failed|errors?)"
        r"|\bfix(?:able)? with (?:--fix|the --fix)|\bmisspell|\bbroken links?\b"
        r"|(?:^|\s)\d+:\d+\s+error\s+\S[^\n]*\s[a-z@][\w@/.]*-[\w@/.-]+$"
        r"|\.\w+:\d+:\d+:? [A-Z]{1,3}\d{3,4}\b|\[(?:SC|DL)\d{4}\]|\bSC\d{4}(?: \(\w+\))?:"
        # (`12:3  error  msg  rule-id` above is a linter's.)
        r"|\b[1-9]\d* (?:problems?|offen[cs]es?) \(|\b[1-9]\d* files? would be (?:reformatted|changed)\b")),
    # Loose words, after the diagnostics' shapes: `'timeout' is never reassigned` is a lint finding.
    ("timeout-hang", re.lazy(
        r"(?i)\btimed? ?out\b|\btimeout\b|deadline exceeded|took (?:too long|longer than)"
        r"|exceeded (?:the )?(?:maximum )?(?:allowed )?(?:execution )?time|\bexecution expired\b"
        r"|(?:has not|have not) captured in \d+ ?ms|no message in \d+ ?ms|No output has been received in the last")),
    # A module, library or package the code loads is missing where it runs: the tests cannot load.
    ("import-collection-error", re.lazy(
        r"ModuleNotFoundError|\bImportError\b|\bLoadError\b|\bNo module named\b|[Cc]annot find module\b"
        r"|cannot load such file|Could not load file or assembly|ClassNotFoundException|NoClassDefFoundError"
        r"|\bMissing [\w .-]{1,60} (?:library|module|package)\b|error while loading shared libraries"
        r"|\bno (?:library|package) called\b|\bthere is no package called\b"
        # A test runner that finds nothing to load (ava's `Couldn't find any files to test`).
        r"|(?i:couldn.t find any (?:test )?files to test|\bno test files (?:found|were found))"
        # Perl cannot find a module (`Can't locate DBD/SQLite.pm in @INC`): named before the compile phase it stops,
        # so the line that names the module, not the abort below it, is the deciding line.
        r"|\bCan't locate [\w/.:-]{1,200}\.pm in @INC"
        # Perl's compile phase of a test file stopped (`BEGIN failed--compilation aborted at t/x.t line 20.`: a module
        # it uses died while loading): the file never ran. (At a module's own `.pm` it is that module's failure.)
        r"|\bBEGIN failed--compilation aborted at \S+\.t line \d+")),
    # A tool or package the job needs is not installed or cannot be resolved.
    ("dependency-install-failure", re.lazy(
        r"(?i)\bcommand not found\b|\bsh: (?:\d+: |line \d+: )?[\w.+-]+: not found\b|\blinker `[^`]+` not found\b"
        r"|\bVersion [\w.-]+ with arch \w+ not found\b|\bexternally-managed-environment\b|Could not build wheels for\b"
        r"|Couldn.t find package \"|\bunknown revision\b"
        r"|\bnot recognized as an internal or external command\b|\bis not installed\b"
        r"|is not recognized as (?:the|a) name of a cmdlet"
        r"|could not find (?:gem|a version|any version|a matching|module|package|artifact|library|dependency|tool)"
        r"|no matching (?:distribution|version|package)"
        r"|(?:could not|unable to|failed to) resolve (?:dependenc|package|artifact|plugin)"
        r"|unable to find (?:package|a version|any version)|\bunsatisfiable\b|\bERESOLVE\b|is not part of the bundle"
        r"|(?:package|gem|module|crate|library) [^\n]{0,80}\bnot found\b|\bnot found in (?:registry|repository|index)"
        r"|failed to (?:install|download|fetch) |\bdependency resolution failed|\bconflict set\b|\bversion conflict"
        r"|\bdependency conflict|conflicting (?:requirements|dependencies)"
        # curl's words for a fetch the server refused (CMake's FetchContent, git over HTTP, install scripts use it);
        # NuGet's restore errors (`error NU1605: Detected package downgrade`).
        r"|requested URL returned error ?: ?\d{3}|\berror NU1\d{3}\b|\bpackage downgrade\b"
        # A setup action's download of its tool answered 404 (`Failed to run: Error: Unexpected HTTP response: 404`).
        r"|\bHTTP response(?: code)?:? 404\b"
        r"|\bFailed (?:installing|fetching|downloading|checking out|cloning|resolving|building) (?:dependenc|package"
        r"|tag|branch|rock|gem|module|crate|manifest)|(?:could not|cannot|unable to) satisfy dependenc"
        r"|\bexecutable is missing\b|\bPlease install\b|\bERROR while (?:compiling|installing|building|downloading)"
        r" [\w-]+\.\d")),
    # More resolver, lock file and CI timeout words (line_words_more.py).
    ("dependency-install-failure", DEPENDENCY_MORE),
    ("timeout-hang", TIMEOUT_MORE),
    ("assertion-failure", re.lazy(
        r"AssertionError|\bassert(?:ion)?(?: `[^`\n]*`)? failed|^\s*#\s+Failed test\b|\bAssertion [^\n]* failed"
        r"|Failed asserting\b|\bexpect\([^\n]*\)\.(?:not\.)?to|\bExpected equality of\b|Assert\w* failed\b"
        r"|\b[Ee]xpected\b[^\n]*\b(?:but (?:was|got)|got|received|actual|to (?:equal|be|eq|match|contain|include))\b"
        r"|^\s*(?:[Ee]xpected|[Aa]ctual|got|Received)\s*:|\bassert\w*\(|\bshould (?:equal|be|have)\b"
        r"|^\s*[-+]\s+(?:expected|actual)\b|^\s*expected [^\n]*, found \S|(?:^|\s)(?:expected|but got):\s+\S"
        # C and C++ test frameworks (rules-code): Boost.Test's `check x == y has failed`, doctest's `CHECK( x ) is NOT
        # correct!`, Catch2's `file:12: FAILED:`, Unity's `file.c:12:test_x:FAIL`.
        r"|\bcheck [^\n]+ has failed\b|\) is NOT correct!|^\s*\S+(?::\d+:|\(\d+\):) FAILED:$|^\s*\S+:\d+:\w+:FAIL\b"
        # Swift Testing's `#expect` (`Test x() recorded an issue at CartTests.swift:8:5: Expectation failed: (...)`;
        # not HTTP's `417 Expectation Failed`).
        r"|\bExpectation failed: "
        # Test frameworks' own failed-expectation records (rules-excerpts-12): EUnit's assert macros
        # (`**error:{assertEqual_failed,[{module,m},...`, `::{assertMatch_failed,`; OTP 18+ `::error:{assertEqual,`),
        # Julia's Test (`Test Failed at /x/runtests.jl:12`; 0.2's `ERROR: test failed: :((a==b))`, the quoted
        # expression, not a script's `ERROR: Test failed: <message>`) and testthat's failure listing (`── Failure
        # ('test-x.R:12:3'): name ──`, its rule characters lost in some R CMD check logs).
        r"|\{assert\w*_failed,|(?:^|\s)(?:\*\*|::)(?:error:)?\{assert\w*,|\bTest Failed at \S+:\d+"
        r"|^\s*(?:ERROR: )?test failed: :\(|^\s*(?:── )?Failure \('[^'\n]+:\d+(?::\d+)?'\): "
        # D's druntime: a failed `assert` or unittest (`core.exception.AssertError@app.d(55): Assertion failure`).
        r"|\bcore\.exception\.AssertError@")),
    ("runtime-exception", re.lazy(
        r"\b(?:[A-Za-z_$][\w$]*\.)*[A-Z][\w$]*(?:Error|Exception)\b|^\s*Traceback \(most recent call last\)"
        r"|\bpanic(?:ked)?\b|\bPANIC: |\bUncaught\b|\bUnhandled\b|^\s*Error in \S|\bundefined method\b"
        r"|\bis not a function\b"
        r"|\bundefined (?:index|variable|offset)\b|\bnull pointer\b|\bnil pointer\b|\bcannot read propert"
        r"|^\s*\*\* \(\w+\)|\[E::\w+\]|\bfail(?:ed)? to open (?:file|stream)\b"
        # Lua's run-time errors (`attempt to index local 'cfg' (a boolean value)`).
        r"|\battempt to (?:index|call|concatenate|compare|perform arithmetic on) [^\n]*\b(?:nil|boolean|number|string"
        r"|table|userdata) value\b"
        # Erlang's shell and escripts (`** exception error: undefined function cart:total/1`, `exit`, `throw`).
        r"|^\s*\*\* exception (?:error|exit|throw): ")),
)

# Words that say an exception is a runner's wrapper around failed tests, not an error of its own.
WRAPPER_EXCEPTION = re.lazy(
    r"TestsFailedException|ScriptException|BuildException|MojoFailureException|MojoExecutionException"
    r"|GradleException|ExitException|ProcessExecutionException|CalledProcessError|ExecException"
    r"|BuildFailedException|TaskExecutionException")
# A line at a test runner's failure header: a bare `Error: ...` under it was thrown by the test.
_TEST_CONTEXT = re.lazy(
    r"^\s*(?:FAIL\b|✕|×|✗|\d+\) |not ok \d+|--- FAIL|Failure/Error:|[✘❌] )|\b(?:failing|FAILED|Failures?:)\s*$")
_BARE_ERROR = re.lazy(r"^\s*(?:Uncaught )?Error: \S")
# A loading context: what follows is a failure to load the code under test, not to install a package.
_LOADING = re.lazy(r"(?i)error occurred while loading|while importing|during collection|failed to load|could not load")
# A test runner's step that loads every test file before any runs (RSpec's `load_spec_files`, Rake's test loader,
# mocha's `Mocha.loadFiles`): an exception raised under it was raised while a test file loaded, not by a test.
_LOADING_TESTS = re.lazy(
    r"in [`'](?:block (?:\(\d+ levels\) )?in )?load_spec_files'|[/\\]rake_test_loader\.rb:\d+:in "
    r"|\bat Mocha\.loadFiles \(")


# A throwable's own line, whatever its class is called (`sbt.InvalidComponent: ...`, Clojure's
# `clojure.lang.ExceptionInfo: ...`, a bare JavaScript `Error: ...`), and the first frame of the stack every JVM,
# JavaScript and .NET runtime prints under it (`\tat sbt.ComponentManager.invalid(ComponentManager.scala:57)`,
# `    at run (/app/x.js:3:9)`, `   at Acme.Cart.Total() in /src/Cart.cs:line 12`): the line is an exception thrown.
_THROWN = re.lazy(r"^\s*(?:Exception in thread \"[^\"\n]*\" )?(?:[A-Za-z_$][\w$]*\.)*[A-Z][\w$]*(?:: \S|\s*$)")
_FRAME_BELOW = re.lazy(r"^\s*at (?:[\w$<>.]+\([^()\n]*\)|\S+ \(\S+:\d+:\d+\)|\S+:\d+:\d+$)")


# A container build's step (`Step 2/7 : COPY ...`, BuildKit's `#7 [2/5] RUN ...`): a file or command missing
# under it is the image build's failure.
_DOCKER_STEP = re.lazy(r"\bStep \d+/\d+ : [A-Z]+\b|^\s*#\d+ \[[\w -]*\d+/\d+\] [A-Z]+\b")
_MISSING_FILE = re.lazy(r"(?i)no such file or directory|\bnot found\b|\bcannot stat\b|\bdoes not exist\b")


# A formatter's or linter's name, as the step's command says it (`run golangci-lint`, `flake8 --format ...`,
# `eslint: \`eslint app/\``): an error line with no words of its own under it is that check failing.
_LINTER = re.lazy(
    r"(?:^|[\s`'\"/\[(>$])(?:eslint|tslint|stylelint|prettier|oxlint|dprint|flake8|pylint|ruff|isort"
    r"|pycodestyle|pydocstyle|golangci-lint|gofmt|goimports|staticcheck|rubocop|standardrb|shellcheck"
    r"|hadolint|yamllint|markdownlint(?:-cli2?)?|clippy|rustfmt|ktlint|detekt|swiftlint|swiftformat|clang-format"
    r"|cpplint|checkstyle|spotlessCheck|phpcs|php-cs-fixer|codespell|actionlint|editorconfig-checker|luacheck"
    r"|commitlint|lychee|markdown-link-check|htmlhint|jshint|scalafmt\w*|scalastyle|clj-kondo|cljfmt|hlint|ormolu"
    r"|fourmolu|stylua|biome|golint|revive|ktfmt|sqlfluff|tflint|perlcritic|perltidy|autopep8|yapf|mdformat"
    r"|taplo|buf lint|swift-format)(?:$|[\s`'\":.\])])"
)


_PUNCTUATION = " `'\"/[(>$:.])"

# A diagnostic whose place follows it (rustc's and its kin's `error: msg` then ` --> src/x.rs:12:5`, codespan's
# `┌─ file:3:1`, Elm's and Gleam's): the project's code does not compile, whatever its message says.
_BARE_DIAGNOSTIC = re.lazy(r"^\s*(?:fatal )?error(?:\[\w+\])?: \S")
_PLACE_BELOW = re.lazy(r"^\s*(?:-->|┌─|╭─\[?)\s*\S+:\d+(?::\d+)?")
# A build generator's configuration error (`CMake Error at CMakeLists.txt:195 (ADD_DEPENDENCIES):`): the project's
# build does not configure, unless the lines under it say a package was not found.
_CONFIGURE_ERROR = re.lazy(r"^\s*CMake Error at \S+:\d+")
_NOT_FOUND_BELOW = re.lazy(
    r"(?i)\bnot found\b|\bcould not find\b|\bno package\b|\bnot installed\b|\bunable to find\b"
    r"|\bfailed to (?:download|fetch)|\((?:find_package|find_dependency|pkg_check_modules|FetchContent\w*)\)")


def _context_names(line: str, before: Sequence[str], after: Sequence[str] = ()) -> Named | None:
    """A category the line names only with the lines before it (or after it)."""
    if _BARE_DIAGNOSTIC.search(line) and any(_PLACE_BELOW.search(a) for a in after[:2]):
        return Named("compile-error", f"{cut_raw(line.strip(), 80)} (a diagnostic with its source place under it)")
    if _ANY_BARE_DIAGNOSTIC.search(line) and (place := next(
            (m for b in reversed(before[-3:]) if (m := _PLACE_ABOVE.search(markdown_unquoted(b)))), None)):
        if FETCHED.search(place.group(0)):
            return Named("dependency-install-failure",
                         f"{cut_raw(line.strip(), 80)} (in a fetched dependency's source)")
        return Named("compile-error", f"{cut_raw(line.strip(), 80)} (a diagnostic with its source place above it)")
    above = next((b for b in reversed(before) if b.strip()), "")
    if _WENT_WRONG.search(above) and not _NOT_DEFINITION.search(line):
        return Named("compile-error", f"{cut_raw(line.strip(), 80)} (the build definition, under `* What went wrong:`)")
    if _ANY_BARE_DIAGNOSTIC.search(line) and (lint := next(
            (f for b in reversed(before) if (f := _LINT_WORDS.search(b) or _FORMAT_CHECK.search(b))), None)):
        return Named("lint-failure", f"{lint.group(0)} (the check's verdict above the error)")
    if (step := _wrapped_command(line, after)) is not None:
        return name_by_step(step)
    if _TEST_VERDICT.search(line) or _TEST_SUMMARY.search(line):
        return _test_block(line, before, after)
    if _CONFIGURE_ERROR.search(line) and after:  # named only with what it says under it
        if any(_NOT_FOUND_BELOW.search(a) for a in (line, *after[:6])):
            return Named("dependency-install-failure", "CMake Error (a package it needs was not found)")
        return Named("compile-error", "CMake Error (the project's build does not configure)")
    if _BARE_ERROR.search(line) and not _EXITED.search(line) and any(_TEST_CONTEXT.search(b) for b in before):
        return Named("runtime-exception", "a bare `Error:` thrown under a test's failure header")
    if _THROWN.search(line) and not _EXITED.search(line) and any(_FRAME_BELOW.search(a) for a in after[:1]):
        return Named("runtime-exception", f"{cut_raw(line.strip(), 80)} (an exception with its stack under it)")
    if (found := _MISSING_FILE.search(line)) and any(_DOCKER_STEP.search(b) for b in before):
        return Named("docker-build-failure", f"{found.group(0)} (under a container build's step)")
    if header := failure_header(before):
        # A test framework that keeps failures apart from errors listed this block as a failure (failure_kind.py).
        return Named("assertion-failure",
                     f"{cut_raw(header, 60)} (the framework lists the block as a failure, not an error)")
    for text in (line, *reversed(before)) if before else ():  # context only: a command line alone names nothing
        if (tool := _LINTER.search(text)) is not None:
            name = tool.group(0).strip(_PUNCTUATION)
            return Named("lint-failure", f"{name} (the failing check)")
    return None


_ANY_BARE_DIAGNOSTIC = re.lazy(r"(?i)^\s*(?:fatal )?error(?:\[\w+\])?: \S")
# A diagnostic's place on the line above it: OCaml's and dune's `File "x.ml", line 3, characters 0-5:`, gfortran's
# bare `src/x.f90:16:30:`.
_PLACE_ABOVE = re.lazy(r'^\s*File "[^"]+", lines? \d+(?:-\d+)?, characters \d+|^\s*[\w./\\@+-]+\.\w+:\d+(?::\d+)?:\s*$')
# Gradle's heading over what went wrong; what under it is not the build definition's fault (a task that failed, a
# dependency it could not resolve).
_WENT_WRONG = re.lazy(r"^\s*\* What went wrong:\s*$")
_NOT_DEFINITION = re.lazy(
    r"Execution failed for task|Could not (?:resolve|find|download|GET|HEAD|get|determine the dependencies)"
    r"|(?i:timed? ?out|connection|refused|out of memory|heap space|no space left|permission denied|daemon)")
_LINT_WORDS = next(p for c, p in _TABLE if c == "lint-failure")
# A formatter's progress over the files it checks (scalafmt's `Looking for unformatted files...`): not a finding on
# its own line, but what an error under it with no words of its own is about.
_FORMAT_CHECK = re.lazy(r"(?i)\bunformatted files?\b")
# Every nested prefix at once (`LoadError: LoadError: ...`): what is left never starts with another, so unwrapping takes
# one call, however deep a hostile line nests them.
# A Go test's log line (`t.Errorf`): `file.go:41: ` with no column, which the Go compilers always print.
_GO_TEST_LOG = re.lazy(r"\.go:\d+: ?(?:fatal )?error\b")
_JULIA_LOAD_ERROR = re.lazy(r"^(?:(?:ERROR: )?LoadError: )+(?P<inner>\S.*)$")
# A CI wrapper naming the command that failed (Travis' `The command "..." failed and exited with 1`, Actions'
# `The process '/x/bin/bundle' failed with exit code 16`, a shell's `$ cmd`): when that command installs dependencies,
# an error under it with no words of its own is the install's failure.
_COMMAND_NAMED = re.lazy(
    r"^\s*(?:Error: )*The (?:command \"(?P<cmd>[^\"]+)\"|process '(?P<proc>[^']+)') (?:failed|exited|returned)")
_INSTALLS = re.lazy(
    r"(?:^|[\s/;&|(])(?:(?:bundle|gem|luarocks|opam|cabal|nimble|shards|composer|pip3?|poetry|pipenv|uv|conda|mamba"
    r"|cpanm|npm|pnpm|yarn|apt(?:-get)?|brew|choco|vcpkg|conan|dotnet|nuget|raco pkg|pub|mix|rebar3|go)"
    r"(?: --?[\w=-]+)* (?:install|ci|update|restore|get|deps|fetch|add|require|sync|download)\b"
    r"|crystal deps|mix deps\.get|go mod download|cargo fetch|rebar3 get-deps)"
    r"|[/\\](?:bundle|gem|luarocks|cpanm|composer|pip3?)(?:\.exe)?$")


# The command a console echoed before its output (`$ luarocks install x`, `+ pip install .`), CMake's ExternalProject
# step (`Performing install step for 'luarocks'`).
_ECHOED = re.lazy(r"^\s*[$+#>] (?P<cmd>\S[^\n]*)$|Performing (?P<ep>install|download|update) step for '")


def _installing(before: Sequence[str]) -> str | None:
    """The install command the nearest echoed command before these lines names, else None (another command)."""
    for text in reversed(before):
        found = _ECHOED.search(text.strip())
        if found is None:
            continue
        if found.group("ep"):
            return cut_raw(text.strip(), 80)
        command = found.group("cmd")
        return cut_raw(command, 80) if _INSTALLS.search(command) else None
    return None


def _wrapped_command(line: str, after: Sequence[str]) -> str | None:
    """The command a CI wrapper on `line` (or among the few lines after it) names as the one that failed, else None:
    its tool decides the category (name_by_step: an install, a linter)."""
    for text in (line, *after):
        found = _COMMAND_NAMED.search(text.strip())
        if found is not None:
            return found.group("cmd") or found.group("proc") or None
    return None


# A test named failing (`case-13-classic ... failed`, `- Test: Handle 500 error... FAIL`) and a runner's count of
# failures (`2 failed`, `1 of 9 case is failed`): what failed is in the test's block beside it.
_TEST_VERDICT = re.lazy(
    r"^\s*(?:[-*]\s+)?(?i:\S*(?:test|spec|case)\S*)[^\n]*?\.\.\.\s*(?:FAIL(?:ED)?|failed|FAILURE)\s*$")
_TEST_SUMMARY = re.lazy(
    r"(?i)^\s*[1-9]\d* (?:of \d+ )?(?:tests?|cases?|specs?|examples?)? ?(?:is |are |have |has )?failed\s*$")


def _test_block(line: str, before: Sequence[str], after: Sequence[str]) -> Named | None:
    """A test's verdict or a failure count, named by the nearest line beside it whose words name a category (its
    block: a diff, an assertion), or by itself when it names the test that failed."""
    for text in (*reversed(before), *after):
        if (stripped := text.strip()) and not _TEST_SUMMARY.search(stripped) and not _TEST_VERDICT.search(stripped):
            named = next(((c, f.group(0)) for c, pattern in _TABLE if (f := pattern.search(stripped))), None)
            if named is not None and named[0] in ("assertion-failure", "runtime-exception", "timeout-hang"):
                return Named(named[0], f"{named[1].strip()} (the failing test's block)")
    if _TEST_VERDICT.search(line) or any(_TEST_VERDICT.search(b) for b in (*before, *after)):
        return Named("assertion-failure", f"{cut_raw(line.strip(), 80)} (a test the runner names as failed)")
    return None


# Gradle's `-x task` / `--exclude-task task`.
_EXCLUDED_TASK = re.lazy(r"(?:^|\s)(?:-x|--exclude-task)(?:\s+|=)\S+")
# A step that runs several commands, or runs the tests.
_MORE_THAN_ONE = re.lazy(r"&&|\|\||;|\||(?i:\btest)")


def name_by_step(step: str) -> Named | None:
    """The category the failing CI step's own command names when its explaining line's words name none (pure): an
    Actions step `Run bundle install` or `Run npm ci` installs dependencies; `Run npx eslint .` runs a linter."""
    command = step.removeprefix("Run ").strip()
    # A task the command excludes (`./gradlew build -x spotlessCheck`) is one it does not run.
    command = _EXCLUDED_TASK.sub(" ", command) if "-x" in command or "--exclude-task" in command else command
    if not command or _MORE_THAN_ONE.search(command):
        return None  # `uv sync && uv run pytest`: which of its commands failed, the step does not say
    if _INSTALLS.search(command):
        return Named("dependency-install-failure", f"the failing step `{cut_raw(command, 80)}` installs dependencies")
    if (tool := _LINTER.search(command)) is not None:
        return Named("lint-failure", f"{tool.group(0).strip(_PUNCTUATION)} (the failing step's check)")
    return None


def also_names(line: str, category: str) -> bool:
    """True when `line`'s words hold `category`'s own words too, wherever the table tries it (pure): GoogleTest's
    `foo_test.cpp(24): error: Expected equality of these values:` has a compiler's shape and an assertion's words."""
    return any(c == category and pattern.search(line) is not None for c, pattern in _TABLE)


# A timeout word that is part of a command's option (`-destination-timeout 60`, `--timeout=30`, `timeout-minutes:`).
_TIMEOUT_OPTION = re.lazy(r"(?i)(?:^|\s)--?[\w-]*time ?out[\w-]*(?:[ =]\S+)?|\btimeout-minutes\b")


# A line that ends saying a process exited non-zero: a wrapper, whatever `Error` it starts with.
_EXITED = re.lazy(r"(?i)\bexit(?:ed)? (?:with )?(?:code|status):? [1-9]\d*\.?\s*$")


def _only_options(text: str, pattern: re.Pattern[str]) -> bool:
    """True when `pattern` finds its words in `text` only inside a command's options (pure)."""
    without = _TIMEOUT_OPTION.sub(" ", text)
    return without != text and pattern.search(without) is None


# A run summary's count of none (meson's `Timeout:            0`, `Errors: 0`): it names no failure at all.
_NONE_COUNTED = re.lazy(r"(?i)^(?:[\w ]{0,30}\b)?(?:timeouts?|timed out|failures?|errors?|fail(?:ed)?)\s*[:=]\s*0\s*$")


_GATES: tuple[Gate, ...] | None = None


def _table_gates() -> tuple[Gate, ...]:
    """Each _TABLE pattern's needles (ingest/runner_log/anchor_needles.py, cached as the anchor rules' are), worked
    out when a line first reaches the table: a line that names no category no longer compiles all ~25 patterns
    (~4 ms of a `gardener run` on the bundled example)."""
    global _GATES
    if _GATES is None:
        from gardener.ingest.runner_log.anchor_needles import gates_for  # not at the top: that package imports this one

        _GATES = gates_for(tuple(pattern for _, pattern in _TABLE), name="line-category")
    return _GATES


def name_line(line: str, before: Sequence[str] = (), after: Sequence[str] = ()) -> Named | None:
    """The category `line`'s own words name (the lines `before` and `after` it as context), or None (pure)."""
    text = markdown_unquoted(line).strip()
    if not text or _NONE_COUNTED.search(text):
        return None
    if (wrapped := _JULIA_LOAD_ERROR.match(text)) is not None:
        # Julia wraps whatever a loaded file raised (`include("runtests.jl")`) as `LoadError: <the error>`: the error
        # inside decides, not the wrapper (Ruby's own `(LoadError)` suffix is a missing file and stays below).
        return name_line(wrapped.group("inner"), before, after)
    if (kernel := name_kernel_report(text)) is not None:
        return Named(*kernel)  # a kernel report's header (kernel_report.py): its kind names the category
    if (panic := name_kernel_panic(text)) is not None:
        return Named(*panic)  # die()'s panic on an oops, its report out of view (kernel_report.py)
    if (shape := shape_of(text, before, after)) is not None:
        return Named(*shape)  # a diagnostic's shape (diagnostic_shapes.py): surer than the table's loose words
    gates = _table_gates()
    from gardener.ingest.runner_log.anchor_needles import folded, opens  # (loaded by _table_gates)

    lowered = None
    for (category, pattern), gate in zip(_TABLE, gates, strict=True):
        if gate is not None:  # the literals of which one occurs in any match: without them, no search (no compile)
            lowered = folded(text) if lowered is None else lowered
            if not opens(gate, text, lowered):
                continue
        found = pattern.search(text)
        if found is None:
            continue
        if category == "timeout-hang" and _only_options(text, pattern):
            continue  # `xcodebuild ... -destination-timeout 60`: an option's name, not a timeout
        if category == "runtime-exception" and _EXITED.search(text):
            continue  # `Error: error running script "just" in Devbox: exit status 1`: a wrapper's `Error`, no exception
        if category == "compile-error" and _GO_TEST_LOG.search(found.group(0)):
            continue  # `config_test.go:41: error parsing ...`: t.Errorf's place (no column), not the Go compiler's
        if category == "timeout-hang" and only_a_timeout_setting(text):
            continue  # `git fetch ... # timeout=10`: a setting, not a timeout (line_words_more.py)
        words = found.group(0).strip(_PUNCTUATION + " ")
        if category == "runtime-exception" and WRAPPER_EXCEPTION.search(text):
            return None  # `sbt.TestsFailedException: Tests unsuccessful`: a wrapper, not the cause
        if category == "runtime-exception" and (step := _installing(before)):
            return Named("dependency-install-failure", f"{words} (raised while `{step}` installs a dependency)")
        if category == "websocket-handshake-error" and also_names(text, "connection-refused"):
            return Named("connection-refused", words)  # the upgrade never reached a server (README: deeper cause)
        if category in ("compile-error", "syntax-error") and any(FETCHED.search(t) for t in (text, *after[:3])):
            # The diagnostic's file (on its line, or the note under it naming where the type is from) is in a
            # package manager's cache: a fetched dependency does not build (README), not the project's code.
            return Named("dependency-install-failure", f"{words} (in a fetched dependency's source)")
        if category == "runtime-exception" and any(_LOADING_TESTS.search(a) for a in after):
            return Named("import-collection-error", f"{words} (raised while the test runner loads its test files)")
        loading = _LOADING.search(text) or any(_LOADING.search(b) for b in before)
        if category == "dependency-install-failure" and loading:
            return Named("import-collection-error", f"{words} (while loading the code)")
        return Named(category, words)
    return _context_names(text, before, after)
