from datetime import UTC, datetime, timedelta

from gardener.model import Result, Source
from gardener.sources.attempts import AttemptGroup, artifacts_as_of, merge_attempts
from gardener.sources.model import ArtifactInfo, JobInfo


def case(name: str, outcome: str = "failed", attempts: int = 1) -> Result:
    return Result(id=f"tests/test_api.py::{name}", outcome=outcome, source=Source("junit.xml", "junit"),  # type: ignore[arg-type]
                  message="assert 1 == 2", attempts=attempts)


def incident(message: str) -> Result:
    return Result(id="log:job", outcome="error", source=Source("job.log", "log"), source_line=3, message=message,
                  error_type="docker")


def by_id(results):
    return {r.id.rsplit("::", 1)[-1]: r for r in results}


def test_a_test_that_passed_on_the_next_attempt_is_flaky_and_one_failing_every_time_is_failing():
    a1 = AttemptGroup("tests", 1, (case("test_flaky"), case("test_broken")), read=True, succeeded=False)
    a2 = AttemptGroup("tests", 2, (case("test_broken"),), read=True, succeeded=False)
    got = by_id(merge_attempts([a1, a2]))
    assert got["test_flaky"].outcome == "flaky"
    assert dict(got["test_flaky"].properties)["passed_in_attempt"] == "2"
    assert got["test_broken"].outcome == "failed"
    assert got["test_broken"].attempts == 2
    assert dict(got["test_broken"].properties)["attempts_failed"] == "1,2"


def test_a_job_that_succeeded_on_rerun_makes_its_earlier_failures_flaky():
    a1 = AttemptGroup("tests", 1, (case("test_x"),), read=True, succeeded=False)
    a2 = AttemptGroup("tests", 2, (), read=False, succeeded=True)
    (only,) = merge_attempts([a1, a2])
    assert only.outcome == "flaky" and only.attempts == 2


def test_a_later_attempt_that_never_ran_its_tests_is_no_evidence():
    a1 = AttemptGroup("tests", 1, (case("test_x"),), read=True, succeeded=False)
    a2 = AttemptGroup("tests", 2, (incident("failed to solve: dockerfile not found"),), read=True, succeeded=False)
    got = merge_attempts([a1, a2])
    assert [r.outcome for r in got if r.is_test] == ["failed"]


def test_in_file_reruns_add_up_across_attempts():
    a1 = AttemptGroup("tests", 1, (case("test_x", attempts=3),), read=True, succeeded=False)
    a2 = AttemptGroup("tests", 2, (case("test_x", attempts=3),), read=True, succeeded=False)
    (only,) = merge_attempts([a1, a2])
    assert only.outcome == "failed" and only.attempts == 6
    b1 = AttemptGroup("tests", 1, (case("test_y", "flaky", attempts=2),), read=True, succeeded=False)
    b2 = AttemptGroup("tests", 2, (case("test_y", "passed"),), read=True, succeeded=False)
    (flaky,) = merge_attempts([b1, b2])
    assert flaky.outcome == "flaky" and flaky.attempts == 3


def test_the_same_incident_in_two_attempts_is_one_and_different_jobs_pass_through():
    a1 = AttemptGroup("build", 1, (incident("build failed at step 3"),), read=True, succeeded=False)
    a2 = AttemptGroup("build", 2, (incident("build failed at step 4"),), read=True, succeeded=False)
    other = AttemptGroup("lint", 1, (incident("ruff found 2 errors"),), read=True, succeeded=False)
    got = merge_attempts([a1, a2, other])
    assert [r.message for r in got] == ["build failed at step 4", "ruff found 2 errors"]


def test_a_focus_word_in_the_repositorys_name_does_not_select_every_result_of_its_run():
    from dataclasses import replace

    from gardener.focus import result_haystack

    r = replace(case("test_x"), properties=(("job", "tests"), ("run_url", "https://github.com/o/websocket/actions/runs/1"),
                                             ("job_url", "https://github.com/o/websocket/actions/runs/1/job/2")))
    assert "websocket" not in result_haystack(r) and "job=tests" in result_haystack(r)


def test_an_attempt_has_the_artifacts_uploaded_before_any_later_attempt_began():
    t0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    jobs = (JobInfo(1, "tests", 1, "completed", "failure", started_at=t0),
            JobInfo(2, "build", 1, "completed", "success", started_at=t0),
            JobInfo(3, "tests", 2, "completed", "failure", started_at=t0 + timedelta(minutes=10)),
            JobInfo(4, "tests", 3, "completed", "success", started_at=t0 + timedelta(minutes=20)))
    first = ArtifactInfo(10, "reports", 1, created_at=t0 + timedelta(minutes=2))
    second = ArtifactInfo(11, "reports", 1, created_at=t0 + timedelta(minutes=12))
    third = ArtifactInfo(12, "reports", 1, created_at=t0 + timedelta(minutes=22))
    undated = ArtifactInfo(13, "coverage", 1)
    every = (first, second, third, undated)
    assert artifacts_as_of(every, jobs, 1) == (first, undated)
    assert artifacts_as_of(every, jobs, 2) == (first, second, undated)  # jobs not re-run keep theirs
    assert artifacts_as_of(every, jobs, 3) == every
    at_the_start = ArtifactInfo(14, "reports", 1, created_at=t0 + timedelta(minutes=10))
    assert artifacts_as_of((at_the_start,), jobs, 1) == ()  # uploaded as attempt 2 began: attempt 2's
    assert artifacts_as_of(every, jobs[:1], 1) == every  # no later attempt known: nothing to tell apart
