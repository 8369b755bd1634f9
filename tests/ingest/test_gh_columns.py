"""A job log saved with `gh run view --log` (or `--log-failed`) reads as the same log without the CLI's
`JOB<TAB>STEP<TAB>` columns: same results, same lines, same messages. Before, the columns stayed in every
message and hid each line's start from the readers and rules (`^FAILED`, `##[error]`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.ingest import runner_log
from gardener.ingest.base import ParsedFile
from gardener.text import clean_line

LOGS = Path(__file__).parent.parent / "data" / "logs"
STAMPED = sorted(p for p in LOGS.glob("*.log") if p.read_text(errors="replace")[:4].isdigit())


def as_gh_cli(text: str) -> str:
    """The log as `gh run view --log` prints it: each stamped line behind its job and step columns."""
    return "\n".join(f"test (ubuntu-latest, 3.11)\tRun the tests\t{line}" if line[:4].isdigit() else line
                     for line in text.split("\n"))


def summary(parsed: ParsedFile) -> list[tuple[str, str, int | None, str]]:
    return [(r.outcome, r.message, r.source_line, r.error_type) for r in parsed.results]


def test_some_logs_are_stamped() -> None:
    assert len(STAMPED) >= 4


@pytest.mark.parametrize("log", STAMPED, ids=lambda p: p.name)
def test_gh_cli_columns_read_as_the_plain_log(log: Path, tmp_path: Path) -> None:
    saved = tmp_path / log.name
    saved.write_text(as_gh_cli(log.read_text()), encoding="utf-8")
    plain = summary(runner_log.parse(log))
    assert summary(runner_log.parse(saved)) == plain
    assert summary(runner_log.parse_every_line(saved)) == plain


def test_columns_peeled_before_the_stamp_and_markup() -> None:
    line = clean_line("build\tRun pytest\t2024-05-01T12:00:02.3826630Z ##[error]Process completed with exit code 1.")
    assert (line.text, line.marker) == ("Process completed with exit code 1.", "error")
    assert line.timestamp is not None


def test_tabs_without_a_runner_stamp_stay_text() -> None:
    assert clean_line("name\tvalue\t42").text == "name\tvalue\t42"
