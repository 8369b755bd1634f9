"""read_run through PyGithub against the in-process sandbox: hostile artifacts, missing permissions, expired
artifacts and vanished logs each cost one clear line, and everything else is still read."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from gardener.github.actions import GitHubActions
from gardener.sandbox import Sandbox
from gardener.sources import Budget, Cache, SourceUnavailable, read_run
from gardener.sources.read import _Tally, ensure_artifact
from tests.sources import hostile

DATA = Path(__file__).resolve().parent / "data" / "run"
REPO = "acme/shop"
SHA = "4f1c2e9b7d3a5c8e1f0a2b4c6d8e0f1a3b5c7d9e"


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox([REPO]) as sb:
        yield sb


def client(sb: Sandbox) -> GitHubActions:
    return GitHubActions(sb.url, sb.token)


def cache(tmp_path: Path, sb: Sandbox) -> Cache:
    return Cache(tmp_path / "cache", sb.url, REPO)


def hostile_run(tmp_path: Path) -> dict[str, object]:
    base = tmp_path / "run"
    shutil.copytree(DATA, base)
    arts = {
        "test-zip-slip": hostile.zip_slip(base / "slip.zip"),
        "test-symlink": hostile.symlink(base / "link.zip"),
        "test-ratio-bomb": hostile.ratio_bomb(base / "bomb.zip"),
        "test-member-bomb": hostile.member_bomb(base / "many.zip"),
        "test-not-a-zip": hostile.not_a_zip(base / "plain.zip"),
    }
    return {
        "id": 77, "workflow": "CI", "head_sha": SHA, "head_branch": "main", "event": "push",
        "jobs": [{"name": "tests", "attempt": 1, "conclusion": "failure", "log": "tests-2.log",
                  "steps": [{"name": "Run the tests", "conclusion": "failure"}]}],
        "artifacts": [{"name": "test-results", "path": "reports/"},
                      *({"name": name, "path": str(path)} for name, path in arts.items())],
    }


def test_hostile_artifacts_are_refused_each_in_one_line_and_the_good_one_is_read(sandbox, tmp_path):
    run_id = sandbox.add_run(hostile_run(tmp_path), tmp_path / "run")
    api, store = client(sandbox), cache(tmp_path, sandbox)
    artifacts = api.artifacts(REPO, run_id)
    reasons = {}
    for art in artifacts:
        notes: list[str] = []
        started = time.monotonic()
        folder = ensure_artifact(api, REPO, art, store, Budget(), _Tally(), notes)
        took = time.monotonic() - started
        if art.name == "test-results":
            assert folder is not None and (folder / "junit.xml").is_file() and not notes
            continue
        # Refused before extracting: a bomb unpacked would take minutes; the bound only catches that, it is
        # no speed claim (0.5 s failed on a loaded 2-core machine).
        assert folder is None and took < 10, (art.name, took)
        (line,) = notes
        assert "\n" not in line and f"artifact {art.name!r}" in line and "refused" in line
        reasons[art.name] = line
    assert "climbs out" in reasons["test-zip-slip"] and "symbolic link" in reasons["test-symlink"]
    assert "compression ratio" in reasons["test-ratio-bomb"] and "10000" in reasons["test-member-bomb"]
    assert "not a zip archive" in reasons["test-not-a-zip"]
    assert not (tmp_path / "escaped.txt").exists() and not (tmp_path.parent / "escaped.txt").exists()
    # The whole run still reads: five refusals noted, the JUnit and the log's failures kept.
    inputs = read_run(api, REPO, run_id, cache=store)
    assert sum("refused" in n for n in inputs.notes) == 5
    assert {r.id for r in inputs.results if r.is_failing} >= {"tests/test_api.py::test_orders"}
    assert any(f.path.endswith("junit.xml") for f in inputs.files)
    assert inputs.traffic.downloads == 1 and inputs.traffic.cache_hits == 6  # the log; refusals are cached too


def test_without_actions_read_the_run_cannot_be_read_and_says_why(sandbox, tmp_path):
    run_id = sandbox.add_run(hostile_run(tmp_path), tmp_path / "run")
    sandbox.allow_actions(False)
    with pytest.raises(SourceUnavailable) as info:
        read_run(client(sandbox), REPO, run_id, cache=cache(tmp_path, sandbox))
    assert "actions: read" in str(info.value) and info.value.status == 403


def test_an_expired_artifact_and_a_vanished_log_are_named_and_the_rest_is_read(sandbox, tmp_path):
    base = tmp_path / "run"
    shutil.copytree(DATA, base)
    run_id = sandbox.add_run({
        "id": 78, "workflow": "CI", "head_sha": SHA, "event": "push",
        "jobs": [{"name": "build", "attempt": 1, "conclusion": "failure", "log": "build.log"},
                 {"name": "tests", "attempt": 1, "conclusion": "failure"}],  # no log: gone
        "artifacts": [{"name": "old-test-results", "path": "gone/", "expired": True},
                      {"name": "test-results", "path": "reports/"}, {"name": "coverage-html", "path": "reports/"}],
    }, base)
    inputs = read_run(client(sandbox), REPO, run_id, cache=cache(tmp_path, sandbox))
    notes = "\n".join(inputs.notes)
    assert "artifact 'old-test-results'" in notes and "expired" in notes
    assert "log of job 'tests'" in notes and "404" in notes
    assert len(inputs.notes) == 2  # coverage-html is not a report: never downloaded, nothing to say
    kinds = {r.source.kind for r in inputs.results}
    assert kinds == {"log", "junit"}
    assert inputs.traffic.downloads == 2


def test_a_log_over_the_cap_is_read_up_to_it_and_marked_partial(sandbox, tmp_path):
    base = tmp_path / "run"
    shutil.copytree(DATA, base)
    big = base / "big.log"
    with big.open("w") as out:
        # the job's own lines run on past the cap; its post-job cleanup (never a failure) comes last
        head, cleanup = (DATA / "build.log").read_text().rsplit("\n", 2)[0:2]
        out.write(head + "\n")
        out.writelines(f"2026-11-20T10:00:05.0000000Z progress line {i}\n" for i in range(60_000))
        out.write("2026-11-20T10:00:09.0000000Z OSError: [Errno 28] No space left on device: '/tmp/wheels'\n")
        out.write(cleanup + "\n")
    run_id = sandbox.add_run({"id": 79, "workflow": "CI", "head_sha": SHA, "event": "push",
                              "jobs": [{"name": "build", "attempt": 1, "conclusion": "failure", "log": "big.log"}]},
                             base)
    inputs = read_run(client(sandbox), REPO, run_id, cache=cache(tmp_path, sandbox),
                      budget=Budget(max_log_bytes=1024 * 1024))
    (log,) = inputs.files
    assert log.partial and Path(log.path).stat().st_size <= 1024 * 1024
    assert any("cap" in n and "partial" in n for n in inputs.notes)
    assert any(r.error_type and "requirements.txt" in r.message for r in inputs.results)  # from its start
    assert any("No space left on device" in r.message for r in inputs.results)  # and from its end


def test_list_runs_pages_the_repositorys_runs_newest_first(sandbox, tmp_path):
    from gardener.sources import list_runs

    base = tmp_path / "run"
    shutil.copytree(DATA, base)
    for n, conclusion in ((11, "failure"), (12, "success"), (13, "failure")):
        sandbox.add_run({"id": n, "workflow": "CI", "head_sha": SHA, "head_branch": "main", "event": "push",
                         "created_at": f"2026-11-2{n - 10}T10:00:00Z",
                         "jobs": [{"name": "build", "conclusion": conclusion}]}, base)
    runs = list_runs(client(sandbox), REPO, status="failure")
    assert [r.id for r in runs] == [13, 11]
    assert all(r.head_sha == SHA and r.conclusion == "failure" and r.html_url.endswith(f"/runs/{r.id}") for r in runs)
    assert [r.id for r in list_runs(client(sandbox), REPO, limit=1)] == [13]


def test_a_download_cut_short_is_tried_again_and_named_when_it_keeps_failing(sandbox, tmp_path):
    base = tmp_path / "run"
    shutil.copytree(DATA, base)
    run_id = sandbox.add_run({"id": 90, "workflow": "CI", "head_sha": SHA, "event": "push",
                              "jobs": [{"name": "build", "conclusion": "failure", "log": "build.log"},
                                       {"name": "tests", "conclusion": "failure", "log": "tests-1.log"}]}, base)
    sandbox.inject({"kind": "truncate", "bytes": 100}, path=r"/_sandbox/downloads/logs/", times=1)
    once = read_run(client(sandbox), REPO, run_id, cache=cache(tmp_path / "a", sandbox))
    assert not once.notes and once.traffic.downloads == 2  # the cut one was fetched again
    assert sandbox.count("GET", r"/_sandbox/downloads/logs/") == 3
    logs = sorted((tmp_path / "a" / "cache").rglob("*.log"))  # whole, never the cut copy
    assert sorted(p.read_bytes() for p in logs) == sorted((base / n).read_bytes() for n in ("build.log", "tests-1.log"))
    sandbox.inject({"kind": "truncate", "bytes": 100}, path=r"/_sandbox/downloads/logs/", times=3)
    always = read_run(client(sandbox), REPO, run_id, cache=cache(tmp_path / "b", sandbox))
    (note,) = always.notes
    assert "log of job 'build'" in note and "cut short" in note
    read = {dict(r.properties)["job"] for r in always.results if r.error_type != "JobFailed"}
    assert read == {"tests"}  # the other job is still read
    (unread,) = [r for r in always.results if r.error_type == "JobFailed"]  # and the cut one is not lost
    assert dict(unread.properties)["job"] == "build" and "cut short" in unread.message


def _acceptance_run(sandbox: Sandbox, tmp_path: Path) -> int:
    import json

    base = tmp_path / "run"
    shutil.copytree(DATA, base)
    spec = json.loads((DATA / "run.json").read_text()) | {"id": 4242}
    return sandbox.add_run(spec, base)


def test_an_attempt_url_reads_the_run_as_it_was_then(sandbox, tmp_path):
    run_id = _acceptance_run(sandbox, tmp_path)
    first = read_run(client(sandbox), REPO, run_id, attempt=1, cache=cache(tmp_path, sandbox))
    assert first.run.attempt == 1 and {j.attempt for j in first.jobs} == {1}
    outcomes = {r.id: r.outcome for r in first.results if r.is_test}
    assert outcomes["tests/test_api.py::test_checkout"] == "failed"  # attempt 2 is not known yet
    # The run lists attempt 2's report too (GitHub keeps every attempt's artifacts, with no attempt field):
    # uploaded after attempt 2 began, it is not attempt 1's, so it is skipped with a note.
    assert first.artifacts == () and not any("junit.xml" in f.path for f in first.files)
    assert any("1 artifact of run" in n and "later attempt than 1" in n for n in first.notes)
    latest = read_run(client(sandbox), REPO, run_id, cache=cache(tmp_path, sandbox))
    assert [a.name for a in latest.artifacts] == ["test-results"]
    by_id = {r.id: r for r in latest.results if r.is_test}
    assert by_id["tests/test_api.py::test_checkout"].outcome == "flaky"
    assert by_id["tests/test_api.py::test_orders"].outcome == "failed"
    assert by_id["tests/test_api.py::test_orders"].attempts == 2
    props = dict(by_id["tests/test_api.py::test_orders"].properties)
    assert (props["job"], props["attempt"], props["job_step"], props["attempts_failed"]) == (
        "tests", "2", "Run the tests", "1,2")
    assert props["run_url"].endswith(f"/{REPO}/actions/runs/{run_id}")


def test_a_job_url_reads_only_that_jobs_logs(sandbox, tmp_path):
    run_id = _acceptance_run(sandbox, tmp_path)
    jobs = client(sandbox).jobs(REPO, run_id)
    build = next(j for j in jobs if j.name == "build")
    inputs = read_run(client(sandbox), REPO, run_id, cache=cache(tmp_path, sandbox), job_id=build.id)
    assert {dict(r.properties).get("job") for r in inputs.results if r.source.kind == "log"} == {"build"}
    assert inputs.traffic.downloads == 2  # the build log and the report artifact


def test_a_failed_job_nothing_explains_is_one_failing_result_naming_it_and_why(sandbox, tmp_path):
    base = tmp_path / "run"
    shutil.copytree(DATA, base)
    run_id = sandbox.add_run({
        "id": 80, "workflow": "CI", "head_sha": SHA, "event": "push",
        "jobs": [{"name": "docs", "attempt": 1, "conclusion": "failure",  # no log: gone
                  "steps": [{"name": "Set up job"}, {"name": "Build docs", "conclusion": "failure"}]},
                 {"name": "e2e", "attempt": 1, "conclusion": "cancelled"},  # follows from something else
                 {"name": "build", "attempt": 1, "conclusion": "failure", "log": "build.log"},
                 {"name": "lint", "attempt": 1, "conclusion": "success"}],
    }, base)
    inputs = read_run(client(sandbox), REPO, run_id, cache=cache(tmp_path, sandbox))
    unexplained = [r for r in inputs.results if r.error_type == "JobFailed"]
    assert len(unexplained) == 1
    (docs,) = unexplained
    assert docs.is_failing and dict(docs.properties)["job"] == "docs"
    assert dict(docs.properties)["job_step"] == "Build docs"
    assert docs.message.startswith("Job 'docs' failed at step 'Build docs'; its log could not be read: HTTP 404")
    assert any(dict(r.properties).get("job") == "build" and r.error_type != "JobFailed" for r in inputs.results)
