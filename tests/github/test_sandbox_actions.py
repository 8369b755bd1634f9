"""The sandbox's Actions routes over raw HTTP: runs and their filters, attempts, jobs, log and artifact
downloads through signed redirects, permission, faults, paging, and loading runs from files."""

from __future__ import annotations

import http.client
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from gardener.sandbox import Sandbox
from tests.github import actions_world as w
from tests.github.helpers import RawHttp

BASE = "/repos/octo/demo"


@pytest.fixture
def runs_dir(tmp_path: Path) -> Path:
    return w.write_runs(tmp_path)


@pytest.fixture
def sb(runs_dir: Path) -> Iterator[Sandbox]:
    with Sandbox(("octo/demo", "octo/other"), runs=runs_dir) as sandbox:
        assert sandbox.run_problems == ()
        yield sandbox


@pytest.fixture
def api(sb: Sandbox) -> RawHttp:
    return RawHttp(sb.url, sb.token)


def fetch(url: str, token: str | None = None) -> tuple[int, dict[str, str], bytes]:
    """One GET without following redirects, as a client sees the 302 itself."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.netloc, timeout=10)
    headers = {"Authorization": f"token {token}"} if token else {}
    conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers)
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body


# -- runs -------------------------------------------------------------------------------------------


def test_runs_are_listed_newest_first_with_their_latest_attempt(api: RawHttp) -> None:
    reply = api("GET", f"{BASE}/actions/runs")
    assert reply.status == 200
    assert reply.body["total_count"] == 2
    failed, green = reply.body["workflow_runs"]
    assert (failed["id"], failed["run_attempt"], failed["conclusion"], failed["status"]) == (
        w.FAILED_RUN,
        2,
        "failure",
        "completed",
    )
    assert failed["display_title"] == "Bump the base image"  # the head commit's subject, from commits.json
    assert failed["head_commit"]["author"] == {"name": "Cid", "email": "cid@example.com"}
    assert failed["previous_attempt_url"].endswith(f"/actions/runs/{w.FAILED_RUN}/attempts/1")
    assert (green["id"], green["conclusion"], green["run_number"], green["head_branch"]) == (
        w.GREEN_RUN,
        "success",
        7,
        "release/1.0",
    )
    assert failed["workflow_id"] == green["workflow_id"] and failed["path"] == ".github/workflows/ci.yml"
    assert api("GET", "/repos/octo/other/actions/runs").body == {"total_count": 0, "workflow_runs": []}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("branch=main", [w.FAILED_RUN]),
        ("branch=release/1.0", [w.GREEN_RUN]),
        ("event=pull_request", [w.GREEN_RUN]),
        ("status=completed", [w.FAILED_RUN, w.GREEN_RUN]),
        ("status=failure", [w.FAILED_RUN]),
        ("status=success", [w.GREEN_RUN]),
        ("status=in_progress", []),
        ("created=%3E%3D2026-12-01", [w.FAILED_RUN]),
        ("created=%3C2026-12-01", [w.GREEN_RUN]),
        ("created=2026-11-20", [w.GREEN_RUN]),
        ("created=2026-11-01..2026-11-30", [w.GREEN_RUN]),
        ("created=2026-11-21..*", [w.FAILED_RUN]),
        (f"head_sha={w.BAD_SHA}", [w.FAILED_RUN]),
        ("branch=main&status=success", []),
    ],
)
def test_run_filters(api: RawHttp, query: str, expected: list[int]) -> None:
    reply = api("GET", f"{BASE}/actions/runs?{query}")
    assert reply.status == 200
    assert [r["id"] for r in reply.body["workflow_runs"]] == expected
    assert reply.body["total_count"] == len(expected)


def test_a_malformed_created_filter_is_a_validation_error(api: RawHttp) -> None:
    assert api("GET", f"{BASE}/actions/runs?created=%3E%3Dyesterday").status == 422


def test_runs_page_with_link_headers(sb: Sandbox, api: RawHttp, tmp_path: Path) -> None:
    for n in range(5):
        sb.add_run(
            {**w.green_run(), "id": 100 + n, "run_number": None, "created_at": f"2026-10-0{n + 1}T00:00:00Z"}, tmp_path
        )
    first = api("GET", f"{BASE}/actions/runs?per_page=3")
    assert first.body["total_count"] == 7 and len(first.body["workflow_runs"]) == 3
    assert 'rel="next"' in first.headers["link"] and "page=3" in first.headers["link"]  # rel="last"
    last = api("GET", f"{BASE}/actions/runs?per_page=3&page=3")
    assert [r["id"] for r in last.body["workflow_runs"]] == [100]
    assert 'rel="prev"' in last.headers["link"] and 'rel="next"' not in last.headers["link"]


def test_run_and_its_attempts(api: RawHttp) -> None:
    run = api("GET", f"{BASE}/actions/runs/{w.FAILED_RUN}")
    assert run.status == 200 and run.body["run_attempt"] == 2
    first = api("GET", f"{BASE}/actions/runs/{w.FAILED_RUN}/attempts/1").body
    assert (first["run_attempt"], first["conclusion"], first["previous_attempt_url"]) == (1, "failure", None)
    assert first["jobs_url"].endswith("/attempts/1/jobs")
    assert api("GET", f"{BASE}/actions/runs/{w.FAILED_RUN}/attempts/3").status == 404
    assert api("GET", f"{BASE}/actions/runs/{w.FAILED_RUN}/attempts/0").status == 404
    assert api("GET", f"{BASE}/actions/runs/999").status == 404
    assert api("GET", f"/repos/octo/other/actions/runs/{w.FAILED_RUN}").status == 404  # another repository's run


# -- jobs -------------------------------------------------------------------------------------------


def _jobs(api: RawHttp, path: str) -> list[tuple[str, int, str]]:
    reply = api("GET", path)
    assert reply.status == 200, reply.body
    assert reply.body["total_count"] == len(reply.body["jobs"])
    return [(j["name"], j["run_attempt"], j["conclusion"]) for j in reply.body["jobs"]]


def test_jobs_latest_all_and_per_attempt(api: RawHttp) -> None:
    run = f"{BASE}/actions/runs/{w.FAILED_RUN}"
    latest = [("build", 1, "failure"), ("lint", 1, "success"), ("tests", 2, "success")]
    assert _jobs(api, f"{run}/jobs") == latest
    assert _jobs(api, f"{run}/jobs?filter=latest") == latest
    assert _jobs(api, f"{run}/jobs?filter=all") == [
        ("build", 1, "failure"), ("tests", 1, "failure"), ("lint", 1, "success"), ("tests", 2, "success"),
    ]  # fmt: skip
    assert _jobs(api, f"{run}/attempts/1/jobs") == [
        ("build", 1, "failure"),
        ("tests", 1, "failure"),
        ("lint", 1, "success"),
    ]
    assert _jobs(api, f"{run}/attempts/2/jobs") == latest  # jobs not re-run carry over, as on GitHub
    assert api("GET", f"{run}/jobs?filter=some").status == 422
    assert api("GET", f"{run}/attempts/5/jobs").status == 404


def test_a_job_has_numbered_steps_with_times(api: RawHttp) -> None:
    job_id = w.FAILED_RUN * 10_000 + 1
    job = api("GET", f"{BASE}/actions/jobs/{job_id}").body
    assert (job["name"], job["run_id"], job["workflow_name"], job["head_sha"]) == (
        "build",
        w.FAILED_RUN,
        "CI",
        w.BAD_SHA,
    )
    assert [(s["number"], s["name"], s["status"], s["conclusion"]) for s in job["steps"]] == [
        (1, "Set up job", "completed", "success"),
        (2, "Build images", "completed", "failure"),
    ]
    assert all(s["started_at"] <= s["completed_at"] for s in job["steps"])
    assert job["html_url"].endswith(f"/octo/demo/actions/runs/{w.FAILED_RUN}/job/{job_id}")
    assert api("GET", f"{BASE}/actions/jobs/1").status == 404


# -- downloads --------------------------------------------------------------------------------------


def test_a_job_log_is_a_redirect_to_a_signed_url_that_needs_no_token(sb: Sandbox) -> None:
    job_id = w.FAILED_RUN * 10_000 + 1
    status, headers, _ = fetch(f"{sb.url}{BASE}/actions/jobs/{job_id}/logs", sb.token)
    assert status == 302
    location = headers["location"]
    assert location.startswith(f"{sb.url}/_sandbox/downloads/logs/{job_id}?")
    status, headers, body = fetch(location)  # no Authorization header, as for GitHub's blob storage URL
    assert status == 200 and headers["content-type"].startswith("text/plain")
    assert body.decode() == w.BUILD_LOG
    assert sb.count("GET", r"/actions/jobs/\d+/logs$") == 1 and sb.count("GET", "^/_sandbox/downloads/") == 1
    tampered = location.replace("/logs/" + str(job_id), f"/logs/{job_id + 1}")
    assert fetch(tampered)[0] == 403
    assert fetch(location.split("?")[0])[0] == 403


def test_a_download_link_lapses(sb: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    import gardener.sandbox.downloads as downloads

    monkeypatch.setattr(downloads, "LINK_LIFETIME_S", -1)
    status, headers, _ = fetch(f"{sb.url}{BASE}/actions/jobs/{w.FAILED_RUN * 10_000 + 1}/logs", sb.token)
    assert status == 302
    status, _, body = fetch(headers["location"])
    assert status == 403 and b"expiry" in body


def test_a_job_without_a_log_is_not_found(api: RawHttp, sb: Sandbox, tmp_path: Path) -> None:
    run_id = sb.add_run({**w.green_run(), "id": 77}, tmp_path)
    assert api("GET", f"{BASE}/actions/jobs/{run_id * 10_000 + 1}/logs").status == 404


def test_artifacts_list_download_and_expiry(sb: Sandbox, api: RawHttp) -> None:
    listed = api("GET", f"{BASE}/actions/runs/{w.FAILED_RUN}/artifacts").body
    assert listed["total_count"] == 3
    reports, hostile, old = listed["artifacts"]
    assert (reports["name"], reports["expired"], old["expired"]) == ("test-reports", False, True)
    assert api("GET", f"{BASE}/actions/runs/{w.FAILED_RUN}/artifacts?name=test-reports").body["total_count"] == 1
    assert api("GET", f"{BASE}/actions/artifacts/{reports['id']}").body == reports
    assert api("GET", f"{BASE}/actions/artifacts").body["total_count"] == 3

    status, headers, _ = fetch(reports["archive_download_url"], sb.token)
    assert status == 302
    status, headers, body = fetch(headers["location"])
    assert status == 200 and headers["content-type"] == "application/zip"
    assert len(body) == reports["size_in_bytes"]
    with zipfile.ZipFile(io.BytesIO(body)) as zf:  # the folder, zipped by the sandbox
        assert sorted(zf.namelist()) == ["junit.xml", "nested/report.log"]
        assert zf.read("junit.xml").decode() == w.JUNIT

    status, headers, _ = fetch(hostile["archive_download_url"], sb.token)
    body = fetch(headers["location"])[2]
    with zipfile.ZipFile(io.BytesIO(body)) as zf:  # a .zip file is served byte for byte, hostile or not
        assert zf.namelist() == ["../../evil.txt"]

    gone = fetch(old["archive_download_url"], sb.token)
    assert gone[0] == 410 and json.loads(gone[2])["message"] == "Artifact has expired"
    assert fetch(reports["archive_download_url"].replace("/zip", "/tar"), sb.token)[0] == 404


# -- workflows --------------------------------------------------------------------------------------


def test_workflows_by_id_and_file_name(api: RawHttp) -> None:
    listed = api("GET", f"{BASE}/actions/workflows").body
    assert listed["total_count"] == 1
    wf = listed["workflows"][0]
    assert (wf["name"], wf["path"], wf["state"]) == ("CI", ".github/workflows/ci.yml", "active")
    assert api("GET", f"{BASE}/actions/workflows/{wf['id']}").body == wf
    assert api("GET", f"{BASE}/actions/workflows/ci.yml").body == wf
    by_file = api("GET", f"{BASE}/actions/workflows/ci.yml/runs?status=failure").body
    assert [r["id"] for r in by_file["workflow_runs"]] == [w.FAILED_RUN]
    assert api("GET", f"{BASE}/actions/workflows/nope.yml/runs").status == 404


# -- permission and faults --------------------------------------------------------------------------


def test_without_actions_read_every_actions_route_is_403(sb: Sandbox, api: RawHttp) -> None:
    sb.allow_actions(False)
    for path in (
        "/actions/runs", f"/actions/runs/{w.FAILED_RUN}", f"/actions/runs/{w.FAILED_RUN}/jobs",
        f"/actions/jobs/{w.FAILED_RUN * 10_000 + 1}/logs", f"/actions/runs/{w.FAILED_RUN}/artifacts",
        "/actions/workflows",
    ):  # fmt: skip
        reply = api("GET", BASE + path)
        assert reply.status == 403 and reply.body["message"] == "Resource not accessible by integration", path
    assert api("GET", f"{BASE}/commits/{w.BAD_SHA}").status == 200  # contents: read still works
    assert api("PUT", "/_sandbox/permissions", {"actions": True}).status == 200
    assert api("GET", f"{BASE}/actions/runs").status == 200


def test_faults_cover_actions_routes_and_downloads(sb: Sandbox, api: RawHttp) -> None:
    sb.inject({"status": 502}, method="GET", path=r"/actions/runs$")
    assert api("GET", f"{BASE}/actions/runs").status == 502
    assert api("GET", f"{BASE}/actions/runs").status == 200
    sb.inject({"kind": "secondary_rate_limit", "retry_after": 1}, path=r"/jobs$")
    limited = api("GET", f"{BASE}/actions/runs/{w.FAILED_RUN}/jobs")
    assert limited.status == 403 and limited.headers["retry-after"] == "1"
    location = fetch(f"{sb.url}{BASE}/actions/jobs/{w.FAILED_RUN * 10_000 + 1}/logs", sb.token)[1]["location"]
    sb.inject({"kind": "drop"}, path=r"^/_sandbox/downloads/")
    with pytest.raises((http.client.HTTPException, ConnectionError)):
        fetch(location)
    assert fetch(location)[0] == 200
    assert [r.fault for r in sb.requests() if r.fault] == ["status", "secondary_rate_limit", "drop"]


# -- loading ----------------------------------------------------------------------------------------


def test_a_broken_run_file_is_one_line_and_the_others_still_load(runs_dir: Path) -> None:
    (runs_dir / "6001").mkdir()
    (runs_dir / "6001" / "run.json").write_text('{"workflow": "CI", "head_sha": "zz", "jobs": []}', encoding="utf-8")
    (runs_dir / "6002").mkdir()
    (runs_dir / "6002" / "run.json").write_text("{not json", encoding="utf-8")
    (runs_dir / "6003").mkdir()
    bad_log = {**w.green_run(), "jobs": [{"name": "x", "log": "nowhere.log"}]}
    (runs_dir / "6003" / "run.json").write_text(json.dumps(bad_log), encoding="utf-8")
    (runs_dir / "6004").mkdir()
    bad_attempt = {**w.green_run(), "artifacts": [{"name": "x", "expired": True, "attempt": 0}]}
    (runs_dir / "6004" / "run.json").write_text(json.dumps(bad_attempt), encoding="utf-8")
    with Sandbox(("octo/demo",), runs=runs_dir) as sb:
        problems = sb.run_problems
        assert sb.run_count() == 2
    assert len(problems) == 4 and all("\n" not in p for p in problems)
    assert "artifacts[0].attempt must be 1 or more, got 0" in problems[3]
    assert problems[0].startswith(str(runs_dir / "6001" / "run.json")) and "'head_sha'" in problems[0]
    assert "not JSON" in problems[1]
    assert "jobs[0].log" in problems[2] and "nowhere.log" in problems[2]


def test_runs_load_the_same_after_a_restart(runs_dir: Path, tmp_path: Path) -> None:
    state = tmp_path / "state.json"

    def snapshot() -> Any:
        with Sandbox(("octo/demo",), runs=runs_dir, state=state) as sb:
            http = RawHttp(sb.url, sb.token)
            runs = http("GET", f"{BASE}/actions/runs").body["workflow_runs"]
            jobs = http("GET", f"{BASE}/actions/runs/{w.FAILED_RUN}/jobs?filter=all").body["jobs"]
            arts = http("GET", f"{BASE}/actions/artifacts").body["artifacts"]
            return (
                [(r["id"], r["workflow_id"], r["run_number"]) for r in runs],
                [j["id"] for j in jobs],
                [a["id"] for a in arts],
            )

    assert snapshot() == snapshot()


def test_the_admin_route_registers_runs_and_commits(sb: Sandbox, api: RawHttp, tmp_path: Path) -> None:
    (tmp_path / "x.log").write_text("hello\n", encoding="utf-8")
    run = {
        **w.green_run(),
        "id": 9,
        "repo": "octo/other",
        "jobs": [{"name": "b", "conclusion": "cancelled", "log": "x.log"}],
    }
    added = api("POST", "/_sandbox/runs", {"run": run, "base": str(tmp_path)})
    assert added.status == 201 and added.body == {"runs": [9], "problems": []}
    got = api("GET", "/repos/octo/other/actions/runs/9").body
    assert got["conclusion"] == "cancelled"
    assert api("POST", "/_sandbox/runs", {"run": run, "base": str(tmp_path)}).status == 422  # id taken
    assert api("POST", "/_sandbox/runs", {"run": {"workflow": "CI"}, "base": "/"}).status == 422
    assert api("POST", "/_sandbox/runs", {"commits": [{"sha": "9" * 40, "message": "m"}]}).status == 201
    assert api("GET", f"{BASE}/commits/{'9' * 40}").body["commit"]["message"] == "m"
    listed = api("GET", "/_sandbox/runs").body["runs"]
    assert [(r["id"], r["repo"]) for r in listed] == [
        (9, "octo/other"),
        (w.GREEN_RUN, "octo/demo"),
        (w.FAILED_RUN, "octo/demo"),
    ]
    assert sb.count() == 2  # admin calls are not logged; the two API reads are


def test_in_progress_runs_and_an_explicit_conclusion(sb: Sandbox, api: RawHttp, tmp_path: Path) -> None:
    sb.add_run({**w.green_run(), "id": 11, "jobs": [{"name": "b", "conclusion": None}]}, tmp_path)
    sb.add_run({**w.green_run(), "id": 12, "conclusion": "timed_out"}, tmp_path)
    running = api("GET", f"{BASE}/actions/runs/11").body
    assert (running["status"], running["conclusion"]) == ("in_progress", None)
    job = api("GET", f"{BASE}/actions/runs/11/jobs").body["jobs"][0]
    assert (job["status"], job["conclusion"], job["completed_at"]) == ("in_progress", None, None)
    assert api("GET", f"{BASE}/actions/runs/12").body["conclusion"] == "timed_out"
    assert [r["id"] for r in api("GET", f"{BASE}/actions/runs?status=in_progress").body["workflow_runs"]] == [11]


def test_runs_without_an_id_get_fresh_ones_and_a_folder_loads_through_the_admin_route(
    sb: Sandbox, api: RawHttp, tmp_path: Path
) -> None:
    first = sb.add_run({**w.green_run(), "run_number": None}, tmp_path)
    second = sb.add_run({**w.green_run(), "run_number": None}, tmp_path)
    assert second == first + 1 and first > w.FAILED_RUN
    numbers = [r["run_number"] for r in api("GET", f"{BASE}/actions/runs?head_sha={w.GOOD_SHA}").body["workflow_runs"]]
    assert api("GET", f"{BASE}/actions/runs/{w.FAILED_RUN}").body["run_number"] == 8  # after the green run's 7
    assert sorted(numbers) == [7, 9, 10]
    other = tmp_path / "more"
    (other / "31").mkdir(parents=True)
    (other / "31" / "run.json").write_text(json.dumps(w.green_run()), encoding="utf-8")
    (other / "32").mkdir()
    (other / "32" / "run.json").write_text("[]", encoding="utf-8")
    loaded = api("POST", "/_sandbox/runs", {"dir": str(other)})
    assert loaded.status == 201 and loaded.body["runs"] == [31]
    assert len(loaded.body["problems"]) == 1 and "must be a JSON object" in loaded.body["problems"][0]
    assert api("POST", "/_sandbox/runs", {"dir": str(tmp_path / "nope")}).status == 422


def test_zipped_folders_are_removed_when_the_sandbox_stops(runs_dir: Path) -> None:
    with Sandbox(("octo/demo",), runs=runs_dir) as sb:
        with sb.app.store.read() as store:
            archive = store.actions.artifacts[w.FAILED_RUN * 1000 + 1].archive
        assert archive.is_file() and not archive.is_relative_to(runs_dir)
    assert not archive.exists() and not archive.parent.exists()
    assert (runs_dir / str(w.FAILED_RUN) / "slip.zip").is_file()  # files served as they are stay untouched


def test_a_truncated_download_announces_the_whole_length_and_sends_less(sb: Sandbox) -> None:
    location = fetch(f"{sb.url}{BASE}/actions/jobs/{w.FAILED_RUN * 10_000 + 1}/logs", sb.token)[1]["location"]
    sb.inject({"kind": "truncate", "bytes": 10}, path=r"^/_sandbox/downloads/logs/")
    with pytest.raises(http.client.IncompleteRead) as cut:
        fetch(location)
    assert cut.value.partial == w.BUILD_LOG.encode()[:10]
    assert fetch(location)[2].decode() == w.BUILD_LOG  # one use only
    sb.inject({"kind": "truncate", "bytes": 10}, path=r"/actions/runs$")  # JSON answers are not cut
    assert RawHttp(sb.url, sb.token)("GET", f"{BASE}/actions/runs").status == 200
