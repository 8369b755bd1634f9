"""Priority moves by mechanism (issue 12 item 3, session 7): an exception raised outside any test (the runner, the
build tool or the tool a step runs crashed itself) is P1, and a refusal that every failure of the run errors on is
P0, each with the reason in words. The excerpts in tests/data/rules/written_excerpts_priority7.jsonl follow the
output of public threads that no open labelled set cites (`modelled_on`), with names and values changed; the
boundary cases pin that an exception a test raises, a tool's verdict on its input and a refusal beside failed
assertions keep their defaults.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gardener.classify import find
from gardener.config import Config
from gardener.model import Finding
from gardener.priority_load import every_test_failed
from gardener.priority_runner import outside_any_test, runner_died_before_tests
from gardener.priority_service import every_error_refused, refused_tests
from gardener.whole_excerpt import ingest_for_classify

DATA = Path(__file__).parents[1] / "data" / "rules" / "written_excerpts_priority7.jsonl"
ITEMS = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
CLASSIFY = Path(__file__).parents[1] / "data" / "classify"
# The open sets, named one by one: the clean held-out sets (corpus13, corpus14) are never read here.
OPEN_SETS = ("corpus.jsonl", "holdout2.jsonl", *(f"corpus{n}.jsonl" for n in range(3, 13)))


@pytest.fixture(scope="module")
def config() -> Config:
    return Config()


def _findings(text: str, config: Config, tmp_path: Path) -> tuple[Finding, ...]:
    path = tmp_path / "excerpt.txt"  # a neutral name: the label must not leak through it
    path.write_text(text, encoding="utf-8")
    return tuple(find(ingest_for_classify([str(path)], config.rules).results, config))


def _param(item: dict[str, str]) -> object:
    """An excerpt a known defect keeps from its label is a strict xfail naming the defect."""
    marks = [pytest.mark.xfail(strict=True, reason=item["known_defect"])] if item.get("known_defect") else []
    return pytest.param(item, id=item["id"], marks=marks)


@pytest.mark.parametrize("item", [_param(i) for i in ITEMS])
def test_excerpt_gets_its_priority_with_the_reason(item: dict[str, str], config: Config, tmp_path: Path) -> None:
    findings = _findings(item["excerpt"], config, tmp_path)
    assert findings, item["id"]
    first = findings[0]
    assert (first.category, first.priority) == (item["category"], item["priority"]), first.priority_reason
    assert f"raised to {item['priority']}" in first.priority_reason


def test_every_excerpt_cites_a_thread_no_open_set_cites() -> None:
    cited: set[str] = set()
    for name in OPEN_SETS:
        lines = (CLASSIFY / name).read_text(encoding="utf-8").splitlines()
        cited |= {json.loads(line).get("source", "") for line in lines if line.strip()}
    for item in ITEMS:
        assert item["modelled_on"].startswith("https://github.com/"), item["id"]
        assert item["modelled_on"] not in cited, item["id"]


# Boundaries: a test's own exception, a tool reporting on its input, the build tool reporting a failed task.
TEST_RAISES_PY = """ERROR: test_total (shop.tests.test_cart.CartTest)
----------------------------------------------------------------------
Traceback (most recent call last):
  File "/home/ci/shop/tests/test_cart.py", line 30, in test_total
    self.assertEqual(cart.total(), 12)
  File "/home/ci/shop/cart.py", line 18, in total
    return sum(i.price for i in self.items) + self.fee
TypeError: unsupported operand type(s) for +: 'int' and 'NoneType'
"""
TOOL_REPORTS_INPUT = """Traceback (most recent call last):
  File "/home/ci/venv/bin/newtool", line 8, in <module>
    sys.exit(main())
  File "/home/ci/venv/lib/python3.11/site-packages/newtool/cli.py", line 40, in main
    config = load(args.config)
  File "/home/ci/venv/lib/python3.11/site-packages/newtool/config.py", line 12, in load
    raise ValueError(f"{path}: unknown key 'colour'")
ValueError: setup.cfg: unknown key 'colour'
"""
PROJECT_SCRIPT = """Traceback (most recent call last):
  File "/home/ci/repo/scripts/evaluate.py", line 51, in <module>
    main()
  File "/home/ci/repo/scripts/evaluate.py", line 44, in main
    scores = model.score(rows)
AttributeError: 'NoneType' object has no attribute 'score'
"""
JVM_TEST_RAISES = """java.lang.NullPointerException: Cannot invoke "String.length()" because "name" is null
	at com.acme.orders.OrderService.validate(OrderService.java:41)
	at com.acme.orders.OrderServiceTest.rejectsEmptyName(OrderServiceTest.java:22)
	at org.junit.platform.launcher.core.DefaultLauncher.execute(DefaultLauncher.java:86)
	at org.apache.maven.surefire.junitplatform.JUnitPlatformProvider.invoke(JUnitPlatformProvider.java:142)
"""
GRADLE_REPORTS_TASK = """* Exception is:
org.gradle.api.tasks.TaskExecutionException: Execution failed for task ':app:testDebugUnitTest'.
	at org.gradle.api.internal.tasks.execution.ExecuteActionsTaskExecuter.executeActions(Executer.java:69)
	at org.gradle.api.internal.tasks.execution.ExecuteActionsTaskExecuter.execute(ExecuteActionsTaskExecuter.java:46)
"""
EXUNIT_ASSERTION = """  1) test totals (Shop.CartTest)
     test/shop/cart_test.exs:12
     ** (ExUnit.AssertionError)
     Assertion with == failed
     stacktrace:
       (ex_unit 1.15.0) lib/ex_unit/assertions.ex:120: ExUnit.Assertions.assert/2
       test/shop/cart_test.exs:14: (test)
"""
EXUNIT_APP_CRASH = """[error] GenServer Shop.Cart terminating
** (KeyError) key :fee not found in: %{}
    (shop 0.1.0) lib/shop/cart.ex:33: Shop.Cart.handle_call/3
    (stdlib 5.0) gen_server.erl:1113: :gen_server.try_handle_call/4
"""

RUBY_PROJECT_RAISES = """NoMethodError: undefined method `name' for nil:NilClass
    /home/ci/app/app/models/user.rb:12:in `display'
    /home/ci/vendor/bundle/ruby/3.1.0/gems/rspec-core-3.12.0/lib/rspec/core/example.rb:263:in `instance_exec'
"""
RUBY_LIBRARY_RAISES = """/ci/gems/activerecord-7.0.4/lib/active_record/core.rb:10:in `find': nope (RecordNotFound)
    /ci/vendor/bundle/ruby/3.1.0/gems/rspec-core-3.12.0/lib/rspec/core/example.rb:263:in `instance_exec'
"""
RSPEC_EXPECTATION = """/ci/gems/rspec-support-3.12.0/lib/rspec/support.rb:102:in `block in <module:Support>'
/ci/vendor/bundle/ruby/3.1.0/gems/rspec-expectations-3.12.0/lib/rspec/expectations/fail_with.rb:35:in `fail_with'
"""
# modelled on python-jsonschema/jsonschema#449: pytest's own `E` line reports the error inside a collected item.
PYTEST_E_LINE = "$ pytest tests/\nE   TypeError: attrib() got an unexpected keyword argument 'converter'\n"
AFTER_RESULTS = "$ pytest tests/\n12 passed, 1 failed in 2.1s\nTypeError: unsupported operand type(s)\n"


@pytest.mark.parametrize(
    "text",
    [TEST_RAISES_PY, TOOL_REPORTS_INPUT, PROJECT_SCRIPT, JVM_TEST_RAISES, GRADLE_REPORTS_TASK, EXUNIT_ASSERTION,
     EXUNIT_APP_CRASH, "TypeError: attrib() got an unexpected keyword argument 'convert'", RUBY_PROJECT_RAISES,
     RUBY_LIBRARY_RAISES, RSPEC_EXPECTATION],
    ids=["test-raises", "tool-reports-input", "project-script", "jvm-test-raises", "gradle-reports-task",
         "exunit-assertion", "exunit-app-crash", "no-stack", "ruby-project", "ruby-library", "rspec-expectation"],
)
def test_an_exception_inside_a_test_or_the_projects_code_is_not_outside_any_test(text: str) -> None:
    assert outside_any_test(text) == ""


@pytest.mark.parametrize(
    "text",
    [PYTEST_E_LINE, AFTER_RESULTS, TEST_RAISES_PY, "TypeError: x is not a function\n",
     "$ pytest tests/\nValueError: bad config\n"],
    ids=["pytest-e-line", "after-results", "with-a-stack", "no-command", "not-a-programming-error"],
)
def test_no_stack_runner_death_needs_a_command_a_bug_and_no_result(text: str) -> None:
    assert runner_died_before_tests(text) == ""
    assert runner_died_before_tests("$ pytest tests/\nTypeError: attrib() got an unexpected keyword 'convert'\n")


def test_a_test_exception_stays_p2(config: Config, tmp_path: Path) -> None:
    first = _findings(TEST_RAISES_PY + "\nRan 40 tests in 0.2s\n\nFAILED (errors=1)\n", config, tmp_path)[0]
    assert (first.category, first.priority) == ("runtime-exception", "P2"), first.priority_reason


def test_the_reason_names_the_runner_frame() -> None:
    item = next(i for i in ITEMS if i["id"] == "prio7-surefire-console-npe")
    why = outside_any_test(item["excerpt"])
    assert "NullPointerException" in why and "ConsoleOutputFileReporter.close" in why
    django = next(i for i in ITEMS if i["id"] == "prio7-django-pickle-runner")
    assert "django/test/runner.py" in outside_any_test(django["excerpt"])


MAVEN_GOAL = ("[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:2.20.1:test "
              "(default-test) on project core: Execution default-test of goal "
              "org.apache.maven.plugins:maven-surefire-plugin:2.20.1:test failed{}")


def test_a_platform_error_maven_says_its_plugin_threw_is_outside_any_test_without_a_stack() -> None:
    # corpus18's bitcoinj item: Maven's PluginExecutionException line is all the excerpt shows of surefire's NPE.
    why = outside_any_test(MAVEN_GOAL.format(".: NullPointerException -> [Help 1]"))
    assert "NullPointerException" in why and "maven-surefire-plugin" in why
    assert outside_any_test(MAVEN_GOAL.format(": java.lang.IllegalStateException: fork exited")) != ""


@pytest.mark.parametrize("said", [": There are test failures.", ".: org.acme.CartException: no owner", "."])
def test_a_goal_reporting_what_it_found_or_the_projects_exception_is_not_the_plugins_bug(said: str) -> None:
    assert outside_any_test(MAVEN_GOAL.format(said)) == ""


REFUSED_BLOCK = """ERROR: test_{name} (app.tests.StoreTest)
----------------------------------------------------------------------
Traceback (most recent call last):
  File "/ci/app/tests/test_store.py", line 9, in setUp
    self.db = connect()
psycopg2.OperationalError: could not connect to server: Connection refused
"""


def test_errors_only_summary_with_every_error_refused() -> None:
    text = REFUSED_BLOCK.format(name="a") + REFUSED_BLOCK.format(name="b") + "Ran 20 tests\n\nFAILED (errors=7)\n"
    assert "counts 7 errors" in every_error_refused(text)
    assert refused_tests(text) == {"test_a", "test_b"}


def test_failures_beside_the_errors_keep_the_refusal_at_its_default(config: Config, tmp_path: Path) -> None:
    text = REFUSED_BLOCK.format(name="a") + REFUSED_BLOCK.format(name="b") + "FAILED (failures=2, errors=2)\n"
    assert every_error_refused(text) == ""
    assert every_error_refused(text.replace("FAILED (failures=2, errors=2)", "FAILED (errors=2)")) != ""


def test_an_error_that_is_not_the_refusal_keeps_the_default() -> None:
    other = TEST_RAISES_PY
    text = REFUSED_BLOCK.format(name="a") + "\n" + other + "\nFAILED (errors=2)\n"
    assert every_error_refused(text) == ""
    assert refused_tests(text) == frozenset()


def test_one_refused_test_alone_stays_p1(config: Config, tmp_path: Path) -> None:
    first = _findings(REFUSED_BLOCK.format(name="only"), config, tmp_path)[0]
    assert (first.category, first.priority) == ("connection-refused", "P1"), first.priority_reason


def test_a_load_failure_is_p0_only_when_the_summary_counts_every_test_failing() -> None:
    assert every_test_failed("Test Run Failed.\nTotal tests: 9\n     Failed: 9\n") != ""
    assert every_test_failed("Total tests: 9\n     Passed: 3\n     Failed: 6\n") == ""
    assert every_test_failed("Ran 5 tests in 0.002s\n\nFAILED (errors=5)\n") != ""
    assert every_test_failed("Ran 5 tests in 0.002s\n\nFAILED (failures=1, errors=2)\n") == ""
    assert every_test_failed("Ran 1 test in 0.000s\n\nFAILED (errors=1)\n") == ""  # one test says little
