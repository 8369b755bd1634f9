"""Issue bodies in the sandbox: they fit GitHub's limit however big the failure, a person's edit is
kept, and their priority label is respected."""

from gardener.tracker import markers
from tests.github.gardening import garden, last_seq, later_than_now, outage, writes

CASE = ('<testcase classname="tests.integration.test_{n:04d}_{pad}" name="test_reaches_the_orders_service_{n}" '
        'file="tests/integration/test_{n:04d}_{pad}.py" time="0.01"><failure message="ConnectionRefusedError: '
        '[Errno 111] Connection refused">E   ConnectionRefusedError: [Errno 111] Connection refused</failure>'
        '</testcase>')


def test_a_failure_with_over_a_thousand_tests_still_fits_one_issue(sandbox, repo, tmp_path):
    inputs = tmp_path / "huge"
    inputs.mkdir()
    cases = "\n".join(CASE.format(n=n, pad="x" * 150) for n in range(1200))
    (inputs / "junit.xml").write_text(f'<testsuite name="pytest" tests="1200" timestamp="2026-03-02T09:14:06">'
                                      f"{cases}</testsuite>", encoding="utf-8")
    out = garden(sandbox, (inputs,), tmp_path / "out")
    assert all(o.ok for o in out.report.outcomes), [o.error for o in out.report.outcomes]
    issue = repo.get_issue(dict(out.report.issues)[out.report.findings[0].id].number)
    assert len(issue.body) <= 65_536
    assert "## Affected tests (1200)" in issue.body and "more (listed in the worklog)" in issue.body
    marker = markers.parse(issue.body)
    assert marker is not None and marker.tests_total == 1200 and marker.count == 1200
    mark = last_seq(sandbox)
    garden(sandbox, (inputs,), tmp_path / "out")
    assert writes(sandbox, mark) == []


def test_a_persons_edit_to_the_description_is_kept_and_only_the_hidden_block_moves(sandbox, repo, tmp_path):
    first = garden(sandbox, (outage(tmp_path),), tmp_path / "out")
    number = dict(first.report.issues)[first.report.findings[-1].id].number
    issue = repo.get_issue(number)
    _, marker = markers.split(issue.body)
    issue.edit(body=markers.compose("We know: the token TTL changed on purpose, see the design doc.", marker))

    garden(sandbox, (outage(tmp_path, later_than_now(), "newer"),), tmp_path / "out")
    visible, after = markers.split(repo.get_issue(number).body)
    assert visible == "We know: the token TTL changed on purpose, see the design doc."
    assert after is not None and after.last_seen > marker.last_seen


def test_a_priority_label_a_person_set_is_left_alone_and_said_once(sandbox, repo, tmp_path):
    first = garden(sandbox, (outage(tmp_path),), tmp_path / "out")
    finding = first.report.findings[-1]
    number = dict(first.report.issues)[finding.id].number
    issue = repo.get_issue(number)
    issue.remove_from_labels(finding.priority)
    issue.add_to_labels("P3")

    garden(sandbox, (outage(tmp_path),), tmp_path / "out")
    issue = repo.get_issue(number)
    assert {label.name for label in issue.labels} >= {"P3", "gardener"} and finding.priority not in {
        label.name for label in issue.labels}
    comments = [c.body for c in issue.get_comments()]
    assert len(comments) == 1 and "changed by a person" in comments[0]
    mark = last_seq(sandbox)
    garden(sandbox, (outage(tmp_path),), tmp_path / "out")
    assert writes(sandbox, mark) == []
