"""Diagnostics named by their shape (gardener/diagnostic_shapes.py), the timeout option boundary, and the locator's
post-actions and wrapper-only cases (session 9, generic-compile).

Each shape is one that at least two projects' logs in the train sets print (named in the comments), written here
with made-up names; each has a boundary case where the same words belong elsewhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.buildkit_output import last_output
from gardener.config import Config
from gardener.diagnostic_shapes import shape_of
from gardener.ingest.runner_log.locator import is_wrapper_line, locate
from gardener.line_category import name_line
from tests.corpus_scoring import evidence_lines
from tests.rules.excerpt_first import first_finding_of


def category(line: str, before: tuple[str, ...] = (), after: tuple[str, ...] = ()) -> str | None:
    named = name_line(line, before, after)
    return None if named is None else named.category


# GHC's place-then-message (github-backup's Utility/*.hs, ShellCheck's Regex.hs under ghci).
def test_a_message_under_its_bare_source_place_is_the_compilers() -> None:
    before = ("", "src/Lib/Parse.hs:14:8:")
    assert category("    Could not find module ‘Data.Frobnicate’", before) == "compile-error"


def test_a_place_in_a_fetched_package_is_the_dependencys() -> None:
    before = ("/home/u/.cabal/packages/hackage.haskell.org/foo-1.0/src/Foo.hs:3:1:",)
    assert category("    Could not find module ‘Bar’", before) == "dependency-install-failure"


def test_a_go_test_log_place_has_no_column_and_names_no_compile_error() -> None:
    assert shape_of("    got 3 want 4", ("    parse_test.go:41:",)) is None


# Terraform's validation errors (emblem's Cloud Build `tf plan`, the eighth set's missing argument).
TF_AFTER = ("│ ", '│   on main.tf line 4, in module "ops":', "│    4:   region = var.region")


def test_a_configuration_error_with_its_place_under_it_is_a_compile_error() -> None:
    assert category("│ Error: Unsupported argument", (), TF_AFTER) == "compile-error"
    prefixed = tuple(f'Step #1 - "plan": {a}' for a in TF_AFTER)
    assert category('Step #1 - "plan": │ Error: Unsupported argument', (), prefixed) == "compile-error"


def test_a_providers_error_naming_its_resource_is_not_a_configuration_error() -> None:
    after = ("│ ", "│   with aws_s3_bucket.logs,", '│   on main.tf line 3, in resource "aws_s3_bucket" "logs":')
    assert shape_of("│ Error: creating bucket", (), after) is None


# A build script that does not compile (Gradle's Kotlin DSL; Groovy's, as Gradle and Jenkins raise it).
@pytest.mark.parametrize("line", [
    "ScriptCompilationException(errors=[ScriptCompilationError(message=Unresolved reference: libs, location=x)])",
    "org.codehaus.groovy.control.MultipleCompilationErrorsException: startup failed:",
])
def test_an_exception_named_for_a_failed_compilation_is_a_compile_error(line: str) -> None:
    assert category(line) == "compile-error"


def test_a_class_named_compilation_unit_is_no_compile_error() -> None:
    assert category("java.lang.IllegalStateException: CompilationUnit not set") == "runtime-exception"


# xcodebuild's failed-commands list (sonar-swift's CompileSwift, the twelfth set's archive).
def test_a_compile_command_xcodebuild_lists_as_failed_is_a_compile_error() -> None:
    before = ("The following build commands failed:", "\tCompileC /tmp/x/App.o App.m normal arm64", "(1 failure)")
    assert category("** BUILD FAILED **", before) == "compile-error"


def test_a_signing_step_xcodebuild_lists_as_failed_is_not() -> None:
    before = ("The following build commands failed:", "\tCodeSign /tmp/x/App.app", "(1 failure)")
    assert shape_of("** ARCHIVE FAILED **", before) is None


# go vet's findings, bare (gopl.io, etcd) and under gometalinter or golangci-lint (containerd).
@pytest.mark.parametrize("line", [
    "cmd/tool/main_test.go:21: arg items for printf verb %d of wrong type: []string",
    "pkg/store/store.go:603::error: arg k.Kind for printf verb %s of wrong type: store.Kind (vet)",
    "pkg/cache/cache.go:119:11: Error return value of `c.flush` is not checked (errcheck)",
])
def test_go_vets_and_linters_findings_are_lint_failures(line: str) -> None:
    assert category(line) == "lint-failure"


def test_golangci_typecheck_is_the_compilers() -> None:
    assert category("pkg/a/a.go:3:2: undefined: Frob (typecheck)") != "lint-failure"


# A timeout option's name is no timeout (sonar-swift's `-destination-timeout 60`); a timeout stays one.
def test_a_timeout_options_name_is_not_a_timeout() -> None:
    assert category("ERROR - Command 'xcodebuild build -destination-timeout 60' failed with error code: 65") is None
    assert category("Error: step timed out after --timeout 30 seconds") == "timeout-hang"


# The locator: a Jenkins pipeline's post actions (the seventeenth set's Azure deploy and Harbor builds).
JENKINS = """[Pipeline] stage
[Pipeline] { (Deploy)
[Pipeline] sh
+ ./deploy.sh
Unable to connect to the deploy host. Make sure the CLI is installed and try again
[Pipeline] }
[Pipeline] // stage
[Pipeline] stage
[Pipeline] { (Declarative: Post Actions)
[Pipeline] echo
Pipeline failed!
[Pipeline] }
[Pipeline] // stage
[Pipeline] End of Pipeline
ERROR: script returned exit code 1
Finished: FAILURE
"""


def test_the_post_actions_notice_is_not_the_evidence(tmp_path: Path) -> None:
    first = first_finding_of(JENKINS, Config(), tmp_path)
    assert evidence_lines(first, JENKINS) == {5}


def test_a_failure_only_in_the_post_actions_is_still_found(tmp_path: Path) -> None:
    text = JENKINS.replace("Unable to connect to the deploy host. Make sure the CLI is installed and try again",
                           "deployed.")
    first = first_finding_of(text, Config(), tmp_path)
    assert evidence_lines(first, text) == {11}


# Google Cloud Build's step verdict (emblem's terraform, the seventeenth set's RBAC item) is a wrapper.
def test_cloud_builds_step_verdict_is_a_wrapper(tmp_path: Path) -> None:
    assert is_wrapper_line('ERROR: build step 0 "gcr.io/cloud-builders/docker" failed: step exited with '
                           "non-zero status: 1")
    text = "\n".join(["Starting Step #0", *(f'Step #0: {a}' for a in (
        "╷", "│ Error: Missing required argument", "│ ", '│   on vars.tf line 2, in module "net":', "╵")),
        "Finished Step #0", "ERROR",
        'ERROR: build step 0 "hashicorp/terraform" failed: step exited with non-zero status: 1', ""])
    first = first_finding_of(text, Config(), tmp_path)
    assert (first.category, evidence_lines(first, text)) == ("compile-error", {3})


# Elixir 1.15's undefined variables (BlockingQueue's mix.exs; elixir-lang/elixir#12601's lib/some.ex), in a dependency
# mix fetched (calibex's and elixilorem's mix.exs under deps/).
def test_elixirs_undefined_variable_is_a_compile_error() -> None:
    assert category('error: undefined variable "deps"') == "compile-error"
    assert category('error: undefined variable "color"', (), ("  lib/paint.ex:14: Paint.say/2",)) == "compile-error"
    assert category("** (CompileError) lib/paint.ex: cannot compile module Paint (errors have been logged)") == (
        "compile-error")


def test_elixirs_error_in_a_fetched_dependency_is_the_dependencys() -> None:
    after = ("  /app/deps/lorem/mix.exs:9: Lorem.Mixfile.project/0",)
    assert category('error: undefined variable "package"', (), after) == "dependency-install-failure"


def test_phps_undefined_variable_is_no_compile_error() -> None:
    assert category("Warning: Undefined variable $user in /app/src/page.php on line 12") != "compile-error"


# A codespan diagnostic's place in a tool's dependency directory (gleam-dotnet's build/packages/gleam_stdlib).
def test_a_diagnostic_placed_in_gleams_packages_is_the_dependencys() -> None:
    place = "   ┌─ /home/u/app/build/packages/gleam_json/src/gleam/json.gleam:71:3"
    assert category("error: Unknown variable", (), (place,)) == "dependency-install-failure"
    assert category("error: Unknown variable", (), ("   ┌─ /home/u/app/src/app.gleam:7:3",)) == "compile-error"


# Meson's configuration errors (libkiwix's old format; conmon's, netatalk's and util-linux's current one).
@pytest.mark.parametrize(("line", "after", "want"), [
    ('meson.build:37:0: ERROR: Unknown variable "cc".', (), "compile-error"),
    ('lib/util/meson.build:22:3: ERROR: Unknown variable "have_x".', (), "compile-error"),
    ("Meson encountered an error in file meson.build, line 87, column 5:", ('Unknown variable "inc_path".',),
     "compile-error"),
    ('meson.build:12:0: ERROR: Dependency "glib-2.0" not found, tried pkgconfig', (), "dependency-install-failure"),
])
def test_mesons_configuration_errors(line: str, after: tuple[str, ...], want: str) -> None:
    assert category(line, (), after) == want


# MSBuild cannot load the project's own project file (Seq.App.Teams, ReactiveUI, PKHeX under MSBuild 14).
def test_msbuild_cannot_load_the_projects_file() -> None:
    line = (r"C:\projects\app\src\App\App.csproj(1,1): error MSB4041: The default XML namespace of the project must "
            "be the MSBuild XML namespace.")
    assert category(line) == "compile-error"


@pytest.mark.parametrize("line", [
    r"C:\projects\app\packages\Docs.1.4.1\build\Docs.targets(2,1): error MSB4041: The default XML namespace of the "
    "project must be the MSBuild XML namespace.",
    r'C:\projects\app\build\Common.targets(100,5): error MSB3073: The command "gen.exe" exited with code 1.',
])
def test_msbuild_errors_not_about_the_projects_file(line: str) -> None:
    assert shape_of(line) is None


# poetry's console (cleo) renders an exception's name alone, its message a blank line under it (c3's
# SolverProblemError, the seventeenth set's EnvCommandError); a Java exception's frames under its name are no message.
def test_an_exceptions_name_alone_gives_way_to_its_message() -> None:
    lines = [(1, "Installing dependencies"), (2, ""), (3, "  SolverProblemError"), (4, ""),
             (5, "  Because app depends on lib (^9.0) which doesn't match any versions, version solving failed."),
             (6, "")]
    assert locate(lines) == (5, lines[4][1])
    java = [(1, "java.lang.NullPointerException"), (2, "\tat org.x.Y.z(Y.java:3)")]
    assert locate(java) == (1, "java.lang.NullPointerException")


# Vercel's verdict on the build command (two projects' Next.js builds in the seventeenth set) is a wrapper, Next.js's
# closing line a summary: the evidence is the error above them.
VERCEL = """[00:28:13.962] Creating an optimized production build ...
[00:28:30.040] Failed to compile.
[00:28:30.041]
[00:28:30.041] ./src/lib/format.ts
[00:28:30.041] Error: x Expected unicode escape
[00:28:30.051] ,-[/vercel/path0/src/lib/format.ts:12:1]
[00:28:30.051] `----
[00:28:30.051]
[00:28:30.052] > Build failed because of webpack errors
[00:28:30.116] Error: Command "npm run build" exited with 1
"""


def test_vercels_and_nexts_closing_lines_are_not_the_evidence(tmp_path: Path) -> None:
    assert is_wrapper_line('Error: Command "npm run build" exited with 1')
    first = first_finding_of(VERCEL, Config(), tmp_path)
    assert evidence_lines(first, VERCEL) == {5}


# BuildKit's verdict on a step gives way to what the step printed last (the ninth set's jenkins-plugin-cli image, the
# seventeenth set's nginx image under Jenkins).
BUILDKIT = """#9 [stage-1 4/4] RUN addgroup -S web && adduser web
#9 0.174 addgroup: group 'web' in use
#9 ERROR: process "/bin/sh -c addgroup -S web && adduser web" did not complete successfully: exit code: 1
------
 > [stage-1 4/4] RUN addgroup -S web && adduser web:
0.174 addgroup: group 'web' in use
------
ERROR: failed to solve: process "/bin/sh -c addgroup -S web && adduser web" did not complete successfully: exit code: 1
"""


def test_buildkits_verdict_gives_way_to_the_steps_last_output() -> None:
    lines = BUILDKIT.split("\n")
    assert last_output(lines, 3) == (2, "addgroup: group 'web' in use")
    assert last_output(lines, 8) is None  # `failed to solve` is the build's verdict, not the step's
    assert last_output(["#3 [2/2] RUN make", "#4 0.5 ok", "#3 ERROR: process \"/bin/sh -c make\" did not complete"],
                       3) is None  # another step's output is not this step's


def test_a_buildkit_failure_has_the_steps_output_as_evidence(tmp_path: Path) -> None:
    first = first_finding_of(BUILDKIT, Config(), tmp_path)
    assert (first.category, evidence_lines(first, BUILDKIT)) == ("docker-build-failure", {2})


# xcpretty's compile error, whose formatter drops the `error:` label (fastlane#18765's generated _vers.c; xcpretty's
# Formatter#format_compile_error prints `❌  <path>:<line>:<col>: <reason>`): a finding, and a compile error.
def test_xcprettys_compile_error(tmp_path: Path) -> None:
    text = ("▸ Compiling main.m\n▸ Compiling Shop_vers.c\n"
            "❌  /Users/ci/DerivedData/Shop/Build/DerivedSources/Shop_vers.c:5:70: expected identifier\n"
            " const double ShopVersionNumber = (double)ios.;\n         ^\n")
    first = first_finding_of(text, Config(), tmp_path)
    assert (first.category, evidence_lines(first, text)) == ("compile-error", {3})
    assert shape_of("❌  error: Signing for \"Shop\" requires a development team.") is None


# The Dart analyzer's count (the Azure Flutter task's 38339 issues; flutter#20855's 72 TODO infos; dart-lang/core's 3
# issues): alone it is the finding, a lint failure; beside the findings it counts, a finding is the evidence.
def test_the_dart_analyzers_count_alone_is_a_lint_failure(tmp_path: Path) -> None:
    text = "2023-08-08T07:54:14.4821493Z 38339 issues found. (ran in 32.2s)\n\nTelemetry is not sent.\n"
    first = first_finding_of(text, Config(), tmp_path)
    assert (first.category, evidence_lines(first, text)) == ("lint-failure", {1})


def test_the_dart_analyzers_findings_are_better_evidence_than_its_count(tmp_path: Path) -> None:
    text = ("dart analyze --fatal-infos\nAnalyzing shop...\n\n"
            "   info • lib/src/cart.dart:38:18 • 'List' is deprecated and shouldn't be used. • deprecated_member_use\n"
            "\n1 issue found.\n")
    first = first_finding_of(text, Config(), tmp_path)
    assert (first.category, evidence_lines(first, text)) == ("lint-failure", {4})


# A wrapper's `Error:` that says only that a process exited non-zero names no exception, even under a test's FAIL
# line (kuttl's `Error: error running script "just" in Devbox: exit status 1`); a thrown Error there still does.
def test_a_wrappers_error_that_exited_names_no_exception() -> None:
    before = ("--- FAIL: e2e/harness/install (904.00s)", "FAIL", "error: Recipe `test` failed with exit code 1")
    assert category('Error: error running script "just" in Devbox: exit status 1', before) is None
    assert category("Error: ENOENT reading fixture", ("--- FAIL: TestLoad (0.01s)",)) == "runtime-exception"


# makepkg's verdict on a PKGBUILD function (sc-controller's build(), cargo-generate's check()) is a wrapper: the
# evidence is the error above it.
def test_makepkgs_verdict_is_a_wrapper(tmp_path: Path) -> None:
    assert is_wrapper_line("==> ERROR: A failure occurred in build().")
    text = ('==> Starting build()...\n  File "setup.py", line 23\n    license=\'GPL2\',\n          ^\n'
            "SyntaxError: invalid syntax\n==> ERROR: A failure occurred in build().\n    Aborting...\n")
    first = first_finding_of(text, Config(), tmp_path)
    assert (first.category, evidence_lines(first, text)) == ("syntax-error", {5})


# A shell's `set -u` stopping the script (aos-cd-jobs' Jenkins step, a Docker action's entrypoint.sh) explains the
# wrapper after it.
def test_an_unbound_variable_explains_the_wrapper(tmp_path: Path) -> None:
    text = ("+ source ./activate\n++ export PATH=/opt/ci/bin:/usr/bin\n"
            "/tmp/jenkins3113.sh: line 3: PULL_REFS: unbound variable\n++ set +o xtrace\n"
            "Build step 'Execute shell' marked build as failure\n")
    first = first_finding_of(text, Config(), tmp_path)
    assert evidence_lines(first, text) == {3}


def test_a_compilers_wrapper_exception_is_not_a_compile_diagnostic() -> None:
    assert shape_of("Caused by: org.jetbrains.kotlin.gradle.tasks.CompilationErrorException: Compilation error. "
                    "See log for more details") is None
    assert shape_of("org.gradle.api.internal.tasks.compile.CompilationFailedException: Compilation failed; see the "
                    "compiler error output for details.") is None


# A type checker's count of its errors when no diagnostic is shown: tsc and vue-tsc (corpus10, corpus3, corpus16),
# mypy (corpus3, corpus4, corpus6, corpus16), and tsc's file table under the count.
@pytest.mark.parametrize(("line", "before"), [
    ("Found 135 errors in 13 files.", ()),
    ("Found 1 error in src/cart.ts:3", ()),
    ("[6:53:23 PM] Found 2 errors in 2 files.", ()),
    ("Found 3 errors in 2 files (checked 176 source files)", ()),
    ("Errors  Files", ("Found 135 errors in 13 files.", "")),
])
def test_a_type_checkers_count_of_its_errors_is_a_compile_error(line: str, before: tuple[str, ...]) -> None:
    assert category(line, before) == "compile-error"


def test_a_linters_bare_count_or_a_table_without_the_count_is_not() -> None:
    assert category("Found 1 error.") != "compile-error"  # ruff's count names no files
    assert category("Found 2 errors in the configuration") != "compile-error"
    assert category("Errors  Files", ("Summary of the nightly run:",)) != "compile-error"


# A Python linter's code for a file that does not parse: flake8/pycodestyle's E999 (corpus15's flake8 run; ruff keeps
# the code), pylint's E0001. Other codes of the same linters stay lint findings.
@pytest.mark.parametrize("line", [
    "./docs/app/service.py:22:157: E999 SyntaxError: invalid syntax",
    "src/acme/cart.py:4:5: E999 IndentationError: unexpected indent",
    "acme/cart.py:3:0: E0001: Parsing failed: 'invalid syntax (acme.cart, line 3)' (syntax-error)",
])
def test_a_linters_code_for_a_file_that_does_not_parse_is_a_syntax_error(line: str) -> None:
    assert category(line) == "syntax-error"


@pytest.mark.parametrize("line", ["./app/service.py:22:80: E501 line too long (120 > 79 characters)",
                                  "acme/cart.py:3:0: E0602: Undefined variable 'x' (undefined-variable)"])
def test_a_linters_other_codes_stay_lint_findings(line: str) -> None:
    assert category(line) == "lint-failure"


def test_a_flake8_syntax_check_run_is_a_syntax_error_not_the_linter_rules(tmp_path: Path) -> None:
    text = ("$ flake8 . --count --select=E9,F63,F7,F82 --show-source --statistics\n"
            "./docs/app/service.py:22:157: E999 SyntaxError: invalid syntax\n"
            "print \"Welcome\"\n"
            "      ^\n"
            "1     E999 SyntaxError: invalid syntax\n"
            "1\n")
    first = first_finding_of(text, Config(), tmp_path)
    assert (first.category, first.priority) == ("syntax-error", "P1")
