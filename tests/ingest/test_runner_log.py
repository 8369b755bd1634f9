"""Runner logs: incidents found, grouped and anchored; embedded pytest output; bad and huge input."""

from __future__ import annotations

import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest

from gardener.errors import InputError
from gardener.ingest import ingest, registry, runner_log
from gardener.ingest.excerpt import MAX_CHARS, MAX_LINES
from gardener.model import Result
from gardener.text import clean_line

LOGS = Path(__file__).parent.parent / "data" / "logs"
SEED = LOGS / "seed-websocket"


def incidents(path: Path) -> list[Result]:
    return [r for r in runner_log.parse(path).results if r.id.startswith("log:")]


def props(result: Result) -> dict[str, str]:
    return dict(result.properties)


def source_text(result: Result) -> str:
    assert result.source_line is not None
    raw = Path(result.source.path).read_text(encoding="utf-8", errors="replace").splitlines()[result.source_line - 1]
    return clean_line(raw).text.strip()


def test_seed_runner_log_build_failure_denied_pulls_and_aborted_run() -> None:
    found = incidents(SEED / "unified-test-runner.log")
    assert [r.error_type for r in found] == ["docker-build"] + ["pull-denied"] * 4 + ["aborted"]
    build = found[0]
    # One incident for the wrapper line and the specific line; the specific one is the message.
    assert build.message.startswith("⚠️ Failed to build images: resolve : CreateFile C:\\GitHub\\netra-apex\\docker")
    assert build.source_line == 5
    assert "Docker command failed (rc=1)" in build.details
    assert build.timestamp == datetime(2025, 9, 11, 13, 4, 47, tzinfo=UTC)  # inherited from the line above
    images = [props(r)["subject"] for r in found[1:5]]
    assert images == [f"netra-alpine-test-{s}" for s in ("frontend", "auth", "migration", "backend")]
    assert [r.source_line for r in found[1:5]] == [7, 8, 9, 10]
    aborted = found[5]
    assert aborted.message == "ERROR: Docker services failed to start; 0 of 4 containers running"
    assert "0 tests executed" in aborted.details
    assert aborted.timestamp == datetime(2025, 9, 11, 13, 4, 58, tzinfo=UTC)
    # A consequence, not a cause: it names the incidents it came after.
    assert props(aborted)["after"].split() == [r.id for r in found[:5]]
    assert all(r.outcome == "error" for r in found)


def test_seed_import_chain_ends_in_one_syntax_error() -> None:
    (error,) = runner_log.parse(SEED / "mission-critical.txt").results
    assert (error.error_type, error.message) == ("SyntaxError", "SyntaxError: expected ':'")
    assert error.file == "C:\\GitHub\\netra-apex\\netra_backend\\app\\agents\\tool_dispatcher_core.py"
    assert (error.line, error.source_line) == (212, 12)
    assert error.details.startswith("$ python tests/mission_critical/test_websocket_agent_events_suite.py")
    assert 'test_websocket_agent_events_suite.py", line 40, in <module>' in error.details
    assert error.details.endswith("SyntaxError: expected ':'")


def test_seed_successful_import_is_a_pass_with_its_warning() -> None:
    (ok,) = runner_log.parse(SEED / "direct-import.txt").results
    assert (ok.outcome, ok.error_type, ok.source_line) == ("passed", "warning", 2)
    assert "DeprecationWarning: netra_backend.app.websocket_core.unified_manager is deprecated" in ok.message
    assert props(ok) == {"warnings": "1"}


def test_ids_survive_another_day_of_the_same_failure(tmp_path: Path) -> None:
    today = (SEED / "unified-test-runner.log").read_text()
    tomorrow = "[2025-09-12 08:00:00] warming up\n" * 7 + today.replace("2025-09-11", "2025-09-12").replace(
        "1757621086_21700", "1757700001_40112"
    )
    path = tmp_path / "unified-test-runner.log"
    path.write_text(tomorrow)
    assert [r.id for r in incidents(path)] == [r.id for r in incidents(SEED / "unified-test-runner.log")]
    assert [r.source_line for r in incidents(path)][:2] == [12, 14]


def test_buildx_failure_is_one_incident_named_by_pips_error() -> None:
    (build,) = incidents(LOGS / "buildx-pip-failure.log")
    assert build.error_type == "pip-resolution"
    assert build.message == (
        "ERROR: Could not find a version that satisfies the requirement shop-internal-auth==2.4.1 (from versions: none)"
    )
    assert build.source_line == 41
    assert props(build)["also"] == "docker-build"
    assert props(build)["subject"] == "shop-internal-auth==2.4.1"
    assert props(build)["step"] == "Run docker/build-push-action@v5"
    assert "ERROR: failed to solve: process" in build.details


@pytest.mark.parametrize(
    ("name", "error_type", "message", "line"),
    [
        ("npm-eresolve.log", "npm", "npm ERR! ERESOLVE could not resolve", 6),
        (
            "runner-shutdown.log",
            "runner-shutdown",
            "The runner has received a shutdown signal. This can happen when "
            "the runner service is stopped, or a manually started runner is canceled.",
            7,
        ),
        ("cancelled.log", "cancelled", "The operation was canceled.", 10),
        ("pip-wheel-build.log", "pip-build", "Error: pg_config executable not found.", 15),
        (
            "apt-fetch.log",
            "apt",
            "E: Failed to fetch http://deb.debian.org/debian/pool/main/p/postgresql-15/"
            "libpq5_15.6-0%2bdeb12u1_amd64.deb 404 Not Found [IP: 151.101.2.132 80]",
            13,
        ),
        ("chained-traceback.log", "MigrationError", "app.errors.MigrationError: 0042_add_order_index failed", 16),
    ],
)
def test_one_incident_per_failure(name: str, error_type: str, message: str, line: int) -> None:
    (found,) = incidents(LOGS / name)
    assert (found.error_type, found.message, found.source_line) == (error_type, message, line)


def test_wrapper_lines_join_the_cause_above_them() -> None:
    (npm,) = incidents(LOGS / "npm-eresolve.log")
    assert props(npm)["also"] == "exit-code"
    (shutdown,) = incidents(LOGS / "runner-shutdown.log")
    assert props(shutdown)["also"] == "oom-killed,cancelled"  # exit 137 and the cancellation follow from it


def test_a_wrapper_alone_is_an_incident(tmp_path: Path) -> None:
    path = tmp_path / "make.log"
    path.write_text("cc -o app main.o\nmake: *** [Makefile:3: app] Error 2\n")
    (alone,) = incidents(path)
    assert (alone.error_type, alone.message, alone.source_line) == ("make", "make: *** [Makefile:3: app] Error 2", 2)


def test_jest_suite_and_test_failures_are_test_results_not_incidents() -> None:
    results = runner_log.parse(LOGS / "jest-suite-failure.log").results
    assert [r.id for r in results if r.id.startswith("log:")] == []  # nothing left over as an incident
    by_id = {r.id: r for r in results}
    suite = by_id["src/cart/cart.test.js"]  # the file that could not be loaded is the failing "test"
    assert (suite.outcome, suite.source_line) == ("error", 13)  # its message line, not the `●` title above it
    assert suite.message == "Cannot find module '../api/client' from 'src/cart/cart.test.js'"
    assert "import { client } from '../api/client';" in suite.details
    test = by_id["src/checkout/summary.test.js::Summary::shows the order total"]
    assert (test.outcome, test.file, test.line) == ("failed", "src/checkout/summary.test.js", 15)
    assert test.message == "expect(received).toBe(expected) // Object.is equality"
    assert 'Received: "€12.5"' in test.details
    assert len(results) == 2


def test_compose_services_traceback_and_init_error() -> None:
    initdb, startup = incidents(LOGS / "compose-services.log")
    assert (initdb.error_type, props(initdb)["stream"]) == ("permission-denied", "db-1")
    assert startup.error_type == "OperationalError"
    assert startup.message.startswith('psycopg2.OperationalError: connection to server at "db"')
    assert props(startup)["stream"] == "api-1"
    assert startup.file is not None and startup.file.endswith("psycopg2/__init__.py")


def test_oom_kill_inside_a_pytest_run() -> None:
    results = runner_log.parse(LOGS / "oom-killed.log").results
    passed, killed = results
    assert (passed.id, passed.outcome) == ("test/test_loading.py::test_small_frame", "passed")
    assert killed.error_type == "oom-killed"
    assert killed.message.endswith("line 1: 1950 Killed pytest -v")
    assert "Process completed with exit code 137." in killed.details


def test_embedded_pytest_output_gives_test_results_and_no_duplicate_incidents() -> None:
    path = LOGS / "gha-pytest-embedded.log"
    results = runner_log.parse(path).results
    assert len(results) == 8 and not [r for r in results if r.id.startswith("log:")]
    refused = next(r for r in results if r.id.endswith("test_always_fails_with_reruns"))
    assert refused.source.kind == "log"
    assert source_text(refused) == "E       ConnectionRefusedError: [Errno 111] Connection refused"  # not the banner
    assert refused.timestamp is not None and refused.timestamp.year == 2024
    kind, _ = registry.parse_file(path)
    assert kind == "log"


@pytest.mark.parametrize("name", [*sorted(p.name for p in LOGS.glob("*.log")), "unified-test-runner.log"])
def test_every_incident_points_at_the_line_its_message_comes_from(name: str) -> None:
    path = LOGS / name if (LOGS / name).exists() else SEED / name
    for found in incidents(path):
        line = " ".join(source_text(found).split())
        # A GitLab service's incident names the service, not the runner's container on its line.
        assert found.message.startswith(line) or found.error_type == "service-unhealthy", (found.id, line)
        assert found.details.count("\n") < MAX_LINES + 2 and len(found.details) <= MAX_CHARS


def test_repeats_of_one_incident_are_one_result_counting_occurrences(tmp_path: Path) -> None:
    block = "Connecting to redis\nError: connect ECONNREFUSED 127.0.0.1:6379\n" + "waiting...\n" * 60
    path = tmp_path / "retry.log"
    path.write_text(block * 3)
    (refused,) = incidents(path)
    assert refused.error_type == "connection-refused"
    assert props(refused)["occurrences"] == "3"
    assert props(refused)["lines"] == "2 64 126"


def test_a_huge_traceback_is_bounded(tmp_path: Path) -> None:
    frames = "".join(f'  File "/srv/app/m{i}.py", line {i}, in f{i}\n    f{i + 1}()\n' for i in range(2000))
    path = tmp_path / "deep.log"
    path.write_text(
        "Traceback (most recent call last):\n" + frames + "RecursionError: maximum recursion depth exceeded\n"
    )
    (deep,) = incidents(path)
    assert (deep.error_type, deep.file, deep.line) == ("RecursionError", "/srv/app/m1999.py", 1999)
    assert deep.details.count("\n") < MAX_LINES + 2 and len(deep.details) <= MAX_CHARS
    assert "line(s) omitted" in deep.details


def test_runner_error_markup_without_a_known_shape(tmp_path: Path) -> None:
    path = tmp_path / "setup.log"
    path.write_text(
        "2024-05-01T10:00:00.0000000Z ##[group]Run actions/setup-python@v5\n"
        "2024-05-01T10:00:00.1000000Z ##[endgroup]\n"
        "2024-05-01T10:00:01.0000000Z ##[error]The version '3.14' with architecture 'x64' was not found"
        " for Ubuntu 22.04.\n"
    )
    (found,) = incidents(path)
    assert (found.error_type, found.source_line) == ("error", 3)
    assert found.message == "The version '3.14' with architecture 'x64' was not found for Ubuntu 22.04."
    assert found.timestamp == datetime(2024, 5, 1, 10, 0, 1, tzinfo=UTC)
    assert props(found)["step"] == "Run actions/setup-python@v5"


def test_stray_bytes_are_replaced_and_said(tmp_path: Path) -> None:
    path = tmp_path / "windows.log"
    data = b"Build gestartet\nError: Datei nicht gefunden: C:\\Daten\\\xc4nderung.txt\n"
    path.write_bytes(data)
    parsed = runner_log.parse(path)
    (found,) = parsed.results
    assert found.message == "Error: Datei nicht gefunden: C:\\Daten\\\ufffdnderung.txt"
    assert parsed.warning == f"1 byte(s) of invalid UTF-8 replaced (first 0xc4 at offset {data.index(0xC4)})"


def test_utf16_powershell_log(tmp_path: Path) -> None:
    path = tmp_path / "build.log"
    path.write_bytes(
        "Restoring packages\r\nfatal: repository 'https://example.org/x.git/' not found\r\n".encode("utf-16")
    )
    kind, parsed = registry.parse_file(path)
    assert kind == "log"
    assert parsed.results[0].message == "fatal: repository 'https://example.org/x.git/' not found"


def test_bad_inputs_are_refused_and_never_lose_the_rest(tmp_path: Path) -> None:
    (tmp_path / "empty.log").write_bytes(b"")
    (tmp_path / "random.bin").write_bytes(bytes(range(128, 256)) * 64)
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    good = tmp_path / "z-good.log"
    good.write_bytes((SEED / "mission-critical.txt").read_bytes())
    with pytest.raises(InputError, match="empty file"):
        runner_log.parse(tmp_path / "empty.log")
    ing = ingest([str(tmp_path)])
    errors = {Path(f.path).name: f.error for f in ing.files}
    assert errors["empty.log"] == "empty file"
    assert errors["random.bin"] == "not valid UTF-8 text (byte 0x80 at offset 0)"
    assert errors["image.png"] is not None and "binary" in errors["image.png"]
    assert errors["z-good.log"] is None
    assert [r.error_type for r in ing.results] == ["SyntaxError"]


def test_xml_is_not_claimed_as_a_log() -> None:
    assert runner_log.sniff('<?xml version="1.0"?>\n<test-run></test-run>') == 0
    assert runner_log.sniff("<testsuites/>") == 0
    assert runner_log.sniff("any text at all\n") == 10


def test_long_lines_and_a_large_log_stream_in_bounded_memory(tmp_path: Path) -> None:
    noise = "".join(f"[2025-01-01 00:00:{i % 60:02d}] step {i}: ok, nothing to see here\n" for i in range(6_000))
    small, large = tmp_path / "small.log", tmp_path / "large.log"
    small.write_text(noise + "Error: the end\n")
    with large.open("w") as fh:
        for _ in range(4):
            fh.write(noise)
        fh.write("x" * 3_000_000 + "\nError: the end\n")

    def peak(path: Path) -> tuple[int, tuple[Result, ...], str | None]:
        tracemalloc.start()
        parsed = runner_log.parse(path)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top, parsed.results, parsed.warning

    small_peak, small_results, _ = peak(small)
    large_peak, large_results, warning = peak(large)
    assert [r.message for r in large_results] == [r.message for r in small_results] == ["Error: the end"]
    assert warning == "1 line(s) longer than 65536 bytes cut"
    # Four times the lines and a 3 MB line: memory stays flat (not proportional to the file).
    assert large_peak < 2 * small_peak + 1_000_000


# One real-shaped line per rule of the anchor table, in table order, with the kind it must get.
ANCHOR_EXAMPLES: list[tuple[str, str | None]] = [
    (
        "The runner has received a shutdown signal. This can happen when the runner service is stopped",
        "runner-shutdown",
    ),
    ("The job running on runner GitHub Actions 12 has exceeded the maximum execution time of 360 minutes.", "timeout"),
    ("The operation was canceled.", "cancelled"),
    ("npm ERR! code ENOSPC", "npm"),
    ("OSError: [Errno 28] No space left on device: '/tmp/build'", "disk-full"),
    ("/home/runner/work/_temp/a1.sh: line 1:  1950 Killed                  pytest", "oom-killed"),
    ("[ERROR] Java heap space -> [Help 1]", "out-of-memory"),
    ("Fatal Python error: Segmentation fault", "crash"),
    ('ERROR: failed to solve: process "/bin/sh -c make" did not complete successfully: exit code: 137', "oom-killed"),
    ("make: *** [Makefile:9: test] Error 139", "crash"),
    ("panic: runtime error: index out of range [3] with length 3", "go-panic"),
    ("Error response from daemon: pull access denied for acme/api, repository does not exist", "pull-denied"),
    ("denied: requested access to the resource is denied", "pull-denied"),
    ("denied: permission_denied: write_package", "registry-denied"),
    (
        "Error response from daemon: Head https://ghcr.io/v2/acme/api/manifests/1.2: unauthorized: "
        "authentication required",
        "registry-auth",
    ),
    (
        "Error response from daemon: manifest for acme/api:1.9 not found: manifest unknown: manifest unknown",
        "manifest-unknown",
    ),
    ("ERROR: ghcr.io/acme/api:sha-1f2e3d: not found: manifest unknown", "manifest-unknown"),
    (
        "  Warning  Failed  3m44s (x5 over 5m10s)  kubelet  Failed to pull image \"ghcr.io/acme/api:sha-1f2e3d\": rpc "
        "error: code = NotFound desc = failed to pull and unpack image",
        "image-pull-failed",
    ),
    (
        "toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating",
        "rate-limited",
    ),
    (
        "ERROR: Could not find a version that satisfies the requirement torch==9.9 (from versions: none)",
        "pip-resolution",
    ),
    ("ERROR: No matching distribution found for torch==9.9", "pip-resolution"),
    (
        "ERROR: ResolutionImpossible: for help visit https://pip.pypa.io/en/latest/topics/dependency-resolution/",
        "pip-resolution",
    ),
    ("ERROR: Failed building wheel for psycopg2", "pip-build"),
    ("  error: subprocess-exited-with-error", "pip-build"),
    (
        "Because shop depends on pydantic (^3.0) which doesn't match any versions, version solving failed.",
        "dependency-resolution",
    ),
    ("  SolverProblemError", "dependency-resolution"),
    ("npm ERR! Failed at the puppeteer@24.35.0 postinstall script.", "npm"),
    ("npm ERR! A complete log of this run can be found in: /home/runner/.npm/_logs/debug-0.log", "npm"),
    ("npm ERR! code E404", "npm"),
    ("npm ERR! 404 Not Found - GET https://registry.npmjs.org/@acme%2fui - Not found", "npm"),
    ("error Command failed with exit code 1.", "yarn"),
    ('error Couldn\'t find package "@acme/ui@^2.0.0" required by "storefront@1.0.0" on the "npm" registry.', "yarn"),
    (" ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL  @shop/web@0.42.0 build: `next build`", "pnpm-run"),
    (
        ' ERR_PNPM_OUTDATED_LOCKFILE  Cannot install with "frozen-lockfile" because pnpm-lock.yaml is not up to date',
        "pnpm",
    ),
    ("E: Unable to locate package libfoo-dev", "apt"),
    (
        "ERROR: failed to solve: failed to compute cache key: failed to calculate checksum of ref: "
        '"/app/requirements.txt": not found',
        "docker-build",
    ),
    (
        "Error response from daemon: driver failed programming external connectivity: Bind for 0.0.0.0:5432 failed: "
        "port is already allocated",
        "port-in-use",
    ),
    ("dependency failed to start: container shop-db-1 is unhealthy", "container-unhealthy"),
    (
        "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
        "docker-daemon",
    ),
    ("--- FAIL: TestCheckout (0.02s)", "go-test"),
    ("FAIL\tgithub.com/acme/shop/internal/checkout\t0.012s", "go-test"),
    ("  ● Test suite failed to run", "jest-suite"),
    ("  ● Cart › adds an item", "jest-test"),
    ("FAIL src/cart/cart.test.ts", "jest"),
    ('thrown: "Exceeded timeout of 5000 ms for a test.', "timeout"),
    ("Error: connect ECONNREFUSED 127.0.0.1:5432", "connection-refused"),
    ("curl: (6) Could not resolve host: registry.internal", "dns"),
    ("mkdir: cannot create directory '/opt/app': Permission denied", "permission-denied"),
    ("src/main.c:12:10: fatal error: Python.h: No such file or directory", "compile-error"),
    # families_env.py (tried first of the family tables): the environment's own messages, one per rule, in order
    ("  fatal: detected dubious ownership in repository at '/__w/app/app'", "permission-denied"),
    ("sudo: a terminal is required to read the password; either use the -S option", "permission-denied"),
    ("PermissionError: [WinError 32] The process cannot access the file because it is being used by another process",
     "permission-denied"),
    ("c++: fatal error: Morto signal terminated program lto1", "oom-killed"),
    ("Gradle build daemon has been stopped: since the JVM garbage collector is thrashing", "out-of-memory"),
    ("    2: wasm trap: out of bounds memory access", "crash"),
    ("Cypress could not verify that this server is running:", "connection-refused"),
    ("The job exceeded the maximum allowed time of 00:30:00 and was stopped.", "timeout"),
    ('Error from server (Forbidden): deployments.apps "api" is forbidden: User "system:serviceaccount:ci:deployer" '
     'cannot patch resource "deployments"', "permission-denied"),
    # families_deps.py (tried next): one example per rule, in order
    (
        "error: package `cc v1.0.106` cannot be built because it requires rustc 1.67 or newer, while the currently "
        "active rustc version is 1.65.0",
        "cargo-deps",
    ),
    ("error: failed to get `libc` as a dependency of package `app v0.1.0 (/src)`", "cargo-deps"),
    ("ERROR:  Error installing pg:", "bundler"),
    ("checking for ffi.h... *** extconf.rb failed ***", "bundler"),
    ("ERR! sha512-Ab integrity checksum failed when using sha512: wanted sha512-Ab but got sha512-Cd.", "npm"),
    ("➤ YN0018: │ lodash@npm:4.17.21: The remote archive doesn't match the expected checksum", "yarn"),
    ("error: Failed to parse `uv.lock`", "uv"),
    ("pkg: http://pkg.FreeBSD.org/FreeBSD:11:amd64/latest/meta.txz: Not Found", "system-packages"),
    ("  - The requested PHP extension ext-intl * is missing from your system.", "composer"),
    ('Error: INSTALLATION FAILED: chart "redis" version "99.0.0" not found in https://charts.example.org', "helm"),
    ('[!] CocoaPods could not find compatible versions for pod "Firebase/Core":', "resolver"),
    ('go: github.com/acme/lib@v9: no matching versions for query "v9"', "go-modules"),
    ("[warn] \t::          UNRESOLVED DEPENDENCIES         ::", "dependency-resolution"),
    ("> Could not resolve all files for configuration ':app:debugRuntimeClasspath'.", "dependency-resolution"),
    ("#6 0.231 exec /bin/sh: exec format error", "docker-build"),
    ("ERROR: Preparation failed: Error: No such image: registry.gitlab.com/acme/ci:latest", "pull-denied"),
    ("  Error: Custom { kind: NotFound, error: \"Could not find `protoc`. If `protoc` is installed, try setting\" }",
     "build-tool-missing"),
    ("Error: Failed installing dependency: https://luarocks.org/luasec-0.9-1.src.rock - Could not find header file",
     "package-tool"),
    ("#=== ERROR while compiling dune.1.7.1 =========================================#", "opam"),
    ("lua: build-aux/luke:120: attempt to concatenate a nil value (local 'found')", "lua-error"),
    # families_code.py (rules-code, tried next): bats, gocheck, ctest, Jest's matcher hint, XCTest, Julia, Sphinx -W,
    # Spotless, .NET analyzers, pytest's collection summary, ES module scope; C/C++ test frameworks, compilers, linters.
    (" ✗ addition works", "test-failure"),
    ("   (in test file test/add.bats, line 8)", "assertion"),
    ("FAIL: foo_test.go:20: MySuite.TestThing", "test-failure"),
    ("... obtained int = 2", "assertion"),
    ("OOPS: 3 passed, 1 FAILED", "test-summary"),
    ("1/3 Test #1: test_a ...........................***Failed    0.03 sec", "test-failure"),
    ("    expect(received).toBe(expected) // Object.is equality", "assertion"),
    ("-[INKSpec INKActivity_when_cancelled_should_inform]", "test-failure"),
    ("Test Summary: | Pass  Fail  Total", "test-failure"),
    ("RSpec::Retry: 2nd try ./spec/system/topics_spec.rb:94", "flaky"),
    ("Warning, treated as error:", "lint"),
    ("build finished with problems, 1 warning (with warnings treated as errors).", "lint"),
    ("/w/docs/source/guide/signing.rst:48: WARNING: undefined label: 'rotating-secrets' [ref.ref]", "docs-warning"),
    ("(guide/signing: line   77) broken    https://developer.example.de/docs - 404 Client Error: Not Found", "lint"),
    ("Step 'ktlint' found problem in 'src/main/kotlin/App.kt':", "lint"),
    ("src/Foo.cs(42,13): error CA1822: Member 'Bar' does not access instance data [/src/Foo.csproj]", "lint"),
    ("ERROR tests/test_writers.py - AttributeError: module 'foo' has no attribute 'bar'", "collection"),
    ("ReferenceError: module is not defined in ES module scope", "collection"),
    ("/src/test/test_calc.cpp:12: FAILED:", "assertion"),
    ("[  FAILED  ] test_add", "test-failure"),
    ("src/app.d(12): Error: undefined identifier `foo`", "compile-error"),
    ("error during build:", "build"),
    (">> Issue: [B101:assert_used] Use of assert detected.", "lint"),
    ("1 error(s) were found in ERB files", "lint"),
    # families_code.py's session-8 lines: Zig's plain test runner, Nim's unittest, AVA with nothing to run, busted's
    # ASCII failure header, googletest's exception, black's verdict, esbuild's diagnostic and a Lua error.
    ("2/4 list.test.shrink...FAIL (TestUnexpectedResult)", "test-failure"),
    ("/w/tests/test_tok.nim(22, 15): Check failed: tokens.len == 3", "assertion"),
    ("  ✘ Couldn’t find any files to test", "collection"),
    ("Failure -> spec/cliargs_spec.lua @ 31", "test-failure"),
    ('C++ exception with description "stoi" thrown in the test body.', "exception"),
    ("2 files would be reformatted, 14 files would be left unchanged.", "lint"),
    ('/w/src/store/cart.ts:18:14: ERROR: Expected ";" but found "items"', "compile-error"),
    ("/usr/share/lua/5.5/luassert/assertions.lua:95: bad argument #2 to 'matches'", "lua-error"),
    ("parse: Test Failed at /w/Widget.jl/test/runtests.jl:12", "test-failure"),
    ("    src/widget.lua:12:7: unused variable count", "lint"),
    ("ERROR: LoadError: Some tests did not pass: 1 passed, 1 failed, 0 errored, 0 broken.", "summary"),
    # families_tools.py
    ('go: no such tool "covdata"', "dependency-missing"),
    ('service web: undefined secret "db_password"', "docker-deploy"),
    ("No package 'glib-2.0' found", "dependency-missing"),
    ("WorkflowScript: 12: unexpected token: } @ line 12, column 1.", "pipeline-script"),
    # families_build.py
    ("clang++: error: linker command failed with exit code 1 (use -v to see invocation)", "compile-error"),
    ("Error: 'pstrm' at (1) is not a member of the 'shr_strdata_type' structure", "compile-error"),
    ("[dart_web3]:    info - test/a_test.dart:287:9 - Missing a required trailing comma. - require_trailing_commas",
     "lint"),
    ("[dart_web3]:   error - lib/a.dart:12:10 - Undefined name 'totl'. - undefined_identifier", "compile-error"),
    ("ScriptException: The script analyze failed to execute.", "exit-code"),
    ("//anaconda3/bin/x86_64-apple-darwin13.4.0-ar: illegal option -- n", "toolchain"),
    ("[ERROR] \t[error]: Build step io.quarkus.qute.deployment.QuteProcessor#analyzeTemplates threw an exception: "
     "io.quarkus.qute.TemplateException: x", "build-step"),
    ("CUSTOMBUILD : The requested URL returned error : 504 [D:\\a\\b\\curl-populate.vcxproj]", "download"),
    ("C:\\VS\\MSBuild\\Microsoft.Common.CurrentVersion.targets(1891,5): error : Project '..\\a\\a.csproj' targets "
     "'net10.0'. It cannot be referenced by a project that targets '.NETCoreApp,Version=v10.0'.", "compile-error"),
    ("==> ERROR: winetricks-0.1.0.tar.gz was not found in the build directory and is not a URL.", "makepkg"),
    ("Diff in /home/runner/work/x/x/escrow/src/tests/settlement.rs:1673:", "lint"),
    ("aws: [ERROR]: An error occurred (NoCredentials): Unable to locate credentials.", "cloud-api"),
    ("[CXX5304] This version only understands SDK XML versions up to 3 but an SDK XML file of version 4 was "
     "encountered.", None),
    # families_lint.py: one example per rule, in order
    ("[ERROR] src/main/java/com/acme/App.java:[12,5] (javadoc) MissingJavadocMethod: Missing a Javadoc.", "lint"),
    ("  /w/src/widget/cart.py:12:16 - error: \"totl\" is not defined (reportUndefinedVariable)", "compile-error"),
    ("Total errors found: 2", "lint"),
    # families_more.py (tried before families.py's table): one example per rule, in order
    ("  [FAILED] Expected", "assertion"),
    ("src/RingTest.cpp:88: error: Failure in TEST(Ring, Overflow)", "test-failure"),
    ("//pkg/cache:cache_test                  TIMEOUT in 300.0s", "timeout"),
    ("  [PANICKED] Test Panicked", "exception"),
    ("t/02-store.t ...... Can't locate DBD/SQLite.pm in @INC (you may need to install DBD::SQLite)", "perl-load"),
    ("FAIL! -- 13 Passed | 1 Failed | 0 Pending | 0 Skipped", "test-summary"),
    ("/home/travis/build/acme/geom/test/vector_test.cpp:27: Failure", "assertion"),
    ("[  FAILED  ] VectorTest.Normalize (0 ms)", "test-failure"),
    ("x tokenizes a quoted field", "test-failure"),
    ("[info]   2 did not equal 3 (CalculatorSuite.scala:14)", "assertion"),
    ("[error] (Test / test) sbt.TestsFailedException: Tests unsuccessful", "test-summary"),
    (
        'main.obj : error LNK2019: unresolved external symbol "int __cdecl compute(int)" referenced in function main',
        "compile-error",
    ),
    ("collect2: error: ld returned 1 exit status", "compile-error"),
    ("README.md:5: MD009 Trailing spaces", "lint"),
    (
        '    Failed to download a/b from dist: The "https://x/zipball/1" file could not be downloaded (HTTP/2 502 )',
        "registry-outage",
    ),
    ("    - symfony/console[v5.4.0, ..., v5.4.21] require php >=7.2.5 -> your php version does not satisfy", None),
    ("  - Conclusion: don't install laravel/framework v10.3.0", "composer"),
    (
        "/home/travis/.rvm/rubies/ruby-2.6.3/lib/ruby/2.6.0/rubygems.rb:283:in `find_spec_for_exe': "
        "Could not find 'bundler' (2.0.2) required by your /home/travis/build/a/b/Gemfile.lock.",
        "bundler",
    ),
    ('error Couldn\'t find any versions for "left-pad" that matches "^9.0.0"', "yarn"),
    ("java.io.IOException: Backing channel 'agent-07' is disconnected.", "runner-lost"),
    ("Finished: ABORTED", "cancelled"),
    # families.py
    ("src/main/java/shop/Cart.java:41: error: cannot find symbol", "compile-error"),
    ("src/Shop/Cart.cs(12,17): error CS0103: The name 'total' does not exist in the current context", "compile-error"),
    ("error: could not compile `shop` (lib) due to 1 previous error", "compile-error"),
    ("internal/cart/cart.go:14:2: fmt.Printf format %d has arg name of wrong type string (govet)", "lint"),
    ("./internal/cart/cart.go:14:2: undefined: Totl", "compile-error"),
    ("would reformat src/shop/cart.py", "lint"),
    ("In CurlDownloader.php line 629:", "lint"),  # Symfony Console's exception header (header=True)
    ("Oh no! 💥 💔 💥", "lint"),
    ("  Problem 1", None),
    ("Your requirements could not be resolved to an installable set of packages.", "composer"),
    ("    - symfony/http-kernel v7.0.7 requires php >=8.2 -> your php version (8.1.27) does not satisfy", "composer"),
    ("    - symfony/clock is locked to version v8.0.1 and an update of this package was not requested.", "composer"),
    ("Could not find gem 'rails (~> 8.1)' in locally installed gems.", "bundler"),
    ("/w/Shop.csproj : error NU1101: Unable to find package Humanizer. No packages exist with this id", "nuget"),
    ("86 http fetch 503 https://registry.npmjs.org/thoughts/-/thoughts-2.0.0.tgz", "registry-outage"),
    ("minitest-5.12.2 requires ruby version ~> 2.2, which is incompatible with the", "bundler"),
    ("/usr/lib/ruby/custom_require.rb:36:in `require': cannot load such file -- spec_helper (LoadError)", "ruby-load"),
    ("remote: Permission to acme/site.git denied to github-actions[bot].", "auth"),
    ("verifying github.com/google/gofuzz@v1.0.0/go.mod: checksum mismatch", "dependency-resolution"),
    ("CMake Error at /opt/ros/share/catkin/cmake/catkinConfig.cmake:83 (find_package):", "cmake"),
    ('  Unknown CMake command "configure_package_config_file".', "cmake"),
    ("   > Could not find com.android.support:appcompat-v7:20.0.0.", "dependency-resolution"),
    ("Error: While constructing the build plan, the following exceptions were encountered:", "dependency-resolution"),
    ("/home/runner/work/_temp/a1.sh: line 1: black: command not found", "command-not-found"),
    ("     Failure/Error: expect(cart.total).to eq(42)", "assertion"),
    ("  1) Failure:", "test-failure"),
    ("  7. Failure (at test-iso8601.r#144): Pelago non-matching ", "test-failure"),
    ("#   Failed test 'total includes tax'", "test-failure"),
    ("17 - qa_tracking_singletarget (Failed)", "test-failure"),
    ("     ** (RuntimeError) cart is empty", "RuntimeError"),
    ("* checking tests ... ERROR", "r-check"),
    ("Error in plot.window(...) : need finite 'xlim' values", "r-error"),
    ("Execution halted", "r-error"),
    ("3 examples, 1 failure", "test-summary"),
    ('  14:3  ✖  Unexpected unknown property "colr"   property-no-unknown', "lint"),
    ("Error: cabal: Could not resolve dependencies:", "cabal"),
    ("/usr/bin/ld: cannot find -lssl: No such file or directory", "compile-error"),
    # families_more.py (after families.py's table)
    ("Error: Error return value of `resp.Body.Close` is not checked (errcheck)", "lint"),
    ("Build step 'Execute shell' marked build as failure", "exit-code"),
    ("     TypeError: Cannot read properties of undefined (reading 'path')", "TypeError"),
    ('The command "bundle exec rspec" exited with 1.', "exit-code"),
    ("Docker command failed (rc=1): docker compose build api", "docker-build"),
    ("api-1 exited with code 1", "container-exit"),
    ("Error: Process completed with exit code 2.", "exit-code"),
    ("make: *** [Makefile:14: test] Error 1", "make"),
    ("[ERROR] Failed to execute goal org.apache.maven.plugins:maven-jar-plugin:3.3.0:jar on project a:", "maven"),
    ("FAST FAIL: aborting integration category, 0 tests executed", "aborted"),
    ("KeyError: 'DATABASE_URL'", "KeyError"),
    ("Error: Cannot find module 'left-pad'", "error"),
    ("[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.2.5:test", "error"),
]


def test_anchor_table_every_rule_has_a_line_that_reaches_it() -> None:
    from gardener.ingest.runner_log.anchors import RULES, match_anchor
    from gardener.ingest.runner_log.grouping import error_type_of

    reached = []
    for line, kind in ANCHOR_EXAMPLES:
        anchor = match_anchor(line)
        if kind is None:  # a line of a block that is not an anchor by itself
            assert anchor is None, line
            continue
        assert anchor is not None, line
        assert error_type_of(anchor.rule, anchor.subject) == kind, line
        reached.append(RULES.index(anchor.rule))
    assert reached == list(range(len(RULES)))  # every rule is reachable, none shadowed by an earlier one


@pytest.mark.parametrize(
    "line",
    [
        "Successfully installed fastapi-0.111.0 uvicorn-0.30.1",
        "=== RUN   TestParseAmount",
        "Collecting errorhandler==1.2 (from -r requirements.txt (line 4))",
        "    --- PASS: TestParseAmount/plain (0.00s)",
        "Process completed with exit code 0.",
        "ok  \tgithub.com/acme/shop/internal/catalog\t0.009s",
        # Maven's advice, as Maven prints it and as GitHub Actions shows its `[ERROR]` level.
        "[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.",
        "Error:  Re-run Maven using the -X switch to enable full debug logging.",
        "Error:  -> [Help 1]",
        # A stack frame under Maven's level tag belongs to the exception above it.
        "[ERROR] at org.apache.maven.surefire.booter.ForkedBooter.main(ForkedBooter.java:103)",
        "[ERROR] \tat com.acme.ledger.SettlementTest.settles(SettlementTest.java:41)",
        # Julia's Test summary of a passing run (`Testing X tests passed` follows): @test_broken counts do not fail it.
        # AutoEncoderToolkit.jl (https://github.com/mrazomej/AutoEncoderToolkit.jl/issues/13), Tries.jl's and
        # MIPVerify.jl's READMEs (`Tries.jl | 43 1 44 3.7s`, `MIPVerify | 513 1 514 3m02.4s`).
        "Test Summary:         | Pass  Total     Time",
        "Test Summary: | Pass  Broken  Total  Time",
        "Test Summary: | Pass  Broken  Total     Time",
    ],
)
def test_ordinary_lines_are_not_anchors(line: str) -> None:
    from gardener.ingest.runner_log.anchors import match_anchor

    assert match_anchor(line) is None


def _log(tmp_path: Path, text: str) -> list[Result]:
    log = tmp_path / "job.log"
    log.write_text(text, encoding="utf-8")
    return incidents(log)


def test_a_passing_julia_summary_is_no_incident(tmp_path: Path) -> None:
    # Julia's Pkg.test of a green run (round 11's julia matrix; Tries.jl's README: `Test Summary: | Pass  Broken
    # Total  Time` / `Tries.jl | 43 1 44 3.7s` / `Testing Tries tests passed`): nothing failed.
    passing = _log(tmp_path, (
        "     Testing Running tests...\n"
        "Test Summary: | Pass  Broken  Total  Time\n"
        "Tries.jl      |   43       1     44  3.7s\n"
        "     Testing Tries tests passed \n"
    ))
    assert [r.outcome for r in passing] == ["passed"], passing
    # Circuitscape.jl (https://github.com/Circuitscape/Circuitscape.jl/issues/178): an Error column, so it failed.
    found = _log(tmp_path, (
        "Test Summary:          | Pass  Error  Total\n"
        "Double Precision Tests |  576      1    577\n"
        "ERROR: LoadError: Some tests did not pass: 576 passed, 0 failed, 1 errored, 0 broken.\n"
    ))
    assert found and all(r.outcome in ("failed", "error") for r in found), found


def test_a_log_that_says_it_failed_is_never_a_clean_run(tmp_path: Path) -> None:
    # No reader knows these summary lines and no line anchors an incident; the build still failed.
    found = _log(tmp_path, (
        "[INFO] Tests run: 12, Failures: 1, Errors: 0, Skipped: 0\n"
        "  weirdFormat >> com.acme.CartTest :: IllegalStateException: cart closed\n"
        "[INFO] BUILD FAILURE\n"
        "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.2.5:test on project cart: "
        "There are test failures.\n[ERROR] -> [Help 1]\n"
    ))
    (fallback,) = found
    assert (fallback.outcome, fallback.error_type) == ("error", "build-failed")
    assert fallback.message == "weirdFormat >> com.acme.CartTest :: IllegalStateException: cart closed"
    assert "BUILD FAILURE" in fallback.details
    # A green log stays a clean run, whatever error words it prints.
    clean = tmp_path / "ok.log"
    clean.write_text("[INFO] Tests run: 12, Failures: 0, Errors: 0, Skipped: 0\n[INFO] BUILD SUCCESS\n")
    assert [r.outcome for r in runner_log.parse(clean).results] == ["passed"]


def test_maven_advice_lines_are_never_incidents_and_heap_exhaustion_is(tmp_path: Path) -> None:
    found = _log(tmp_path, (
        "Error:  Java heap space -> [Help 1]\nError:  \n"
        "Error:  To see the full stack trace of the errors, re-run Maven with the -e switch.\n"
        "Error:  Re-run Maven using the -X switch to enable full debug logging.\n"
    ))
    assert [(r.error_type, r.message) for r in found] == [("out-of-memory", "Error: Java heap space -> [Help 1]")]


def test_stack_frames_and_causes_under_maven_level_tags_are_one_incident(tmp_path: Path) -> None:
    found = _log(tmp_path, (
        "[ERROR] org.apache.maven.surefire.booter.SurefireBooterForkException: java.lang.NullPointerException\n"
        "[ERROR] at org.apache.maven.surefire.junit4.JUnit4Provider.invoke(JUnit4Provider.java:129)\n"
        "[ERROR] at org.apache.maven.surefire.booter.ForkedBooter.main(ForkedBooter.java:103)\n"
        "[ERROR] Caused by: java.lang.NullPointerException\n"
        "[ERROR] at org.apache.maven.surefire.report.SmartStackTraceParser.getClass(SmartStackTraceParser.java:67)\n"
        "[ERROR] ... 4 more\n"
    ))
    (crash,) = found
    assert crash.message.endswith("SurefireBooterForkException: java.lang.NullPointerException")
    assert "SmartStackTraceParser.getClass" in crash.details and "... 4 more" in crash.details


def test_an_error_line_pasted_with_a_markdown_backtick_still_anchors(tmp_path: Path) -> None:
    pasted = "`Error: Resource not accessible by integration\nError: Process completed with exit code 1.`"
    (found,) = _log(tmp_path, pasted)
    assert found.message == "`Error: Resource not accessible by integration"


def test_a_wrapper_alone_keeps_its_steps_lines_as_evidence(tmp_path: Path) -> None:
    (found,) = _log(tmp_path, (
        "##[group]Run ./build.sh\nuploading artifact\n##[endgroup]\n"
        "##[group]Run ./deploy.sh\n"
        "remote: the site.git update was rejected by a pre-receive hook.\n"
        "one\ntwo\nthree\nfour\n"
        "Error: Process completed with exit code 128.\n"
    ))
    assert found.error_type == "exit-code"
    assert "rejected by a pre-receive hook" in found.details  # more than the usual 3 lines before
    assert "uploading artifact" not in found.details  # an earlier step's output is not its evidence


def test_a_go_panic_right_after_a_tests_fail_line_is_that_tests_incident() -> None:
    from gardener.ingest.runner_log.incidents import IncidentFinder

    finder = IncidentFinder()
    lines = [
        "--- FAIL: TestRegionDistance (0.00s)",
        "panic: runtime error: index out of range [4] with length 4 [recovered]",
        "\tpanic: runtime error: index out of range [4] with length 4",
        "",
        "--- FAIL: TestParse (0.00s)",
        "    parse_test.go:12: got 1, want 2",
        "panic: runtime error: invalid memory address or nil pointer dereference",
    ]
    for number, text in enumerate(lines, 1):
        finder.feed(number, clean_line(text), None, "")
    region, parse, other = finder.finish()
    assert (region.kind, region.subject, region.line) == ("go-panic", "TestRegionDistance", 2)
    # A panic that does not follow the FAIL line at once is not what failed that test.
    assert (parse.kind, parse.subject) == ("go-test", "TestParse")
    assert (other.kind, other.subject, other.line) == ("go-panic", "", 7)


ARTISAN = "".join(f"2024-05-02T10:00:07.0000000Z {line}\n" for line in (
    "##[group]Run php artisan migrate --force",
    "php artisan migrate --force",
    "shell: /usr/bin/bash -e {0}",
    "##[endgroup]",
    "",
    "In Connection.php line 829:",
    "",
    "  SQLSTATE[HY000] [2002] Connection refused (Connection: mysql, SQL: select * from migrations)",
    "",
    "##[error]Process completed with exit code 1.",
))


def test_a_symfony_console_exception_header_hands_its_incident_to_the_message_under_it(tmp_path: Path) -> None:
    """Laravel's artisan (Symfony Console) prints `In Connection.php line 829:` above the exception: the
    header says only where; the incident is the message line."""
    (r,) = _log(tmp_path, ARTISAN)
    assert r.source_line == 8 and r.message.startswith("SQLSTATE[HY000] [2002] Connection refused"), (
        r.source_line, r.message)
