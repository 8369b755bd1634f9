"""A long job log whose only anchored line is a wrapper: the finding's evidence is the line that explains it.

Two mechanisms: a runner's verdict on the whole job (GitLab's `ERROR: Job failed` after its cleanup
sections) looks for the cause in the last step that ran the job's commands, never in an earlier step that
passed; and a wrapper-only result (`Process completed with exit code 1`) moves to the line above it that a
rule recognises (whole_excerpt.pointed_at_cause).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.corpus_scoring import first_finding

_GITLAB_HEAD = [
    "Running with gitlab-runner 16.6.1 (f5da3c5a)",
    "section_start:1702000000:get_sources",
    "Getting source from Git repository",
    "section_end:1702000004:get_sources",
    "section_start:1702000006:step_script",
    "$ cargo build",
    "   Compiling error-chain v0.12.4",  # a crate named after errors, in a step that passed
    "    Finished dev [unoptimized + debuginfo] target(s) in 41.27s",
]
_GITLAB_TAIL = [
    "section_end:1702000300:step_script",
    "section_start:1702000300:cleanup_file_variables",
    "Cleaning up project directory and file based variables",
    "section_end:1702000301:cleanup_file_variables",
    "ERROR: Job failed: exit code 1",
]


def test_gitlabs_job_verdict_finds_the_failing_commands_output(tmp_path: Path) -> None:
    lines = [*_GITLAB_HEAD, "$ ./gradlew check",
             "Starting a Gradle Daemon (subsequent builds will be faster)",
             "The message received from the daemon indicates that the daemon has disappeared.",
             "Daemon pid: 34", *_GITLAB_TAIL]
    category, line = first_finding(tmp_path, lines)
    assert (category, line) == ("out-of-memory", 11)  # not the `Compiling error-chain` line of `cargo build`


def test_a_wrapper_only_failure_points_at_the_line_a_rule_recognises(tmp_path: Path) -> None:
    lines = ["##[group]Run pytest", "pytest", "##[endgroup]", "Running the suite", "No module named 'pytest'",
             "", "##[error]Process completed with exit code 1.", "Post job cleanup.", "Cleaning up orphan processes"]
    assert first_finding(tmp_path, lines) == ("import-collection-error", 5)


def test_warnings_a_tool_went_on_from_are_never_the_cause(tmp_path: Path) -> None:
    # pip's retry of a timed-out request, npm's engine warning and git describe without a tag, in a console
    # with no steps: the failure is the test's assertion, not a timeout or an install failure.
    lines = [
        "WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after connection"
        " broken by 'ReadTimeoutError(\"HTTPSConnectionPool(host='pypi.org', port=443): Read timed out.\")':"
        " /simple/urllib3/",
        "npm WARN EBADENGINE Unsupported engine {",
        "fatal: No names found, cannot describe anything.",
        "Successfully installed urllib3-2.1.0",
        "  1) Cart totals the items:",
        "     AssertionError: expected 41 to equal 42",
        "make: *** [Makefile:23: test] Error 1",
    ]
    assert first_finding(tmp_path, lines) == ("assertion-failure", 6)


def test_gitlabs_verdict_blames_the_last_command_not_an_earlier_one_that_went_on(tmp_path: Path) -> None:
    # `fatal: ...` printed by `$ ./ci/install.sh`, which GitLab went on from (the next command ran).
    lines = [*_GITLAB_HEAD[:5], "$ ./ci/install.sh", "fatal: could not read the cache index, rebuilding it",
             "Cache rebuilt", "$ ./ci/test.sh", "  1) Cart totals the items:",
             "     AssertionError: expected 41 to equal 42", *_GITLAB_TAIL]
    assert first_finding(tmp_path, lines) == ("assertion-failure", 11)


def test_azures_script_task_says_in_its_step_that_it_failed(tmp_path: Path) -> None:
    lines = [
        "##[section]Starting: Install", "fatal: could not read the cache index, rebuilding it", "Cache rebuilt",
        "##[section]Finishing: Install", "##[section]Starting: Test", "  1) Cart totals the items:",
        "     AssertionError: expected 41 to equal 42", "##[error]Bash exited with code '1'.",
        "##[section]Finishing: Test",
    ]
    assert first_finding(tmp_path, lines) == ("assertion-failure", 7)


def test_a_wrapper_finds_its_cause_above_a_long_trailing_summary(tmp_path: Path) -> None:
    # 30 lines of coverage table and upload between the failure and `Process completed with exit code 1.`
    table = [f"src/widget/mod{n}.py          88     12    86%" for n in range(30)]
    lines = ["##[group]Run ./ci/test.sh", "./ci/test.sh", "##[endgroup]", "Loading the suite",
             "No module named 'widget'", "", "Name  Stmts  Miss  Cover", *table,
             "##[error]Process completed with exit code 1."]
    assert first_finding(tmp_path, lines) == ("import-collection-error", 5)


@pytest.mark.parametrize(
    "wrapper", ["[Step 3/4] Process exited with code 1", " ELIFECYCLE  Test failed. See above for more details."]
)
def test_a_log_that_says_it_failed_always_has_a_finding(tmp_path: Path, wrapper: str) -> None:
    # TeamCity's build step and pnpm's script wrapper, with nothing above them that explains the failure.
    lines = ["Collecting requests", "Successfully installed requests-2.31.0", "Running the suite", wrapper]
    assert first_finding(tmp_path, lines) == ("unclassified", 4)


def test_a_whole_excerpts_evidence_line_is_counted_in_the_file_as_written(tmp_path: Path) -> None:
    # A recovered warning above the failure is blanked for the rules, not removed: the line numbers hold.
    lines = ["npm WARN deprecated glob@7.2.3: Glob versions prior to v9 are no longer supported",
             "Installing", "ERROR: Could not find a version that satisfies the requirement widgetz==9.9 (from versions:"
             " none)", "ERROR: No matching distribution found for widgetz==9.9"]
    category, line = first_finding(tmp_path, lines)
    assert category == "dependency-install-failure" and line in (3, 4)
