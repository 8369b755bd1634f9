"""Runner logs: any text a CI job printed (GitHub Actions, GitLab CI, Jenkins, docker/compose/buildx, pip,
npm, go, cargo, jest...).

Each line is cleaned (ANSI codes, runner timestamps, `##[...]` markup, BuildKit and compose
prefixes), placed in its CI step (layout.py: GitHub groups, GitLab sections and `$ command` lines,
Jenkins `sh` steps), then read in one pass by the incident finder (incidents.py) and by the test
runners' console readers (pytest, jest, surefire, go test, cargo test) and GitLab's service report,
so a log that embeds test output also yields its test results. An incident a reader already
reported (a line inside a test's report, or a bare exit-code line just after failing tests) is
dropped so nothing is counted twice.

Two choices worth knowing:
- A log with no incident and no test result records the run as one `passed` result, carrying the
  first warning it printed (if any) as its message, so later stages can say "succeeded, with
  warnings" instead of saying nothing about it. A warning alone is never a failure.
- A log that says its build failed (`BUILD FAILURE`, a runner's failed totals) always yields a failing
  result: when no reader could read the failures and no incident was found, one incident is made
  from its strongest error line (verdict.py), so a red build is never reported green.
- Lines saying the run stopped (`0 tests executed`, `services failed to start`, `FAST FAIL`) are an
  incident of their own with error_type `aborted`, so a reader sees that nothing ran; they are
  never merged into a cause nor made one, and their `after` property lists the incidents of the
  50 lines before them (the causes), for clustering to attach them there.
"""

from __future__ import annotations

import bisect
from dataclasses import replace
from pathlib import Path, PurePath

from gardener import regex as re
from gardener.ingest.base import ParsedFile, counts_of
from gardener.ingest.pytest_text.reader import PytestReader
from gardener.ingest.runner_log.anchors import WARNING, WRAPPER
from gardener.ingest.runner_log.cargo import CargoReader
from gardener.ingest.runner_log.console import ConsoleReader
from gardener.ingest.runner_log.gitlab_services import GitLabServiceReader
from gardener.ingest.runner_log.go import GoReader
from gardener.ingest.runner_log.grouping import JOIN_GAP, Incident
from gardener.ingest.runner_log.incidents import IncidentFinder
from gardener.ingest.runner_log.jest import JestReader
from gardener.ingest.runner_log.layout import JobLayout
from gardener.ingest.runner_log.prettier_list import PrettierListReader
from gardener.ingest.runner_log.recovered import StepOutcomes, went_on_from
from gardener.ingest.runner_log.results import incident_results
from gardener.ingest.runner_log.surefire import SurefireReader
from gardener.ingest.runner_log.verdict import Verdict
from gardener.ingest.textfile import TextFile
from gardener.model import Result, Source
from gardener.text import clean_line

KIND = "log"
_MARKUP = re.compile(r"<(?:\?xml|!DOCTYPE|[A-Za-z][\w:.-]*[\s>/])")


def sniff(head: str) -> int:
    """Any text is a log, at the lowest score; XML is left to the JUnit reader to take or refuse."""
    start = head.lstrip()
    if not start or _MARKUP.match(start):
        return 0
    return 10


def parse(path: Path) -> ParsedFile:
    text = TextFile(path)
    kinds = (PytestReader, JestReader, SurefireReader, GoReader, CargoReader, GitLabServiceReader, PrettierListReader)
    readers: tuple[ConsoleReader, ...] = tuple(r(str(path), KIND) for r in kinds)
    finder = IncidentFinder()
    verdict = Verdict()
    layout = JobLayout(str(path))
    outcomes = StepOutcomes()  # which steps the runner says failed (recovered.py)
    stamp = None
    warnings = 0
    first_warning: tuple[int, str] | None = None
    for number, raw in text.lines():
        line = clean_line(raw)
        stamp = line.timestamp or stamp
        warned = line.marker == "warning" or (
            ("arn" in line.text or "ARN" in line.text) and WARNING.search(line.text) is not None
        )
        boundary = layout.feed(number, raw, line, warned)
        if boundary:  # a new CI step or section
            for reader in readers:
                reader.interrupt()
        outcomes.feed(number, line, boundary)
        taken = False
        for reader in readers:
            taken = reader.feed(number, line.text, stamp) or taken
        finder.feed(number, line, stamp, layout.step, may_anchor=not taken and not layout.aftermath)
        verdict.feed(number, line.text)
        if warned:
            warnings += 1
            first_warning = first_warning or (number, line.text.strip())
    tests = [r for reader in readers for r in reader.finish()]
    incidents = finder.finish()
    keep = went_on_from(incidents, _not_reported_by_readers(incidents, readers), outcomes, tests)
    results: list[Result] = [*tests, *incident_results(incidents, keep, str(path), KIND)]
    if not any(r.is_failing for r in results) and (fallback := verdict.fallback(str(path), KIND)) is not None:
        results.append(fallback)  # the log says it failed: never a clean run
    if not results:
        results.append(_clean_run(str(path), first_warning, warnings))
    pytest_reader = readers[0]
    assert isinstance(pytest_reader, PytestReader)
    notes = [n for n in (text.warning(), finder.overflow_note(), pytest_reader.unlisted_note()) if n]
    found = tuple(results)
    counts = counts_of(found)
    if pytest_reader.unlisted_passes:
        counts = replace(counts, cases=counts.cases + pytest_reader.unlisted_passes)
    return ParsedFile(results=found, counts=counts, warning="; ".join(notes) or None, steps=layout.finish(found))


def _not_reported_by_readers(incidents: list[Incident], readers: tuple[ConsoleReader, ...]) -> list[bool]:
    """False for incidents the test runners' own results already cover."""
    spans = sorted(span for reader in readers for span in reader.claimed)
    starts = [s for s, _ in spans]
    reach: list[int] = []  # the furthest end of any span starting at or before each start
    for _, end in spans:
        reach.append(max(end, reach[-1]) if reach else end)
    failing = sorted(line for reader in readers for line in reader.failing_lines)

    def claimed(line: int) -> bool:
        i = bisect.bisect_right(starts, line) - 1
        return i >= 0 and reach[i] >= line

    def after_failing_tests(line: int) -> bool:
        i = bisect.bisect_left(failing, line - JOIN_GAP)
        return i < len(failing) and failing[i] < line

    return [not claimed(i.line) and not (i.rank == WRAPPER and after_failing_tests(i.line)) for i in incidents]


def _clean_run(path: str, warning: tuple[int, str] | None, count: int) -> Result:
    props = (("warnings", str(count)),) if count else ()
    return Result(
        id=f"log:{PurePath(path).stem}",
        outcome="passed",
        source=Source(path, KIND, warning[0] if warning else 1),
        message=warning[1] if warning else "",
        error_type="warning" if warning else "",
        properties=props,
    )
