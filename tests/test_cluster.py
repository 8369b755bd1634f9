"""Clustering: one root cause is one finding, whatever the number of tests or inputs."""

from __future__ import annotations

from gardener.classify import find
from gardener.config import Config
from gardener.explain import explain
from gardener.linked import linked_findings
from tests.rules.helpers import failing_test, log_incident

IMPORT_TB = (
    "ImportError while importing test module '{path}'.\nHint: make sure your test modules/packages have valid names.\n"
    "Traceback:\n{path}:3: in <module>\n    import yaml\nE   ModuleNotFoundError: No module named 'yaml'"
)


def test_parametrize_variants_group_into_one_finding() -> None:
    results = [
        failing_test("tests/test_math.py::test_div", f"assert {n} == {n + 1}", variant=f"case{n}",
                     error_type="AssertionError", details=f"E       assert {n} == {n + 1}")
        for n in range(4)
    ]
    (finding,) = find(results, Config())
    assert finding.category == "assertion-failure"
    assert finding.tests == ("tests/test_math.py::test_div",)
    assert len(finding.results) == 4


def test_same_import_error_across_modules_is_one_finding() -> None:
    results = [
        failing_test(f"tests/test_{m}.py", "collection failure", kind="junit",
                     details=IMPORT_TB.format(path=f"/home/runner/work/app/app/tests/test_{m}.py"))
        for m in ("api", "cli", "db", "models", "views")
    ]
    (finding,) = find(results, Config())
    assert finding.category == "import-collection-error"
    assert len(finding.tests) == 5
    assert finding.signature.text == "ModuleNotFoundError: No module named 'yaml'"
    assert ("module", "yaml") in finding.captures


def test_one_dead_service_refusing_six_tests_is_one_finding() -> None:
    results = [
        failing_test(f"tests/test_orders.py::test_{i}", "sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) "
                     f"connection to server at \"localhost\" (127.0.0.1), port 5432 failed: "
                     f"Connection refused (try {i})")
        for i in range(6)
    ]
    (finding,) = find(results, Config())
    assert finding.category == "connection-refused"
    assert len(finding.tests) == 6
    assert dict(finding.captures).get("port") == "5432"


def test_different_causes_with_similar_wording_stay_apart() -> None:
    results = [
        failing_test("tests/test_a.py::test_x", "ModuleNotFoundError: No module named 'yaml'"),
        failing_test("tests/test_b.py::test_y", "ModuleNotFoundError: No module named 'toml'"),
        failing_test("tests/test_c.py::test_z", "ConnectionRefusedError: [Errno 111] Connection refused"),
        failing_test("tests/test_d.py::test_w", "PermissionError: [Errno 13] Permission denied: '/data'"),
    ]
    findings = find(results, Config())
    assert len(findings) == 4
    assert len({f.id for f in findings}) == 4


def test_assertions_in_unrelated_tests_are_separate_problems() -> None:
    results = [failing_test(f"tests/test_{n}.py::test_it", "assert 1 == 2", error_type="AssertionError")
               for n in ("alpha", "beta")]
    findings = find(results, Config())
    assert len(findings) == 2
    assert {f.category for f in findings} == {"assertion-failure"}


def test_collection_error_in_a_log_and_a_junit_file_is_one_finding() -> None:
    log = log_incident(
        "==================================== ERRORS ====================================\n"
        "_______________________ ERROR collecting tests/test_api.py ________________________\n"
        + IMPORT_TB.format(path="/home/runner/work/app/app/tests/test_api.py")
        + "\n!!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!",
        path="pytest-output.log",
    )
    junit = failing_test("tests.test_api", "collection failure", outcome="error",
                         details=IMPORT_TB.format(path="/home/runner/work/app/app/tests/test_api.py"))
    findings = find([log, junit], Config())
    assert len(findings) == 1
    assert {r.source.path for r in findings[0].results} == {"pytest-output.log", "junit.xml"}


def test_a_wrapper_line_joins_the_specific_cause_of_its_log() -> None:
    pip = log_incident("#7 2.0 ERROR: No matching distribution found for numpy==0.0.1", line=10)
    wrapper = log_incident(
        "ERROR: failed to solve: process \"/bin/sh -c pip install numpy==0.0.1\" did not complete successfully: "
        "exit code: 1", line=14)
    generic = log_incident("Error: Process completed with exit code 1.", line=15)
    (finding,) = find([pip, wrapper, generic], Config())
    assert finding.category == "dependency-install-failure"
    assert len(finding.results) == 3


def test_an_unrecognised_test_in_a_job_log_is_not_absorbed_by_an_incident_of_that_log() -> None:
    disk = log_incident("failed to register layer: write /usr/lib/x.so: no space left on device", path="job.log")
    test = failing_test("tests/unit/test_export.py::test_export", "Failed: something nobody recognises",
                        path="job.log", kind="log")
    findings = find([disk, test], Config())
    assert [f.category for f in findings] == ["disk-full", "unclassified"]
    assert "tests/unit/test_export.py::test_export" not in findings[0].tests


SUREFIRE_137 = (
    "[ERROR] The forked VM terminated without properly saying goodbye. VM crash or System.exit called?\n"
    "[ERROR] Process Exit Code: 137\n[ERROR] Crashed tests:\n[ERROR] com.acme.ReconciliationBatchTest"
)
DMESG_OOM = "[Sat Mar  1 10:16:37 2025] Out of memory: Killed process 3988 (java) total-vm:9158812kB"


def test_an_exit_137_joins_the_oom_killer_record_of_the_same_job() -> None:
    crash = log_incident(SUREFIRE_137, path="verify.log", line=160)
    dmesg = log_incident(DMESG_OOM, path="verify.log", line=200)
    (finding,) = find([crash, dmesg], Config())
    assert (finding.category, finding.priority, finding.rule_id) == ("out-of-memory", "P1", "oom.killer")
    assert len(finding.results) == 2
    assert "is weaker evidence of the same cause" in explain(linked_findings([crash, dmesg], Config()))


def test_an_exit_137_alone_or_in_another_job_stands_on_its_own() -> None:
    crash = log_incident(SUREFIRE_137, path="verify.log")
    assert [f.rule_id for f in find([crash], Config())] == ["oom.exit-137"]
    other_job = log_incident(DMESG_OOM, path="other.log")
    assert sorted(f.rule_id for f in find([crash, other_job], Config())) == ["oom.exit-137", "oom.killer"]
    # Never folded into an unrelated cause of its own job.
    test = log_incident("E   assert 3 == 4\ntests/test_sum.py:5: AssertionError", path="verify.log", line=1)
    assert sorted(f.category for f in find([test, crash], Config())) == ["assertion-failure", "out-of-memory"]


def test_order_is_deterministic_and_most_fundamental_first() -> None:
    results = [
        failing_test("tests/test_a.py::test_x", "assert 1 == 2", error_type="AssertionError"),
        failing_test("tests/test_b.py::test_y", "ModuleNotFoundError: No module named 'yaml'"),
        log_incident("OSError: [Errno 28] No space left on device", path="build.log"),
    ]
    first = find(results, Config())
    again = find(list(reversed(results)), Config())
    assert [f.layer for f in first] == ["infrastructure", "collection", "test"]
    assert [f.id for f in first] == [f.id for f in again]


def test_finding_ids_are_stable_across_runs_with_different_numbers() -> None:
    a = find([failing_test("t.py::a", "Timeout after 31.2s connecting to 10.0.0.1:5432")], Config())
    b = find([failing_test("t.py::a", "Timeout after 12.9s connecting to 10.0.0.9:6432")], Config())
    assert a[0].id == b[0].id and a[0].id.startswith("f-")
