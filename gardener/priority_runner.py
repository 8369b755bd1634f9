"""Where an exception was raised: inside a test, or outside every test (the test runner, the build tool or the
tool a step runs crashed itself). The labelling rule (tests/data/classify/README.md, "Labelling guide: priority"):
a runtime exception is P2 when a test raises it, P1 when the runner itself crashed and the whole run aborted (no
per-test result, every remaining test lost). The stack says which, read from the frames that raised it:

- JVM: the first frame below the exception that is not the platform (`java.`, `kotlin.`...) is the test runner's
  or the build tool's own code (surefire constructing its booter, Maven's plugin manager, Gradle's test executor,
  the JUnit Platform launcher).
- Elixir: the first frame that is not the platform (`(elixir ...)`, `(stdlib ...)`) is ExUnit's or Mix's own
  code (ExUnit's formatter crashing while it diffs an ordinary failure).
- Ruby: the first frame of the exception is a test framework's own gem (minitest, rspec-core, test-unit, Rails'
  test reporter): the reporter crashed after the tests ran.
- Python: the traceback runs through a test runner's run loop (Django's or unittest's runner, pytest, xdist, nose)
  and no frame is a test file: the exception escaped the runner, not a test (Django's parallel runner unable to
  pickle a worker's result).
- Python: an installed tool's own bug: the process's traceback (from `<module>`) runs only through the platform,
  installed packages and the tool's console-script shim (no file of the repository), and ends in a programming
  error (TypeError, AttributeError, NameError, ...): the tool itself is broken (usually a version mismatch with a
  package it uses) and aborted the step whatever it was checking. An error about its input (a ValueError, a file
  not found) is the tool reporting, not crashing, and stays where it was.

- No stack at all: a test runner's command, then a programming error (a TypeError, an AttributeError) printed as the
  run's own error, and no test result of any kind (no session header, no count, no test named), in a run where no
  test reported a result: the runner died before it ran a test (an old pytest against a new attrs).
  `runner_died_before_tests`; priority.py asks it only when no failing test of the run reported a result.

`outside_any_test` is pure and reads only the text; priority.py applies it to runtime exceptions at P2.
"""

from __future__ import annotations

from gardener import regex as re
from gardener.redact.text import cut_raw

# `at a.b.C.m(C.java:1)` with Maven's level tag or a tab before it.
_JVM_FRAME = re.lazy(r"^[ \t>]*(?:\[[A-Z]+\][ \t]*)?at[ \t]+(?:[\w.$@-]*/{1,2})?(?P<method>[\w$]+(?:\.[\w$<>]+)+)\(",
                     re.MULTILINE)
_JVM_PLATFORM = ("java.", "javax.", "jdk.", "sun.", "com.sun.", "kotlin.", "scala.", "groovy.", "org.codehaus.groovy.")
# The runners' and build tools' own code (a plugin's mojo, the plugin manager, the test executor, the launcher).
_JVM_RUNNER = (
    "org.apache.maven.", "org.codehaus.plexus.", "org.gradle.", "worker.org.gradle.", "org.junit.platform.launcher.",
    "org.testng.internal.", "org.testng.TestRunner.", "org.testng.SuiteRunner.", "sbt.",
)  # fmt: skip
_JVM_EXCEPTION = re.lazy(r"\b(?:[a-z][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error)\b")
# `(ex_unit 1.10.0) lib/ex_unit/diff.ex:1068: ExUnit.Diff.f/1`
_BEAM_FRAME = re.lazy(r"^[ \t#]*\((?P<app>[a-z_]\w*)(?: [^)\s]+)?\) [^\s:]+:\d+:", re.MULTILINE)
_BEAM_PLATFORM = frozenset({"elixir", "stdlib", "kernel", "erts", "logger", "compiler"})
_BEAM_RUNNER = frozenset({"ex_unit", "mix"})
# After a CI timestamp or `INTERNALERROR>` when a log prints one.
# `/gems/railties-5.0.6/lib/rails/test_unit/reporter.rb:70:in `method'`: a Ruby frame and the gem it is in.
_RUBY_FRAME = re.lazy(r"(?m)(?:^|[ \t])(?:from )?(?P<path>\S+\.rb):\d+:in [`'](?P<fn>[^'\n]*)'")
_RUBY_GEM = re.lazy(r"[/\\]gems[/\\](?P<gem>[A-Za-z][\w-]*?)-\d[\w.]*[/\\]")
_RUBY_PLATFORM = frozenset({"bundler", "rake"})
# Test frameworks' own gems (a reporter, a formatter, the runner loop), and where a gem keeps them.
_RUBY_RUNNER = frozenset({"minitest", "rspec-core", "test-unit", "cucumber", "minitest-reporters",
                          "ci_reporter", "rspec_junit_formatter"})
_RUBY_VERDICT = re.lazy(r"(?i)assert|expect|matcher|mock|spec/support")
_RUBY_RUNNER_PATH = re.lazy(r"[/\\]lib[/\\]rails[/\\]test_unit[/\\]")
_PY_FRAME = re.lazy(r'(?:^|[ \t>])File "(?P<path>[^"]+)", line \d+, in (?P<fn>\S+)', re.MULTILINE)
# A test runner's own run loop.
_PY_RUNNER = re.lazy(
    r"[/\\](?:django[/\\]test[/\\]runner\.py|unittest[/\\](?:runner|suite|main)\.py|_pytest[/\\]|pluggy[/\\]"
    r"|xdist[/\\]|nose2?[/\\]|green[/\\]runner)"
)
# A test's own file: it raised inside a test.
_PY_TEST_FILE = re.lazy(r"(?:^|[/\\])(?:tests?[/\\]|test_[^/\\]*\.py$|[^/\\]*_tests?\.py$|conftest\.py$)")
_PY_INSTALLED = re.lazy(r"[/\\](?:site|dist)-packages[/\\](?P<pkg>[\w.-]+)")
_PY_STDLIB = re.lazy(r"^<frozen |[/\\]lib[/\\]python\d[\d.]*[/\\]|[/\\]Lib[/\\]|\\lib\\")
# A console-script shim: `venv/bin/tool`, `Scripts\tool.exe\__main__.py`, `Scripts\tool-script.py`.
_PY_SHIM = re.lazy(r"[/\\](?:bin|Scripts)[/\\][\w.-]+(?:\.exe[/\\]__main__\.py|-script\.py)?$")
# The exception that ends a traceback, when it is a programming error (the tool's bug, not its verdict on input).
_PY_BUG = re.lazy(
    r"^(?P<exc>TypeError|AttributeError|NameError|UnboundLocalError|KeyError|IndexError|NotImplementedError"
    r"|RecursionError)\b", re.MULTILINE)


def _jvm(text: str) -> str:
    for m in _JVM_FRAME.finditer(text):
        method = m.group("method")
        if method.startswith(_JVM_PLATFORM):
            continue
        if not method.startswith(_JVM_RUNNER):
            return ""
        # The platform's exception (a NullPointerException, a ClassCastException) is the tool's bug; the tool's own
        # (Gradle's TaskExecutionException, Maven's MojoFailureException) is how it reports a task that failed.
        head = text[max(0, m.start() - 400) : m.start()]
        exc = [e.group(0) for e in _JVM_EXCEPTION.finditer(head)]
        if not exc or not exc[-1].startswith(_JVM_PLATFORM):
            return ""
        return (f"a {exc[-1].rsplit('.', 1)[-1]} whose first frame is the runner's or build tool's own code "
                f"(`{method}`)")
    return ""


def _beam(text: str) -> str:
    for m in _BEAM_FRAME.finditer(text):
        app = m.group("app")
        if app in _BEAM_PLATFORM:
            continue
        if app in _BEAM_RUNNER and "** (ExUnit." not in text[max(0, m.start() - 400) : m.start()]:
            # ExUnit's own exceptions (an AssertionError, a TimeoutError) are its verdict on a test, not a crash.
            return f"the first frame that raised it is the test runner's own code ({app})"
        return ""
    return ""


def _ruby(text: str) -> str:
    """The first frame the exception names (Ruby prints the raising frame first) is a test framework's own gem."""
    for m in _RUBY_FRAME.finditer(text):
        path = m.group("path")
        gem = _RUBY_GEM.search(path)
        if gem is None:
            return ""  # the project's own file, or a script: not the runner
        name = gem.group("gem")
        if name in _RUBY_PLATFORM:
            continue
        if _RUBY_VERDICT.search(path):
            return ""  # the framework's assertions, matchers and mocks raise on a test's behalf
        if name in _RUBY_RUNNER or _RUBY_RUNNER_PATH.search(path):
            return f"the first frame that raised it is the test framework's own code ({name}, `{m.group('fn')}`)"
        return ""
    return ""


def _installed_or_stdlib(path: str) -> bool:
    return _PY_INSTALLED.search(path) is not None or _PY_STDLIB.search(path) is not None


def _python(text: str) -> str:
    frames: list[tuple[str, str]] = _PY_FRAME.findall(text)  # (path, fn): no Match each (a finding's 50 tracebacks)
    paths = list(dict.fromkeys(p for p, _ in frames))  # each file once (a finding's 50 tracebacks repeat them)
    # A test file of the repository (installed packages have their own `test/` folders: django/test/runner.py).
    if not frames or any(_PY_TEST_FILE.search(p) and not _installed_or_stdlib(p) for p in paths):
        return ""
    runner = next((path for path in paths if _PY_RUNNER.search(path)), "")
    if runner:
        where = runner.replace("\\", "/").rsplit("/", 3)
        return f"the traceback runs through the test runner's own run loop (`{'/'.join(where[-3:])}`) and no test file"
    if frames[0][1] != "<module>" and "runpy" not in frames[0][0]:
        return ""  # not a process's whole traceback: no sign the process died
    if not all(_installed_or_stdlib(p) or _PY_SHIM.search(p) for p in paths):
        return ""  # a file of the repository is on the stack: the project's own code raised
    installed = [found.group("pkg") for p, _ in frames if (found := _PY_INSTALLED.search(p))]
    bug = _PY_BUG.search(text[text.rfind('File "'):]) if installed else None
    if bug is None:
        return ""
    return (f"the process's traceback runs only through installed code ({installed[-1]}), no file of the "
            f"repository, and ends in a {bug.group('exc')}: the tool itself is broken")


# Maven's report that a plugin threw while it ran (its PluginExecutionException, `Execution default-test of goal
# org.apache.maven.plugins:maven-surefire-plugin:2.20.1:test failed.: NullPointerException`), as opposed to a goal that
# reports what it found (`There are test failures`, a MojoFailureException): a programming error of the platform named
# there is the plugin's own bug, whether or not its stack was printed under it.
_MAVEN_PLUGIN_THREW = re.lazy(
    r"Execution [\w.-]+ of goal (?P<goal>\S+) failed[.:]*\s*(?:Caused by: )?(?:java\.lang\.)?"
    r"(?P<exc>NullPointerException|ClassCastException|IllegalStateException|IllegalArgumentException|(?:Array|String)?IndexOutOfBoundsException"
    r"|UnsupportedOperationException|ConcurrentModificationException|NoSuchMethodError|NoSuchFieldError"
    r"|AbstractMethodError|IncompatibleClassChangeError)\b")


def _maven_plugin(text: str) -> str:
    found = _MAVEN_PLUGIN_THREW.search(text)
    if found is None:
        return ""
    return f"a {found.group('exc')} that Maven reports the plugin itself threw (`{cut_raw(found.group('goal'), 80)}`)"


def outside_any_test(text: str) -> str:
    """Why the exception in `text` was raised outside any test (the runner or the tool crashed), in words; '' when
    the stack does not show it (a test raised it, or there is no stack)."""
    if "at " in text and (why := _jvm(text)):
        return why
    if " of goal " in text and (why := _maven_plugin(text)):
        return why
    if ") " in text and (why := _beam(text)):
        return why
    if ".rb:" in text and (why := _ruby(text)):
        return why
    if 'File "' in text:
        return _python(text)
    return ""


# A test runner's command line as a log or a report quotes it.
_RUNNER_COMMAND = re.lazy(
    r"(?m)(?:^|[\s`$>])(?:python\d?(?:\.\d+)? -m )?(?:pytest|py\.test|nosetests|nose2|rspec|jest|mocha|vitest|phpunit"
    r"|rails test|rake test|mix test|go test|cargo test|dotnet test|npm test|yarn test|ctest)\b"
)
# Any sign that a test ran or was reported: a session header, a count, a per-test verdict, a framework's failure mark.
_TEST_RESULT = re.lazy(
    r"(?im)test session starts|\bcollected \d+|\b\d+ (?:passed|failed|errors?|failures?|examples?|tests?|passing"
    r"|failing)\b|^\s*(?:PASSED|FAILED|ok|not ok|--- FAIL|--- PASS|E   )\b|\bRan \d+ tests?|[✓✕✗]"
)
# Any stack frame: Python, JVM/JS `at`, Ruby, a `file.ext:line` location.
_ANY_FRAME = re.lazy(r"(?m)File \"|^\s*at \S|\.rb:\d+:in |\.(?:py|js|ts|java|go|ex|exs|rs):\d+")
# The run's own error: a programming error at the start of a line (or after `Error:` / a backtick quote).
_BUG_AS_ERROR = re.lazy(
    r"(?m)(?:^|^Error:\s*|`)(?P<exc>TypeError|AttributeError|NameError|UnboundLocalError|NoMethodError)\b:? "
)


def runner_died_before_tests(text: str) -> str:
    """Why the runner died before any test, in words, when `text` shows a test runner's command, then a programming
    error as the run's error, with no stack frame and no test result of any kind; else ''."""
    command = _RUNNER_COMMAND.search(text)
    if command is None:
        return ""
    bug = _BUG_AS_ERROR.search(text, command.end())
    if bug is None or _ANY_FRAME.search(text) or _TEST_RESULT.search(text):
        return ""
    return (f"the test command `{command.group(0).strip(' `$>')}` ended in a {bug.group('exc')} with no test "
            "result of any kind and no stack frame of the project: the runner itself died before it ran a test")
