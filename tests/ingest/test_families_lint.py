"""Every alternative of families_lint.py's anchor rules reaches `lint` through match_anchor, and the passing
lines around a lint step never do. Each line follows the tool's own output format (cited beside it)."""

from __future__ import annotations

import pytest

from gardener.ingest.runner_log.anchor_rule import SPECIFIC, WRAPPER
from gardener.ingest.runner_log.anchors import match_anchor
from gardener.ingest.runner_log.grouping import error_type_of


@pytest.mark.parametrize(
    ("line", "rank"),
    [
        # Checkstyle's plain formatter under maven-checkstyle-plugin, and Gradle's Ant task.
        ("[ERROR] src/main/java/com/acme/App.java:[12,5] (javadoc) MissingJavadocMethod: Missing a Javadoc comment.",
         SPECIFIC),
        ("[ant:checkstyle] [ERROR] /w/src/main/java/com/acme/App.java:12:5: Missing a Javadoc comment. "
         "[MissingJavadocMethod]", SPECIFIC),
        # spotbugs-maven-plugin's check goal.
        ("[ERROR] Medium: com.acme.App.getItems() may expose internal representation by returning App.items "
         "[com.acme.App] At App.java:[line 42] EI_EXPOSE_REP", SPECIFIC),
        ("[INFO] PMD Failure: com.acme.App:42 Rule:UnusedPrivateField Priority:3 Avoid unused private fields.",
         SPECIFIC),
        # cpplint: `file:line:  message  [category/sub] [confidence]`.
        ("src/widget.cc:12:  Missing space before {  [whitespace/braces] [5]", SPECIFIC),
        # dotnet format --verify-no-changes.
        ("/w/src/Program.cs(12,5): error WHITESPACE: Fix whitespace formatting. [/w/src/App.csproj]", SPECIFIC),
        ("/w/src/Program.cs(3,1): warning IDE0005: Using directive is unnecessary. [/w/src/App.csproj]", SPECIFIC),
        # ktlint's Gradle plugin (no colon after the column) and commitlint.
        ('/w/src/main/kotlin/App.kt:12:1 Unexpected blank line(s) before "}" (standard:no-blank-line-before-rbrace)',
         SPECIFIC),
        ("✖   subject may not be empty [subject-empty]", SPECIFIC),
        # PHP-CS-Fixer's dry run, ansible-lint, editorconfig-checker, Vale, buf, SQLFluff, scalafmt, mix format.
        ("   1) src/Controller/HomeController.php (no_unused_imports, ordered_imports)", SPECIFIC),
        ("name[missing]: All tasks should be named.", SPECIFIC),
        ("\t12: Wrong amount of left-padding spaces(want multiple of 2)", SPECIFIC),
        (" 12:5  error  Did you really mean 'recieve'?  Vale.Spelling", SPECIFIC),
        ('proto/acme/v1/widget.proto:12:3:Field name "WidgetId" should be lower_snake_case.', SPECIFIC),
        ("L:  12 | P:   5 | LT01 | Expected only single space before 'FROM' keyword.", SPECIFIC),
        ("[warn] /w/src/main/scala/App.scala isn't formatted properly!", SPECIFIC),
        ("** (Mix) mix format failed due to --check-formatted.", SPECIFIC),
        # eslint's unix formatter, TSLint's prose format, tflint.
        ("/w/src/index.ts:12:7: 'foo' is assigned a value but never used. [Error/@typescript-eslint/no-unused-vars]",
         SPECIFIC),
        ("ERROR: src/app/app.component.ts:12:5 - Missing semicolon", SPECIFIC),
        ('Warning: variable "region" is declared but not used (terraform_unused_declarations)', SPECIFIC),
        # Closing counts: they join the report lines above, never the evidence.
        ("Total errors found: 2", WRAPPER),
        ("✖   found 2 problems, 0 warnings", WRAPPER),
        ("Found 1 of 120 files that can be fixed in 0.512 seconds, 14.000 MB memory used", WRAPPER),
        ("Failed: 2 failure(s), 0 warning(s) on 14 files.", WRAPPER),
        ("Scanned 3 files, found 1 errors in 1 files (12 ms)", WRAPPER),
        ("✖ 1 error, 0 warnings and 0 suggestions in 3 files.", WRAPPER),
        ("1 issue(s) found:", WRAPPER),
        ("Lint errors found in the listed files.", WRAPPER),
        ("Done linting! Found 1 violation, 1 serious in 12 files.", WRAPPER),
        ("[error] (Compile / scalafmtCheck) 1 files must be formatted", WRAPPER),
        ("   > KtLint found code style violations. Please see the following reports:", WRAPPER),
    ],
)
def test_lint_report_lines_anchor_as_lint(line: str, rank: int) -> None:
    anchor = match_anchor(line)
    assert anchor is not None, line
    assert (error_type_of(anchor.rule, anchor.subject), anchor.rule.rank) == ("lint", rank)


@pytest.mark.parametrize(
    "line",
    [
        "H264 decoding is available",  # shaped like a ruff rule code (`F401 ...`): those are left to the rules
        "[INFO] Tests run: 12, Failures: 0, Errors: 0, Skipped: 0",
        "Scanned 3 files, found 0 errors in 0 files (12 ms)",
        "Total errors found: 0",
        "fetch[origin] done",
    ],
)
def test_passing_lines_are_not_lint_anchors(line: str) -> None:
    anchor = match_anchor(line)
    assert anchor is None or error_type_of(anchor.rule, anchor.subject) != "lint", line


@pytest.mark.parametrize(
    "line",
    [
        # Psalm, Pyright, `dart analyze`, Elm and Flow: each checker's own report line.
        "ERROR: UndefinedMethod - src/Cart.php:44:16 - Method App\\Cart::totl does not exist",
        '  /w/src/widget/cart.py:12:16 - error: "totl" is not defined (reportUndefinedVariable)',
        "  error - lib/cart.dart:12:10 - Undefined name 'totl'. - undefined_identifier",
        "-- NAMING ERROR ------------------------------------------------- src/Main.elm",
        "Error ----------------------------------------------------------------- src/cart.js:12:10",
        # sbt 0.13's scalac without a column; gcc's diagnostic indented in pip's wheel build output.
        r"[error] D:\w\src\test\scala\KernelTest.scala:47: type mismatch;",
        "    build/temp.linux-x86_64-2.7/_openssl.c:434:30: fatal error: openssl/opensslv.h: No such file or directory",
    ],
)
def test_type_checker_report_lines_anchor_as_compile_errors(line: str) -> None:
    anchor = match_anchor(line)
    assert anchor is not None, line
    assert (error_type_of(anchor.rule, anchor.subject), anchor.rule.rank) == ("compile-error", SPECIFIC)


@pytest.mark.parametrize(
    "line",
    [
        # The CI systems' time limits, each as its runner prints it (Travis, CircleCI, Azure, Actions).
        "No output has been received in the last 10m0s, this potentially indicates a stalled build.",
        "Too long with no output (exceeded 10m0s): context deadline exceeded",
        "The job running on agent Hosted Agent ran longer than the maximum time of 60 minutes.",
        "The action has timed out.",
    ],
)
def test_ci_time_limits_anchor_as_timeouts(line: str) -> None:
    anchor = match_anchor(line)
    assert anchor is not None, line
    assert (anchor.rule.kind, anchor.rule.rank) == ("timeout", SPECIFIC)
