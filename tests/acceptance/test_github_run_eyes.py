"""Fresh-eyes acceptance of issue 13 (`--github-run`, `gardener fetch`, the sandbox's Actions routes) on run
folders written for it (tests/acceptance/data_github_run/<run id>/, each with an EXPECTED.md written before
gardener read it): a monorepo matrix where only Windows fails, a run that died on a full disk with a
cancelled job and a job whose log is gone, and a run with three attempts.

Everything goes through the real CLI (`python -m gardener ...` subprocesses) against a real
`gardener sandbox serve --runs DIR` process, as a user's hook would.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.acceptance.harness import RunsServer, clean_env, gardener_argv

DATA = Path(__file__).resolve().parent / "data_github_run"
REPO = "acme/shop"
TOKEN = "eyes13-token-5e0c7a"
SECRETS = ("ghp_R4nd0mT0k3nV4lu3F0rT3st1ng0123456789", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
LIVE_MENTION = re.compile(r"(?<![\w`])@(octocat|security-team|release-team)\b")
HUGE_LINE_BYTES = 3 * 1024 * 1024
WRITES = ("POST", "PATCH", "PUT", "DELETE")


def materialise(target: Path) -> Path:
    """The run folders as the sandbox serves them: 7202's build log gets its 3 MiB one-line JSON blob (kept
    out of git) and its empty `e2e-results` folder (git keeps no empty folder)."""
    shutil.copytree(DATA, target)
    for expected in target.glob("*/EXPECTED.md"):
        expected.unlink()
    (target / "7202" / "e2e-results").mkdir(exist_ok=True)
    log = target / "7202" / "build.log"
    blob = '{"chunks":[' + ",".join(f'{{"id":{i},"size":{i * 7}}}' for i in range(HUGE_LINE_BYTES // 24)) + "]}"
    log.write_text(log.read_text().replace("@@HUGE@@", "2026-12-01T14:00:42.0000000Z #9 13.00 " + blob))
    return target


class Served(RunsServer):
    """The runs sandbox with the few calls these tests make of it."""

    def __init__(self, runs: Path) -> None:
        super().__init__(runs, TOKEN, REPO)

    def last_seq(self) -> int:
        records = self.requests()
        return int(records[-1]["seq"]) if records else 0

    def fault(self, path: str, status: int, times: int = 1) -> None:
        self.call("POST", "/_sandbox/faults",
                  {"match": {"method": "GET", "path": path}, "times": times, "fault": {"status": status}})

    def issues(self) -> list[dict[str, Any]]:
        return list(self.call("GET", f"/repos/{REPO}/issues?state=all&per_page=100"))


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    runs = materialise(tmp_path_factory.mktemp("eyes13") / "runs")
    sandbox = Served(runs)
    yield sandbox
    problems = sandbox.stop()
    assert "skipped run" not in problems, problems


def gardener(tmp_path: Path, *args: str, cache: str = "cache", **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(gardener_argv(*args), capture_output=True, text=True, timeout=120, cwd=tmp_path,
                          env=clean_env(GITHUB_TOKEN=TOKEN, GARDENER_CACHE=str(tmp_path / cache), **env))


def garden(served: Served, tmp_path: Path, run: str, *extra: str, **env: str) -> subprocess.CompletedProcess[str]:
    url = run if run.startswith("http") else f"{served.url}/{REPO}/actions/runs/{run}"
    return gardener(tmp_path, "run", "--github-run", url, "--out", str(tmp_path / "out"), *extra, **env)


def downloads(records: list[dict[str, Any]], kind: str) -> list[str]:
    return [r["path"] for r in records if r["path"].startswith(f"/_sandbox/downloads/{kind}/")]


def plan(tmp_path: Path) -> dict[str, Any]:
    return dict(json.loads((tmp_path / "out" / "plan.json").read_text()))


def everything_written(tmp_path: Path, done: subprocess.CompletedProcess[str]) -> str:
    """stdout, the worklog and the summary (stderr has its own test below)."""
    texts = [done.stdout]
    texts += [p.read_text(encoding="utf-8") for p in (tmp_path / "out").glob("*.md")]
    return "\n".join(texts)


def assert_untrusted_text_is_inert(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text
    assert not LIVE_MENTION.findall(text), LIVE_MENTION.findall(text)
    assert "\x1b" not in text  # no ANSI colour escape
    assert "##[" not in text  # no runner log marker (a v1 workflow command anywhere on a line)
    for line in text.splitlines():
        assert not line.lstrip().startswith("::"), line  # no v2 workflow command


# -- 7101: a monorepo matrix, only Windows fails ---------------------------------------------------------

def test_matrix_run_finds_the_one_windows_failure_with_its_job_and_step(served: Served, tmp_path: Path):
    before = served.last_seq()
    done = garden(served, tmp_path, "7101", "--apply")
    assert done.returncode == 0, done.stderr
    assert "GitHub Actions run 7101 (CI, failure) at 9d2b7c41e0a5: 4 job(s), 1 failed" in done.stdout
    findings = plan(tmp_path)["findings"]
    # The log, the JUnit file and the report-log tell of the same failure: one finding, one test.
    assert [f["tests"] for f in findings] == [["packages/api/tests/test_paths.py::test_config_path_separator"]]
    traffic = served.requests(before)
    assert len(downloads(traffic, "logs")) == 1  # only the failed job's log
    assert len(downloads(traffic, "artifacts")) == 1  # the live matching artifact; not coverage-html, not expired
    assert "'junit-macos'" in done.stderr and "expired" in done.stderr
    (issue,) = [i for i in served.issues() if i["title"] == findings[0]["title"]]
    assert "job test (windows-latest, 3.12), attempt 1, step Run tests" in issue["body"]
    assert f"{served.url}/{REPO}/actions/runs/7101 at `9d2b7c41e0a5" in issue["body"]
    assert_untrusted_text_is_inert(issue["body"])
    assert_untrusted_text_is_inert(everything_written(tmp_path, done))


def test_a_problem_with_a_file_of_the_run_is_told_once_and_neutralised(served: Served, tmp_path: Path):
    done = garden(served, tmp_path, "7101")
    assert done.returncode == 0, done.stderr
    png_lines = [line for line in done.stderr.splitlines() if ".png" in line]
    assert len(png_lines) == 1, png_lines  # the screenshot is not a report: said once, naming the artifact
    assert "artifact 'test-results-windows'" in png_lines[0]
    assert not LIVE_MENTION.findall(done.stderr)


def test_under_github_actions_the_runs_text_cannot_issue_workflow_commands(served: Served, tmp_path: Path):
    for name in ("output", "summary", "env"):
        (tmp_path / name).write_text("")
    done = garden(served, tmp_path, "7101", GITHUB_ACTIONS="true", GITHUB_OUTPUT=str(tmp_path / "output"),
                  GITHUB_STEP_SUMMARY=str(tmp_path / "summary"), GITHUB_ENV=str(tmp_path / "env"))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    stop = next(i for i, line in enumerate(lines) if line.startswith("::stop-commands::"))
    token = lines[stop].split("::")[2]
    resume = lines.index(f"::{token}::")
    outside = lines[:stop] + lines[resume + 1:]
    assert not [line for line in outside if re.search(r"set-output|add-mask::hunter|eyes13pause|##\[", line)]
    assert (tmp_path / "env").read_text() == ""  # nothing from the run set an environment variable
    summary = (tmp_path / "summary").read_text()
    assert_untrusted_text_is_inert(summary)


def test_fetch_writes_the_documented_layout_and_nothing_else(served: Served, tmp_path: Path):
    before = served.last_seq()
    done = gardener(tmp_path, "fetch", f"{served.url}/{REPO}/actions/runs/7101", "--out", str(tmp_path / "got"))
    assert done.returncode == 0, done.stderr
    got = tmp_path / "got"
    files = sorted(p.relative_to(got).as_posix() for p in got.rglob("*") if p.is_file())
    art = "artifacts/test-results-windows-7101001"
    assert files == [f"{art}/@release-team/cli/junit.xml", f"{art}/packages/api/junit.xml",
                     f"{art}/packages/web/junit.xml", f"{art}/report-log.jsonl",
                     f"{art}/screenshots/test_config_path_separator-@octocat.png",
                     "logs/1-test_windows-latest_3.12-71010002.log", "run.json"]
    png = DATA / "7101" / "results-windows" / "screenshots" / "test_config_path_separator-@octocat.png"
    assert (got / art / "screenshots" / png.name).read_bytes() == png.read_bytes()  # data, byte for byte
    meta = json.loads((got / "run.json").read_text())
    assert [j["name"] for j in meta["jobs"]][1] == "test (windows-latest, 3.12)"
    assert [s["name"] for s in meta["jobs"][1]["steps"]][4] == "Run tests"
    assert not [r for r in served.requests(before) if r["method"] in WRITES]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "got"]


# -- 7202: disk full mid-build, a cancelled job, a log that is gone ---------------------------------------

def test_disk_full_run_names_the_disk_and_goes_on_past_a_log_that_is_gone(served: Served, tmp_path: Path):
    before = served.last_seq()
    done = garden(served, tmp_path, "7202")
    assert done.returncode == 0, done.stderr
    assert "GitHub Actions run 7202 (Release, failure)" in done.stdout
    by_category = {f["category"]: f for f in plan(tmp_path)["findings"]}
    assert by_category["disk-full"]["priority"] == "P0"
    # e2e was cancelled while build failed: a consequence, the least urgent finding, and it says why
    cancelled = by_category["ci-runner-failure"]
    assert cancelled["priority"] == "P3" and "cancelled while build, docs failed" in cancelled["priority_reason"]
    assert not [f for f in by_category.values() if f["tests"]]  # no test failed in this run
    # docs failed and its log is gone: still a finding naming the job and its step, never silence
    assert by_category["unclassified"]["title"] == "Job `docs` fails at step `Build docs`; its log could not be read"
    docs = [line for line in done.stderr.splitlines() if "'docs'" in line]
    assert len(docs) == 1 and "404" in docs[0]
    assert "'e2e-results'" in done.stderr and "holds no files" in done.stderr
    traffic = served.requests(before)
    assert sorted(downloads(traffic, "logs")) == ["/_sandbox/downloads/logs/72020001",
                                                  "/_sandbox/downloads/logs/72020002"]  # build, e2e; not lint
    worklog = next((tmp_path / "out").glob("*WORKLOG*.md")).read_text()
    assert "job build, attempt 1, step Build image" in worklog
    assert max(len(line) for line in worklog.splitlines()) < 5000  # the 3 MiB line is not pasted
    assert_untrusted_text_is_inert(everything_written(tmp_path, done))


def config(tmp_path: Path, mib: int) -> str:
    path = tmp_path / f"cap{mib}.toml"
    path.write_text(f"[gardener.sources]\nmax_log_mib = {mib}\n")
    return str(path)


def test_a_capped_log_says_how_much_was_read(served: Served, tmp_path: Path):
    done = garden(served, tmp_path, "7202", "--config", config(tmp_path, 1))
    assert done.returncode == 0, done.stderr
    (line,) = [line for line in done.stderr.splitlines() if "partial" in line]
    assert "'build'" in line and "1 MiB cap" in line
    assert "read the first 0 MiB" not in line  # the bytes read, in a unit that shows them


def test_a_log_cut_at_a_smaller_cap_is_read_again_when_the_cap_grows(served: Served, tmp_path: Path):
    small = garden(served, tmp_path, "7202", "--config", config(tmp_path, 1))
    assert small.returncode == 0 and "partial" in small.stderr
    before = served.last_seq()
    big = garden(served, tmp_path, "7202", "--config", config(tmp_path, 8))
    assert big.returncode == 0, big.stderr
    assert "partial" not in big.stderr and "8 MiB cap" not in big.stderr  # the log is 3 MiB: it fits
    assert downloads(served.requests(before), "logs") == ["/_sandbox/downloads/logs/72020001"]
    assert "disk-full" in {f["category"] for f in plan(tmp_path)["findings"]}  # its end is read now
    again = served.last_seq()
    garden(served, tmp_path, "7202", "--config", config(tmp_path, 8))
    assert not downloads(served.requests(again), "logs")  # the whole log is cached now


# -- 7303: three attempts --------------------------------------------------------------------------------

def test_three_attempts_tell_flaky_from_failing_and_a_second_run_costs_nothing(served: Served, tmp_path: Path):
    before = served.last_seq()
    done = garden(served, tmp_path, "7303", "--apply")
    assert done.returncode == 0, done.stderr
    assert "GitHub Actions run 7303 (CI, attempt 3, failure)" in done.stdout
    findings = plan(tmp_path)["findings"]
    tests = {t: f["category"] for f in findings for t in f["tests"]}
    assert tests == {"tests/integration/test_webhooks.py::test_payment_webhook": "flaky-test",
                     "tests/integration/test_refunds.py::test_refund": "flaky-test",
                     "tests/unit/test_tax.py::test_tax_rounding": "assertion-failure"}
    traffic = served.requests(before)
    assert sorted(downloads(traffic, "logs")) == [f"/_sandbox/downloads/logs/7303000{n}" for n in (1, 2, 4, 5, 7)]
    filed = len(served.issues())
    again = served.last_seq()
    second = garden(served, tmp_path, "7303", "--apply")
    assert second.returncode == 0, second.stderr
    later = served.requests(again)
    assert not [r for r in later if r["path"].startswith("/_sandbox/downloads/")]
    assert not [r for r in later if r["method"] in WRITES]
    assert "0 download(s) (0.0 MiB), 6 from the cache" in second.stdout
    assert len(served.issues()) == filed


def test_an_attempt_url_reads_the_run_as_it_was_then(served: Served, tmp_path: Path):
    done = garden(served, tmp_path, f"{served.url}/{REPO}/actions/runs/7303/attempts/1", "--json")
    assert done.returncode == 0, done.stderr
    assert "GitHub Actions run 7303 (CI, failure)" in done.stderr  # attempt 1: no "attempt 3"
    report = json.loads(done.stdout)
    assert "flaky-test" not in {f["category"] for f in report["findings"]}
    assert {t for f in report["findings"] for t in f["tests"]} >= {
        "tests/integration/test_webhooks.py::test_payment_webhook", "tests/unit/test_tax.py::test_tax_rounding"}


def test_a_job_url_reads_only_that_jobs_logs(served: Served, tmp_path: Path):
    before = served.last_seq()
    url = f"{served.url}/{REPO}/actions/runs/7303/job/73030007?pr=12#step:2:5"  # as copied from the browser
    done = garden(served, tmp_path, url)
    assert done.returncode == 0, done.stderr
    assert sorted(downloads(served.requests(before), "logs")) == [
        f"/_sandbox/downloads/logs/7303000{n}" for n in (2, 5, 7)]



def test_fetch_of_a_job_url_fetches_only_that_jobs_logs(served: Served, tmp_path: Path):
    before = served.last_seq()
    url = f"{served.url}/{REPO}/actions/runs/7303/job/73030007"
    done = gardener(tmp_path, "fetch", url, "--out", str(tmp_path / "got"))
    assert done.returncode == 0, done.stderr
    assert sorted(downloads(served.requests(before), "logs")) == [
        f"/_sandbox/downloads/logs/7303000{n}" for n in (2, 5, 7)]  # the unit job's attempts, as `run` reads
    logs = sorted(p.name for p in (tmp_path / "got" / "logs").iterdir())
    assert len(logs) == 3 and all("unit" in name for name in logs)

# -- the budget: listing is paged, and nothing is asked for one job at a time ----------------------------

def test_a_wide_matrix_costs_a_few_pages_not_a_request_per_job(served: Served, tmp_path: Path):
    shutil.copy(DATA / "7303" / "unit.log", tmp_path / "unit.log")
    jobs = [{"name": f"shard {i}", "attempt": 1, "conclusion": "success"} for i in range(230)]
    jobs.append({"name": "shard 230", "attempt": 1, "conclusion": "failure", "log": "unit.log",
                 "steps": [{"name": "Unit tests", "conclusion": "failure"}]})
    run = {"id": 7404, "workflow": "Shards", "head_sha": "ab" * 20, "head_branch": "main", "event": "push",
           "created_at": "2026-12-03T00:00:00Z", "jobs": jobs}
    served.call("POST", "/_sandbox/runs", {"run": run, "base": str(tmp_path)})
    before = served.last_seq()
    done = garden(served, tmp_path, "7404")
    assert done.returncode == 0, done.stderr
    api = [r for r in served.requests(before) if r["path"].startswith("/repos/")]
    assert not [r for r in api if re.search(r"/actions/jobs/\d+$", r["path"])]  # no GET per job
    assert [r["path"] for r in api].count(f"/repos/{REPO}/actions/runs/7404") == 1  # the run, read once
    job_pages = [r for r in api if r["path"].endswith("/runs/7404/jobs")]
    assert len(job_pages) == 3 and all("per_page=100" in r["query"] for r in job_pages)
    # The run, 3 job pages, the failed job's log location, 1 artifact page (plus what the tracker reads).
    assert len(api) <= 6 + 4, [r["path"] for r in api]


# -- what cannot be read says so, and the run goes on -----------------------------------------------------

def test_403_410_and_404_each_get_a_line_and_the_rest_is_read(served: Served, tmp_path: Path):
    served.fault(r"/runs/7303/artifacts$", 403)
    served.fault(r"/_sandbox/downloads/logs/73030007$", 410)
    done = garden(served, tmp_path, "7303")
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert [line for line in lines if "artifacts of run 7303" in line and "403" in line and "actions: read" in line]
    assert [line for line in lines if "'unit'" in line and "attempt 3" in line and "410" in line and "gone" in line]
    tests = {t for f in plan(tmp_path)["findings"] for t in f["tests"]}
    assert "tests/unit/test_tax.py::test_tax_rounding" in tests  # attempts 1 and 2 still tell of it

    missing = garden(served, tmp_path, "999999")
    assert missing.returncode == 1
    assert missing.stderr.strip().splitlines() == [
        "gardener: run 999999 of acme/shop: HTTP 404, not found (a private repository needs a token with "
        "`actions: read`; or it was deleted)"]


# -- what RUN may be ------------------------------------------------------------------------------------

@pytest.mark.parametrize("run", [
    "7303",  # a bare id without --repo
    "https://github.com/acme/shop/actions/runs/abc",
    "https://github.com/acme/shop/pull/5",
    "ftp://github.com/acme/shop/actions/runs/7303",
    "https://github.com/acme/shop/actions/runs/7303/attempts/0",  # attempts count from 1
])
def test_a_bad_run_is_one_line_and_no_request(run: str, tmp_path: Path):
    done = gardener(tmp_path, "run", "--github-run", run, "--out", str(tmp_path / "out"))
    assert done.returncode in (1, 2)
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "--github-run" in done.stderr and "HTTP" not in done.stderr


def test_a_bare_id_with_repo_and_github_url(served: Served, tmp_path: Path):
    done = gardener(tmp_path, "run", "--github-run", "7303", "--repo", REPO, "--github-url", served.url,
                    "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert "GitHub Actions run 7303 (CI, attempt 3, failure)" in done.stdout


# -- the sandbox loads the README's forms -----------------------------------------------------------------

def test_an_expired_artifact_needs_no_path(tmp_path: Path):
    run = tmp_path / "runs" / "9001"
    run.mkdir(parents=True)
    (run / "run.json").write_text(json.dumps({
        "workflow": "CI", "head_sha": "1" * 40, "head_branch": "main", "event": "push",
        "created_at": "2026-12-01T00:00:00Z", "jobs": [{"name": "build"}],
        "artifacts": [{"name": "junit-old", "expired": True}]}))
    sandbox = Served(tmp_path / "runs")
    try:
        listed = sandbox.call("GET", f"/repos/{REPO}/actions/runs/9001/artifacts")
    finally:
        problems = sandbox.stop()
    assert "skipped run" not in problems, problems
    assert [(a["name"], a["expired"]) for a in listed["artifacts"]] == [("junit-old", True)]


# -- 7707: every platform uploads its results, only Windows fails -----------------------------------------

def test_a_green_platforms_artifact_is_not_the_failed_platforms_evidence(served: Served, tmp_path: Path):
    done = garden(served, tmp_path, "7707", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    (finding,) = report["findings"]
    assert finding["category"] == "assertion-failure"  # failing on Windows, not flaky, not fixed
    assert finding["tests"] == ["packages/api/tests/test_paths.py::test_config_path_separator"]
    worklog = Path(report["worklog"]).read_text()
    assert "job test (windows-latest, 3.12), attempt 1, step Run tests" in worklog
    assert "test-results-ubuntu" not in worklog


def test_a_bad_run_given_to_fetch_names_fetchs_argument(tmp_path: Path):
    done = gardener(tmp_path, "fetch", "https://github.com/acme/shop/pull/5", "--out", str(tmp_path / "got"))
    assert done.returncode in (1, 2)
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "RUN" in done.stderr and "--github-run" not in done.stderr


@pytest.mark.parametrize(("run", "failed_jobs", "command"), [
    ("7202", ("build", "e2e", "docs"), "docker buildx build --load -t ghcr.io/acme/shop:2.4.0 ."),
    ("7101", ("test (windows-latest, 3.12)",), "python -m pytest packages -p no:cacheprovider"),
])
def test_the_attempts_name_each_failed_job_and_show_its_steps(served: Served, tmp_path: Path, run: str,
                                                               failed_jobs: tuple[str, ...], command: str):
    done = garden(served, tmp_path, run, "--json")
    assert done.returncode == 0, done.stderr
    attempts = json.loads(done.stdout)["attempts"]
    for job in failed_jobs:
        assert [a for a in attempts if a["name"].startswith(job) and a["status"] != "SUCCESS"], (job, attempts)
    assert [a for a in attempts if a["command"].startswith(command)], attempts  # the step, from the job's log


def test_a_job_url_naming_another_runs_job_says_so_and_reads_the_run(served: Served, tmp_path: Path):
    done = garden(served, tmp_path, f"{served.url}/{REPO}/actions/runs/7303/job/72020001")
    assert done.returncode == 0, done.stderr
    assert [line for line in done.stderr.splitlines() if "72020001" in line and "7303" in line]
    assert "flaky-test" in {f["category"] for f in plan(tmp_path)["findings"]}  # every job's logs were read


def test_evidence_from_an_artifact_names_the_file_inside_it(served: Served, tmp_path: Path):
    done = garden(served, tmp_path, "7101")
    assert done.returncode == 0, done.stderr
    worklog = next((tmp_path / "out").glob("*WORKLOG*.md")).read_text()
    cited = re.findall(r"artifact test-results-windows, ([^:`]+):\d+", worklog)
    assert cited and all((DATA / "7101" / "results-windows" / c).is_file() for c in cited), cited
    (png,) = [line for line in done.stderr.splitlines() if ".png" in line]
    assert "screenshots/test_config_path_separator-" in png  # a note names the file inside the artifact too
