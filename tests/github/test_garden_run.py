"""Gardening the outage scenario into the sandbox through PyGithub: file, rerun, close, reopen, relate."""

import json

from gardener.tracker import markers
from tests.github.gardening import REPO, garden, last_seq, later_than_now, outage, writes

# The outage: a docker build fails (P0), image pulls are denied and tests are refused (both blocked by
# the build), a websocket test module cannot be imported, an unrelated auth assertion fails.
BUILD, PULLS, REFUSED = "docker-build-failure", "registry-access-failure", "connection-refused"
IMPORT, ASSERT = "import-collection-error", "assertion-failure"


def by_category(report):
    issues = dict(report.issues)
    return {f.category: issues[f.id] for f in report.findings}


def test_first_run_files_one_issue_per_finding_with_labels_metadata_and_dependencies(sandbox, repo, tmp_path):
    out = garden(sandbox, (outage(tmp_path),), tmp_path / "out")
    assert all(o.ok for o in out.report.outcomes), [o.error for o in out.report.outcomes if not o.ok]
    issues = list(repo.get_issues(state="all"))
    assert len(issues) == len(out.report.findings) == 5
    filed = by_category(out.report)
    build = repo.get_issue(filed[BUILD].number)
    assert {label.name for label in build.labels} == {"gardener", "P0", "failing-test:docker-build-failure"}
    assert all(len(label.name) <= 50 for i in issues for label in i.labels)
    marker = markers.parse(build.body)
    assert marker is not None and marker.sig == next(f for f in out.report.findings
                                                     if f.category == BUILD).signature.digest
    assert marker.first_seen.startswith("2026-03-02T09:14") and marker.prio == "P0"
    refused = repo.get_issue(filed[REFUSED].number)
    refused_marker = markers.parse(refused.body)
    assert refused_marker.count == 3 and len(refused_marker.tests) == 3
    # the refused tests wait for the build: a real dependency, and visible lines on both sides
    issues_of = dict(out.report.issues)
    refused_finding = next(f for f in out.report.findings if f.category == REFUSED)
    assert {b.number for b in refused.get_blocked_by()} == {issues_of[b].number for b in refused_finding.blocked_by}
    assert build.number in {b.number for b in refused.get_blocked_by()}
    assert {b.number for b in build.get_blocking()} == {filed[REFUSED].number, filed[PULLS].number}
    assert f"Blocked by #{build.number}" in refused.body
    assert f"Blocks #{filed[REFUSED].number}" in build.body and f"Blocks #{filed[PULLS].number}" in build.body
    assert f"BLOCKED BY #{build.number}" in refused.body


def test_the_same_inputs_again_write_nothing_and_comment_nothing(sandbox, tmp_path):
    inputs = (outage(tmp_path),)
    first = garden(sandbox, inputs, tmp_path / "out")
    mark = last_seq(sandbox)
    second = garden(sandbox, inputs, tmp_path / "out")
    assert writes(sandbox, mark) == []
    assert second.report.outcomes == () and second.report.actions == ()
    assert dict(second.report.issues).keys() == dict(first.report.issues).keys()
    assert sandbox.count("POST", r"/comments$") == 0


def test_a_closed_issue_stays_closed_for_old_evidence_and_is_reopened_for_new(sandbox, repo, tmp_path):
    first = garden(sandbox, (outage(tmp_path),), tmp_path / "out")
    number = by_category(first.report)[ASSERT].number
    repo.get_issue(number).edit(state="closed", state_reason="completed")  # a person fixed it

    mark = last_seq(sandbox)
    again = garden(sandbox, (outage(tmp_path),), tmp_path / "out")
    assert repo.get_issue(number).state == "closed" and writes(sandbox, mark) == []
    skip = next(a for a in again.report.actions if a.kind == "skip")
    assert skip.issue == number and "stays closed" in skip.reason

    newer = garden(sandbox, (outage(tmp_path, later_than_now(), "newer"),), tmp_path / "out")
    issue = repo.get_issue(number)
    assert issue.state == "open" and len(list(repo.get_issues(state="all"))) == 5  # reopened, not refiled
    assert [a.kind for a in newer.report.actions if a.finding == skip.finding] == ["reopen"]
    comment = [c.body for c in issue.get_comments()][-1]
    assert "came back" in comment and comment.count("came back") == 1
    (came_back,) = [f for f in newer.report.findings if f.id == skip.finding]
    assert all(f"`{r.id}`" in comment for r in came_back.results if r.is_test), "it names the tests"
    assert came_back.results[0].message.split(":")[0] in comment, "and the error"
    assert "(s)" not in comment


def test_a_websocket_focus_lists_related_human_filed_issues_in_the_summary(sandbox, repo, tmp_path):
    human = [repo.create_issue("WebSocket reconnect storms after deploy", body="websocket clients", labels=["P0"]),
             repo.create_issue("Notification websocket drops events", body="seen in staging", labels=["P1"]),
             repo.create_issue("Billing export is slow", body="csv export", labels=["P2"])]
    out = garden(sandbox, (outage(tmp_path),), tmp_path / "out", focus=("websocket",))
    related = {i.number for i in out.report.related}
    assert {human[0].number, human[1].number} <= related and human[2].number not in related
    summary = out.summary_path.read_text(encoding="utf-8")
    assert "WebSocket reconnect storms after deploy" in summary and "Notification websocket drops events" in summary
    assert "### P0 Critical" in summary and "### P1 High" in summary
    for issue in human:  # related issues are listed, never edited
        assert repo.get_issue(issue.number).updated_at == issue.updated_at
    assert sandbox.count("GET", r"^/search/issues$") <= 2
    listed = json.loads(out.plan_path.read_text(encoding="utf-8"))["related"]  # scripts see what the summary shows
    assert {(r["number"], r["title"]) for r in listed} == {(i.number, i.title) for i in out.report.related}
    assert all(r["url"] and r["state"] == "open" and isinstance(r["labels"], list) for r in listed)


def test_worklog_summary_and_json_show_issue_numbers_the_chain_and_the_request_count(sandbox, tmp_path):
    out = garden(sandbox, (outage(tmp_path),), tmp_path / "out")
    filed = by_category(out.report)
    build, refused = filed[BUILD].number, filed[REFUSED].number
    worklog = out.worklog_path.read_text(encoding="utf-8")
    summary = out.summary_path.read_text(encoding="utf-8")
    assert f"(blocked by [#{build}]" in worklog and f"**GitHub API requests:** {out.report.api_requests}" in worklog
    assert "## Issue Tracker" in worklog and f"#{refused} blocked by #{build}" in worklog
    assert f"[Issue #{build}]" in summary and f"BLOCKED BY #{build}" in summary
    data = json.loads(out.plan_path.read_text(encoding="utf-8"))
    assert data["api_requests"] == out.report.api_requests == len(sandbox.requests())
    numbers = {f["category"]: f["issue"]["number"] for f in data["findings"]}
    assert numbers[REFUSED] == refused
    link = next(a for a in data["actions"] if a["kind"] == "link" and a["issue"] == refused)
    assert link["blocker_issue"] == build and link["dry_run"] is False


def test_a_dry_run_with_a_tracker_reads_the_issues_but_writes_nothing(sandbox, tmp_path):
    garden(sandbox, (outage(tmp_path),), tmp_path / "out")
    mark = last_seq(sandbox)
    dry = garden(sandbox, (outage(tmp_path, later_than_now(), "newer"),), tmp_path / "dry", apply=False)
    assert writes(sandbox, mark) == []
    assert {a.kind for a in dry.report.actions} == {"update"}  # new evidence would refresh every issue
    data = json.loads(dry.plan_path.read_text(encoding="utf-8"))
    assert all(a["dry_run"] for a in data["actions"]) and all(f["issue"] for f in data["findings"])


def test_reads_cost_pages_of_gardener_issues_not_findings_times_searches(sandbox, http, tmp_path):
    for n in range(130):  # more gardener issues than fit in one page
        http("POST", f"/repos/{REPO}/issues", {"title": f"old failure {n}", "labels": ["gardener"],
                                                "body": markers.compose("x", markers.Marker(sig=f"old{n}"))})
    sandbox.reset()  # empty the request log; keep the issues
    first = garden(sandbox, (outage(tmp_path),), tmp_path / "out")
    w = len(writes(sandbox))
    reads = len(sandbox.requests()) - w
    # listing open (2 pages) and recently closed (1), 2 searches, repository, labels (1 page)
    assert reads == 2 + 1 + 2 + 1 + 1
    assert first.report.api_requests == reads + w
    mark = last_seq(sandbox)
    second = garden(sandbox, (outage(tmp_path),), tmp_path / "out")
    assert second.report.api_requests == 2 + 1 + 2 == len([r for r in sandbox.requests() if r.seq > mark])


def test_a_focused_run_after_a_full_one_rewrites_nothing(sandbox, tmp_path):
    """Bodies are drawn from each issue's own links and metadata, not from how much one run saw."""
    garden(sandbox, (outage(tmp_path),), tmp_path / "out")
    mark = last_seq(sandbox)
    focused = garden(sandbox, (outage(tmp_path),), tmp_path / "out", focus=("websocket",))
    assert focused.report.dropped_by_focus > 0
    assert writes(sandbox, mark) == []
