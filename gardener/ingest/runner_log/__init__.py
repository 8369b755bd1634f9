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
from gardener.ingest.pytest_text import with_declared_size
from gardener.ingest.runner_log.anchors import WRAPPER
from gardener.ingest.runner_log.console import ConsoleReader
from gardener.ingest.runner_log.dispatch import LogRun
from gardener.ingest.runner_log.grouping import JOIN_GAP, Incident
from gardener.ingest.runner_log.job_verdict import mark_caught
from gardener.ingest.runner_log.masks import masked_results, masked_steps
from gardener.ingest.runner_log.recovered import went_on_from
from gardener.ingest.runner_log.result_steps import placed_in_steps
from gardener.ingest.runner_log.results import incident_results
from gardener.ingest.runner_log.tox_envs import allow_ignored_envs
from gardener.ingest.textfile import CHUNK_BYTES, TextFile
from gardener.model import Result, Source

KIND = "log"
_MARKUP = re.lazy(r"<(?:\?xml|!DOCTYPE|[A-Za-z][\w:.-]*[\s>/])")


def sniff(head: str) -> int:
    """Any text is a log, at the lowest score; XML is left to the JUnit reader to take or refuse."""
    start = head.lstrip()
    if not start or _MARKUP.match(start):
        return 0
    return 10


def parse(path: Path, chunk_bytes: int = CHUNK_BYTES) -> ParsedFile:
    """The log's results, read through the prefilter (dispatch.py) in blocks of `chunk_bytes`."""
    text = TextFile(path)
    run = LogRun(str(path), KIND)
    run.read(text, chunk_bytes)
    return _parsed(path, text, run)


def parse_every_line(path: Path) -> ParsedFile:
    """`parse` without the prefilter: every line to every consumer (the reference tests compare with)."""
    text = TextFile(path)
    run = LogRun(str(path), KIND)
    run.read_every_line(text)
    return _parsed(path, text, run)


def _parsed(path: Path, text: TextFile, run: LogRun) -> ParsedFile:
    readers, finder, verdict, layout = run.readers, run.finder, run.verdict, run.layout
    finished = [reader.finish() for reader in readers]
    pytest_reader = run.pytest_reader()
    for i, reader in enumerate(readers):
        if pytest_reader is not None and reader is pytest_reader:
            # The run's size as pytest's counts line declares it, on pytest's failures (a log lists only those).
            finished[i] = with_declared_size(finished[i], pytest_reader)
            if len(pytest_reader.declared) > 1:  # several pytest sessions: tox envs, some perhaps allowed to fail
                finished[i] = allow_ignored_envs(finished[i], text)
    tests = [r for results in finished for r in results]
    # The Go test that ran a Ginkgo suite (`--- FAIL: TestE2E`) fails because its specs did: they are the results.
    suites = {n for reader in readers for n in getattr(reader, "suite_tests", ())}
    if suites:
        tests = [r for r in tests if r.source_line not in suites]
    incidents = finder.finish()
    keep = went_on_from(incidents, _not_reported_by_readers(incidents, readers), run.outcomes, tests)
    results: list[Result] = [*tests, *incident_results(incidents, keep, str(path), KIND)]
    if not any(r.is_failing for r in results) and (fallback := verdict.fallback(str(path), KIND)) is not None:
        results.append(fallback)  # the log says it failed: never a clean run
    if not results:
        results.append(_clean_run(str(path), run.first_warning, run.warnings))
    unlisted = pytest_reader.unlisted_note() if pytest_reader is not None else None
    notes = [n for n in (text.warning(), finder.overflow_note(), unlisted) if n]
    found = masked_results(results, run.masked)  # what the log itself declared secret
    if layout.job_succeeded():  # the job's own verdict: its failures were caught
        found = mark_caught(found)
    counts = counts_of(found)
    if pytest_reader is not None and pytest_reader.unlisted_passes:
        counts = replace(counts, cases=counts.cases + pytest_reader.unlisted_passes)
    steps = masked_steps(layout.finish(found), run.masked)
    found = tuple(placed_in_steps(found, steps))  # a console reader's tests name their step as incidents do
    return ParsedFile(results=found, counts=counts, warning="; ".join(notes) or None, steps=steps)


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
        source=Source(path, KIND), source_line=warning[0] if warning else 1,
        message=warning[1] if warning else "",
        error_type="warning" if warning else "",
        properties=props,
    )
