"""The generic layer's words for tools nobody wrote a rule for (issue 12 items 1-2), and the priority moves it feeds
(item 3). Each excerpt is written in the shape of real output found in public threads (cited beside it); names and
paths are changed, the shape is the tool's own. A classify run on each must name the category on the explaining line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.classify import find
from gardener.config import Config
from gardener.line_category import name_line
from gardener.priority_evidence import summary_counts
from gardener.priority_setup import outside_test_body
from gardener.whole_excerpt import ingest_for_classify


def _first(tmp_path: Path, text: str) -> tuple[str, str, int | None, str]:
    path = tmp_path / "excerpt.txt"
    path.write_text(text, encoding="utf-8")
    config = Config()
    findings = find(ingest_for_classify([str(path)], config.rules).results, config)
    assert findings, text
    f = findings[0]
    return f.category, f.priority, f.results[0].source_line, f"{f.root_cause} {f.priority_reason}"


# (excerpt, category, the explaining line or lines), each in the shape of a cited public thread.
EXCERPTS: list[tuple[str, str, int | tuple[int, ...]]] = [
    # V8's native stack for its heap limit, as Netlify prints it (netlify/cli#2146, openupm/openupm#726): the frame
    # names FatalProcessOutOfMemory and nothing else on the lines says memory.
    ("2:01:09 PM:  3: 0xb03404 v8::internal::V8::FatalProcessOutOfMemory(v8::internal::Isolate*, char const*, bool)"
     " [/opt/buildhome/.nvm/versions/node/v10.20.1/bin/node]\n"
     "2:01:09 PM:  4: 0xef7462  [/opt/buildhome/.nvm/versions/node/v10.20.1/bin/node]\n",
     "out-of-memory", 1),
    # Travis' own log limit (travis-ci/travis-ci#8562): the runner ended the job, not the project.
    ("Running 1200 specs\n\nThe log length has exceeded the limit of 4 MB (this usually means that the test suite is "
     "raising the same exception over and over).\n\nThe job has been terminated\n",
     "ci-runner-failure", 3),
    # Ruby's Net::HTTP refused by a search service that is not running (Growstuff/growstuff#1047, rubygems.org#1782).
    ("Failures:\n  1) Crop search finds a crop\n     Faraday::ConnectionFailed:\n"
     "       Failed to open TCP connection to localhost:9250 (Cannot assign requested address - connect(2) for "
     "\"localhost\" port 9250)\n",
     "connection-refused", (3, 4)),  # RSpec's failure block: its exception's header or the refusal under it
    # A WebSocket client whose upgrade was answered 403 (helallao/perplexity-ai#44,
    # spinlud/py-linkedin-jobs-scraper#59).
    ("Traceback (most recent call last):\n  File \"bot.py\", line 12, in <module>\n    ws.connect(url)\n"
     "websocket._exceptions.WebSocketBadStatusException: Handshake status 403 Forbidden\n",
     "websocket-handshake-error", 4),
    # gfortran's diagnostic: the place alone on the line above, the error under the caret (jpampuero/sem2dpack#7,
    # dftbplus/mpifx#43), pasted as a markdown quote.
    ("> src/solver_mod.f90:339:78:\n>\n>   339 |        v(i)=nr_solver(f,it,theta(i))\n"
     ">       |                                                                              1\n"
     "> Error: Symbol 'it' at (1) has no IMPLICIT type; did you mean 'i'?\n",
     "compile-error", 5),
    # dune's place above its `Error:` (ocaml/opam#3718): the build definition does not build.
    ("dune build --profile=release opam-installer.install opam.install\n"
     "File \"src_ext/cppo/src/jbuild\", line 10, characters 10-50:\n"
     "Error: Package \"cppo\" doesn't exist in the current project.\n",
     "compile-error", 3),
    # luarocks cannot satisfy a rock's dependency (szym/display#31, luarocks/luarocks#1210).
    ("Installing https://luarocks.org/http-0.3-0.src.rock\nMissing dependencies for http 0.3-0:\n"
     "   basexx >= 0.2.0 (not installed)\n\n"
     "Error: Failed installing dependency: https://luarocks.org/async-1.1-1.rockspec - Could not satisfy dependency: "
     "love ~> 0.9\n",
     "dependency-install-failure", 5),
    # setup-ruby's wrapper naming the `bundle` it ran (ruby/setup-ruby#348, #457): the install step failed.
    ("Run ruby/setup-ruby@v1\nbundle install\n"
     "Error: The process '/opt/hostedtoolcache/Ruby/3.1.2/x64/bin/bundle' failed with exit code 16\n"
     "    at ExecState._setResult (/home/runner/work/_actions/ruby/setup-ruby/v1/dist/index.js:6023:25)\n",
     "dependency-install-failure", 3),
    # The legacy builder's COPY of a file not in the context (moby/moby#34986, jlesage/docker-handbrake#14).
    ("Step 10/16 : COPY rootfs/ /\nCOPY failed: stat /var/lib/docker/tmp/docker-builder354501975/rootfs: no such file "
     "or directory\n", "docker-build-failure", 2),
    # Gradle's heading over a build file's own error (gradle/gradle#15424): the build definition, not a task.
    ("FAILURE: Build failed with an exception.\n\n* Where:\nBuild file '/home/ci/app/build.gradle' line: 2\n\n"
     "* What went wrong:\nPlugin [id: 'test-plugin'] was not found in any of the following sources:\n\n"
     "- Gradle Core Plugins (plugin is not in 'org.gradle' namespace)\n\nBUILD FAILED in 2s\n"
     "##[error]Process completed with exit code 1.\n", "compile-error", 7),
    # An ava run that finds no test file (avajs/ava#2418, sindresorhus/is-online#35): nothing could be tested.
    ("> @ test /Users/u/Projects/ts-code\n> ava \"exercises/installation_test.ts\"\n\n"
     "  \u2716 Couldn't find any files to test\n\nnpm ERR! Test failed.  See above for more details.\n",
     "import-collection-error", 4),
    # black's check-mode verdict under its diff, in a whole Actions log (relf/pyDOE3#6): the verdict, not a quoted
    # source line holding `failed`, is the evidence.
    ("##[group]Run black --check --diff .\nblack --check --diff .\n##[endgroup]\n"
     "--- a/app/report.py\n+++ b/app/report.py\n@@ -1,3 +1,3 @@\n     if failed:\n-        print( 'x' )\n"
     "+        print(\"x\")\nOh no! \U0001f4a5 \U0001f494 \U0001f4a5\n"
     "2 files would be reformatted, 11 files would be left unchanged.\n"
     "##[error]Process completed with exit code 1.\n", "lint-failure", (11, 12)),
    # A Lua error while `luarocks install` builds a rock (luarocks/luarocks#910): the install failed.
    ("$ sudo luarocks build\nInstalling https://luarocks.org/luabitop-1.0.2-3.rockspec\n\n"
     "/usr/local/share/lua/5.1/luarocks/manif/writer.lua:418: attempt to index local 'package_entry' (a nil value)\n"
     "stack traceback:\n", "runtime-exception", 4),
    ("$ luarocks install luabitop\nInstalling https://luarocks.org/luabitop-1.0.2-3.rockspec\n\n"
     "/usr/local/share/lua/5.1/luarocks/manif/writer.lua:418: attempt to index local 'package_entry' (a nil value)\n"
     "stack traceback:\n", "dependency-install-failure", 4),
]


@pytest.mark.parametrize(("text", "category", "line"), EXCERPTS, ids=[c for _, c, _ in EXCERPTS])
def test_an_unknown_tools_failure_is_named_on_its_explaining_line(tmp_path: Path, text: str, category: str,
                                                                   line: int | tuple[int, ...]) -> None:
    got, _, where, why = _first(tmp_path, text)
    assert got == category and where in (line if isinstance(line, tuple) else (line,)), (got, where, why)


# (line, lines before, lines after, category or None)
LINES = [
    # Zig's test failure (`expected 3, found 2`) is an assertion; a Rust parse error's `expected ..., found` is not.
    ("       expected 3, found 2", (), (), "assertion-failure"),
    ("error: expected one of `.`, `;`, found `}`", (), (), None),
    # hspec's failure block behind stack's package prefix.
    ("hspec-core     >        expected: Just (Id \"Nothing\")", (), (), "assertion-failure"),
    # a refused upgrade is the refusal's (README: deeper cause), not the handshake's.
    ("WebSocket connection to 'ws://localhost:8080/' failed: Error during WebSocket handshake: net::ERR_CONNECTION"
     "_REFUSED connection refused", (), (), "connection-refused"),
    # the host's file-watcher limit says ENOSPC but is not a full disk.
    ("Error: ENOSPC: System limit for number of file watchers reached, watch '/app/src'", (), (), "ci-runner-failure"),
    # a compile error inside a package manager's cache is a fetched dependency's (README).
    ("/home/u/.pub-cache/hosted/pub.dev/timer_button-2.0.0/lib/timer_button.dart:167:12: Error: The method "
     "'OutlineButton' isn't defined for the class '_TimerButtonState'.", (), (), "dependency-install-failure"),
    ("lib/main.dart:56:5: Error: The method 'setState' isn't defined for the class '_HomeState'.", (), (),
     "compile-error"),
    # Travis names the install command under an error with no words of its own.
    ("Error: No results matching query were found.", (), ("", "The command \"luarocks install luaossl\" failed and "
     "exited with 1 during ."), "dependency-install-failure"),
    ("Error: No results matching query were found.", (), ("", "The command \"make test\" exited with 2."), None),
    # ... and a linter's (Travis' wrapper shape as in openfoodfacts/openfoodfacts-androidapp#295).
    ("./app/views.py:3:1: unexpected thing", (), ("The command \"flake8 .\" exited with 1.",), "lint-failure"),
    # a shell test runner's per-test verdict, and the count under it read with the block.
    ("case-13-classic ... failed", (), (), "assertion-failure"),
    ("Checking connectivity... failed", (), (), None),  # a step's progress, not a test
    ("1 of 9 case is failed", ("case-13-classic ... failed", "case-14 ... ok"), (), "assertion-failure"),
    # a bare count with nothing beside it stays unnamed (README: a summary alone is unclassified).
    ("6 of 15 tests failed", (), (), None),
    # scalafmt's progress over the files, then its bare verdict (scalameta/scalafmt#2704).
    ("error: --test failed", ("Looking for unformatted files...",), (), "lint-failure"),
    ("Looking for unformatted files... (94.55 %, 52 / 55)", (), (), None),
    # Julia's LoadError wraps what the included file raised (JuliaOpt/MathProgBase.jl#93): the inner error decides.
    ("ERROR: LoadError: UndefVarError: model not defined", (), (), "runtime-exception"),
    ("ERROR: LoadError: Some tests did not pass: 1 passed, 0 failed, 1 errored, 0 broken.", (), (), None),
    # Ruby's own LoadError (a file `require` cannot find) stays a load failure.
    ("`require': no such file to load -- rack/test (LoadError)", (), (), "import-collection-error"),
    # The JVM's method and class size limits a compiler hits (HaxeFoundation/haxe#8792, kotlinc's ASM exception).
    ("src/haxeparser/HaxeParser.java:14412: error: code too large", (), (), "compile-error"),
    ("exception: caused by: org.jetbrains.org.objectweb.asm.ClassTooLargeException: Class too large: app/Prefs", (), (),
     "compile-error"),
    # The environment's own sentences (issue 12's environment families).
    ("Error: The operation was canceled.", (), (), "ci-runner-failure"),
    ("FATAL: the database system is starting up", (), (), "connection-refused"),
    ("kafka.errors.NoBrokersAvailable: NoBrokersAvailable", (), (), "connection-refused"),
    ("java.net.UnknownHostException: repo.maven.apache.org", (), (), "connection-refused"),
    ("Error: Resource not accessible by integration", (), (), "auth-error"),
    ("remote: Permission to acme/app.git denied to github-actions[bot].", (), (), "auth-error"),
    ("/bin/sh: 1: jest: not found", (), (), "dependency-install-failure"),
    ("Error: Version 3.13.0 with arch x64 not found", (), (), "dependency-install-failure"),
    ("error: linker `cc` not found", (), (), "dependency-install-failure"),
    ("Fatal Python error: Aborted", (), (), "segfault-crash"),
    # a runner's warning that the disk is filling is not the failure (the job went on).
    ("You are running out of disk space. The runner will stop working when the machine runs out of disk space.", (),
     (), None),
    # pycodestyle's code after a place; ShellCheck's code.
    ("./docs/conf.py:110:80: E501 line too long (80 > 79 characters)", (), (), "lint-failure"),
    ("Notice: ./scripts/run.sh:50:6: note: Double quote to prevent globbing and word splitting. [SC2086]", (), (),
     "lint-failure"),
]


@pytest.mark.parametrize(("line", "before", "after", "category"), LINES)
def test_a_line_is_named_by_its_words_and_context(line: str, before: tuple[str, ...], after: tuple[str, ...],
                                                 category: str | None) -> None:
    named = name_line(line, before, after)
    assert (named.category if named else None) == category, named


# Priority (README "Labelling guide: priority"): a runtime exception raised where every test runs is P1.
SETUP = [
    # A JUnit 5 extension's beforeEach (its stack through invokeBeforeEachCallbacks), as junit5 threads show it.
    ("java.lang.NullPointerException\n\tat com.example.testkit.BuildExtension.beforeEach(BuildExtension.java:38)\n"
     "\tat org.junit.jupiter.engine.descriptor.TestMethodTestDescriptor.lambda$invokeBeforeEachCallbacks$2("
     "TestMethodTestDescriptor.java:163)\n", "set-up"),
    # Gradle's test task answered by a platform exception (gradle/gradle#2266, #2276).
    (":lib:testReleaseUnitTest FAILED\n\nFAILURE: Build failed with an exception.\n\n* What went wrong:\n"
     "Execution failed for task ':lib:testReleaseUnitTest'.\n> java.lang.NullPointerException (no error message)\n",
     "task"),
    # A pytest fixture quoted above the raising line.
    ("    @pytest.fixture\n    def workdir(monkeypatch):\n>       monkeypatch.delenv(\"WORKDIR\")\n"
     "E       KeyError: 'WORKDIR'\n\ntests/conftest.py:21: KeyError\n", "set-up"),
]


@pytest.mark.parametrize(("text", "why"), SETUP)
def test_an_exception_where_every_test_runs_is_outside_the_test_body(text: str, why: str) -> None:
    assert why in outside_test_body(text)


def test_an_exception_in_a_tests_own_body_or_after_hook_stays_with_the_test() -> None:
    # artsok/rerunner-jupiter#28: an NPE in an after-test callback, once per failing test.
    assert outside_test_body(
        "java.lang.NullPointerException\n\tat io.example.RepeatCondition.afterTestExecution(RepeatCondition.java:128)\n"
        "\tat org.junit.jupiter.engine.descriptor.TestMethodTestDescriptor.lambda$invokeAfterTestExecutionCallbacks$8("
        "TestMethodTestDescriptor.java:220)\n") == ""
    assert outside_test_body("    def test_x():\n>       assert f() == 2\nE       KeyError: 'a'\n") == ""
    # Gradle's task failing because tests failed is the tests' failure, not the task's crash.
    assert outside_test_body("Execution failed for task ':app:test'.\n> There were failing tests. See the report\n") \
        == ""


def test_a_setup_exception_is_raised_to_p1_with_the_reason(tmp_path: Path) -> None:
    category, priority, _, why = _first(tmp_path, SETUP[1][0])
    assert (category, priority) == ("runtime-exception", "P1"), why
    assert "task `:lib:testReleaseUnitTest` itself failed with a NullPointerException" in why


def test_a_refusal_every_test_of_the_run_fails_on_is_p0(tmp_path: Path) -> None:
    # jest's summary under a MongoDB client refused on its first connect.
    text = ("MongoNetworkError: failed to connect to server [localhost:27017] on first connect [MongoNetworkError: "
            "connect ECONNREFUSED 127.0.0.1:27017]\n    at Pool.<anonymous> (node_modules/mongodb/lib/core/topologies/"
            "server.js:438:11)\nTest Suites: 2 failed, 2 total\nTests:       4 failed, 4 total\n")
    category, priority, _, why = _first(tmp_path, text)
    assert (category, priority) == ("connection-refused", "P0"), why
    assert "all 4 of its tests failing" in why
    some_passed = text.replace("4 failed, 4 total", "4 failed, 9 passed, 13 total")
    assert _first(tmp_path, some_passed)[1] == "P1"


def test_playwrights_closing_counts_are_a_run_summary() -> None:
    text = "  31 failed\n    [chromium] › a.spec.ts:3:5 › A › x\n    [chromium] › b.spec.ts:7:5 › B › y\n" \
           "  1 skipped\n  11 passed (36.3m)\n"
    assert summary_counts(text) == (31, 42)


def test_a_runner_that_finds_no_test_file_stopped_every_test(tmp_path: Path) -> None:
    text = EXCERPTS[-1][0]
    assert _first(tmp_path, text)[1] == "P0"


def test_a_gradle_task_that_failed_is_not_the_build_definition() -> None:
    # under the heading, a task's failure is what the task says below it, not the build file's fault.
    assert name_line("Execution failed for task ':app:packageRelease'.", ("* What went wrong:",)) is None


def test_an_unnamed_error_is_named_by_its_failing_steps_command(tmp_path: Path) -> None:
    # An Actions step `Run bundle install` whose error says nothing of its own (the shape of ruby/setup-ruby#351's
    # step header, with a private gem server's bare refusal).
    text = ("##[group]Run bundle install --jobs 4\nbundle install --jobs 4\nshell: /usr/bin/bash -e {0}\n##[endgroup]\n"
            "Fetching gem metadata from https://gems.example.org/.......\n"
            "Error: the gem server answered nothing useful (code 17)\n"
            "##[error]Process completed with exit code 5.\n")
    category, priority, line, why = _first(tmp_path, text)
    assert (category, priority, line) == ("dependency-install-failure", "P0", 6), why
    assert "installs dependencies" in why


def test_a_cli_error_mark_is_evidence_and_a_plain_js_frame_or_a_marked_count_is_not() -> None:
    from gardener.ingest.runner_log.locator import locate, rank

    # electron-builder's failure (its `⨯` mark, then the stack of a plain function `error`), and eslint's closing count.
    mark = "  ⨯ Application entry file \"main.js\" in the \"/a/App.app/Contents/Resources/app.asar\" does not exist."
    frame = "    at error (/w/node_modules/app-builder-lib/src/asar/asarFileChecker.ts:7:12)"
    assert rank(mark) > 0 and rank(frame) == 0
    assert rank("✖ 708 problems (627 errors, 81 warnings)") == 0
    assert locate(enumerate((mark, frame, "##[error]Process completed with exit code 1."), 1)) == (1, mark)


# Passes since rules-code-2's compile.gradle-configuration names Gradle's `Plugin [id: ...] was not found` line.
def test_a_short_gradle_excerpt_without_a_wrapper_is_named_on_the_line_under_what_went_wrong(tmp_path: Path) -> None:
    text = ("FAILURE: Build failed with an exception.\n\n* What went wrong:\n"
            "Plugin [id: 'test-plugin'] was not found in any of the following sources:\n")
    assert _first(tmp_path, text)[:3:2] == ("compile-error", 4)


def test_a_step_of_several_commands_or_the_tests_names_nothing_by_its_command() -> None:
    from gardener.line_category import name_by_step

    assert name_by_step("Run npm ci") is not None
    assert name_by_step("Run uv sync && uv run python tests/run_checks.py") is None
    assert name_by_step("Run pip install -e . ; pytest") is None
    assert name_by_step("Run npm test") is None
