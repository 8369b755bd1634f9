"""The general locator on a log of each tool family no ecosystem reader covers (tests/data/logs/families/).

Each log is a real-looking CI log (Travis, Jenkins, GitLab, Actions, CircleCI, Azure Pipelines,
Buildkite, a plain console) whose explaining lines are listed in labels.json. The first finding must
have the labelled category and its evidence line must be one of the labelled lines, never the wrapper
(`The command ... exited with 1.`, `make: *** Error`, `Process completed with exit code`).
Run with `pytest -s` for the figures by category, by ecosystem and by CI system.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gardener.config import Config
from tests.locate_scoring import Located, locate, table

DATA = Path(__file__).parent / "data" / "logs" / "families"
LABELS: dict[str, dict[str, object]] = json.loads((DATA / "labels.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def located() -> dict[str, Located]:
    config = Config()
    out = {}
    for name, label in LABELS.items():
        category, line, priority = locate(DATA / name, config)
        lines = label["lines"]
        assert isinstance(lines, list)
        out[name] = Located(
            name, (str(label["category"]), str(label["ecosystem"]), str(label["ci"])), str(label["category"]),
            category, frozenset(int(n) for n in lines), line, priority,
        )
    return out


@pytest.mark.parametrize("name", sorted(LABELS))
def test_first_finding_is_the_labelled_cause_on_its_line(name: str, located: dict[str, Located]) -> None:
    row = located[name]
    assert (row.got_category, row.on_line) == (row.want_category, True), (
        f"{name}: got {row.got_category} at line {row.got_line}, want {row.want_category} on {sorted(row.labelled)}"
    )


def test_figures(located: dict[str, Located]) -> None:
    rows = list(located.values())
    for title, by in (("category", 0), ("ecosystem", 1), ("CI system", 2)):
        print(f"\nby {title}\n{table(rows, by)}")
    assert len({r.groups[1] for r in rows}) >= 20 and len({r.groups[2] for r in rows}) >= 7
