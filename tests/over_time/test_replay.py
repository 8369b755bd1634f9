"""Acceptance of issue 15 ("Gardening over time"): 30 runs over 10 days of a small repository, replayed
into a real `gardener sandbox serve --runs DIR` process (whose commits.json answers the compare calls), each
through a real `gardener run --apply --commit --branch --run-id --started-at --history` process recording
into one SQLite store.

The repository (acme/shop), three runs a day, one commit per run except commit 11, which CI never ran:
- tests/test_cart.py::test_total breaks at commit 12 (commit 11 edited that test file) and is fixed at
  commit 20: runs 11-18 fail;
- tests/test_search.py::test_suggest flakes on every fourth run (runs 2, 6, 10, ..., 30; a fixed pattern);
- a network outage on day 6 only refuses the catalogue service (runs 16-18), and once more on day 10
  (run 28); run 20 skipped the catalogue tests (it proves nothing for a verified close).

The replay is placed in the days after today: the sandbox stamps closings with its own clock, and gardener
gardens a replayed run as of the time it ran.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.acceptance.harness import REPO, RUN_TOKEN, clean_env, gardener_argv, metadata

RUNS = 30
BROKEN, FIXED = 12, 20  # commits
FLAKY_RUNS = frozenset(r for r in range(1, RUNS + 1) if r % 4 == 2)
OUTAGE_RUNS = frozenset({16, 17, 18, 28})
SKIPPED_CATALOG = frozenset({20})
# The replay is 30 gardener processes: on a loaded 2-core machine it can take longer than the default timeout.
pytestmark = pytest.mark.timeout(600)
COMMENT_BUDGET = 12  # issue comments over the whole replay (README: "Gardening over time")
REQUEST_BUDGET = 450  # GitHub API requests over the whole replay
CONFIG = """
[gardener.github]
comment_cooldown_days = 1

[gardener.over_time]
impact_window_days = 7
raise_at = 5
lower_below = 3
close_after_runs = 5
close_after_days = 2
"""


def commit_of(run: int) -> int:
    return run if run <= 10 else run + 1  # CI never ran commit 11


def sha(commit: int) -> str:
    return hashlib.sha1(f"acme/shop commit {commit}".encode()).hexdigest()


def commits_json() -> list[dict[str, Any]]:
    out = []
    base = datetime(2026, 1, 1, tzinfo=UTC)
    for c in range(1, RUNS + 2):
        files = [f"src/module_{c}.py"]
        if c == 11:
            files = ["tests/test_cart.py"]  # the commit that broke test_total
        if c == BROKEN:
            files = ["docs/cart.md"]
        if c == FIXED:
            files = ["src/cart.py"]
        out.append({"sha": sha(c), "parents": [sha(c - 1)] if c > 1 else [],
                    "author": {"name": f"Dev {c % 3}", "email": f"dev{c % 3}@example.com", "login": f"dev{c % 3}"},
                    "date": (base + timedelta(hours=c)).isoformat().replace("+00:00", "Z"),
                    "message": f"Change {c}\n\nbody", "files": files})
    return out


def started(run: int, day0: datetime) -> datetime:
    return day0 + timedelta(hours=8 * (run - 1))


def case(classname: str, name: str, outcome: str = "passed", message: str = "", details: str = "") -> str:
    head = f'<testcase classname="{classname}" name="{name}" file="{classname.replace(".", "/")}.py" time="0.1">'
    if outcome == "failed":
        return f'{head}<failure message="{message}">{details}</failure></testcase>'
    if outcome == "skipped":
        return f'{head}<skipped message="catalogue tests disabled"/></testcase>'
    return head + "</testcase>"


def junit(run: int, when: datetime) -> str:
    commit = commit_of(run)
    cases = [case("tests.test_util", f"test_helper_{i}") for i in range(4)]
    if BROKEN <= commit < FIXED:
        cases.append(case("tests.test_cart", "test_total", "failed", "AssertionError: assert 41 == 42",
                          'tests/test_cart.py:14: in test_total\n    assert cart.total() == 42\n'
                          'E   AssertionError: assert 41 == 42'))
    else:
        cases.append(case("tests.test_cart", "test_total"))
    if run in FLAKY_RUNS:
        cases.append(case("tests.test_search", "test_suggest", "failed",
                          "AssertionError: expected 5 suggestions, got 4",
                          "tests/test_search.py:30: in test_suggest\n    assert len(found) == 5\n"
                          "E   AssertionError: expected 5 suggestions, got 4"))
    else:
        cases.append(case("tests.test_search", "test_suggest"))
    for name in ("test_fetch_catalog", "test_fetch_prices"):
        if run in SKIPPED_CATALOG:
            cases.append(case("tests.test_catalog", name, "skipped"))
        elif run in OUTAGE_RUNS:
            cases.append(case("tests.test_catalog", name, "failed",
                              "ConnectionRefusedError: [Errno 111] Connection refused",
                              "tests/test_catalog.py:9: in fetch\n    sock.connect((host, 8080))\n"
                              "E   ConnectionRefusedError: [Errno 111] Connection refused"))
        else:
            cases.append(case("tests.test_catalog", name))
    stamp = when.strftime("%Y-%m-%dT%H:%M:%S")
    failures = sum(1 for c in cases if "<failure" in c)
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<testsuites><testsuite name="pytest" tests="{len(cases)}" '
            f'failures="{failures}" errors="0" skipped="0" timestamp="{stamp}">' + "".join(cases)
            + "</testsuite></testsuites>\n")


class Sandbox:
    def __init__(self, folder: Path) -> None:
        runs = folder / "runs"
        runs.mkdir()
        (runs / "commits.json").write_text(json.dumps(commits_json()), encoding="utf-8")
        self.log = (folder / "sandbox.log").open("w")  # its request log: a pipe nobody reads would fill up
        self.proc = subprocess.Popen(
            gardener_argv("sandbox", "serve", "--state", str(folder / "state.json"), "--repo", REPO, "--port", "0",
                          "--runs", str(runs)),
            stdout=subprocess.PIPE, stderr=self.log, text=True, env=clean_env(), cwd=folder)
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()
        assert self.url.startswith("http://127.0.0.1:"), (folder / "sandbox.log").read_text()

    def requests(self, after: int = 0) -> list[dict[str, Any]]:
        import urllib.request

        with urllib.request.urlopen(self.url + "/_sandbox/requests", timeout=10) as answer:
            return [r for r in json.loads(answer.read())["requests"] if r["seq"] > after]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            self.log.close()


@pytest.fixture(scope="module")
def replay(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("over-time")
    (folder / "gardener.toml").write_text(CONFIG, encoding="utf-8")
    sandbox = Sandbox(folder)
    day0 = (datetime.now(UTC) + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    env = clean_env(GITHUB_TOKEN=RUN_TOKEN, GARDENER_CACHE=str(folder / "cache"))
    runs: list[dict[str, Any]] = []
    try:
        for run in range(1, RUNS + 1):
            when = started(run, day0)
            inputs = folder / f"run-{run:02d}"
            inputs.mkdir()
            (inputs / "junit.xml").write_text(junit(run, when), encoding="utf-8")
            out = folder / f"out-{run:02d}"
            seq = sandbox.requests()[-1]["seq"] if run > 1 else 0
            t0 = time.monotonic()
            done = subprocess.run(gardener_argv(
                "run", "--config", str(folder / "gardener.toml"), "--repo", REPO, "--github-url", sandbox.url,
                "--apply", "--json", "--out", str(out), "--history", str(folder / "history.sqlite"),
                "--commit", sha(commit_of(run)), "--branch", "main", "--run-id", str(1000 + run),
                "--started-at", when.isoformat(), str(inputs / "junit.xml")),
                capture_output=True, text=True, timeout=60, env=env, cwd=folder)
            assert done.returncode in (0, 1), done.stderr
            print(f"run {run}: {time.monotonic() - t0:.2f}s", file=sys.stderr)
            runs.append({"run": run, "json": json.loads(done.stdout), "requests": sandbox.requests(after=seq),
                         "stderr": done.stderr})
        yield {"runs": runs, "sandbox": sandbox, "day0": day0}
    finally:
        sandbox.stop()


def finding(run: dict[str, Any], test: str) -> dict[str, Any] | None:
    return next((f for f in run["json"]["findings"] if any(test in t for t in f["tests"])), None)


def comments_on(run: dict[str, Any], number: int) -> int:
    path = re.compile(rf"/repos/{REPO}/issues/{number}/comments$")
    return sum(1 for r in run["requests"] if r["method"] == "POST" and path.search(r["path"]))


def issue_of(replay: dict[str, Any], test: str) -> int:
    for run in replay["runs"]:
        f = finding(run, test)
        if f is not None and f["issue"]:
            return int(f["issue"]["number"])
    raise AssertionError(f"no issue for {test}")


def test_broken_test_suspect_range_is_commits_11_to_12_touching_commit_first(replay: dict[str, Any]) -> None:
    stabilities = {r["run"]: (finding(r, "test_total") or {}).get("stability") for r in replay["runs"]}
    assert stabilities[11] == "new" and all(stabilities[r] == "broken" for r in range(12, 19))
    assert all(stabilities[r] is None for r in range(19, 31))  # fixed at commit 20 (run 19)
    f = finding(replay["runs"][14], "test_total")  # run 15
    assert f is not None
    suspect = f["history"]["suspect"]
    assert (suspect["good"], suspect["bad"]) == (sha(10), sha(12))
    assert suspect["compare_url"] == f"https://github.com/{REPO}/compare/{sha(10)}...{sha(12)}"
    assert [c["sha"] for c in suspect["commits"]] == [sha(11), sha(12)]  # 11 first: it touched the test file
    assert suspect["commits"][0]["touches"] == ["tests/test_cart.py"]
    assert f["history"]["first_seen"]["sha"] == sha(12)
    # one compare call per SHA pair over the whole replay (cached on disk across runs)
    compares = [q for r in replay["runs"] for q in r["requests"] if "/compare/" in q["path"]]
    paths = [q["path"] for q in compares]
    assert len(paths) == len(set(paths)) and any(f"{sha(10)}...{sha(12)}" in p for p in paths)


def test_flaky_test_is_flaky_with_its_rate_and_quiet_when_nothing_changed(replay: dict[str, Any]) -> None:
    number = issue_of(replay, "test_suggest")
    seen = [r for r in replay["runs"] if r["run"] in FLAKY_RUNS]
    assert finding(seen[0], "test_suggest")["stability"] == "new"  # type: ignore[index]
    for r in seen[1:]:
        f = finding(r, "test_suggest")
        assert f is not None and f["stability"] == "flaky", (r["run"], f)
        assert f["history"]["failures"] >= 2 and f["history"]["runs"] >= r["run"] - 1
    last = finding(seen[-1], "test_suggest")
    assert last is not None
    assert (last["history"]["failures"], last["history"]["runs"]) == (8, 30)
    assert "8 of 30 runs (27%)" in last["history"]["reason"]
    assert [t["stability"] for t in last["history"]["tests"]] == ["flaky"]  # the test itself, judged alone
    outage = finding(replay["runs"][17], "test_fetch_catalog")  # run 18
    assert outage is not None and outage["category"] != "flaky"  # the category stays the root cause
    if outage["layer"] != "test":  # tests failing through an environment cause are not judged by themselves
        assert [t["stability"] for t in outage["history"]["tests"]] == [None, None]
    previous: tuple[str | None, str | None] = (None, None)
    for r in seen:
        f = finding(r, "test_suggest")
        assert f is not None
        state = (f["stability"], f["priority"])
        if previous[0] is not None and state == previous:
            assert comments_on(r, number) == 0, f"run {r['run']}: a comment although nothing changed"
        previous = state
    assert sum(comments_on(r, number) for r in replay["runs"]) <= 3


def test_outage_closed_as_completed_after_clean_runs_and_reopened_on_recurrence(replay: dict[str, Any]) -> None:
    number = issue_of(replay, "test_fetch_catalog")
    closes = [(r["run"], a) for r in replay["runs"] for a in r["json"]["actions"]
              if a["kind"] == "close" and a["issue"] == number]
    # last failure: run 18 (day 6, 16:00); clean runs that executed the tests: 19, 21, 22, 23, 24 (20 skipped);
    # run 23 has 4 clean runs over 1.7 days, run 24 has 5 over 2.0 days
    assert [run for run, _ in closes] == [24]
    assert "5 runs" in closes[0][1]["reason"]
    close_run = replay["runs"][23]
    patch = [q for q in close_run["requests"] if q["method"] == "PATCH" and q["path"].endswith(f"/issues/{number}")]
    assert patch, "the close was not written"
    issue = _issue(replay, number)
    reopens = [r["run"] for r in replay["runs"] for a in r["json"]["actions"]
               if a["kind"] == "reopen" and a["issue"] == number]
    assert reopens == [28]
    assert issue.state == "open"
    comments = [c.body for c in issue.get_comments()]
    verified = [c for c in comments if "Verified fixed" in c]
    assert len(verified) == 1
    assert "Last failure:" in verified[0] and sha(19)[:7] in verified[0]  # run 18 tested commit 19
    assert "Passing since" in verified[0] and sha(20)[:7] in verified[0]  # run 19 tested commit 20
    assert any("came back" in c for c in comments)
    broken = _issue(replay, issue_of(replay, "test_total"))
    assert broken.state == "closed" and broken.state_reason == "completed"


def _issue(replay: dict[str, Any], number: int) -> Any:
    import github

    gh = github.Github(base_url=replay["sandbox"].url, auth=github.Auth.Token("person"), retry=None)
    return gh.get_repo(REPO).get_issue(number)


def test_priorities_change_only_across_thresholds_with_reasons(replay: dict[str, Any]) -> None:
    for test in ("test_total", "test_suggest", "test_fetch_catalog"):
        history = [(r["run"], finding(r, test)) for r in replay["runs"]]
        present = [(run, f) for run, f in history if f is not None]
        priorities = [f["priority"] for _, f in present]
        changes = sum(1 for a, b in itertools.pairwise(priorities) if a != b)
        assert changes <= 1, (test, priorities)  # no flapping
        for _run, f in present:
            change = f["history"]["priority_change"]
            if change and change.startswith("raised"):
                failed = int(re.search(r"failed in (\d+) of", change).group(1))  # type: ignore[union-attr]
                assert failed >= 5, change
                assert f["priority_reason"].startswith(change)
    total = [f for _, f in ((r["run"], finding(r, "test_total")) for r in replay["runs"]) if f]
    raised = [f for f in total if (f["history"]["priority_change"] or "").startswith("raised")]
    assert raised and "failed in 5 of the last" in raised[0]["history"]["priority_change"]
    issue = _issue(replay, issue_of(replay, "test_total"))
    assert "P1" in [label.name for label in issue.labels]
    assert metadata(issue.body)["stab"] == "broken"
    said = [c.body for test in ("test_total", "test_suggest", "test_fetch_catalog")
            for c in _issue(replay, issue_of(replay, test)).get_comments() if "Priority changed" in c.body]
    assert said
    for body in said:  # every change said carries its reason in words
        assert re.search(r"raised to P\d: failed in \d+ of the last \d+ runs", body), body


def test_budget_of_comments_and_requests(replay: dict[str, Any]) -> None:
    requests = sum(len(r["requests"]) for r in replay["runs"])
    comments = sum(1 for r in replay["runs"] for q in r["requests"]
                   if q["method"] == "POST" and q["path"].endswith("/comments"))
    print(f"\nreplay of {RUNS} runs: {comments} issue comments, {requests} API requests "
          f"(budgets {COMMENT_BUDGET} and {REQUEST_BUDGET})")
    assert comments <= COMMENT_BUDGET
    assert requests <= REQUEST_BUDGET
