"""Inputs for `gardener classify`: what ingest read, plus whole excerpts it found no incident in.

A pasted CI excerpt is a failure the user wants explained. When the runner-log reader finds no
incident in a text file but a rule recognises a failure in it, the whole text becomes one
incident, so the excerpt is still classified. A text no rule recognises (a successful run that
only printed warnings) stays a pass: nothing is invented. The reader's stand-in for a log that
says it failed without showing a readable failure (`build-failed`, from its strongest error line)
gives way to the whole text when a rule recognises it: the whole excerpt is the better evidence.
When no rule recognises it either, the generic locator (runner_log/locator.py) still picks the line
that explains the failure (`tool: error: ...`, `permission denied`): a pasted failure always yields
a finding, `unclassified` at worst; only a text with no error-looking line at all stays a pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from gardener import regex as re
from gardener.block_evidence import HEADER_KIND, to_block_cause
from gardener.buildkit_output import to_step_output
from gardener.deciding_line import to_deciding_line
from gardener.diagnostic_shapes import is_findings_count
from gardener.failing_step import without_passed_steps
from gardener.gradle_cause import to_gradle_cause
from gardener.ingest import ingest
from gardener.ingest.runner_log.locator import (
    NAMED_RANK,
    goes_on,
    is_job_verdict,
    is_summary_line,
    is_wrapper_line,
    locate,
    names_a_signal,
    rank,
    with_records_below_error,
)
from gardener.line_category import name_line
from gardener.mail_headers import without_mail_headers
from gardener.model import Counts, Ingested, LogStep, Result, Source
from gardener.passed_later import apply as apply_passed_later
from gardener.passed_later import passes_after_failing
from gardener.retry_verdicts import SUITE_VERDICT
from gardener.retry_verdicts import apply as apply_retry_verdicts
from gardener.retry_verdicts import verdicts as retry_verdicts
from gardener.rules.engine import Evidence, evaluate
from gardener.rules.model import RuleSet
from gardener.text import clean_line

MAX_EXCERPT_BYTES = 1_000_000
TEXT_KINDS = ("log", "pytest")
# The runner-log reader's incident for a log that says it failed but shows no failure it can read.
STAND_IN = "build-failed"
UNCLASSIFIED = "unclassified"
# Rejections that say "not this format", as opposed to "not text at all".
_UNREADABLE = ("empty file", "binary file", "is a directory", "cannot be read", "vanished", "no such file",
               "pattern matches no files", "holds no reports")
_TAG = re.lazy(r"<[^<>\n]{1,200}>")


def as_plain_text(text: str) -> str:
    """A log pasted as HTML (`<pre>`, `<font>` tags, `&quot;`) as the text a person read."""
    if "<" in text and "</" in text:
        from html import unescape  # here, not at the top: its entity table costs ~1.5 ms of every run's start

        text = unescape(_TAG.sub("", text))
    elif "&#x" in text or "&quot;" in text or "&#39;" in text:
        from html import unescape

        text = unescape(text)  # entities without tags: a thread stored escaped (`&#x27;/bin/sh -c ...&#x27;`)
    return text


def without_recovered_warnings(text: str) -> str:
    """`text` as its lines' clean text (runner timestamps, markup and prefixes gone, as the rules read an
    incident's lines), without the warnings its tools went on from (locator.goes_on: `npm WARN ...`, pip's
    retries) left blank: a pip retry that timed out in a step that passed is not read as the job's timeout (pure)."""
    lines = (clean_line(line).text for line in text.split("\n"))
    return "\n".join("" if goes_on(line) else line for line in lines)  # blank, not gone: lines keep their numbers


def excerpt_incident(path: str, text: str, rules: RuleSet) -> Result | None:
    """The whole text as one failing incident, if some rule recognises a failure in it (pure)."""
    raw, text = text, without_recovered_warnings(text)
    probe = Result(id=f"log:{Path(path).stem}:excerpt", outcome="error", source=Source(path, "log"),
                   details=text)
    verdict = evaluate(rules, Evidence.of(probe))
    if verdict.winner is None:
        return None
    if verdict.winner.rule.category == UNCLASSIFIED and _whole(path):
        # Only a runner's "it failed" rule matched (an exit code): the line that explains it is the locator's.
        located = located_incident(path, raw)
        if located is not None:
            return located
    where = _line_of(text, verdict.winner.line) if _whole(path) else None
    message = verdict.winner.line
    if where is not None and (better := _better_line(path, raw, message, verdict.winner.rule.category)
                              or _over_logged_below_error(path, raw, where, verdict.winner.rule.category)):
        where, message = better.source_line, better.message
    return Result(
        id=probe.id,
        outcome="error",
        source=probe.source,
        source_line=where,
        message=message,
        details=text,
    )


def _better_line(path: str, raw: str, decided_by: str, category: str) -> Result | None:
    """The locator's line, when it explains the rule's finding better than the line the rule decided on (pure): it
    ranks above it (locator.rank: the rule's line is a wrapper, a warning, a summary) and its own words name the
    rule's category (`Error in plot.window(...)` under an R check's `... WARNING` line that decided a run-time
    error). The category and key stay the rule's; the evidence line is the one that says what failed."""
    located = located_incident(path, raw)
    if located is None or rank(located.message) <= rank(decided_by) or is_findings_count(located.message):
        return None  # (an analyzer's `3 issues found.` is never better evidence than a finding it counts)
    if rank(decided_by) == 0 and rank(located.message) >= NAMED_RANK:
        # The rule decided on a line that explains nothing itself (a summary: `> Build failed because of webpack
        # errors`; a table's border): a diagnostic or a line whose words name a cause is the better evidence.
        return located
    named = name_line(located.message)
    return located if named is not None and named.category == category else None


def _over_logged_below_error(path: str, raw: str, where: int, category: str) -> Result | None:
    """The locator's line, when the rule decided on an exception a logger recorded below the error level (a WARN
    record's `Unable to close ApplicationContext` and the NullPointerException under it, locator.locate) and the
    located line names the rule's category: the application went on from the logged one (pure)."""
    lines = [(n, clean_line(line).text) for n, line in enumerate(raw.split("\n"), 1)]
    if not any(below for n, _, below in with_records_below_error(lines) if n == where):
        return None
    located = located_incident(path, raw)
    named = None if located is None else name_line(located.message)
    return located if named is not None and named.category == category else None


def _line_of(text: str, decided_by: str) -> int | None:
    """The 1-based line of `text` holding the line that decided the rule: the finding's evidence line."""
    if not decided_by:
        return None
    for number, raw in enumerate(text.split("\n"), 1):
        if decided_by in raw or decided_by in clean_line(raw).text:
            return number
    return None


def located_incident(path: str, text: str, first_line: int = 1) -> Result | None:
    """The excerpt as one failing incident on the line that best explains it, if any line looks like
    an error (pure); `first_line` numbers the text's first line."""
    lines = [(n, clean_line(raw).text) for n, raw in _before_cleanup(enumerate(text.split("\n"), first_line))]
    # What the job's post actions print (Jenkins' `Declarative: Post Actions`: a notification's `Pipeline failed!`, a
    # clean-up) came after the failure: a line before them explains it, when one does.
    start, end = _aftermath([line for _, line in lines])
    found = locate(lines[:start] + lines[end:]) or locate(lines[start:end])
    if found is None:
        return None
    number, line = found
    return Result(
        id=f"log:{Path(path).stem}:excerpt",
        outcome="error",
        source=Source(path, "log"), source_line=number,
        message=line.strip(),
        details=without_recovered_warnings(text),
    )


# Where a GitHub Actions job's post-job cleanup starts: what its steps print (`fatal: No url found for submodule
# path ...` from checkout's cleanup) is not the job's failure.
_CLEANUP = ("Post job cleanup.", "##[group]Post ")
# Where a Jenkins declarative pipeline's post actions start (`post { failure { ... } }`), after every stage.
_POST_ACTIONS = "[Pipeline] { (Declarative: Post Actions)"
_PIPELINE_END = "[Pipeline] End of Pipeline"


def _before_cleanup(lines: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    for number, raw in lines:
        if any(mark in raw for mark in _CLEANUP):
            return
        yield number, raw


# How far above a wrapper line the line a rule decided on is looked for.
CAUSE_REACH = 80


def _only_a_wrapper(r: Result) -> bool:
    if r.source.kind != "log" or r.source_line is None:  # a report's test (most results): no line to cut
        return False
    line = r.message.strip().split("\n", 1)[0]
    return is_wrapper_line(line) or is_job_verdict(line) or is_summary_line(line)


def pointed_at_cause(r: Result, lines: Sequence[str], rules: RuleSet) -> Result:
    """A log result whose line is a wrapper (`exit code 1`, `ERROR: Job failed`) or a tool's summary (`Some tests did
    not pass`) moved to the line above it that a rule recognises as the cause, when its quoted lines hold one (pure):
    a finding's evidence line is the explaining line, not the wrapper. `lines` are the file's lines, the first being
    line 1."""
    if names_a_signal(r.message):
        return r  # `Error 139`, `exit code 137`: the wrapper names the cause itself
    winner = evaluate(rules, Evidence.of(r)).winner
    if winner is None or winner.rule.wrapper or not winner.line.strip() or is_wrapper_line(winner.line):
        return r
    if is_summary_line(winner.line):
        return r  # the rule decided on the summary itself: no line above is better evidence
    assert r.source_line is not None
    decided_by = winner.line.strip()
    for number in range(min(r.source_line - 1, len(lines)), max(0, r.source_line - 1 - CAUSE_REACH), -1):
        raw = lines[number - 1]
        if decided_by in raw or decided_by in clean_line(raw).text:
            moved = replace(r, source_line=number, message=decided_by)
            again = evaluate(rules, Evidence.of(moved)).winner
            return moved if again is not None and again.rule.id == winner.rule.id else r
    return r


def _with_retry_verdicts(ing: Ingested) -> Ingested:
    """The failures a runner's closing retry verdict rules on (gardener.retry_verdicts), in the logs that have one, and
    those whose test the log shows passing further down (gardener.passed_later)."""
    results = _retried(ing.results)
    return ing if results is ing.results else replace(ing, results=results)


def _retried(results: tuple[Result, ...], suites_only: bool = False) -> tuple[Result, ...]:
    """`results` with the log failures a closing retry verdict or a later pass of their test makes flaky
    (`suites_only`: only a Ginkgo suite's closing verdict)."""
    for path in sorted({r.source.path for r in results if r.is_failing and r.source.kind == "log"}):
        first = 1 if _whole(path) else _tail_first_line(path)
        if first is None:
            continue
        text = as_plain_text(_read_tail(path))
        found = retry_verdicts(text, first)
        if suites_only:
            results = apply_retry_verdicts(results, path, tuple(v for v in found if v.prop == SUITE_VERDICT))
            continue
        results = apply_retry_verdicts(results, path, found)
        results = apply_passed_later(results, path, passes_after_failing(text, first))
    return results


def _read_tail(path: str) -> str:
    try:
        with open(path, "rb") as fh:
            fh.seek(0, 2)
            size = fh.tell()
            fh.seek(max(0, size - MAX_EXCERPT_BYTES))
            return fh.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


def _tail_first_line(path: str) -> int | None:
    """The file's line number of the first (maybe partial) line `_read_tail` returns: one more than the newlines
    before the tail, counted a chunk at a time; None when the file cannot be read."""
    try:
        with open(path, "rb") as fh:
            skipped = max(0, fh.seek(0, 2) - MAX_EXCERPT_BYTES)
            fh.seek(0)
            newlines = 0
            while skipped > 0 and (chunk := fh.read(min(1 << 20, skipped))):
                newlines += chunk.count(b"\n")
                skipped -= len(chunk)
    except OSError:
        return None
    return newlines + 1


def _whole(path: str) -> bool:
    """The tail read is the whole file, so its line numbers are the file's."""
    try:
        return Path(path).stat().st_size <= MAX_EXCERPT_BYTES
    except OSError:
        return False


_JOB_END = ("Cleaning up orphan processes", "Post job cleanup.")
GREEN = ("SUCCESS", "SUCCESS WITH WARNINGS")


def green_job_log(text: str, steps: Sequence[LogStep]) -> bool:
    """A GitHub Actions job's whole log that ran to its end with every step green and no error marker (pure):
    not an excerpt someone pasted to have explained, so nothing in it is offered to the rules as a failure."""
    return bool(steps) and all(s.status in GREEN for s in steps) and "##[error]" not in text and any(
        end in text for end in _JOB_END)


def _offer_whole(error: str | None, kind: str | None, has_failure: bool) -> bool:
    if error is not None:
        return not any(reason in error for reason in _UNREADABLE)
    return kind in TEXT_KINDS and not has_failure


def ingest_for_classify(paths: Sequence[str], rules: RuleSet, kind: str = "auto") -> Ingested:
    """Ingest the PATHs; a text file with no failing result is offered whole to the rules.

    A file the readers rejected only for its format (no recognised report in it) is read as an
    excerpt when a rule recognises a failure in it, and is then no longer reported as rejected.
    """
    ing = _with_retry_verdicts(ingest(paths, kind))
    failing_sources = {
        r.source.path for r in ing.results if (r.is_failing and r.error_type != STAND_IN) or r.outcome == "flaky"
    }
    any_failing = {r.source.path for r in ing.results if r.is_failing}
    files = list(ing.files)
    extra: list[Result] = []
    replaced: set[str] = set()
    for i, f in enumerate(ing.files):
        if not _offer_whole(f.error, f.kind, f.path in failing_sources):
            continue
        text = as_plain_text(_read_tail(f.path))
        if f.error is None and green_job_log(text, [s for s in ing.steps if s.path == f.path]):
            continue  # a whole job's log that says it passed: its `Failed: 0` is not a failure
        # What the steps the runner went on from printed explains nothing, nor does a mailed report's header block.
        text = without_mail_headers(without_passed_steps(text))
        incident = excerpt_incident(f.path, text, rules)
        if incident is None and f.error is None and f.path not in any_failing:
            # A failure no rule knows: still shown, on its line (in a log longer than the tail read, numbered from
            # the tail's place in the file).
            first = 1 if _whole(f.path) else _tail_first_line(f.path)
            incident = None if first is None else located_incident(f.path, text, first)
        if incident is None:
            continue
        extra.append(incident)
        replaced.add(f.path)
        if f.error is not None:
            files[i] = replace(f, kind="log", counts=Counts(cases=1, errors=1), error=None, partial=True)
    kept = tuple(r for r in ing.results if not (r.error_type == STAND_IN and r.source.path in replaced))
    lines_of = _lines_reader()
    if any(r.is_failing and _only_a_wrapper(r) for r in kept):
        kept = _causes_over_wrappers(kept, rules, lines_of)
    kept = _located_over_unexplained(kept, rules)
    kept = _buildkit_outputs(kept, rules, lines_of)
    kept = _block_causes(kept, lines_of)
    kept = _deciding_lines(kept, rules, lines_of)
    # An incident read from a whole excerpt (Ginkgo's `Summarizing 1 Failure:`) is a log failure too: a Ginkgo suite's
    # closing verdict below it rules on it; and a rule may decide it on the wrapper opening Gradle's stack.
    results = _gradle_causes(kept + _retried(tuple(extra), suites_only=True), lines_of)
    return Ingested(files=tuple(files), results=results, steps=ing.steps)


LinesOf = Callable[[str], list[str]]


def _lines_reader() -> LinesOf:
    """A log's plain-text lines by its path, each file read once for all the passes below."""
    texts: dict[str, list[str]] = {}

    def lines_of(path: str) -> list[str]:
        if path not in texts:
            texts[path] = as_plain_text(_read_tail(path)).split("\n")
        return texts[path]

    return lines_of


def _repointed(results: tuple[Result, ...], wanted: Callable[[Result], bool],
               move: Callable[[Result, list[str]], Result], lines_of: LinesOf) -> tuple[Result, ...]:
    """Every `wanted` result of a whole log moved by `move` (given the log's lines), the others as they were."""
    return tuple(move(r, lines_of(r.source.path)) if wanted(r) and _whole(r.source.path) else r for r in results)


def _buildkit_outputs(results: tuple[Result, ...], rules: RuleSet, lines_of: LinesOf) -> tuple[Result, ...]:
    """Every failing log result on BuildKit's verdict on a step pointed at the step's last output line
    (buildkit_output.py)."""
    return _repointed(results, lambda r: r.is_failing and r.source.kind == "log" and "ERROR: process" in r.message,
                      lambda r, lines: to_step_output(r, lines, rules), lines_of)


def _block_causes(results: tuple[Result, ...], lines_of: LinesOf) -> tuple[Result, ...]:
    """Every failing log incident on a failure block's header pointed at the line under it that explains it
    (block_evidence.py)."""
    return _repointed(results, lambda r: r.is_failing and r.source.kind == "log" and r.error_type == HEADER_KIND,
                      to_block_cause, lines_of)


def _deciding_lines(results: tuple[Result, ...], rules: RuleSet, lines_of: LinesOf) -> tuple[Result, ...]:
    """Every failing log incident's evidence line on the line under its header that the deciding rule read
    (deciding_line.py)."""
    return _repointed(results, lambda r: r.is_failing and r.source.kind == "log" and r.source_line is not None,
                      lambda r, lines: to_deciding_line(r, lines, rules), lines_of)


def _gradle_causes(results: tuple[Result, ...], lines_of: LinesOf) -> tuple[Result, ...]:
    """Every failing log result on the wrapper exception of Gradle's stack pointed at the cause Gradle's report
    states (gradle_cause.py)."""
    return _repointed(results, lambda r: r.is_failing and r.source.kind == "log" and "Exception" in r.message,
                      to_gradle_cause, lines_of)


def _causes_over_wrappers(results: tuple[Result, ...], rules: RuleSet, lines_of: LinesOf) -> tuple[Result, ...]:
    """Every failing wrapper-only log result pointed at its cause's line (pointed_at_cause)."""
    return _repointed(results, lambda r: r.is_failing and _only_a_wrapper(r),
                      lambda r, lines: pointed_at_cause(r, lines, rules), lines_of)


# A log with more failing incidents than this is read by its readers, not re-located as a whole.
_RELOCATE_MAX = 8


def _located_over_unexplained(results: tuple[Result, ...], rules: RuleSet) -> tuple[Result, ...]:
    """A whole log's failing incidents weighed against the line the locator ranks first (pure).

    When no rule names any of them (only a runner's "it failed" rule, or none), that line takes their place if it
    ranks above all of theirs (locator.rank: `aws: [ERROR]: ... Unable to locate credentials` far above a
    `Deployment failed!` the reader kept by the exit code): the explaining line is the finding's evidence, and its
    words name it (generic_rule.py). When a rule names the log's one incident on a weaker line (a check's `...
    ERROR` verdict) and the locator's line names the same category, the incident moves to it, as the rule still
    decides. Only a line
    whose words name a category counts: a summary a reader kept (`There are test failures.`) beats a vaguer line."""
    by_path: dict[str, list[Result]] = {}
    for r in results:
        if r.is_failing:
            by_path.setdefault(r.source.path, []).append(r)
    swap: dict[str, Result] = {}
    moved: dict[str, Result] = {}  # the id of an incident moved to the located line -> its moved self
    for path, failing in by_path.items():
        if len(failing) > _RELOCATE_MAX or any(r.is_test or r.source.kind != "log" for r in failing):
            continue
        if not _whole(path):
            continue
        text = without_mail_headers(without_passed_steps(as_plain_text(_read_tail(path))))
        located = located_incident(path, text)
        if located is None or located.source_line in {r.source_line for r in failing}:
            continue
        best = rank(located.message)
        ranks = [rank(r.message.strip().split("\n", 1)[0]) for r in failing]
        # Only the post actions' notices were kept (the failure is before them), or only wrappers (`ERROR: build step 2
        # ... failed`): any error line the locator finds is better, when no rule names them.
        weak = _all_in_aftermath(text, failing, located) or all(_only_a_wrapper(r) for r in failing)
        if not weak and (best < NAMED_RANK or best <= min(ranks)):
            continue
        categories = [_category_by_rules(r, rules) for r in failing]
        if weak and all(c == UNCLASSIFIED for c in categories):
            swap[path] = located
            continue
        if best < NAMED_RANK or best <= min(ranks):
            continue
        if all(c == UNCLASSIFIED for c in categories):
            if best > max(ranks):
                swap[path] = located
            continue
        named = name_line(located.message)
        if len(failing) == 1 and named is not None and categories[0] == named.category:
            # One incident only: with several, the located line may be a later one's consequence.
            r = failing[0]
            again = replace(r, source_line=located.source_line, message=located.message)
            if _category_by_rules(again, rules) == categories[0]:
                moved[r.id] = again
    if not swap and not moved:
        return results
    out = [moved.get(r.id, r) for r in results if not (r.is_failing and r.source.path in swap)]
    return (*out, *swap.values())


def _aftermath(lines: Sequence[str]) -> tuple[int, int]:
    """The 0-based [start, end) of the job's post actions among `lines`, or (len, len) (pure): from Jenkins'
    `Declarative: Post Actions` stage to its `End of Pipeline` (Jenkins' own closing `ERROR: ...` after that repeats
    the failing step's error)."""
    start = next((i for i, line in enumerate(lines) if line.strip().startswith(_POST_ACTIONS)), len(lines))
    end = next((i for i in range(start, len(lines)) if lines[i].strip().startswith(_PIPELINE_END)), len(lines))
    return start, end


def _all_in_aftermath(text: str, failing: Sequence[Result], located: Result) -> bool:
    """Every failing incident's line is in the job's post actions (a notification's `Pipeline failed!`) and the
    located line is outside them, in the log's `text` (pure)."""
    if _POST_ACTIONS not in text or located.source_line is None:
        return False
    start, end = _aftermath(text.split("\n"))
    inside = range(start + 1, end + 1)  # as 1-based line numbers
    return located.source_line not in inside and all(r.source_line in inside for r in failing)


def _category_by_rules(r: Result, rules: RuleSet) -> str:
    winner = evaluate(rules, Evidence.of(r)).winner
    return UNCLASSIFIED if winner is None else winner.rule.category
