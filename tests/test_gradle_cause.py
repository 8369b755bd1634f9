"""A finding decided on the wrapper exception opening Gradle's `--stacktrace` stack takes as its evidence line the
cause Gradle's `* What went wrong:` report states (gardener/gradle_cause.py); its category, key and title stay.

Logs are cuts of real ones (source above each: lines kept verbatim, runs of lines cut).
"""

from __future__ import annotations

from pathlib import Path

from gardener.config import Config
from gardener.gradle_cause import to_gradle_cause
from gardener.model import Result, Source
from tests.corpus_scoring import classified, first_finding

# https://github.com/drallgood/jpasskit/blob/1ce89c852b4639a76320e8bcff85873bd0ae3c14/0_deploy.txt (corpus24 item 3):
# the JReleaser plugin's task throws a NullPointerException; Gradle's report quotes its message under the task.
JPASSKIT = [
    "2026-02-07T17:35:26.3578241Z > Task :jreleaserFullRelease FAILED",
    "2026-02-07T17:35:26.3583646Z [INFO]  JReleaser 1.21.0",
    "2026-02-07T17:35:26.4556402Z ",
    "2026-02-07T17:35:26.4557731Z FAILURE: Build failed with an exception.",
    "2026-02-07T17:35:26.4558999Z ",
    "2026-02-07T17:35:26.4559339Z * What went wrong:",
    "2026-02-07T17:35:26.4560192Z Execution failed for task ':jreleaserFullRelease'.",
    "2026-02-07T17:35:26.4561957Z > Cannot invoke \"org.gradle.api.provider.Provider.isPresent()\" because "
    "\"this.immutableRelease\" is null",
    "2026-02-07T17:35:26.4562946Z ",
    "2026-02-07T17:35:26.4563235Z * Try:",
    "2026-02-07T17:35:26.4563999Z > Run with --debug option to get more log output.",
    "2026-02-07T17:35:26.4566098Z > Get more help at https://help.gradle.org.",
    "2026-02-07T17:35:26.4566667Z ",
    "2026-02-07T17:35:26.4587427Z * Exception is:",
    "2026-02-07T17:35:26.4589008Z org.gradle.api.tasks.TaskExecutionException: Execution failed for task "
    "':jreleaserFullRelease'.",
    "2026-02-07T17:35:26.4591456Z \tat org.gradle.api.internal.tasks.execution.ExecuteActionsTaskExecuter.lambda$"
    "executeIfValid$1(ExecuteActionsTaskExecuter.java:130)",
    "2026-02-07T17:35:26.4593679Z \tat org.gradle.internal.Try$Failure.ifSuccessfulOrElse(Try.java:282)",
]

# https://github.com/openfoodfacts/openfoodfacts-androidapp/issues/295 (corpus4 item c4-gradle-004): the unit-test
# task fails; the report names only the task.
OPENFOODFACTS = [
    ":app:testDebugUnitTest FAILED",
    "FAILURE: Build failed with an exception.",
    "* What went wrong:",
    "Execution failed for task ':app:testDebugUnitTest'.",
    "* Try:",
    "Run with --info or --debug option to get more log output.",
    "* Exception is:",
    "org.gradle.api.tasks.TaskExecutionException: Execution failed for task ':app:testDebugUnitTest'.",
    "    at org.gradle.api.internal.tasks.execution.ExecuteActionsTaskExecuter.executeActions("
    "ExecuteActionsTaskExecuter.java:69)",
]

# https://github.com/shadowsocks/shadowsocks-android/issues/1863: the stack pasted without Gradle's report above it.
# The near-miss: nothing to point at, the wrapper line stays the evidence.
SHADOWSOCKS = [
    "org.gradle.api.tasks.TaskExecutionException: Execution failed for task ':core:goBuild'.",
    "\tat org.gradle.api.internal.tasks.execution.ExecuteActionsTaskExecuter.executeActions("
    "ExecuteActionsTaskExecuter.java:100)",
    "\tat org.gradle.api.internal.tasks.execution.ExecuteActionsTaskExecuter.execute("
    "ExecuteActionsTaskExecuter.java:70)",
]

# https://github.com/Drivemode/MediaFacade/issues/3: a rule decides on the report's own cause line; untouched.
MEDIAFACADE = [
    "FAILURE: Build failed with an exception.",
    "",
    "* What went wrong:",
    "Execution failed for task ':app:compileDebugJavaWithJavac'.",
    "> Compilation failed; see the compiler error output for details.",
    "",
    "* Try:",
    "Run with --info or --debug option to get more log output.",
    "",
    "* Exception is:",
    "org.gradle.api.tasks.TaskExecutionException: Execution failed for task ':app:compileDebugJavaWithJavac'.",
    "        at org.gradle.api.internal.tasks.execution.ExecuteActionsTaskExecuter.executeActions("
    "ExecuteActionsTaskExecuter.java:69)",
]


def _line_of(lines: list[str], needle: str) -> int:
    return next(n for n, line in enumerate(lines, 1) if needle in line)


def test_the_reports_deepest_cause_is_the_evidence(tmp_path: Path) -> None:
    assert first_finding(tmp_path, JPASSKIT) == ("runtime-exception", _line_of(JPASSKIT, "> Cannot invoke"))


def test_a_report_naming_only_the_task_points_at_it(tmp_path: Path) -> None:
    _, line = first_finding(tmp_path, OPENFOODFACTS)
    assert line == _line_of(OPENFOODFACTS, "Execution failed for task ':app:testDebugUnitTest'.")


def test_the_key_and_title_stay_the_wrappers(tmp_path: Path) -> None:
    path = tmp_path / "job.log"
    path.write_text("\n".join(JPASSKIT) + "\n", encoding="utf-8")
    first = classified(path, Config())[0]
    assert first.results[0].message == "org.gradle.api.tasks.TaskExecutionException"
    assert "TaskExecutionException" in first.signature.text


def test_a_stack_without_a_report_keeps_its_line(tmp_path: Path) -> None:
    assert first_finding(tmp_path, SHADOWSOCKS)[1] == 1


def test_a_rule_that_decides_on_the_report_is_untouched(tmp_path: Path) -> None:
    assert first_finding(tmp_path, MEDIAFACADE) == ("compile-error", _line_of(MEDIAFACADE, "> Compilation failed"))


def test_only_the_wrapper_right_under_the_label_moves() -> None:
    r = Result(id="log:x:excerpt", outcome="error", source=Source("x", "log"), source_line=9, message="x")
    lines = [*OPENFOODFACTS[:8], "org.example.FooException: boom"]
    assert to_gradle_cause(r, lines) is r  # not a wrapper exception
    under_a_frame = replace_line(OPENFOODFACTS, 9, OPENFOODFACTS[7])
    assert to_gradle_cause(r, under_a_frame) is r  # the wrapper is not right under `* Exception is:`


def replace_line(lines: list[str], number: int, text: str) -> list[str]:
    return [text if n == number else line for n, line in enumerate(lines, 1)]
