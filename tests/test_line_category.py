"""The generic layer (issue 12 items 1-2): a failed log of a tool no rule knows is named from its explaining
line's own words (gardener/line_category.py, generic_rule.py), on that line, and decoys do not win."""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.classify import find
from gardener.config import Config
from gardener.line_category import name_line
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
    assert first.results[0].source.line == 42
    assert "could not find package" in first.root_cause


def test_a_failure_whose_words_name_nothing_stays_unclassified_on_its_line(tmp_path: Path) -> None:
    lines = [*SETUP, "Error: rendered manifests contain a resource that already exists.",
             "##[error]Process completed with exit code 1."]
    paths, config = _findings(tmp_path, lines)
    first = find(ingest_for_classify(paths, config.rules).results, config)[0]
    assert first.category == "unclassified"
    assert first.results[0].source.line == 41


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
    assert located is not None and located.source.line == 42


@pytest.mark.xfail(strict=True, reason="defect: the runner-log reader (incidents.py / anchors.py) makes an incident "
                   "of a `fatal:` line in Actions' post-job cleanup, and it outranks the failing step's own line")
def test_post_job_cleanup_is_never_the_explaining_line(tmp_path: Path) -> None:
    paths, config = _findings(tmp_path, CLEANUP_LOG)
    first = find(ingest_for_classify(paths, config.rules).results, config)[0]
    assert first.results[0].source.line == 42


def test_a_rules_finding_is_shown_on_the_line_that_says_what_failed(tmp_path: Path) -> None:
    """A pasted R CMD check excerpt: the rule decides on `Running examples ... failed`; the line saying what failed
    is the `Error in`."""
    lines = ["  Running examples in 'pkg-Ex.R' failed",
             "  The error most likely occurred in:", "  > trees = get_clone_trees(x)",
             "  Error in get_clone_trees(x) : ", "    Your data should have driver events annotated.",
             "  Execution halted"]
    paths, config = _findings(tmp_path, lines)
    first = find(ingest_for_classify(paths, config.rules).results, config)[0]
    assert first.category == "runtime-exception" and not first.rule_id.startswith("generic.")
    assert first.results[0].source.line == 4


def test_a_readers_incident_moves_to_the_line_that_names_its_category(tmp_path: Path) -> None:
    """The reader keeps R CMD check's `* checking examples ... ERROR` verdict; the `Error in` below says what failed
    and names the same category, so the incident (still the rule's) is shown there."""
    lines = [*SETUP, "* checking examples ... ERROR", "  Running examples in 'pkg-Ex.R' failed",
             "  The error most likely occurred in:", "  > trees = get_clone_trees(x)",
             "  Error in get_clone_trees(x) : ", "    Your data should have driver events annotated.",
             "  Execution halted"]
    paths, config = _findings(tmp_path, lines)
    first = find(ingest_for_classify(paths, config.rules).results, config)[0]
    assert first.category == "runtime-exception" and not first.rule_id.startswith("generic.")
    assert first.results[0].source.line == 45


def test_an_error_with_no_words_of_its_own_under_a_linters_command_is_that_check_failing() -> None:
    named = name_line("Error: issues found", ["run golangci-lint", "  Running [/home/runner/golangci-lint run]"])
    assert named is not None and named.category == "lint-failure" and "golangci-lint" in named.words
    assert name_line("Error: issues found") is None  # no context: nothing names it
    # A command line alone names nothing (the locator must not take `$ rubocop ...` for the failure).
    assert name_line("9.49s$ rubocop --rails --display-cop-names") is None
