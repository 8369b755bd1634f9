"""The generic layer (issue 12 items 1-2): a failed log of a tool no rule knows is named from its explaining
line's own words (gardener/line_category.py, generic_rule.py), on that line, and decoys do not win."""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.classify import find
from gardener.config import Config
from gardener.line_category import Named, name_line
from gardener.whole_excerpt import ingest_for_classify, located_incident

# (line, the category its words name, or None)
NAMED = [
    ("aws: [ERROR]: An error occurred (NoCredentials): Unable to locate credentials.", "auth-error"),
    ("remote: HTTP Basic: Access denied; 401 Unauthorized", "auth-error"),
    ("mkdir: cannot create directory '/opt/app': Permission denied", "permission-denied"),
    ("Command not found: pytest", "dependency-install-failure"),
    ("bash: line 1: bundle: command not found", "dependency-install-failure"),
    ("| The term 'redis-server' is not recognized as a name of a cmdlet", "dependency-install-failure"),
    ("packages/x lint: 102:9 error 'timeout' is never reassigned. Use 'const' instead prefer-const", "lint-failure"),
    ("Could not find gem 'rails (~> 7.0)' in locally installed gems.", "dependency-install-failure"),
    ("ModuleNotFoundError: No module named 'vcr'", "import-collection-error"),
    ("Missing Robot Browser library. Install it with:", "import-collection-error"),
    # Perl's missing module names the module (tests/data/logs/families/travis-prove-inc.log; the Map::Tube::Hannover
    # tutorial's prove run in tests/rules/test_review12.py); Perl's missing method is no missing module.
    ("t/02-store.t ...... Can't locate DBD/SQLite.pm in @INC (you may need to install the DBD::SQLite module)",
     "import-collection-error"),
    ("[08:14:02] t/map-tube-hannover.t .. Can't locate Test/Map/Tube.pm in @INC (you may need to install the "
     "Test::Map::Tube module)", "import-collection-error"),
    ('Can\'t locate object method "new" via package "Foo::Bar" at lib/App.pm line 12.', None),
    ("/tmp/src/output.ino:6:53: error: 'dec2bin' was not declared in this scope", "compile-error"),
    ("clang80++: error: no such file or directory: 'libunwind-x86.a'", "compile-error"),
    ("Error: 'pstrm' at (1) is not a member of the 'shr_strdata_type' structure", "compile-error"),
    ("src/lib.rs:12:5: error[E0425]: cannot find value `x` in this scope", "compile-error"),
    ("Would reformat: src/app.py", "lint-failure"),
    ("Diff in /home/runner/work/x/src/lib.rs:1673:", "lint-failure"),
    ("curl: (7) Failed to connect to localhost port 5432: Connection refused", "connection-refused"),
    ("fatal: unable to access 'https://x/': Could not resolve host: x", "connection-refused"),
    ("java.lang.OutOfMemoryError: Java heap space", "out-of-memory"),
    ("write /var/lib/docker/tmp/x: no space left on device", "disk-full"),
    ("Segmentation fault (core dumped)", "segfault-crash"),
    ("Error: Job 0acf failed: Worker restarted while the job was running", "ci-runner-failure"),
    ("assertion `left == right` failed", "assertion-failure"),
    ("Failed asserting that false is true.", "assertion-failure"),
    ("expected: 5 got: 10", "assertion-failure"),
    ("expect(received).toBe(expected) // Object.is equality", "assertion-failure"),
    ("Network/Gitit/Types.hs:315:66: Couldn't match expected type `Either FilePath'", "compile-error"),
    ("fail (backjumping, conflict set: Cabal, hadrian)", "dependency-install-failure"),
    ("#   Failed test 't-MultipleMatch'", "assertion-failure"),
    ("** (FunctionClauseError) no function clause matching in Access.get/3", "runtime-exception"),
    ("Error in 1:num_studies : argument of length 0", "runtime-exception"),
    ("TypeError: Cannot read properties of undefined (reading 'x')", "runtime-exception"),
    # words that point nowhere: a failure, but no category the taxonomy has
    ("CUSTOMBUILD : The requested URL returned error : 504 [D:\\a\\build\\curl-populate.vcxproj]",
     "dependency-install-failure"),
    ("App.Tests.csproj : error NU1605: Detected package downgrade: Foo from 15.0.1 to 15.0.0.",
     "dependency-install-failure"),
    ("Failed to run: Error: Unexpected HTTP response: 404", "dependency-install-failure"),
    ("/Users/runner/work/shop/ShopTests/CartTests.swift:21: error: -[ShopTests.CartTests testTotal] : XCTAssertEqual"
     ' failed: ("100.0") is not equal to ("107.0")', "compile-error"),
    ("src/counters_tests.cpp(24): error: Expected equality of these values:", "compile-error"),
    ("Error: rendered manifests contain a resource that already exists.", None),
    ("error: root manifest not found", None),
    ("PULL_REFS: unbound variable", None),
    # a runner's wrapper exception around failed tests is not a runtime exception of its own
    ("[error] (test:test) sbt.TestsFailedException: Tests unsuccessful", None),
]


@pytest.mark.parametrize(("line", "want"), NAMED)
def test_a_line_is_named_by_its_words(line: str, want: str | None) -> None:
    named = name_line(line)
    assert (named.category if named else None) == want
    if named is not None:
        assert named.words and named.words in line  # the words that decided it, quoted from the line


def test_context_decides_between_a_missing_package_and_a_failed_load() -> None:
    loading = ["An error occurred while loading ./spec/models/user_spec.rb."]
    assert name_line("sqlite3 is not part of the bundle. Add it to your Gemfile.", loading) is not None
    named = name_line("sqlite3 is not part of the bundle. Add it to your Gemfile.", loading)
    assert named is not None and named.category == "import-collection-error"
    alone = name_line("sqlite3 is not part of the bundle. Add it to your Gemfile.")
    assert alone is not None and alone.category == "dependency-install-failure"


def test_a_bare_error_is_an_exception_only_under_a_test_failure_header() -> None:
    line = 'Error: [apply_validation] Failed to apply changes to resource: "github-cli".'
    assert name_line(line) is None
    named = name_line(line, [" FAIL  test/github-cli.test.ts > GitHub CLI integration tests"])
    assert named is not None and named.category == "runtime-exception"


# A throwable whatever its class is called, with its runtime's first frame under it: sbt's own (corpus15), Clojure's
# ExceptionInfo (Leiningen consoles), a bare JavaScript Error, a .NET exception's `in file:line` frame.
THROWN = [
    ("sbt.InvalidComponent: Could not find required component 'xsbti'",
     "\tat sbt.ComponentManager.invalid(ComponentManager.scala:57)"),
    ("clojure.lang.ExceptionInfo: Config key missing {:key :db}",
     "\tat clojure.core$ex_info.invokeStatic(core.clj:4739)"),
    ("Exception in thread \"main\" acme.cli.Abort: no target given", "\tat acme.cli.Main.main(Main.java:12)"),
    ("Error: the cart has no owner", "    at Cart.total (/app/src/cart.js:12:9)"),
    ("Acme.Cart.OwnerMissing: the cart has no owner", "   at Acme.Cart.Total() in /src/Cart.cs:line 12"),
]


@pytest.mark.parametrize(("line", "frame"), THROWN)
def test_an_exception_with_its_stack_under_it_is_one_whatever_its_name(line: str, frame: str) -> None:
    assert name_line(line) is None  # its name alone is no exception's (no `Error`/`Exception` suffix, or bare)
    named = name_line(line, [], [frame, frame])
    assert named is not None and named.category == "runtime-exception", line


def test_a_line_without_a_stack_under_it_or_not_a_throwables_is_not_named_an_exception() -> None:
    frame = "\tat sbt.ComponentManager.invalid(ComponentManager.scala:57)"
    assert name_line("sbt.InvalidComponent: Could not find required component 'xsbti'", [], ["", frame]) is None
    assert name_line("Compiling 1 Scala source to /app/target/classes ...", [], [frame]) is None
    assert name_line("Error: Process completed with exit code 1", [], [frame]) is None
    # A stack frame's own text, as prose, is no frame (`at least 2 nodes`).
    assert name_line("Cluster: not ready", [], ["at least 2 nodes are needed"]) is None


def test_a_missing_file_under_a_container_build_step_is_the_image_build() -> None:
    named = name_line("lstat default.conf: no such file or directory", ["Step 2/7 : COPY default.conf /etc/x"])
    assert named is not None and named.category == "docker-build-failure"
    assert name_line("lstat default.conf: no such file or directory") is None


def _findings(tmp_path: Path, lines: list[str]) -> tuple[list[str], Config]:
    path = tmp_path / "job.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [str(path)], Config()


SETUP = [f"2024-05-01T10:00:{n:02}.0000000Z Downloading layer {n} of 40 ... done" for n in range(40)]


def test_an_unknown_tools_failure_is_named_on_its_line_with_the_words_in_its_reason(tmp_path: Path) -> None:
    # Far above the runner's own lines (which the reader keeps by the exit code), in words no rule knows.
    lines = [*SETUP, "Deploying stage prod", "pkgtool: could not find package 'libfoo' in any index",
             *(f"Stage 'step {n}' skipped due to earlier failure(s)" for n in range(30)),
             "Failed in branch deploy", "ERROR: script returned exit code 2", "Finished: FAILURE"]
    paths, config = _findings(tmp_path, lines)
    first = find(ingest_for_classify(paths, config.rules).results, config)[0]
    assert first.category == "dependency-install-failure" and first.priority == "P0"
    assert first.rule_id == "generic.dependency-install-failure"
    assert first.results[0].source_line == 42
    assert "could not find package" in first.root_cause


def test_a_failure_whose_words_name_nothing_stays_unclassified_on_its_line(tmp_path: Path) -> None:
    lines = [*SETUP, "Error: rendered manifests contain a resource that already exists.",
             "##[error]Process completed with exit code 1."]
    paths, config = _findings(tmp_path, lines)
    first = find(ingest_for_classify(paths, config.rules).results, config)[0]
    assert first.category == "unclassified"
    assert first.results[0].source_line == 41


def test_the_generic_name_keys_on_the_explaining_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Naming a category keys a failure as a result no rule matched is: by its explaining line. Where no rule
    matched at all, that is the key it had unclassified (its issue still matches); where only a runner's exit
    code matched, it is no longer the exit code's line, which failures of any cause share."""
    quiet = [*SETUP, "pkgtool: could not find package 'libfoo' in any index", "Done."]
    # (A line no family rule claims: poetry's `Command not found: x` now has one, deps.toolchain-missing.)
    exit_code = [*SETUP, "ERROR: protolint is not installed",
                 "##[error]Process completed with exit code 127."]
    found = {}
    for name, lines in (("quiet", quiet), ("exit", exit_code)):
        path = tmp_path / f"{name}.log"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        config = Config()
        results = ingest_for_classify([str(path)], config.rules).results
        named = find(results, config)[0]
        with monkeypatch.context() as patched:
            patched.setattr("gardener.classify.named_verdict", lambda r, verdict: None)  # the layer switched off
            plain = find(results, config)[0]
        assert named.rule_id.startswith("generic.") and plain.category == "unclassified"
        found[name] = (named.signature, plain.signature)
    assert found["quiet"][0] == found["quiet"][1]
    assert "ERROR: protolint is not installed" in found["exit"][0].text
    assert "exit code 127" in found["exit"][1].text


def test_a_rule_named_cause_in_the_same_log_takes_the_generic_line_in(tmp_path: Path) -> None:
    """The generic layer is weak evidence: a real rule's finding from the same log absorbs it."""
    lines = [*SETUP, "ERROR: Could not find a version that satisfies the requirement foo==9.9 (from versions: none)",
             "ERROR: No matching distribution found for foo==9.9",
             "Traceback (most recent call last):", "ModuleNotFoundError: No module named 'foo'",
             "##[error]Process completed with exit code 1."]
    paths, config = _findings(tmp_path, lines)
    findings = find(ingest_for_classify(paths, config.rules).results, config)
    assert findings[0].category == "dependency-install-failure"
    assert not findings[0].rule_id.startswith("generic.")


CLEANUP_LOG = [*SETUP, "##[group]Run ./check.sh", "check: the generated schema is out of date: cannot continue",
               "##[error]Process completed with exit code 1.", "Post job cleanup.",
               "fatal: No url found for submodule path 'vendor/x' in .gitmodules",
               "##[warning]The process '/usr/bin/git' failed with exit code 128"]


def test_the_locator_stops_at_post_job_cleanup() -> None:
    """checkout's cleanup after a failed step (`fatal: No url found for submodule ...`) is not the failure."""
    located = located_incident("job.log", "\n".join(CLEANUP_LOG))
    assert located is not None and located.source_line == 42


# was a defect: checkout's `fatal:` in Actions' post-job cleanup was an incident outranking the step's own line (now
# the layout marks post-job cleanup as aftermath, as GitLab's `*_on_failure` sections: layout.is_post_job)
def test_post_job_cleanup_is_never_the_explaining_line(tmp_path: Path) -> None:
    paths, config = _findings(tmp_path, CLEANUP_LOG)
    first = find(ingest_for_classify(paths, config.rules).results, config)[0]
    assert first.results[0].source_line == 42


# R CMD check's examples step failing: the step's verdict, then R's own error under it.
R_EXAMPLES_FAILED = ("  Running examples in 'pkg-Ex.R' failed", "  The error most likely occurred in:",
                     "  > trees = get_clone_trees(x)", "  Error in get_clone_trees(x) : ",
                     "    Your data should have driver events annotated.", "  Execution halted")


def test_a_rules_finding_is_shown_on_the_line_that_says_what_failed(tmp_path: Path) -> None:
    """A pasted R CMD check excerpt: the rule decides on `Running examples ... failed`; the line saying what failed
    is the `Error in`."""
    paths, config = _findings(tmp_path, list(R_EXAMPLES_FAILED))
    first = find(ingest_for_classify(paths, config.rules).results, config)[0]
    assert first.category == "runtime-exception" and not first.rule_id.startswith("generic.")
    assert first.results[0].source_line == 4


def test_a_readers_incident_moves_to_the_line_that_names_its_category(tmp_path: Path) -> None:
    """The reader keeps R CMD check's `* checking examples ... ERROR` verdict; the `Error in` below says what failed
    and names the same category, so the incident (still the rule's) is shown there."""
    paths, config = _findings(tmp_path, [*SETUP, "* checking examples ... ERROR", *R_EXAMPLES_FAILED])
    first = find(ingest_for_classify(paths, config.rules).results, config)[0]
    assert first.category == "runtime-exception" and not first.rule_id.startswith("generic.")
    assert first.results[0].source_line == 45


def test_an_error_with_no_words_of_its_own_under_a_linters_command_is_that_check_failing() -> None:
    named = name_line("Error: issues found", ["run golangci-lint", "  Running [/home/runner/golangci-lint run]"])
    assert named is not None and named.category == "lint-failure" and "golangci-lint" in named.words
    assert name_line("Error: issues found") is None  # no context: nothing names it
    # A command line alone names nothing (the locator must not take `$ rubocop ...` for the failure).
    assert name_line("9.49s$ rubocop --rails --display-cop-names") is None


def test_a_compilers_diagnostic_is_not_a_loose_assertion_rules_test_failure(tmp_path: Path) -> None:
    """gfortran's `Error: Unexpected ELSE statement at (1)` holds `expected`, which a loose assertion rule matches;
    the line's own words state a compile error, and a rule that names only a failure's shape does not outrank
    them (generic_rule._outranks). Since gfortran has a family rule of its own, that rule names it first; either
    way the loose assertion rule never does."""
    lines = [*SETUP, "##[group]Run make", "   55 |       else", "      |          1",
             "Error: Unexpected ELSE statement at (1)", "make: *** [Makefile:12: strdata.o] Error 1",
             "##[error]Process completed with exit code 2."]
    paths, config = _findings(tmp_path, lines)
    first = find(ingest_for_classify(paths, config.rules).results, config)[0]
    assert first.category == "compile-error" and not first.rule_id.startswith("assert"), first.rule_id
    assert first.results[0].source_line == 44


def test_a_401_under_a_download_rule_is_an_auth_error(tmp_path: Path) -> None:
    lines = [*SETUP, "> Task :compileJava", "Could not resolve all dependencies for configuration ':compileClasspath'.",
             "Failed to get resource: GET. [HTTP HTTP/1.1 401 Unauthorized: https://repo.example.org/libs/a.pom]",
             "BUILD FAILED in 3s", "##[error]Process completed with exit code 1."]
    paths, config = _findings(tmp_path, lines)
    plain = find(ingest_for_classify(paths, config.rules).results, config)
    assert plain[0].category == "auth-error"


def test_a_line_with_its_rules_own_words_keeps_the_rule() -> None:
    """GoogleTest's (and XCTest's) failure has a compiler diagnostic's shape and an assertion's words: the assertion
    rule stands."""
    from gardener.generic_rule import named_verdict
    from gardener.model import Result, Source
    from gardener.rules.engine import Evidence, evaluate

    gtest = "src\\counters_tests.cpp(24): error: Expected equality of these values:\n  global_counter\n  1"
    r = Result(id="log:x:excerpt", outcome="error", source=Source("x.log", "log"), source_line=1,
               message=gtest, details=gtest)
    verdict = evaluate(Config().rules, Evidence.of(r))
    assert verdict.winner is not None and verdict.winner.rule.category == "assertion-failure"
    assert named_verdict(r, verdict) is None


def test_a_bare_diagnostic_with_its_source_place_under_it_is_a_compile_error() -> None:
    line = "error: comparison operators cannot be chained"
    assert name_line(line) is None
    assert name_line(line, (), ["  --> src/mem/mod.rs:1017:29", "   |"]) == Named(
        "compile-error", f"{line} (a diagnostic with its source place under it)")
    assert name_line("error: unused import: `std::mem`", (), ["  ┌─ src/app.gleam:3:1"]) is not None
    assert name_line(line, (), ["", "", "  --> src/mem/mod.rs:1017:29"]) is None  # too far: not its place


def test_a_cmake_configure_error_is_named_by_what_it_says_under_it() -> None:
    at = "CMake Error at projects/sim/CMakeLists.txt:195 (ADD_DEPENDENCIES):"
    assert name_line(at) is None  # alone it does not outrank the line a rule decided on under it
    own = name_line(at, (), ["  ADD_DEPENDENCIES called with incorrect number of arguments"])
    assert own is not None and own.category == "compile-error"
    package = name_line("CMake Error at CMakeLists.txt:17 (find_package):", (), ["  Found package configuration file:"])
    assert package is not None and package.category == "dependency-install-failure"
    missing = name_line(at, (), ["  Could NOT find Boost (missing: filesystem)"])
    assert missing is not None and missing.category == "dependency-install-failure"


def test_a_load_failure_in_a_whole_log_where_no_test_ran_stopped_every_test(tmp_path: Path) -> None:
    """Through the generic verdict: the code under test cannot load and the whole log (the text of an incident read
    from the whole file) shows no test running: P0. A test's pass mark anywhere in it keeps the default (P1)."""
    failing = [*SETUP, "$ bash tests/system/run-system-tests.sh", "Missing Robot Browser library. Install it with:",
               "  python3 -m pip install -r tests/system/browser/requirements.txt", "  rfbrowser init"]
    paths, config = _findings(tmp_path, failing)
    first = find(ingest_for_classify(paths, config.rules).results, config)[0]
    assert (first.category, first.priority) == ("import-collection-error", "P0")
    assert "shows no test running" in first.root_cause
    some_ran = [*failing[:40], "test_login ... ok", "12 passed in 3.1s", *failing[40:]]
    (tmp_path / "job.log").write_text("\n".join(some_ran) + "\n", encoding="utf-8")
    again = find(ingest_for_classify(paths, config.rules).results, config)[0]
    assert (again.category, again.priority) == ("import-collection-error", "P1")


def test_a_load_failure_the_runner_says_ran_no_test_stopped_every_test(tmp_path: Path) -> None:
    lines = ["An error occurred while loading ./spec/models/user_spec.rb.",
             "", "# Gem::LoadError:", "#   sqlite3 is not part of the bundle. Add it to your Gemfile.",
             "No examples found.", "",
             "Finished in 0.0001 seconds (files took 1.2 seconds to load)",
             "0 examples, 0 failures, 1 error occurred outside of examples"]
    paths, config = _findings(tmp_path, lines)
    first = find(ingest_for_classify(paths, config.rules).results, config)[0]
    assert (first.category, first.priority) == ("import-collection-error", "P0")


def test_a_rule_deciding_on_a_quoted_source_line_yields_to_the_named_error_line() -> None:
    """jest quotes the test's source under the error: a loose assertion pattern in `6 | expect(...).toBe(...)` does
    not outrank the thrown `TypeError` the result's line names."""
    from gardener.generic_rule import named_verdict
    from gardener.model import Result, Source
    from gardener.rules.engine import Evidence, evaluate

    text = ("TypeError: Cannot read properties of undefined (reading 'suite')\n\n"
            "      5 | test('x', () => {\n    > 6 |     expect(true).toBe(true);\n        |     ^")
    r = Result(id="log:x:1", outcome="error", source=Source("x.log", "log"), source_line=3, message=text.split("\n")[0],
               details=text)
    verdict = evaluate(Config().rules, Evidence.of(r))
    assert verdict.winner is not None and verdict.winner.rule.category == "assertion-failure"
    named = named_verdict(r, verdict)
    assert named is not None and named.winner is not None and named.winner.rule.category == "runtime-exception"


# NuGet's per-package folders (`<id>.<version>/`): packages.config's `packages/`, Cake's `tools/` and `addins/`
# (corpus18's Cake recipe), where a diagnostic is a fetched package's; a project's own dotted folder or a monorepo's
# `packages/<name>/` has no version and stays the project's.
@pytest.mark.parametrize(("line", "category"), [
    ("/src/app/tools/Acme.Cake.Recipe.1.0.88/parameters.cake(147,45): error CS1061: 'IBuildProvider' does not contain "
     "a definition for 'IsHosted'", "dependency-install-failure"),
    (r"C:\b\packages\Acme.Json.12.0.3\lib\Json.cs(3,1): error CS0246: The type 'Span' could not be found",
     "dependency-install-failure"),
    ("/src/app/tools/Acme.Cake.Recipe/parameters.cake(147,45): error CS1061: 'IBuildProvider' does not contain a "
     "definition for 'IsHosted'", "compile-error"),
    ("packages/cart/src/total.cs(3,1): error CS0246: The type 'Span' could not be found", "compile-error"),
])
def test_a_diagnostic_in_a_nuget_package_folder_is_the_fetched_packages(line: str, category: str) -> None:
    named = name_line(line)
    assert named is not None and named.category == category, line


# The Linux kernel's sanitizers are read as the user-space ones (AddressSanitizer -> segfault-crash): kmemleak
# (corpus19's syzbot report), KASAN, UBSAN; a kernel WARNING (corpus19's other syzbot report, a runtime exception) and
# a test that names a leak in its own words are not.
@pytest.mark.parametrize(("line", "want"), [
    ("BUG: memory leak", "segfault-crash"),
    ("BUG: KASAN: use-after-free in sctp_process_init+0xa7e/0xc20", "segfault-crash"),
    ("UBSAN: shift-out-of-bounds in net/sctp/sm_make_chunk.c:12:3", "segfault-crash"),
    # (kernel_report.py names a WARN splat a run-time check firing: a runtime exception, not a crash.)
    ("WARNING: CPU: 0 PID: 7046 at drivers/usb/core/urb.c:478 usb_submit_urb+0x1188/0x1460", "runtime-exception"),
    ("expected no memory leak, found 2 leaked buffers", "assertion-failure"),
])
def test_kernel_sanitizer_reports_are_native_crashes(line: str, want: str | None) -> None:
    named = name_line(line)
    assert (named.category if named else None) == want, line


def test_swift_testings_expectation_is_an_assertion_and_an_http_417_is_not() -> None:
    named = name_line("Test totalAddsUp() recorded an issue at CartTests.swift:8:5: Expectation failed: "
                      "(cart.total → 2) == 3")
    assert named is not None and named.category == "assertion-failure"
    assert name_line("< HTTP/1.1 417 Expectation Failed") is None


def test_erlangs_exception_report_is_a_runtime_exception() -> None:
    named = name_line("** exception error: undefined function acme_cart:total/1")
    assert named is not None and named.category == "runtime-exception"
    assert name_line("** exception exit: {noproc,{gen_server,call,[acme_cart,total]}}") is not None
    assert name_line("** exceptional circumstances aside, all 12 tests passed") is None
