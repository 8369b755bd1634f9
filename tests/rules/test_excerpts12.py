"""Session 12's excerpt mechanisms (excerpts-12): families that transfer, not items.

Test frameworks with no console reader record a failed expectation in their own words, and the generic layer
(line_category.py) did not know them, so a pasted run was `unclassified` on the runner's closing verdict:
EUnit's assert macros (`**error:{assertEqual_failed,...`), Julia's Test (`Test Failed at file:line`) and testthat's
failure listing (`── Failure ('test-x.R:12:3'): name ──`). Their closing verdicts (`Error: Test failures`,
`ERROR: One or more eunit tests failed.`) name no test and no reason: they are summaries (locator.SUMMARY_LINE), so the
failure block above them is the evidence. Each text below is quoted from a public source (cited), with near misses
that must not match.
"""

from __future__ import annotations

from pathlib import Path

from gardener.classify import analyse
from gardener.config import Config
from gardener.generic_rule import nothing_tested
from gardener.ingest.runner_log.locator import is_summary_line
from gardener.key_changes import KeyInput, older_keys
from gardener.line_category import name_line
from gardener.model import Result, Source
from gardener.priority_load import suite_load_aborted
from gardener.push_evidence import push_words
from gardener.widened_v10 import go_panic_refused_veto
from tests.factories import result
from tests.rules.excerpt_first import first_finding_of

# EUnit before OTP 18 (`assertEqual_failed`): msantos/erlxc#3 and rebar/rebar#537; OTP 18+ (`assertEqual`):
# exercism/erlang#243.
EUNIT_LINES = (
    "**error:{assertEqual_failed,[{module,liblxc_tests},",  # msantos/erlxc#3
    "**error:{assertEqual_failed,[{module,myapp_mymod3},",  # rebar/rebar#537
    "::{assertEqual_failed,[{module,edotsandboxes_board},",  # edotsandboxes tutorial (rebar eunit), part 2
    "**error:{assertEqual,[{module,raindrops_tests},",  # exercism/erlang#243
)
# Julia's Test: JuliaLang/julia#57095 (1.12, path shortened), JuliaLang/julia#22315 has the bare `Test Failed`
# header over `Expression:`; Julia 0.2's Base.Test (its manual, and burrowsa/RunTests.jl's PkgEval run).
JULIA_LINES = (
    "Test Failed at /Users/julia/share/julia/stdlib/v1.12/Test/test/runtests.jl:872",
    "Canines: Test Failed at none:12",
    "ERROR: test failed: :((1==0))",
)
# testthat 3: NOAA-FIMS/FIMS#1424; a revdepcheck report's dbplyr entry (no column); an R CMD check log that lost the
# rule characters (`Failure ('...'): name`).
TESTTHAT_LINES = (
    "── Failure ('test-create_default_configurations.R:47:3'): `create_default_configurations()` works ──",
    "── Failure ('test-join-by.R:236'): nicely catches missing arguments when wrapped ──",
    " Failure ('test-load_data_frame.R:53:5'): load_data_frame handles incorrect column names",
)
# Near misses: scripts that print `ERROR: Test failed: <their exception>` (an S3 client's 403, a refused connection),
# testthat's error kind (an exception in a test, not an expectation), an EUnit exception term.
NOT_ASSERTIONS = (
    ("ERROR: Test failed: 403 (RequestTimeTooSkewed): The difference between the request time and the current time "
     "is too large.", None),
    ("ERROR: Test failed: [Errno 111] Connection refused", "connection-refused"),
    ("── Error ('test-class.R:8'): Generated CSS ─────────────────────────────────────", None),
    ("**error:badarg", None),
)


def test_frameworks_failed_expectations_name_an_assertion() -> None:
    for line in (*EUNIT_LINES, *JULIA_LINES, *TESTTHAT_LINES):
        named = name_line(line)
        assert named is not None and named.category == "assertion-failure", line


def test_near_misses_are_not_assertions() -> None:
    for line, category in NOT_ASSERTIONS:
        named = name_line(line)
        assert (named.category if named else None) == category, line


# Closing verdicts naming no test: testthat 3.0-3.2 (`Error: Test failures`, a revdepcheck report), 3.3 (`! Test
# failures.`, a testthat issue about etiennebacher/test.snapshot.ci), rebar 2 (the edotsandboxes tutorial).
VERDICTS = ("Error: Test failures", "! Test failures.", "ERROR: One or more eunit tests failed.",
            "Error: ! Test failures. Execution halted")
# Near misses: a sentence that goes on, a count.
NOT_VERDICTS = ("Test failures: 0", "Error: Test failures in tests/test-api.R prevent the release: fix them first")


def test_a_runners_closing_verdict_is_a_summary() -> None:
    assert all(is_summary_line(v) for v in VERDICTS)
    assert not any(is_summary_line(v) for v in NOT_VERDICTS)


# rebar 2's eunit run (the edotsandboxes tutorial, part 2): the assertion block above rebar's verdict.
REBAR_EUNIT = """$ rebar eunit
==> edotsandboxes_server (eunit)
edotsandboxes_board:20: grid_test_ (module
'edotsandboxes_board')...*failed*
::{assertEqual_failed,[{module,edotsandboxes_board},
                     {line,21},
                     {expression,"grid ( 3 )"},
                     {expected,'???'},
                     {value,not_implemented}]}


=======================================================
  Failed: 1.  Skipped: 0.  Passed: 0.
ERROR: One or more eunit tests failed."""
# R CMD check's tail of a testthat 3.3 run (the testthat issue above).
TESTTHAT_33 = """Running the tests in 'tests/testthat.R' failed.
Last 13 lines of output:
  Saving _problems/test-print-2.R
  [ FAIL 1 | WARN 0 | SKIP 0 | PASS 1 ]

  ══ Failed tests ════════════════════════════════════════════════════════════════
  ── Failure ('test-print.R:2:3'): print ─────────────────────────────────────────
  Adding new snapshot:
  Code
    1 + 1
  Output
    [1] 2

  [ FAIL 1 | WARN 0 | SKIP 0 | PASS 1 ]
  Error:
  ! Test failures.
  Execution halted"""
# A revdepcheck report's dbplyr entry (testthat 3.1, `Error: Test failures`).
TESTTHAT_31 = """Running the tests in 'tests/testthat.R' failed.
Last 13 lines of output:
  ══ Failed tests ════════════════════════════════════════════════════════════════
  ── Failure ('test-join-by.R:236'): nicely catches missing arguments when wrapped ──
  `fn(a)` did not throw the expected error.

  [ FAIL 1 | WARN 0 | SKIP 311 | PASS 2743 ]
  Error: Test failures
  Execution halted"""


def test_a_pasted_run_is_its_failed_expectation_not_the_verdict(tmp_path: Path) -> None:
    config = Config()
    for text, line in ((REBAR_EUNIT, "assertEqual_failed"), (TESTTHAT_33, "Failure ('test-print.R:2:3')"),
                       (TESTTHAT_31, "Failure ('test-join-by.R:236')")):
        first = first_finding_of(text, config, tmp_path)
        assert (first.category, first.priority) == ("assertion-failure", "P2"), text
        lead = first.results[0]
        assert lead.source_line is not None and line in text.split("\n")[lead.source_line - 1], text


# --- A load failure that stopped every test: P0 by what the run shows, across runners ---------------------------------
# pytest's collection count says nothing was collected (`collected 0 items / 1 error`): the session's collection errors
# are all there is (issue 12 item 3, labelling guide: "no test can run at all"). Texts: a pytest 7.4 run on Windows
# (`collecting ... collected 0 items / 1 error`, a CityUsd tools test, code search) and a pytest 8.1 run under poetry
# (a to-do app's tests/test_myproject.py, code search).
PYTEST_74 = """============================= test session starts =============================
platform win32 -- Python 3.12.3, pytest-7.4.4, pluggy-1.5.0 -- D:\\SoftWare\\Anaconda\\python.exe
cachedir: .pytest_cache
rootdir: E:\\UEWork\\ROS2Test\\CityUsd
plugins: anyio-4.2.0, hydra-core-1.3.2
collecting ... collected 0 items / 1 error

=================================== ERRORS ====================================
_________________ ERROR collecting tests/test_scan_inputs.py __________________
ImportError while importing test module 'E:\\UEWork\\ROS2Test\\CityUsd\\tests\\test_scan_inputs.py'.
Hint: make sure your test modules/packages have valid Python names.
Traceback:
tests\\test_scan_inputs.py:5: in <module>
    from scan_inputs import scan
E   ModuleNotFoundError: No module named 'scan_inputs'
=========================== short test summary info ===========================
ERROR tests/test_scan_inputs.py
!!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!
============================== 1 error in 0.12s ==============================="""
PYTEST_81 = """============================= test session starts =============================
platform win32 -- Python 3.12.2, pytest-8.1.1, pluggy-1.4.0
rootdir: C:\\Users\\Batch 37 PIAIC\\generative-ai\\assignment\\too-do_app
configfile: pyproject.toml
collected 0 items / 1 error

=================================== ERRORS ====================================
________________________ ERROR collecting tests/test_myproject.py ________________________
ImportError while importing test module 'C:\\Users\\Batch 37 PIAIC\\generative-ai\\assignment\\too-do_app\\tests\\test_myproject.py'.
Hint: make sure your test modules/packages have valid Python names.
Traceback:
tests\\test_myproject.py:1: in <module>
    from too_do_app.main import app
E   ModuleNotFoundError: No module named 'too_do_app.main'
!!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!
=============================== 1 error in 0.20s ==============================="""  # noqa: E501
# Near miss (pytest-dev/pytest#1421): two tests were collected and passed beside the module that failed: P1.
PYTEST_1421 = """============================ test session starts =============================
platform linux2 -- Python 2.6.6 -- py-1.4.26 -- pytest-2.7.0.dev1 -- /usr/bin/python
collected 2 items / 1 errors

test/test_01/test_01.py::TestBug::test_n_01 PASSED
test/test_02/test_02.py::TestBug::test_n_02 PASSED

=================================== ERRORS ===================================
________________ ERROR collecting test/test_03/test_03.py _________________
test/test_03/test_03.py:1: in <module>
    import missing_helper
E   ImportError: No module named missing_helper
================ 2 passed, 1 error in 0.17 seconds ================"""


def test_pytest_collecting_nothing_is_p0_and_collecting_some_is_not(tmp_path: Path) -> None:
    config = Config()
    for text in (PYTEST_74, PYTEST_81):
        first = first_finding_of(text, config, tmp_path)
        assert (first.category, first.priority) == ("import-collection-error", "P0"), text
        assert "no test ran" in first.priority_reason
    first = first_finding_of(PYTEST_1421, config, tmp_path)
    assert (first.category, first.priority) == ("import-collection-error", "P1")


# Perl: a test file whose compile phase stopped (`BEGIN failed--compilation aborted at t/x.t line N`) never ran
# (Octopussy-Project/Octopussy#615, Perl/perl5#11405, the Map::Tube::Hannover tutorial); at a module's own `.pm`
# (Octopussy#615's lib/AAT/XML.pm) the line names no test file.
PERL_TEST_FILE_LINES = (
    "BEGIN failed--compilation aborted at t/Octopussy/Taxonomy.t line 17.",
    "BEGIN failed--compilation aborted at t/001bzip2.t line 28.",
    "BEGIN failed--compilation aborted at t/map-tube-hannover.t line 7.",
)
PERL_MODULE_ONLY = ("BEGIN failed--compilation aborted at /home/travis/build/sebthebert/Octopussy/.build/eS3Rxe1LGA/t/"
                    "Octopussy/../../lib/AAT/XML.pm line 14.")
# prove's `No subtests run` is a file that ran none; with no other file running (openssl/openssl#11146: every recipe),
# no test ran. A file that passed (`t/00-load.t ... ok`, the tutorial) or a count of tests run (`Tests: 10`) is a test
# that ran (Devel-SmallProf 2.02 under cpan).
OPENSSL_11146 = """../test/recipes/01-test_abort.t .................... Dubious, test returned 255 (wstat 65280, 0xff00)
No subtests run
../test/recipes/01-test_sanity.t ................... Dubious, test returned 255 (wstat 65280, 0xff00)
No subtests run
../test/recipes/01-test_symbol_presence.t .......... Dubious, test returned 255 (wstat 65280, 0xff00)
No subtests run"""
HANNOVER = """t/00-load.t ............ ok
t/manifest.t ........... skipped: Author tests not required for installation
t/map-tube-hannover.t .. Can't locate Test/Map/Tube.pm in @INC (you may need to install the Test::Map::Tube module) (@INC entries checked: /path/to/Map-Tube-Hannover/blib/lib .) at t/map-tube-hannover.t line 7.
BEGIN failed--compilation aborted at t/map-tube-hannover.t line 7.
t/map-tube-hannover.t .. Dubious, test returned 2 (wstat 512, 0x200)
No subtests run
t/pod-coverage.t ....... skipped: Author tests not required for installation"""  # noqa: E501
SMALLPROF = """t/part1.t (Wstat: 65280 Tests: 0 Failed: 0)
  Non-zero exit status: 255
  Parse errors: No plan found in TAP output
t/part2.t (Wstat: 0 Tests: 10 Failed: 10)
  Failed tests:  1-10"""


def test_a_perl_test_file_that_cannot_compile_is_a_load_failure(tmp_path: Path) -> None:
    for line in PERL_TEST_FILE_LINES:
        named = name_line(line)
        assert named is not None and named.category == "import-collection-error", line
    named = name_line(PERL_MODULE_ONLY)
    assert named is None or named.category != "import-collection-error"
    # One test file failing to load beside one that ran: P1, not P0.
    first = first_finding_of(HANNOVER, Config(), tmp_path)
    assert (first.category, first.priority) == ("import-collection-error", "P1")


def test_prove_saying_no_subtests_ran_is_nothing_tested_unless_another_file_ran() -> None:
    def said(text: str) -> bool:
        return nothing_tested(Result(id="log:x", outcome="error", source=Source("x.log", "log"), details=text))

    assert said(OPENSSL_11146)
    assert not said(HANNOVER)
    assert not said(SMALLPROF)


# A load failure whose stack leaves the runner's own loading of the suite stopped the whole run: P0.
# RSpec loading spec files (clbustos/distribution#18, rspec-core 3 from Debian; julie-ng/antwort-cli#10, rspec-core
# 3.1.5 under rake): a NameError at a spec file's top level is a load failure, not a test's exception.
RSPEC_DISTRIBUTION = """/home/boutil/src/ruby/distribution/distribution/spec/weibull_spec.rb:5:in `<top (required)>': uninitialized constant Distribution::Weibull (NameError)
        from /usr/lib/ruby/vendor_ruby/rspec/core/configuration.rb:1327:in `load'
        from /usr/lib/ruby/vendor_ruby/rspec/core/configuration.rb:1327:in `block in load_spec_files'
        from /usr/lib/ruby/vendor_ruby/rspec/core/configuration.rb:1325:in `each'
        from /usr/lib/ruby/vendor_ruby/rspec/core/configuration.rb:1325:in `load_spec_files'
        from /usr/lib/ruby/vendor_ruby/rspec/core/runner.rb:103:in `setup'
        from /usr/lib/ruby/vendor_ruby/rspec/core/runner.rb:89:in `run'
        from /usr/bin/rspec:4:in `<main>'"""  # noqa: E501
RSPEC_ANTWORT = """$ rake spec
Requiring lib/antwort.rb
/Users/julieng/Projects/antwort/generator/spec/cli/upload_spec.rb:3:in `<top (required)>': uninitialized constant Antwort::CLI::Upload (NameError)
    from /Users/julieng/.rbenv/versions/2.1.2/lib/ruby/gems/2.1.0/gems/rspec-core-3.1.5/lib/rspec/core/configuration.rb:1105:in `load'
    from /Users/julieng/.rbenv/versions/2.1.2/lib/ruby/gems/2.1.0/gems/rspec-core-3.1.5/lib/rspec/core/configuration.rb:1105:in `block in load_spec_files'
    from /Users/julieng/.rbenv/versions/2.1.2/lib/ruby/gems/2.1.0/gems/rspec-core-3.1.5/lib/rspec/core/configuration.rb:1105:in `each'
    from /Users/julieng/.rbenv/versions/2.1.2/lib/ruby/gems/2.1.0/gems/rspec-core-3.1.5/lib/rspec/core/configuration.rb:1105:in `load_spec_files'
    from /Users/julieng/.rbenv/versions/2.1.2/lib/ruby/gems/2.1.0/gems/rspec-core-3.1.5/lib/rspec/core/runner.rb:96:in `setup'"""  # noqa: E501
# Django's test command and unittest's main left by an ImportError (azavea/nyc-trees#46: the test runner class;
# kimchi-project/kimchi#1116: a named test module).
DJANGO_NYC_TREES = """$ vagrant ssh app -c "envdir /etc/nyc-trees.d/env /opt/app/manage.py test"
Traceback (most recent call last):
  File "/opt/app/manage.py", line 10, in <module>
    execute_from_command_line(sys.argv)
  File "/usr/local/lib/python2.7/dist-packages/django/core/management/__init__.py", line 385, in execute_from_command_line
    utility.execute()
  File "/usr/local/lib/python2.7/dist-packages/django/core/management/__init__.py", line 377, in execute
    self.fetch_command(subcommand).run_from_argv(self.argv)
  File "/usr/local/lib/python2.7/dist-packages/django/core/management/commands/test.py", line 50, in run_from_argv
    super(Command, self).run_from_argv(argv)
  File "/usr/local/lib/python2.7/dist-packages/django/core/management/base.py", line 284, in run_from_argv
    parser = self.create_parser(argv[0], argv[1])
  File "/usr/local/lib/python2.7/dist-packages/django/core/management/commands/test.py", line 53, in create_parser
    test_runner_class = get_runner(settings, self.test_runner)
  File "/usr/local/lib/python2.7/dist-packages/django/test/utils.py", line 144, in get_runner
    test_module = __import__(test_module_name, {}, {}, force_str(test_path[-1]))
ImportError: No module named discover_runner"""  # noqa: E501
UNITTEST_KIMCHI = """  File "/usr/lib64/python2.7/runpy.py", line 162, in _run_module_as_main
    "__main__", fname, loader, pkg_name)
  File "/usr/lib64/python2.7/runpy.py", line 72, in _run_code
    exec code in run_globals
  File "/usr/lib64/python2.7/unittest/__main__.py", line 12, in <module>
    main(module=None)
  File "/usr/lib64/python2.7/unittest/main.py", line 94, in __init__
    self.parseArgs(argv)
  File "/usr/lib64/python2.7/unittest/main.py", line 149, in parseArgs
    self.createTests()
  File "/usr/lib64/python2.7/unittest/main.py", line 158, in createTests
    self.module)
  File "/usr/lib64/python2.7/unittest/loader.py", line 128, in loadTestsFromNames
    suites = [self.loadTestsFromName(name, module) for name in names]
  File "/usr/lib64/python2.7/unittest/loader.py", line 91, in loadTestsFromName
    module = __import__('.'.join(parts_copy))
  File "test_model.py", line 39, in <module>
    import tests.utils as utils
ImportError: No module named tests.utils"""
# Near misses: unittest listing the module it could not import as a test's error and going on (py-pdf/pypdf#421), and
# nose reporting a module that calls unittest.main() as one failure (nose-devs/nose#794).
UNITTEST_PYPDF = """ERROR: Tests (unittest.loader._FailedTest)
----------------------------------------------------------------------
ImportError: Failed to import test module: Tests
Traceback (most recent call last):
  File "/Library/Frameworks/Python.framework/Versions/3.5/lib/python3.5/unittest/loader.py", line 153, in loadTestsFromName
    module = __import__(module_name)
ImportError: No module named 'Tests'"""  # noqa: E501
NOSE_794 = """ERROR: Failure: AttributeError ('module' object has no attribute 'runtest2')
----------------------------------------------------------------------
Traceback (most recent call last):
  File "C:\\Python27\\lib\\site-packages\\nose\\loader.py", line 411, in loadTestsFromName
    addr.filename, addr.module)
  File "C:\\code\\wikify\\tests\\runtest2.py", line 200, in <module>
    unittest.main()
  File "C:\\Python27\\lib\\unittest\\main.py", line 94, in __init__
    self.parseArgs(argv)
AttributeError: 'module' object has no attribute 'runtest2'"""
# And an exception raised inside an RSpec example while the suite runs (not while it loads).
RSPEC_EXAMPLE = """Failures:

  1) Cart totals the items
     Failure/Error: expect(cart.total).to eq(3)
     NoMethodError:
       undefined method `total' for #<Cart:0x00005>
     # ./spec/cart_spec.rb:5:in `block (2 levels) in <top (required)>'"""


def test_a_load_failure_that_leaves_the_runners_loading_stops_the_whole_run(tmp_path: Path) -> None:
    for text in (RSPEC_DISTRIBUTION, RSPEC_ANTWORT, DJANGO_NYC_TREES, UNITTEST_KIMCHI):
        assert suite_load_aborted(text), text
    for text in (UNITTEST_PYPDF, NOSE_794, RSPEC_EXAMPLE):
        assert not suite_load_aborted(text), text
    config = Config()
    for text in (RSPEC_DISTRIBUTION, RSPEC_ANTWORT):
        first = first_finding_of(text, config, tmp_path)
        assert (first.category, first.priority) == ("import-collection-error", "P0"), text
    first = first_finding_of(RSPEC_EXAMPLE, config, tmp_path)
    assert first.category != "import-collection-error"


# A CI runner's Kubernetes executor whose job pod never ran (ci.executor-pod-not-running, key-v10): GitLab's
# (kubernetes-sigs/kubespray#8451) and the Actions runner container hooks' (actions/actions-runner-controller#2996, and
# an ARC job's log from a self-hosted `linux-amd64-cpu-8` scale set). Near misses: a job pod that could not pull its
# image (a libvirt-ci GitLab job), and a test's own `kubectl wait` on its pods (aws-samples/eks-workshop-v2#850).
KUBESPRAY_8451 = """Using attach strategy to execute scripts...
Preparing environment 10:07
Waiting for pod gitlab/runner-f-bmr8fc-project-9659330-concurrent-2rfq5v to be running, status is Pending
...
Waiting for pod gitlab/runner-f-bmr8fc-project-9659330-concurrent-2rfq5v to be running, status is Pending
ERROR: Job failed (system failure): prepare environment: waiting for pod running: timed out waiting for pod to start. Check https://docs.gitlab.com/runner/shells/index.html#shell-profile-loading for more information"""  # noqa: E501
ARC_2996 = """Run '/home/runner/k8s/index.js'
shell: /home/runner/externals/node20/bin/node {0}
Error: Pod failed to come online with error: Error: Pod <runner pod>-workflow is unhealthy with phase status Failed"""
ARC_LOG = """##[group]Run '/home/runner/k8s/index.js'
shell: /home/runner/externals/node20/bin/node {0}
##[endgroup]
##[error]Error: pod failed to come online with error: Error: Pod linux-amd64-cpu-8-hk-frp8k-runner-7c268-workflow is unhealthy with phase status Failed: {}
##[error]Process completed with exit code 1."""  # noqa: E501
LIBVIRT_IMAGE_PULL = """WARNING: Failed to pull image with policy "": image pull failed: Back-off pulling image "registry.gitlab.com/libvirt/libvirt-ci/cirrus-run:master"
ERROR: Job failed: prepare environment: waiting for pod running: pulling image "registry.gitlab.com/libvirt/libvirt-ci/cirrus-run:master": image pull failed: Back-off pulling image "registry.gitlab.com/libvirt/libvirt-ci/cirrus-run:master"."""  # noqa: E501
EKS_WORKSHOP_850 = """$ prepare-environment automation/gitops/argocd
timed out waiting for the condition on pods/catalog-759cdd5598-k5gqk
timed out waiting for the condition on pods/catalog-mysql-0
timed out waiting for the condition on pods/checkout-9cc47f6f4-vw4r4"""


def test_a_ci_executor_pod_that_never_runs_is_the_runners_failure(tmp_path: Path) -> None:
    config = Config()
    for text in (KUBESPRAY_8451, ARC_2996, ARC_LOG):
        first = first_finding_of(text, config, tmp_path)
        assert (first.category, first.priority, first.rule_id) == (
            "ci-runner-failure", "P1", "ci.executor-pod-not-running"), text
    for text in (LIBVIRT_IMAGE_PULL, EKS_WORKSHOP_850):
        first = first_finding_of(text, config, tmp_path)
        assert first.rule_id != "ci.executor-pod-not-running", text


def test_the_new_ci_rule_answers_to_the_key_before() -> None:
    line = KUBESPRAY_8451.split("\n")[-1]
    analysis = analyse([result("job.log::prepare", message=line, details=KUBESPRAY_8451)], Config())
    (f,) = analysis.findings
    assert f.rule_id == "ci.executor-pod-not-running"
    lead = analysis.clusters[f.id].lead
    back = dict(older_keys(KeyInput(lead)))
    assert "key-v9" in back and back["key-v9"] != lead.key


# A Go panic whose own message is a refused connection is the refusal (runtime.go-panic's key-v10 veto), as a Rust
# panic on `ConnectionRefused` already was: a Go RPC example (`main.callRPC` dialling its own server before it listens)
# and an app in Docker reaching for Postgres on localhost (a developer's notes). Near miss: a nil-pointer panic stays
# the panic's.
GO_RPC = """panic: dial tcp 127.0.0.1:8080: connect: connection refused

goroutine 1 [running]:
main.callRPC({0x5592ed?, 0xc00011c020?}, {0x55787e, 0x3}, {0xc00012c100, 0x2, 0x2})"""
GO_DOCKER_PG = """$ docker run --rm app
panic: dial tcp 127.0.0.1:5432: connect: connection refused"""
GO_NIL = """panic: runtime error: invalid memory address or nil pointer dereference
[signal SIGSEGV: segmentation violation code=0x1 addr=0x20 pc=0xf1ea11]

goroutine 1 [running]:
main.ReadEnvVariables(0x1a8fec0)
	/app/who.go:44 +0x951"""


def test_a_go_panic_on_a_refused_connection_is_the_refusal(tmp_path: Path) -> None:
    config = Config()
    for text in (GO_RPC, GO_DOCKER_PG):
        first = first_finding_of(text, config, tmp_path)
        assert (first.category, first.rule_id) == ("connection-refused", "network.connection-refused"), text
        assert go_panic_refused_veto(text)
    first = first_finding_of(GO_NIL, config, tmp_path)
    assert first.rule_id == "runtime.go-panic"
    assert not go_panic_refused_veto(GO_NIL)


def test_the_vetoed_go_panic_answers_to_the_key_before() -> None:
    line = GO_RPC.split("\n")[0]
    analysis = analyse([result("job.log::rpc", message=line, details=GO_RPC)], Config())
    (f,) = analysis.findings
    assert f.rule_id == "network.connection-refused"
    lead = analysis.clusters[f.id].lead
    back = dict(older_keys(KeyInput(lead)))
    assert "key-v9" in back and back["key-v9"] != lead.key


# Visual Studio's Error List copied as text: an error row of a compiler's own code is a compile error (a book-store
# course repository's `SahithisBooks.DataAccess`, the QuickTables docs project `Tabler.Docs`, a Unity game's
# `Assembly-CSharp`). Near misses: a warning row, an analyzer's (CA) error row.
VS_ERROR_LIST = (
    "Error\tCS0103\tThe name 'sqlCon' does not exist in the current context\tSahithisBooks.DataAccess\t"
    "C:\\Users\\W0767287\\source\\repos\\SahithisBookStore\\UnitOfWork.cs\t9\tActive",
    "Error\tCS0103\tThe name 'DbContextFactory' does not exist in the current context\tTabler.Docs\t"
    "Components_QuickTables_QuickTablesEF_razor.g.cs\t90\tActive\t",
    "- Error\tCS0103\tThe name 'File' does not exist in the current context\tAssembly-CSharp\t"
    "Assets\\Scripts\\ConsoleCode\\ConsoleMonFactory.cs\t24\tActive",
)
VS_NOT_COMPILE = (
    "Warning\tCS0618\t'WebClient' is obsolete\tApp\tC:\\src\\Fetch.cs\t3\tActive",
    "Error\tCA2000\tDispose objects before losing scope\tApp\tC:\\src\\Fetch.cs\t3\tActive",
)


def test_a_visual_studio_error_list_row_of_a_compiler_code_is_a_compile_error() -> None:
    for line in VS_ERROR_LIST:
        named = name_line(line)
        assert named is not None and named.category == "compile-error", line
    for line in VS_NOT_COMPILE:
        named = name_line(line)
        assert named is None or named.category != "compile-error", line


# A registry refusal on the OCI distribution API's write endpoints is a push (P1): kaniko pushing to Harbor (a Jenkins
# pipeline's `Kaniko构建镜像推送Harbor` stage), kaniko under Tekton pushing to ghcr.io (a bookstore demo), a `vt image
# push` to Harbor. Near misses: pulls refused on a manifest GET/HEAD (a private registry's `docker pull`, an Azure
# registry's expired token).
PUSH_REFUSALS = (
    'checking push permission for "192.168.133.129:30002/spring-cloud-demo/gateway:v1": POST '
    "http://192.168.133.129:30002/v2/spring-cloud-demo/gateway/blobs/uploads/: UNAUTHORIZED: project spring-cloud-demo "
    "not found: project spring-cloud-demo not found",
    'checking push permission for "ghcr.io/santosh1176/bookstore/tekton-library:latest": POST '
    "https://ghcr.io/v2/santosh1176/bookstore/tekton-library/blobs/uploads/: UNAUTHORIZED: unauthenticated: User "
    "cannot be authenticated with the token provided.",
    'FATA[0000] not allowed to push                           error="POST '
    'https://harbor.pcitech.com/v2/infrastlabs/vm-images/blobs/uploads/: UNAUTHORIZED: project infrastlabs not found"',
)
PULL_REFUSALS = (
    "Error response from daemon: Get https://r.omd.lc/v2/webee/whoami/manifests/latest: unauthorized: authentication "
    "required",
    "Error response from daemon: Head https://hmctspublic.azurecr.io/v2/am/role-assignment-service/manifests/latest: "
    "unauthorized: authentication required",
)


def test_a_refusal_on_the_registrys_upload_endpoint_is_a_push() -> None:
    assert all(push_words(text) for text in PUSH_REFUSALS)
    assert not any(push_words(text) for text in PULL_REFUSALS)


def test_the_pytest_reader_keeps_the_property_priority_reads() -> None:
    from gardener.ingest.pytest_text.reader import TESTS_RAN as READER
    from gardener.priority import TESTS_RAN as PRIORITY

    assert READER == PRIORITY
