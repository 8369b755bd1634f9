"""Priority moved by the run's evidence of reach (gardener/priority_evidence.py): table tests."""

from __future__ import annotations

import pytest

from gardener.model import Priority, Result, Source
from gardener.priority_evidence import ReachFacts, adjust, facts_of, outage_of, platform_of, single_platform


@pytest.mark.parametrize(
    ("priority", "layer", "facts", "want", "words"),
    [
        ("P2", "test", ReachFacts(), "P2", None),
        ("P0", "environment", ReachFacts(allowed_to_fail=True), "P3", "allowed to fail"),
        ("P3", "test", ReachFacts(allowed_to_fail=True), "P3", None),
        ("P0", "environment", ReachFacts(outage_host="registry.npmjs.org", outage_status="503"), "P1",
         "registry.npmjs.org answered 503"),
        ("P0", "infrastructure", ReachFacts(outage_host="ghcr.io", outage_status="500"), "P1", "ghcr.io"),
        ("P1", "environment", ReachFacts(outage_host="pypi.org", outage_status="502"), "P1", None),
        ("P0", "test", ReachFacts(outage_host="api.example.com", outage_status="500"), "P0", None),
        ("P1", "test", ReachFacts(platform="windows-latest", platforms_ran=3), "P2",
         "only the windows-latest job of the matrix fails, the other 2 platform(s)"),
        ("P3", "test", ReachFacts(platform="macos-14", platforms_ran=2), "P3", None),
        ("P0", "environment", ReachFacts(outage_host="pypi.org", outage_status="503", platform="ubuntu",
                                         platforms_ran=2), "P2", "pypi.org"),
    ],
)
def test_adjust(priority: Priority, layer: str, facts: ReachFacts, want: Priority, words: str | None) -> None:
    got, reason = adjust(priority, "start", layer, facts)
    assert got == want
    if words is None:
        assert reason == "start"
    else:
        assert reason.startswith("start; ") and words in reason, reason


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("npm ERR! 503 Service Unavailable - GET https://registry.npmjs.org/left-pad", ("registry.npmjs.org", "503")),
        ("curl: (22) The requested URL returned error: 502 from https://downloads.example.org/x.tgz",
         ("downloads.example.org", "502")),
        ("ERROR: HTTP error 500 while getting https://files.pythonhosted.org/packages/a.whl",
         ("files.pythonhosted.org", "500")),
        ("GET https://api.github.com/repos/a/b returned status code 503", ("api.github.com", "503")),
        ("requests.exceptions.HTTPError: 503 Server Error for url: http://localhost:8000/health", ("", "")),
        ("502 Bad Gateway from http://api:8080/login", ("", "")),  # a CI service of the project
        ("503 from http://10.1.2.3/health", ("", "")),
        ("expected 200, got 404 from https://example.org", ("", "")),
    ],
)
def test_outage_of(text: str, want: tuple[str, str]) -> None:
    assert outage_of(text) == want


@pytest.mark.parametrize(
    ("job", "want"),
    [
        ("test (windows-latest, 3.12)", ("test|3.12", "windows-latest")),
        ("test (3.12, ubuntu-latest)", ("test|3.12", "ubuntu-latest")),
        ("tests-macos-14", ("tests", "macos-14")),
        ("lint", None),
        ("build (3.12)", None),
        ("winter-sale-tests", None),
    ],
)
def test_platform_of(job: str, want: tuple[str, str] | None) -> None:
    assert platform_of(job) == want


def test_single_platform_needs_the_others_to_have_run() -> None:
    run = ["test (ubuntu-latest, 3.12)", "test (windows-latest, 3.12)", "test (macos-latest, 3.12)", "lint"]
    assert single_platform(["test (windows-latest, 3.12)"], run) == ("windows-latest", 3)
    assert single_platform(["test (windows-latest, 3.12)", "test (ubuntu-latest, 3.12)"], run) == ("", 0)
    assert single_platform(["test (windows-latest, 3.12)"], ["test (windows-latest, 3.12)"]) == ("", 0)
    assert single_platform(["lint"], run) == ("", 0)


def _result(job: str, outcome: str = "failed", props: tuple[tuple[str, str], ...] = ()) -> Result:
    return Result(id=f"t::{job}", outcome=outcome, source=Source(f"{job}.xml", "junit"),  # type: ignore[arg-type]
                  properties=(("job", job), *props))


def test_facts_of_reads_jobs_and_properties() -> None:
    run = frozenset({"test (ubuntu-latest)", "test (windows-latest)"})
    facts = facts_of([_result("test (windows-latest)")], run)
    assert (facts.platform, facts.platforms_ran, facts.allowed_to_fail) == ("windows-latest", 2, False)
    allowed = facts_of([_result("nightly", props=(("allow_failure", "true"),))], frozenset({"nightly"}))
    assert allowed.allowed_to_fail
    mixed = facts_of([_result("a", props=(("allow_failure", "true"),)), _result("b")], frozenset({"a", "b"}))
    assert not mixed.allowed_to_fail  # one blocking job among them: the failure still blocks
