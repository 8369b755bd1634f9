"""The first finding of a long CI log on the line that explains it (issue 12 items 1-2): written excerpts whose
last lines are a tool's own summary (`error: could not compile`, `Some tests did not pass`, `Tests failed for`,
Playwright's `1 failed` list, RSpec's `rspec ./spec/...` rerun list, luacheck's `Total:`) or a wrapper (`make:
*** ... Error 127`, Gradle's `BUILD FAILED`, Bazel's `Build did NOT complete successfully`, x.py's `failed to
run:`), and a neighbour of the explaining line (a pytest banner, a traceback header, solc's `Note:`).

Each item's `failing_lines` mark the explaining line; every item is scored bare and as the failing step of a
whole CI job log (tests/long_log_frames.py). Written after each tool's own format (`source` cites it), never
from a real CI log. `pytest -s` prints the tables and the misses.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.corpus_scoring import Scored, check_well_formed, load_items, misses, rates, summary
from tests.corpus_scoring import score as score_items
from tests.long_log_frames import frame
from tests.test_classify_long_logs import _ci_of, _trailing

DATA = Path(__file__).parent / "data" / "rules" / "long_log_locating.jsonl"
# On rules-6 31fcf8c (rules-7's base): 51.6% / 64.5% / 61.3% (category / exact priority / evidence on a marked line)
# bare, 51.6% / 64.5% / 64.5% framed, on the 31 items; 100% each way after.
MIN_CATEGORY = 0.95
MIN_PRIORITY = 0.95
MIN_EVIDENCE = 0.95


def _framed(items: list[dict[str, object]]) -> list[dict[str, object]]:
    out = []
    for item in items:
        ci = _ci_of(item)
        framed = frame(str(item["excerpt"]), ci, _trailing(item))
        lines = item["failing_lines"]
        assert isinstance(lines, list)
        out.append({**item, "excerpt": framed.text, "ci": ci, "failing_lines": [n + framed.before for n in lines]})
    return out


def test_well_formed() -> None:
    check_well_formed(load_items(DATA), ("written",))


@pytest.mark.parametrize("framed", [False, True], ids=["bare", "framed"])
def test_first_finding_on_the_explaining_line(framed: bool, tmp_path: Path) -> None:
    items = load_items(DATA)
    scored: list[Scored] = score_items(_framed(items) if framed else items, tmp_path)
    missed = misses(scored)
    print("\n" + summary("framed" if framed else "bare", scored) + "\nmisses:\n" + "\n".join(missed))
    cat, pri, ev = rates(scored)
    assert cat >= MIN_CATEGORY and pri >= MIN_PRIORITY and ev >= MIN_EVIDENCE, missed
