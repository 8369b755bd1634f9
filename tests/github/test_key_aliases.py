"""A key-text change never orphans an issue: what an earlier gardener filed is found, not filed again.

tests/data/keys/previous.json holds what earlier versions really gave for the same inputs (`gardener run --json`
at the commits it names: key-v1 before session 5's new rules, key-v2 before this session's key fixes). Each of
those findings is filed in the sandbox as that version filed it (its signature in the hidden marker, the bot
label), through PyGithub; then the current version gardens the same inputs through the real pipeline and tracker.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gardener.tracker import markers
from gardener.tracker.markers import Marker
from tests.github.gardening import garden, last_seq, writes

ROOT = Path(__file__).resolve().parents[2]
PREVIOUS = json.loads((ROOT / "tests/data/keys/previous.json").read_text(encoding="utf-8"))
DATA4 = ROOT / "tests/scenarios/data4"
SETS = {
    "migration": (DATA4 / "actions-alembic-migration/pytest-integration.xml",
                  DATA4 / "actions-alembic-migration/test (integration).log"),
    "param": (DATA4 / "pytest-one-param/pytest-output.txt",),
    "ports": (DATA4 / "vitest-ephemeral-ports/junit.xml",),
    "dns": (DATA4 / "compose-dns-network/integration.log", DATA4 / "compose-dns-network/junit-integration.xml"),
    "x509": (DATA4 / "go-x509-expired-partner/test.log",),
    "flyway": (DATA4 / "gitlab-flyway-chain/e2e-job.log", DATA4 / "gitlab-flyway-chain/lint-job.log"),
    "cleanup": (ROOT / "tests/data/keys/post-job-cleanup.log",),
}
CASES = [(v, s) for v in PREVIOUS["versions"] for s in SETS]


def file_as_before(repo: Any, found: list[dict[str, Any]]) -> dict[str, int]:
    """Each earlier finding as that version filed it: its title, the marker with its signature, the bot label."""
    numbers = {}
    for f in found:
        marker = Marker(sig=f["digest"], sig_v=f["version"], finding="f-" + f["digest"][:10], count=f["count"],
                        tests=tuple(f["tests"]))
        issue = repo.create_issue(title=f["title"][:200], body=markers.compose(f["title"], marker), labels=["gardener"])
        numbers[f["digest"]] = issue.number
    return numbers


@pytest.mark.parametrize(("version", "name"), CASES, ids=[f"{v}-{s}" for v, s in CASES])
def test_an_issue_filed_by_an_earlier_version_is_found_not_filed_again(sandbox, repo, tmp_path, version, name):
    before = PREVIOUS["versions"][version]["sets"][name]
    numbers = file_as_before(repo, before)
    mark = last_seq(sandbox)
    out = garden(sandbox, SETS[name], tmp_path / "out")
    assert all(o.ok for o in out.report.outcomes), [o.error for o in out.report.outcomes if not o.ok]
    created = [w for w in writes(sandbox, mark) if w[0] == "POST" and w[1].endswith("/issues")]
    assert created == [], ([(a.kind, a.reason) for a in out.report.actions], before)
    assert len(list(repo.get_issues(state="all"))) == len(numbers)
    issues = dict(out.report.issues)
    # Every finding is gardened on an issue filed before; every issue filed before is this run's (kept, or a
    # duplicate of the one kept when the earlier version split one cause in many).
    assert all(f.id in issues and issues[f.id].number in numbers.values() for f in out.report.findings)
    kept = {i.number for i in issues.values()}
    for number in numbers.values():
        issue = repo.get_issue(number)
        marker = markers.parse(issue.body)
        assert marker is not None and (number in kept or (marker.dup_of in kept and issue.state == "closed")), (
            number, marker)
    assert {i.number for i in repo.get_issues(state="open")} == kept


def test_the_cases_exercise_changed_signatures() -> None:
    """Not vacuous: in most sets the current digests differ from the earlier ones, so only aliases can match."""
    from gardener.config import Config
    from gardener.pipeline import RunOptions, build_report

    changed = set()
    for version, name in CASES:
        report = build_report(RunOptions(paths=tuple(str(p) for p in SETS[name]), out_dir=Path("unused")), Config())
        now = {f.signature.digest for f in report.findings}
        if any(f["digest"] not in now for f in PREVIOUS["versions"][version]["sets"][name]):
            changed.add((version, name))
    assert {("key-v1", "dns"), ("key-v1", "x509"), ("key-v1", "flyway"), ("key-v2", "migration"),
            ("key-v2", "param"), ("key-v2", "ports")} <= changed, changed
