"""The shipped rule pack on realistic excerpts: one case per category, one per labelling trap."""

from __future__ import annotations

import itertools

import pytest

from gardener.classify import find
from gardener.config import Config
from gardener.rules.loader import builtin_rules
from tests.rules.helpers import log_incident

CASES: list[tuple[str, str, str, str]] = [
    # (name, excerpt, category, priority)
    ("compose build context missing",
     "Docker command failed (rc=1): docker-compose -f dc.yml build api\n"
     "Failed to build images: resolve : CreateFile C:\\src\\app\\docker: The system cannot find the file specified.",
     "docker-build-failure", "P0"),
    ("buildkit wrapper alone",
     "#8 [4/6] RUN make assets\n"
     "#8 ERROR: process \"/bin/sh -c make assets\" did not complete successfully: exit code: 2\n"
     "ERROR: failed to solve: process \"/bin/sh -c make assets\" did not complete successfully: exit code: 2",
     "docker-build-failure", "P0"),
    ("buildkit COPY of a file missing from the context (current wording)",
     "#10 [api 5/7] COPY requirements/prod.lock requirements/prod.lock\n"
     "#10 ERROR: failed to calculate checksum of ref 0b9f3a51::vq2k8x1n: \"/requirements/prod.lock\": not found\n"
     "failed to solve: failed to compute cache key: failed to calculate checksum of ref 0b9f3a51::vq2k8x1n: "
     "\"/requirements/prod.lock\": not found",
     "docker-build-failure", "P0"),
    ("compose dependency unhealthy",
     " Container app-db-1  Error\ndependency failed to start: container app-db-1 is unhealthy",
     "docker-build-failure", "P0"),
    ("docker daemon down",
     "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
     "docker-build-failure", "P0"),
    ("pull denied",
     "Unable to find image 'acme/private-tool:1.4' locally\n"
     "docker: Error response from daemon: pull access denied for acme/private-tool, repository does not exist "
     "or may require 'docker login': denied: requested access to the resource is denied.",
     "registry-access-failure", "P0"),
    ("rate limit",
     "Error response from daemon: toomanyrequests: You have reached your pull rate limit. You may increase the "
     "limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit",
     "registry-access-failure", "P0"),
    ("push denied is P1",
     "The push refers to repository [ghcr.io/acme/api]\n5f70bf18a086: Preparing\n"
     "denied: installation not allowed to Write organization package",
     "registry-access-failure", "P1"),
    ("buildkit wrapper with pip error inside",
     "#12 3.1 ERROR: Could not find a version that satisfies the requirement torch==9.9.9 (from versions: 2.1.0)\n"
     "#12 3.1 ERROR: No matching distribution found for torch==9.9.9\n#12 ERROR: process \"/bin/sh -c pip install -r "
     "requirements.txt\" did not complete successfully: exit code: 1\nERROR: failed to solve: process \"/bin/sh -c pip "
     "install -r requirements.txt\" did not complete successfully: exit code: 1",
     "dependency-install-failure", "P0"),
    ("buildkit wrapper with no space left",
     "#9 41.2 E: Write error - write (28: No space left on device)\n#9 ERROR: failed to solve: process \"/bin/sh -c "
     "apt-get install -y build-essential\" did not complete successfully: exit code: 100",
     "disk-full", "P0"),
    ("npm eresolve",
     "npm ERR! code ERESOLVE\nnpm ERR! ERESOLVE unable to resolve dependency tree\nnpm ERR! Could not resolve "
     "dependency:\nnpm ERR! peer react@\"^17\" from react-dom@17.0.2",
     "dependency-install-failure", "P0"),
    ("apt unknown package",
     "Reading package lists...\nE: Unable to locate package libfoo-dev\nError: Process completed with exit code 100.",
     "dependency-install-failure", "P0"),
    ("missing system .so is a dependency",
     "E   ImportError: libGL.so.1: cannot open shared object file: No such file or directory",
     "dependency-install-failure", "P0"),
    ("missing python package is a collection error",
     "_____ ERROR collecting tests/test_api.py _____\nImportError while importing test module "
     "'/home/runner/work/x/x/tests/test_api.py'.\nE   ModuleNotFoundError: No module named 'httpx'\n"
     "!!!!!!! Interrupted: 1 error during collection !!!!!!!",
     "import-collection-error", "P1"),
    ("conftest import is P0",
     "ImportError while loading conftest '/home/runner/work/x/x/tests/conftest.py'.\n"
     "tests/conftest.py:3: in <module>\n    import factory\nE   ModuleNotFoundError: No module named 'factory'",
     "import-collection-error", "P0"),
    ("jest cannot find module",
     "FAIL src/app.test.js\n  ● Test suite failed to run\n\n    Cannot find module './config' from 'src/app.js'",
     "import-collection-error", "P1"),
    ("jest unexpected token is collection, not syntax",
     "FAIL test/esm.test.js\n  ● Test suite failed to run\n\n    Jest encountered an unexpected token\n\n"
     "    SyntaxError: Unexpected token 'export'",
     "import-collection-error", "P1"),
    ("syntax error during collection",
     "_____ ERROR collecting tests/test_new.py _____\n"
     "E     File \"/w/tests/test_new.py\", line 12\nE       match cmd:\n"
     "E             ^\nE   SyntaxError: invalid syntax",
     "syntax-error", "P1"),
    ("invalid workflow yaml is P0",
     "Invalid workflow file: .github/workflows/ci.yml#L14\nYou have an error in your yaml syntax on line 14",
     "syntax-error", "P0"),
    ("pytest assertion",
     "    def test_total():\n>       assert total([1, 2]) == 4\nE       assert 3 == 4\n\n"
     "tests/test_sum.py:5: AssertionError",
     "assertion-failure", "P2"),
    ("timeout word inside an assertion about a budget",
     "E       AssertionError: request took 7.2s, over the 5s timeout budget\nE       assert 7.2 < 5",
     "assertion-failure", "P2"),
    ("jest expect",
     "expect(received).toBe(expected) // Object.is equality\n\nExpected: 200\nReceived: 500",
     "assertion-failure", "P2"),
    ("junit expected but was",
     "org.opentest4j.AssertionFailedError: expected: <3> but was: <4>\n\tat org.junit.jupiter.api.AssertionUtils.fail",
     "assertion-failure", "P2"),
    ("python runtime exception",
     "Traceback (most recent call last):\n  File \"app/models.py\", line 40, in total\n"
     "    return sum(x.price for x in items)\n"
     "AttributeError: 'NoneType' object has no attribute 'price'",
     "runtime-exception", "P2"),
    ("go nil pointer is runtime, not a crash",
     "panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation "
     "code=0x1 addr=0x0 pc=0x4a5b6c]\n\ngoroutine 7 [running]:\nexample.com/app.(*Server).Handle(0x0)\n"
     "\t/home/runner/work/app/app/server.go:42 +0x1c",
     "runtime-exception", "P2"),
    ("a surefire fork that dies without a reason is the runner aborting",
     "[ERROR] ExecutionException The forked VM terminated without properly saying goodbye. VM crash or System.exit "
     "called?\n[ERROR] Crashed tests:\n[ERROR] com.acme.BigTest",
     "runtime-exception", "P1"),
    ("a gradle test executor killed with 137 is out of memory",
     "Execution failed for task ':app:test'.\n> Process 'Gradle Test Executor 1' finished with non-zero exit value 137",
     "out-of-memory", "P1"),
    ("pytest internalerror",
     "INTERNALERROR> Traceback (most recent call last):\nINTERNALERROR>   File \"_pytest/main.py\", line 270, in "
     "wrap_session\nINTERNALERROR> KeyError: 'cov'",
     "runtime-exception", "P1"),
    ("go test timeout",
     "panic: test timed out after 10m0s\nrunning tests:\n\tTestSync (10m0s)\n\ngoroutine 23 [chan receive]:",
     "timeout-hang", "P1"),
    ("jest per-test timeout",
     "thrown: \"Exceeded timeout of 5000 ms for a test.\nAdd a timeout value to this test to increase the timeout\"",
     "timeout-hang", "P2"),
    ("pytest-timeout 2.x wording",
     "    def test_export(big_frame):\n>       export_parquet(big_frame)\nE       Failed: Timeout (>90.0s) from "
     "pytest-timeout.\n\nforecaster/frames.py:63: Failed",
     "timeout-hang", "P2"),
    ("job time limit",
     "##[error]The job running on runner GitHub Actions 3 has exceeded the maximum execution time of 360 minutes.\n"
     "##[error]The operation was canceled.",
     "timeout-hang", "P1"),
    ("connection refused",
     "E   psycopg2.OperationalError: could not connect to server: Connection refused\n\tIs the server running on "
     "host \"localhost\" (127.0.0.1) and accepting\n\tTCP/IP connections on port 5432?",
     "connection-refused", "P1"),
    ("flaky rerun passes",
     "tests/test_ws.py::test_reconnect RERUN\ntests/test_ws.py::test_reconnect PASSED\n"
     "========== 12 passed, 1 rerun in 3.2s ==========",
     "flaky-test", "P3"),
    ("rerun that fails again is not flaky",
     "tests/test_ws.py::test_reconnect RERUN\ntests/test_ws.py::test_reconnect FAILED\nE   assert 1 == 2\n"
     "========== 1 failed, 1 rerun in 3.2s ==========",
     "assertion-failure", "P2"),
    ("v8 heap oom that aborts is oom",
     "<--- Last few GCs --->\nFATAL ERROR: Ineffective mark-compacts near heap limit Allocation failed - JavaScript "
     "heap out of memory\n 1: 0xb09c10 node::Abort() [node]\nAborted (core dumped)",
     "out-of-memory", "P1"),
    ("exit 137 with nothing else",
     "Running tests...\n/home/runner/work/_temp/abc.sh: line 2:  1234 Killed                  pytest -n 4\n"
     "Error: Process completed with exit code 137.",
     "out-of-memory", "P1"),
    ("exit 137 after a shutdown signal is the runner",
     "##[error]The runner has received a shutdown signal. This can happen when the runner service is stopped.\n"
     "Error: Process completed with exit code 137.",
     "ci-runner-failure", "P1"),
    ("segfault",
     "Fatal Python error: Segmentation fault\n\nCurrent thread 0x00007f (most recent call first):\n  File \"ext.py\", "
     "line 3 in call\nSegmentation fault (core dumped)",
     "segfault-crash", "P1"),
    ("docker socket permission",
     "Got permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: "
     "dial unix /var/run/docker.sock: connect: permission denied",
     "permission-denied", "P1"),
    ("eacces",
     "npm ERR! Error: EACCES: permission denied, mkdir '/usr/local/lib/node_modules/foo'",
     "permission-denied", "P1"),
    ("disk full",
     "OSError: [Errno 28] No space left on device: '/home/runner/.cache/pip/wheels'",
     "disk-full", "P0"),
    ("a test asserting 200 that gets 401 checks the code under test",
     "tests/unit/test_auth.py:48: in test_login_returns_token\n    assert resp.status_code == 200\n"
     "E   assert 401 == 200\n"
     "E    +  where 401 = <Response [401 Unauthorized]>.status_code\n--- Captured log call ---\nWARNING  "
     "chatops.auth.service:service.py:131 login rejected: password hash mismatch (bcrypt rounds 12, fixture hashed "
     "with 10)",
     "assertion-failure", "P2"),
    ("a 401 in a status assertion with a token problem is auth",
     "AssertionError: The resource couldn't be sent. Expected: [202]. Actual: 401. Response text: Unable to decode "
     "or validate token",
     "auth-error", "P1"),
    ("api bad credentials is auth",
     "github.GithubException.BadCredentialsException: 401 {\"message\": \"Bad credentials\"}",
     "auth-error", "P1"),
    ("403 from a registry is registry",
     "Error response from daemon: Head \"https://ghcr.io/v2/acme/api/manifests/latest\": denied",
     "registry-access-failure", "P0"),
    ("403 on a websocket upgrade is websocket",
     "websockets.exceptions.InvalidStatusCode: server rejected WebSocket connection: HTTP 403",
     "websocket-handshake-error", "P2"),
    ("runner lost",
     "The self-hosted runner: ci-7 lost communication with the server. Verify the machine is running and has a "
     "healthy network connection.",
     "ci-runner-failure", "P1"),
    ("go syntax error is a syntax error",
     "# example.com/app\n./main.go:12:5: syntax error: unexpected newline, expected comma or }\n"
     "FAIL\texample.com/app [build failed]",
     "syntax-error", "P1"),
    ("an SQL syntax error in a test is not a syntax error of the code",
     "E   psycopg2.errors.SyntaxError: syntax error at or near \"FROM\"\nE   LINE 1: SELECT FROM users",
     "runtime-exception", "P2"),
    ("inotify watcher limit is not a full disk: the runner's limit (issue 12: a rule, not unclassified)",
     "Error: ENOSPC: System limit for number of file watchers reached, watch '/home/runner/work/app/src'",
     "ci-runner-failure", "P1"),
    ("compose service exits",
     "Attaching to app-api-1, app-db-1\napp-db-1 exited with code 1\nAborting on container exit...",
     "docker-build-failure", "P0"),
    ("websocket closed with 1011",
     "websockets.exceptions.ConnectionClosedError: received 1011 (internal error); then sent 1011 (internal error)",
     "websocket-handshake-error", "P2"),
    ("generic exit code only",
     "Run make test\nmake: *** [Makefile:12: test] Error 1\nError: Process completed with exit code 2.",
     "unclassified", "P2"),
    ("a person calling exit 137 an OOM kill beside the runner's shutdown signal is the runner",
     "Looks like an oom kill to me (exit 137):\nThe runner has received a shutdown signal. This can happen when the "
     "runner service is stopped, or a manually started runner is canceled.\n"
     "Error: Process completed with exit code 137.",
     "ci-runner-failure", "P1"),
    ("the kernel's oom-killer record",
     "[ 812.301] java invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0\n"
     "[ 812.377] oom-kill:constraint=CONSTRAINT_NONE,task=java,pid=4021\nError: Process completed with exit code 137.",
     "out-of-memory", "P1"),
    ("a JVM out of heap as Maven prints it, without the exception's name",
     "[ERROR] GC overhead limit exceeded -> [Help 1]\n[ERROR] \n"
     "[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.",
     "out-of-memory", "P1"),
    ("a JUnit 5 comparison is an assertion without the exception's name",
     "[ERROR]   OrderTotalsTest.appliesDiscount:42 discount applied ==> expected: <90> but was: <100>",
     "assertion-failure", "P2"),
    ("a go test's FAIL line alone names no cause",
     "--- FAIL: TestSync (0.01s)\nFAIL\nFAIL\texample.com/sync\t0.02s",
     "unclassified", "P2"),
    ("a retry marker beside another test's pass mark is not flaky",
     "  (Attempt 1 of 2) saves the draft\n  ✓ loads the editor (812ms)\n  (Attempt 2 of 2) saves the draft\n"
     "  1) saves the draft",
     "unclassified", "P2"),
    ("the same test passing after its retry is flaky",
     "  (Attempt 1 of 3) saves the draft\n  ✓ loads the editor (812ms)\n  ✓ saves the draft (1204ms)\n\n"
     "  2 passing (3s)",
     "flaky-test", "P3"),
    ("a pytest rerun that then passed is flaky",
     "tests/test_sync.py::test_push RERUN  [ 50%]\ntests/test_sync.py::test_push PASSED  [ 50%]\n"
     "======== 12 passed, 1 rerun in 3.10s ========",
     "flaky-test", "P3"),
    ("a pytest rerun that failed again is not flaky",
     "tests/test_sync.py::test_push RERUN  [ 50%]\ntests/test_sync.py::test_push FAILED  [ 50%]\n"
     "tests/test_sync.py::test_pull PASSED  [100%]\nE   assert 3 == 4\n"
     "======== 1 failed, 11 passed, 1 rerun in 3.10s ========",
     "assertion-failure", "P2"),
    ("the word flaky in a test's name is no evidence of a flake",
     "FAILED tests/test_flaky_network.py::test_retry_budget - assert 2 == 3\n======== 1 failed, 4 passed ========",
     "assertion-failure", "P2"),
    # issue 12: compile errors, lint failures, resolvers and listings of runners without a console reader
    ("javac via maven", "[ERROR] COMPILATION ERROR :\n[ERROR] /w/src/main/java/shop/Cart.java:[41,23] cannot find "
     "symbol\n  symbol:   method taxRate()", "compile-error", "P1"),
    ("gcc", "src/cart.c:42:12: error: implicit declaration of function 'cart_tax_rate'\nmake: *** [Makefile:23: "
     "build/cart.o] Error 1", "compile-error", "P1"),
    ("rustc", "error[E0425]: cannot find value `tax_rate` in this scope\n  --> src/cart.rs:42:20\nerror: could not "
     "compile `shop` (lib) due to 1 previous error", "compile-error", "P1"),
    ("C#", "/w/Shop/Cart.cs(12,17): error CS0103: The name 'total' does not exist in the current context "
     "[/w/Shop/Shop.csproj]", "compile-error", "P1"),
    ("mypy", "src/shop/cart.py:42: error: Incompatible return value type (got \"str\", expected \"Decimal\")  "
     "[return-value]\nFound 1 error in 1 file (checked 23 source files)", "compile-error", "P1"),
    ("black", "would reformat /w/src/shop/cart.py\n\nOh no! 💥 💔 💥\n1 file would be reformatted.",
     "lint-failure", "P2"),
    ("eslint", "/w/src/cart.js\n  12:7   error  'discount' is assigned a value but never used  no-unused-vars\n\n"
     "✖ 1 problem (1 error, 0 warnings)", "lint-failure", "P2"),
    ("flake8", "src/shop/cart.py:3:1: F401 'os' imported but unused", "lint-failure", "P2"),
    ("clippy", "error: this `if` has identical blocks\n  --> src/cart.rs:18:24\n"
     "   = note: `-D clippy::if-same-then-else` implied by `-D warnings`\n"
     "error: could not compile `shop` (lib) due to 1 previous error", "lint-failure", "P2"),
    ("codespell", "./docs/install.md:14: recieve ==> receive", "lint-failure", "P2"),
    ("dead link", "  [✖] https://docs.acme.example/old-install → Status: 404\n  ERROR: 1 dead links found!",
     "lint-failure", "P2"),
    ("composer lock", "Your lock file does not contain a compatible set of packages. Please run composer update.\n\n"
     "  Problem 1\n    - symfony/http-kernel v7.0.7 requires php >=8.2", "dependency-install-failure", "P0"),
    ("bundler", "Could not find compatible versions\n\nBecause every version of rails depends on Ruby >= 3.1.0\n"
     "  version solving has failed.", "dependency-install-failure", "P0"),
    ("rspec", "  1) Cart#total sums\n     Failure/Error: expect(cart.total).to eq(107.0)\n\n       expected: 107.0\n"
     "            got: 100.0", "assertion-failure", "P2"),
    ("status code in an auth test", "    def test_login_rejects_bad_password(client):\n>       assert 200 == "
     "client.post('/login').status_code\nE       assert 200 == 401", "assertion-failure", "P2"),
]


@pytest.mark.parametrize(("name", "excerpt", "category", "priority"), CASES, ids=[c[0] for c in CASES])
def test_category_and_priority(name: str, excerpt: str, category: str, priority: str) -> None:
    findings = find([log_incident(excerpt)], Config())
    assert findings, name
    first = findings[0]
    assert (first.category, first.priority) == (category, priority), first.priority_reason


@pytest.mark.parametrize(
    "excerpt",
    [
        'ERROR: failed to calculate checksum of ref ab::cd: "/requirements/prod.lock": not found',
        'ERROR: failed to compute cache key: "/requirements/prod.lock" not found: not found',
        "failed to compute cache key: failed to walk /var/lib/docker/tmp/buildkit-mount1/requirements: lstat "
        "/var/lib/docker/tmp/buildkit-mount1/requirements/prod.lock: no such file or directory",
    ],
)
def test_buildkit_copy_source_wordings_name_the_missing_file(excerpt: str) -> None:
    (finding,) = find([log_incident(excerpt)], Config())
    assert finding.rule_id == "docker.copy-source-missing"
    assert "requirements/prod.lock" in finding.title
    assert "requirements/prod.lock" in finding.signature.text


def test_buildkit_step_brackets_name_the_services_built() -> None:
    excerpt = (
        "#10 [api 5/7] COPY requirements/prod.lock requirements/prod.lock\n"
        "#10 ERROR: failed to calculate checksum of ref ab::cd: \"/requirements/prod.lock\": not found\n"
        "#11 [realtime 4/6] COPY realtime/ realtime/\n#11 CANCELED"
    )
    (finding,) = find([log_incident(excerpt)], Config())
    assert [v for k, v in finding.captures if k == "service"] == ["api", "realtime"]


def _eresolve(found: str, parser: str) -> str:
    return (
        "npm error code ERESOLVE\nnpm error ERESOLVE could not resolve\nnpm error\n"
        "npm error While resolving: @acme/web@0.14.2\n"
        f"npm error Found: eslint@{found}\nnpm error node_modules/eslint\n"
        "npm error   dev eslint@\"^9.20.0\" from @acme/web@0.14.2\nnpm error\n"
        "npm error Could not resolve dependency:\n"
        f"npm error peer eslint@\"^8.56.0\" from @typescript-eslint/parser@{parser}\n"
        "npm error node_modules/@typescript-eslint/parser\n"
    )


def test_npm_peer_conflict_names_both_sides_of_the_conflict() -> None:
    (finding,) = find([log_incident(_eresolve("9.21.0", "7.18.0"))], Config())
    assert (finding.category, finding.priority) == ("dependency-install-failure", "P0")
    assert finding.title == (
        'npm cannot install @acme/web@0.14.2: eslint@9.21.0 conflicts with peer eslint@"^8.56.0" of '
        "@typescript-eslint/parser@7.18.0"
    )
    assert "eslint@" in finding.signature.text and "@typescript-eslint/parser" in finding.signature.text
    # A patch release on either side is the same conflict: the versions are masked in the key.
    (again,) = find([log_incident(_eresolve("9.22.1", "7.18.2"))], Config())
    assert again.id == finding.id


def test_a_missing_submodule_of_an_importable_package_is_a_moved_module_not_a_missing_dependency() -> None:
    excerpt = (
        "tests/integration/test_websocket_typing.py:9: in <module>\n"
        "    from chatops.realtime.typing_indicator import TypingIndicator\n"
        "E   ModuleNotFoundError: No module named 'chatops.realtime.typing_indicator'"
    )
    (finding,) = find([log_incident(excerpt)], Config())
    assert (finding.category, finding.priority) == ("import-collection-error", "P1")
    assert finding.title == (
        "Import path chatops.realtime.typing_indicator is wrong: chatops.realtime has no module typing_indicator"
    )
    assert "Install" not in finding.remediation and "import" in finding.remediation
    # The key is the one the generic rule gives, so issues filed before keep matching.
    assert finding.signature.text == "ModuleNotFoundError: No module named 'chatops.realtime.typing_indicator'"
    (top,) = find([log_incident("E   ModuleNotFoundError: No module named 'httpx'")], Config())
    assert top.rule_id == "collect.module-not-found" and "Install" in top.remediation


def test_npm_peer_ranges_with_alternatives_are_named_whole() -> None:
    excerpt = (
        "npm ERR! code ERESOLVE\nnpm ERR! ERESOLVE unable to resolve dependency tree\nnpm ERR! While resolving: "
        "frontend@0.1.0\nnpm ERR! Found: react@18.2.0\nnpm ERR! Could not resolve dependency:\n"
        "npm ERR! peer react@\"^16.8.0 || ^17.0.0\" from @material-ui/core@4.12.4"
    )
    (finding,) = find([log_incident(excerpt)], Config())
    assert finding.title == (
        'npm cannot install frontend@0.1.0: react@18.2.0 conflicts with peer react@"^16.8.0 || ^17.0.0" of '
        "@material-ui/core@4.12.4"
    )


def test_every_category_has_a_case() -> None:
    covered = {c[2] for c in CASES}
    assert covered == set(builtin_rules().categories)


HOSTILE = ["a" * 20000, "a-" * 10000, " \n" * 10000, "\n" * 20000, "E " * 10000, "File \"" * 3000,
           "Running x\n" * 2000, "in <module>\n import x\n" * 1000, "Expected: \n" * 2000]


def test_no_pattern_backtracks_catastrophically() -> None:
    # No timing assertion: a quadratic pattern makes this take minutes and pytest-timeout fails it.
    for rule in builtin_rules().rules:
        patterns = [p for field in rule.match for p in field] + list(rule.unless) + list(rule.capture)
        for p in patterns:
            for text in HOSTILE:
                matches = sum(1 for _ in p.regex.finditer(text))
                assert matches >= 0


def test_a_circular_import_names_the_module_and_the_name() -> None:
    excerpt = (
        "ImportError while importing test module '/w/tests/test_orders.py'.\n"
        "E   ImportError: cannot import name 'Order' from partially initialized module 'shop.orders' "
        "(most likely due to a circular import) (/w/src/shop/orders/__init__.py)"
    )
    (finding,) = find([log_incident(excerpt)], Config())
    words = f"{finding.title} {finding.root_cause}"
    assert "shop.orders" in words and "Order" in words, words
    assert "a module" not in words and "the module" not in words, words


def test_a_status_code_assertion_in_an_auth_test_is_an_assertion_in_the_auth_area() -> None:
    excerpt = (
        "______________________ test_login_rejects_expired_session ______________________\n"
        "    def test_login_rejects_expired_session(client):\n"
        ">       assert 200 == client.get('/account').status_code\n"
        "E       assert 200 == 401"
    )
    (finding,) = find([log_incident(excerpt)], Config())
    assert (finding.category, finding.area) == ("assertion-failure", "auth")
    assert "test_login_rejects_expired_session" in finding.title


def test_no_template_names_a_capture_twice_as_phrase_and_then_fallback() -> None:
    # `{file+`%`}{file?the project's code}` shows the file twice when it is captured (review-9 found "The
    # compiler rejects `src/parser.c`src/parser.c"): a phrase with a fallback is one placeholder,
    # `{file+`%`?the project's code}`.
    from gardener.rules.template import PLACEHOLDER

    doubled = []
    for rule in builtin_rules().rules:
        for text in (rule.title, rule.root_cause, rule.remediation):
            slots = list(PLACEHOLDER.finditer(text))
            for a, b in itertools.pairwise(slots):
                if (a.end() == b.start() and a.group("name") == b.group("name") and a.group("phrase") is not None
                        and a.group("fallback") is None and b.group("fallback") is not None
                        and b.group("phrase") is None):
                    doubled.append((rule.id, text))
    assert not doubled
