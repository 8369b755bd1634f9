"""What the planner compares: evidence of a run, labels, related issues."""

from dataclasses import replace
from datetime import UTC, datetime

from gardener.model import IssueRef, TrackerPolicy
from gardener.plan.evidence import evidence_of
from gardener.plan.related import related_for, search_terms
from gardener.tracker.labels import category_label, desired_labels, label_specs
from tests.factories import finding, result

POLICY = TrackerPolicy()
T1 = datetime(2026, 3, 2, 9, 14, tzinfo=UTC)


def with_results(*results):
    return replace(finding("f-1", "connection-refused", "environment"), results=results)


def test_evidence_time_and_fingerprint_come_from_the_inputs():
    a = replace(result("tests/test_a.py::t1", message="refused at 10.0.0.1:5432"), timestamp=T1)
    b = replace(result("tests/test_b.py::t2", message="refused at 10.0.0.2:5432"), timestamp=T1.replace(hour=10))
    ev = evidence_of(with_results(a, b), ["tests/test_a.py::t1", "tests/test_b.py::t2"])
    assert (ev.oldest, ev.newest, ev.count) == (T1, T1.replace(hour=10), 2)
    assert len(ev.errors) == 1  # the masked messages are the same error text
    assert evidence_of(with_results(a, b), []).fingerprint == ev.fingerprint
    assert evidence_of(with_results(a, b), [], run_url="https://ci/run/2").fingerprint != ev.fingerprint
    naive = replace(a, timestamp=datetime(2026, 3, 2, 9, 14))
    assert evidence_of(with_results(naive), []).newest == T1  # JUnit's zone-less times read as UTC
    assert evidence_of(with_results(replace(a, timestamp=None)), []).newest is None


def test_category_labels_fit_githubs_fifty_characters_and_stay_stable():
    long = "an-extraordinarily-long-category-name-for-one-failure-mode"
    label = category_label(long, "failing-test:")
    assert len(label) <= 50 and label == category_label(long, "failing-test:") and label.startswith("failing-test:an")
    assert category_label("docker-build-failure", "failing-test:") == "failing-test:docker-build-failure"


def test_desired_labels_keep_peoples_labels_and_replace_only_gardeners():
    f = finding("f-1", "docker-build-failure", priority="P0")
    current = ("needs-triage", "P2", "failing-test:old-category", "gardener")
    assert set(desired_labels(current, f, POLICY, manage_priority=True)) == {
        "needs-triage", "gardener", "P0", "failing-test:docker-build-failure"}
    assert set(desired_labels(current, f, POLICY, manage_priority=False)) == {
        "needs-triage", "gardener", "P2", "failing-test:docker-build-failure"}


def test_label_specs_have_colours_and_descriptions_for_what_the_findings_need():
    specs = label_specs([finding("f-1", "docker-build-failure", priority="P0")], POLICY)
    assert [s.name for s in specs] == ["gardener", "P0", "failing-test:docker-build-failure"]
    assert all(len(s.color) == 6 and s.description and len(s.description) <= 100 for s in specs)


def issue(number, title, labels=()):
    return IssueRef(number, number, title, "open", f"u/{number}", labels=labels)


def test_search_terms_are_one_word_each_focus_first_at_most_two():
    f = finding("f-1", "docker-build-failure", priority="P0", title="Missing docker directory")
    assert search_terms([f], ["websocket"]) == ("websocket", "docker")
    assert search_terms([f], ["golden_path", "websocket"]) == ("golden", "path")
    assert search_terms([], []) == ()


def test_related_issues_share_words_with_the_finding_best_first():
    f = replace(finding("f-1", "docker-build-failure", title="Missing docker directory"),
                results=(result("tests/integration/test_websocket_events.py::t", file="tests/integration/"
                                "test_websocket_events.py"),))
    issues = [issue(1, "Docker Desktop service unavailable"), issue(2, "WebSocket events dropped"),
              issue(3, "Billing export is slow"), issue(4, "Websocket docker image events")]
    assert [i.number for i in related_for(f, issues)] == [4, 1, 2]
