"""Defects found in review-8 (second eyes on c0935a8..main: the generic layer's broadened words, the priority moves,
hostile input), each pinned as a strict xfail on its smallest input in the shape of the tool's own output."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from gardener.classify import find
from gardener.config import Config
from gardener.evidence_refs import evidence_refs
from gardener.generic_rule import nothing_tested
from gardener.ingest.dedupe import merge
from gardener.line_category import name_by_step, name_line
from gardener.model import Result, Source
from gardener.priority_evidence import summary_counts
from gardener.priority_service import per_test_ports
from gardener.priority_setup import outside_test_body
from gardener.whole_excerpt import ingest_for_classify
from tests.factories import finding, result


def _categories(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "excerpt.txt"
    path.write_text(text, encoding="utf-8")
    config = Config()
    return [f.category for f in find(ingest_for_classify([str(path)], config.rules).results, config)]


# was a defect (review-8), fixed
def test_nested_julia_load_errors_do_not_recurse_without_bound() -> None:
    line = "ERROR: " + "LoadError: " * 3000 + "UndefVarError: `foo` not defined"
    named = name_line(line)
    assert named is not None and named.category == "runtime-exception"


# was a defect (review-8), fixed
def test_an_upgrade_answered_101_is_not_a_handshake_error(tmp_path: Path) -> None:
    text = ("Run node scripts/smoke.js\n"
            "[smoke] starting server on :8080\n"
            "[smoke] WebSocket connection to ws://localhost:8080/live established, status code 101\n"
            "[smoke] sent 20 frames\n"
            "[smoke] frame 17 checksum mismatch, aborting\n"
            "Error: Process completed with exit code 1.\n")
    assert "websocket-handshake-error" not in _categories(tmp_path, text)
    assert name_line("[smoke] WebSocket connection to ws://localhost:8080/live established, status code 101") is None


# was a defect (review-8), fixed
def test_a_set_up_word_in_a_test_title_is_not_the_set_up() -> None:
    text = ("FAIL src/store.test.ts\n"
            "  ● Store › beforeEach resets the state\n\n"
            "    TypeError: Cannot read properties of undefined (reading 'items')\n\n"
            "      at Object.<anonymous> (src/store.test.ts:21:18)\n")
    assert outside_test_body(text) == ""


# was a defect (review-8), fixed
def test_a_hook_quoted_above_the_failing_test_line_is_not_the_set_up() -> None:
    text = ("  ● cart › adds an item\n\n"
            "    TypeError: Cannot read properties of undefined (reading 'push')\n\n"
            "      10 |   beforeEach(() => jest.resetModules());\n"
            "      11 |\n"
            "    > 12 |   it('adds an item', () => { cart.items.push(1); });\n"
            "         |                                         ^\n"
            "      13 | });\n\n"
            "      at Object.push (src/cart.test.js:12:41)\n")
    assert outside_test_body(text) == ""


# was a defect (review-8), fixed
def test_a_step_that_skips_the_linter_is_not_a_lint_step() -> None:
    named = name_by_step("Run ./gradlew build -x spotlessCheck")
    assert named is None or named.category != "lint-failure"


# was a defect (review-8), fixed
def test_playwright_counts_do_not_reach_into_a_later_run() -> None:
    text = ("Running 2 tests using 1 worker\n\n"
            "  2 failed\n"
            "    [chromium] › login.spec.ts:3:5 › login › signs in ──────────\n"
            "    [chromium] › login.spec.ts:9:5 › login › signs out ─────────\n\n"
            "##[error]Process completed with exit code 1.\n"
            "##[group]Run npx playwright test --project=firefox\n"
            "Running 12 tests using 2 workers\n\n"
            "  12 passed (40.1s)\n")
    # Playwright prints no passed line when none passed: no count read (or 2 of 2), never the later run's 12 passed.
    assert summary_counts(text) in ((0, 0), (2, 2))


# was a defect (review-8), fixed
def test_each_matrix_log_keeps_its_own_job_in_the_evidence() -> None:
    def copy(job: str, path: str, line: int, details: str) -> Result:
        return replace(result("test/api.spec.js::api fetches the user", kind="log", details=details,
                              message="Error: connect ECONNREFUSED ::1:3000", source_path=path,
                              properties=(("job", job), ("job_id", str(line)))), source_line=line)

    merged = merge(copy("test (18.x)", "logs/test (18.x).txt", 41, "at TCPConnectWrap"),
                   copy("test (20.x)", "logs/test (20.x).txt", 57, "at TCPConnectWrap.afterConnect"))
    refs = {ref.path: ref.job for ref in evidence_refs(finding("f1", "connection-refused", results=(merged,)))}
    assert refs == {"logs/test (18.x).txt": "test (18.x)", "logs/test (20.x).txt": "test (20.x)"}


# was a defect (review-8), fixed
def test_a_compile_task_crashing_is_not_said_to_have_tests() -> None:
    # Lombok on a JDK that no longer opens javac's internals (a well-known Gradle failure): the compile task crashed.
    why = outside_test_body(
        "* What went wrong:\n"
        "Execution failed for task ':compileJava'.\n"
        "> java.lang.IllegalAccessError: class lombok.javac.apt.LombokProcessor (in unnamed module @0x3d9f6a6b) cannot "
        "access class com.sun.tools.javac.processing.JavacProcessingEnvironment (in module jdk.compiler)\n")
    assert why and "tests reported" not in why and "before any test ran" in why


def test_many_hook_words_cost_a_bounded_look() -> None:
    # Thousands of quoted hook lines (a hostile or huge log): the look stops after a few mentions.
    import time

    text = "      1 |   beforeEach(() => reset());\n" * 100_000 + "  ● s › beforeEach x\n" * 100_000
    began = time.process_time()
    assert outside_test_body(text) == ""
    assert time.process_time() - began < 5.0


GO_TEST = ("Run go test ./...\n"
           "ok  \texample.com/api/internal/store\t0.412s\n"
           "--- FAIL: TestParseConfig (0.00s)\n"
           "    config_test.go:41: {word} parsing \"testdata/bad.yaml\": got nil, want an error\n"
           "FAIL\n"
           "FAIL\texample.com/api/internal/config\t0.015s\n"
           "FAIL\n"
           "Error: Process completed with exit code 1.\n")


# was a defect (review-8), fixed
def test_a_go_test_message_starting_with_error_is_not_a_compile_error(tmp_path: Path) -> None:
    # `t.Errorf("Error parsing %q: ...")`: the test's own message under its `--- FAIL:` header, at `file:line:`.
    assert "compile-error" not in _categories(tmp_path, GO_TEST.format(word="Error"))
    named = name_line("internal/store/db.go:88:15: Error return value of `rows.Close` is not checked (errcheck)")
    assert named is None or named.category != "compile-error"


# was a defect (review-8; before this session too), fixed
def test_a_go_test_message_starting_with_lowercase_error_is_not_a_compile_error(tmp_path: Path) -> None:
    assert "compile-error" not in _categories(tmp_path, GO_TEST.format(word="error"))


# was a defect (review-8), fixed
def test_one_service_on_a_random_port_per_job_is_a_service() -> None:
    # node-postgres in a matrix: every test of a job is refused on that job's one mapped port.
    jobs = ["test (18.x)"] * 3 + ["test (20.x)"] * 3 + ["test (22.x)"] * 3
    texts = [f"Error: connect ECONNREFUSED 127.0.0.1:{port}\n    at TCPConnectWrap.afterConnect [as oncomplete]"
             for port in (32768,) * 3 + (32771,) * 3 + (32769,) * 3]
    assert not per_test_ports(texts, jobs)


CARGO = ("     Running unittests src/lib.rs (target/debug/deps/acme-3f2a)\n\n"
         "running 12 tests\n"
         "test result: ok. 12 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.02s\n\n"
         "     Running tests/plugins.rs (target/debug/deps/plugins-9c1d)\n"
         "Error: cannot load such file -- libacme_plugin.so\n"
         "error: test failed, to rerun pass `--test plugins`\n"
         "   Doc-tests acme\n\n"
         "running 0 tests\n\n"
         "test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n")


# was a defect (review-8; before this session too), fixed
def test_a_count_of_zero_beside_tests_that_ran_is_not_nothing_tested() -> None:
    r = Result(id="log:test:7", outcome="failed", source=Source("test.log", "log"), source_line=7,
               message="Error: cannot load such file -- libacme_plugin.so", details=CARGO)
    assert not nothing_tested(r)
