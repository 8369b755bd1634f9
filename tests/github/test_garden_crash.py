"""gardener as CI runs it (a separate process): killed halfway, or twice at once; the next run converges."""

import signal
import time
from collections import Counter

from gardener.tracker import markers
from tests.github.gardening import REPO, garden, gardener_cmd, last_seq, outage, writes

CONFIG = "[gardener.github]\nwrite_interval = 0\nmax_wait = 10\n"


def start_run(sandbox, tmp_path, inputs, name):
    config = tmp_path / "gardener.toml"
    config.write_text(CONFIG, encoding="utf-8")
    return gardener_cmd("run", "--apply", "--repo", REPO, "--github-url", sandbox.url, "--config", str(config),
                        "--out", str(tmp_path / name), str(inputs), env={"GITHUB_TOKEN": sandbox.token},
                        cwd=tmp_path, background=True)


def wait_for(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def settle(sandbox, quiet=1.5):
    """Wait until the killed run's last request (still held by the delay fault) has landed."""
    seen = -1
    while len(sandbox.requests()) != seen:
        seen = len(sandbox.requests())
        time.sleep(quiet)


def created(sandbox):
    return sum(1 for r in sandbox.requests() if r.method == "POST" and r.path.endswith("/issues") and r.status == 201)


def signatures_of(repo, state):
    return Counter(markers.parse(i.body).sig for i in repo.get_issues(state=state))


def test_killed_after_its_first_writes_the_rerun_completes_without_duplicates(sandbox, repo, tmp_path):
    inputs = outage(tmp_path)
    sandbox.inject({"kind": "delay", "seconds": 0.4}, method="POST", path=r"/issues$", times=20)
    process = start_run(sandbox, tmp_path, inputs, "killed")
    try:
        wait_for(lambda: created(sandbox) >= 2)
    finally:
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=10)
    settle(sandbox)
    half = created(sandbox)
    assert 2 <= half < 5, "the kill should land halfway through the creates"
    sandbox.reset()  # clear the remaining delays, keep the issues

    out = garden(sandbox, (inputs,), tmp_path / "out")
    assert all(o.ok for o in out.report.outcomes)
    assert sum(1 for a in out.report.actions if a.kind == "create") == 5 - half
    counts = signatures_of(repo, "all")
    assert len(counts) == 5 and set(counts.values()) == {1}
    assert sum(1 for i in repo.get_issues() for _ in i.get_blocked_by()) == len(out.report.edges)
    mark = last_seq(sandbox)
    garden(sandbox, (inputs,), tmp_path / "out")
    assert writes(sandbox, mark) == []


def test_two_runs_at_once_converge_the_newer_duplicates_are_closed_with_a_comment(sandbox, repo, tmp_path):
    inputs = outage(tmp_path)
    # Hold each run's first create long enough for both runs to have read the (empty) tracker.
    sandbox.inject({"kind": "delay", "seconds": 1.5}, method="POST", path=r"/issues$", times=2)
    runs = [start_run(sandbox, tmp_path, inputs, f"run{n}") for n in (1, 2)]
    for process in runs:
        _, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
    assert set(signatures_of(repo, "open").values()) == {2}  # both filed everything

    out = garden(sandbox, (inputs,), tmp_path / "out")
    assert all(o.ok for o in out.report.outcomes)
    open_now = signatures_of(repo, "open")
    assert len(open_now) == 5 and set(open_now.values()) == {1}
    closed = list(repo.get_issues(state="closed"))
    assert len(closed) == 5 and all(i.state_reason == "duplicate" for i in closed)
    kept = {markers.parse(i.body).sig: i.number for i in repo.get_issues(state="open")}
    for issue in closed:
        original = kept[markers.parse(issue.body).sig]
        assert original < issue.number
        assert f"Closing as a duplicate of #{original}" in [c.body for c in issue.get_comments()][-1]
    sig = {f.category: f.signature.digest for f in out.report.findings}
    build = kept[sig["docker-build-failure"]]
    for category in ("connection-refused", "registry-access-failure"):  # the chain joins the issues kept
        assert build in {b.number for b in repo.get_issue(kept[sig[category]]).get_blocked_by()}
    mark = last_seq(sandbox)
    garden(sandbox, (inputs,), tmp_path / "out")
    assert writes(sandbox, mark) == []


def test_duplicates_closed_in_the_converging_run_do_not_count_as_blocked_and_the_next_run_writes_nothing(
        sandbox, repo, tmp_path):
    """Two runs' issues interleaved: the blocker kept is this run's, the blocked issues linked to it are the
    other run's newer copies. Closing them in the converging run must not list them under "Blocks"."""
    inputs = outage(tmp_path)
    first = garden(sandbox, (inputs,), tmp_path / "out")
    blocked = [i for i in repo.get_issues() if markers.parse(i.body).linked()]
    assert blocked, "the scenario has blocked-by links"
    copies = [repo.create_issue(i.title, body=i.body, labels=[label.name for label in i.labels]).number
              for i in blocked]  # what the other run filed, its hidden block linked to the blocker kept here

    converge = garden(sandbox, (inputs,), tmp_path / "out")
    assert all(o.ok for o in converge.report.outcomes)
    assert sorted(a.issue for a in converge.report.actions if a.kind == "close-duplicate") == copies
    for finding in first.report.findings:
        body = repo.get_issue(dict(first.report.issues)[finding.id].number).body
        assert not [n for n in copies if f"#{n}" in markers.split(body)[0]], "a closed duplicate counted as blocked"
    mark = last_seq(sandbox)
    garden(sandbox, (inputs,), tmp_path / "out")
    assert writes(sandbox, mark) == []
