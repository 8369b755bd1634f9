"""Locating in long logs: every `train` excerpt of corpus3 and every written excerpt, as the failing step
of a whole CI job log (tests/long_log_frames.py: runner preamble, passing install steps with their
warnings, the runner's wrappers after the failure).

Held-out CI logs are whole job logs, and the figures that matter there are the first finding's category,
its priority and whether its evidence is the explaining line rather than a wrapper or set-up noise. The
labels are the excerpts' own; the marked lines move by the lines the frame puts before the excerpt.
`pytest -s` prints the tables and the misses. Only the `train` split of corpus3 is used.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from gardener.classify import find
from gardener.config import Config
from gardener.whole_excerpt import ingest_for_classify
from tests.corpus_scoring import Scored, misses, rates, report, score, summary
from tests.long_log_frames import FRAMES, frame

DATA = Path(__file__).parent / "data"
CORPUS3 = DATA / "classify" / "corpus3.jsonl"
WRITTEN = DATA / "rules" / "written_excerpts.jsonl"
# First scoring (before the job-verdict and wrapper-to-cause changes): 94.5% / 95.8% / 87.0% (category /
# exact priority / evidence on a marked line); after them 97.7% / 97.7% / 91.9%. With the passing steps' error-
# looking lines added to the frames: 35.2% / 36.8% / 25.7% (a pip retry that timed out, npm's engine warning and
# git describe's `fatal:` became the first finding), then 97.7% / 97.4% / 91.5% once warnings a tool goes on
# from are never evidence and GitLab's, Jenkins', Azure's and CircleCI's step verdicts drop the incidents of
# steps that passed. With a failing step's trailing output (a coverage table, an upload: 20 lines between the
# failure and the wrapper) on every item: 83.7% / 87.3% / 78.2%, then 97.7% / 97.4% / 91.5% once a wrapper looks
# back WRAPPER_REACH lines of its step. Half the items get the trailing output. With Jenkins-stamped and clocked
# consoles, type-checker and lint anchors and the CI time-limit lines: 98.4% / 98.0% / 93.2% (corpus3 train read
# bare: 98.4% / 98.4% / 93.5%). Floors about two points under.
MIN_CATEGORY = 0.96
MIN_PRIORITY = 0.96
MIN_EVIDENCE = 0.91
MAX_WRITTEN_WRONG = 2


def _load(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _ci_of(item: dict[str, object]) -> str:
    """The item's own CI system when there is a frame for it, else one picked by its id."""
    ci = str(item.get("ci", "none"))
    if ci in FRAMES:
        return ci
    return FRAMES[int(hashlib.sha1(str(item["id"]).encode()).hexdigest()[:8], 16) % len(FRAMES)]


def _trailing(item: dict[str, object]) -> bool:
    """Every other item (by its id) also gets what a failing step prints after its failure."""
    return int(hashlib.sha1(str(item["id"]).encode()).hexdigest()[8:16], 16) % 2 == 0


def framed_train_items(trailing: bool | None = None) -> list[dict[str, object]]:
    """The train excerpts in whole job logs; `trailing` None: half of them with a failing step's trailing output."""
    out = []
    for item in _load(CORPUS3):
        if item["split"] != "train":
            continue
        ci = _ci_of(item)
        framed = frame(str(item["excerpt"]), ci, _trailing(item) if trailing is None else trailing)
        lines = item["failing_lines"]
        assert isinstance(lines, list)
        out.append({**item, "excerpt": framed.text, "ci": ci, "failing_lines": [n + framed.before for n in lines]})
    return out


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> list[Scored]:
    return score(framed_train_items(), tmp_path_factory.mktemp("long"))


def test_train_excerpts_in_long_logs(scored: list[Scored]) -> None:
    print("\n" + report("corpus3 train in long logs", scored))
    missed = misses(scored)
    print("\nmisses:\n" + "\n".join(missed))
    cat, pri, ev = rates(scored)
    print("\n" + summary("overall", scored))
    assert cat >= MIN_CATEGORY and pri >= MIN_PRIORITY and ev >= MIN_EVIDENCE, missed


def test_written_excerpts_in_long_logs(tmp_path: Path) -> None:
    config = Config()
    wrong = []
    items = _load(WRITTEN)
    for n, item in enumerate(items):
        ci = _ci_of(item)
        path = tmp_path / f"log-{n:03}.txt"
        path.write_text(frame(str(item["excerpt"]), ci, _trailing(item)).text, encoding="utf-8")
        findings = find(ingest_for_classify([str(path)], config.rules).results, config)
        got = (findings[0].category, findings[0].priority) if findings else ("none", "none")
        if got != (item["category"], item["priority"]):
            wrong.append(f"{item['id']} ({ci}): want {(item['category'], item['priority'])} got {got}")
    print("\nwritten excerpts in long logs: " f"{len(items) - len(wrong)}/{len(items)} right\n" + "\n".join(wrong))
    assert len(wrong) <= MAX_WRITTEN_WRONG, wrong
