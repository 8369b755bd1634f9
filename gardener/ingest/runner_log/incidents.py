"""Finding incidents in a log stream: anchor lines, grouped into one incident per failure.

One failure often prints several anchor lines: a wrapper (`Docker command failed`) around
the cause (`Failed to build images: ...`), a block of `npm ERR!` lines, a traceback. Those
become one incident whose message is the most specific line. Lines of the same shape about
different things (a denied pull for each of four images) stay separate incidents: grouping
across causes is the clustering stage's job.
"""

from __future__ import annotations

from datetime import datetime

from gardener import regex as re
from gardener.ingest.excerpt import Excerpt
from gardener.ingest.runner_log.anchors import (
    FINDER_HINTS,
    GENERIC,
    SPECIFIC,
    WRAPPER,
    Anchor,
    Rule,
    continues_stack,
    match_anchor,
)
from gardener.ingest.runner_log.gitlab import is_runner_phase
from gardener.ingest.runner_log.grouping import (
    JOIN_GAP,
    SIGNAL_WRAPPERS,
    Incident,
    belongs,
    error_type_of,
    is_part,
    mask,
    one_line,
    upgrade,
)
from gardener.ingest.runner_log.locator import goes_on, is_job_verdict, is_summary_line, locate, names_a_signal
from gardener.ingest.runner_log.recent import Recent
from gardener.ingest.runner_log.tracebacks import (
    BROKEN,
    CHAIN_LINES,
    DONE,
    HEADER,
    MORE,
    Traceback,
    starts_traceback,
)
from gardener.text import CleanLine

AFTER = 12  # lines kept after the last line that joined an incident
STACK_GAP = 2  # a stack line this close to an incident continues its exception
CONTEXT = 20
# How far back a wrapper that anchored alone looks for the line that explains it, within its own step: a failing
# step often prints a summary, a coverage table or an upload after its failure and before the wrapper.
WRAPPER_REACH = 150
# The lines kept around that line when it is further back than CONTEXT (before it, after it).
AROUND = (15, 8)
MAX_INCIDENTS = 1000  # past this a log is noise; further anchors are counted, not kept
TRACEBACK_RULE = Rule("traceback", re.lazy(""), SPECIFIC)
TRACEBACK_ANCHOR = Anchor(TRACEBACK_RULE, "", "")
# An error line inside a subprocess's output that pip or a build tool wraps.
_INNER_ERROR = re.lazy(r"^\s+(?:Error|ERROR|error|fatal error)(?:\[\w+\])?:\s*\S")


class IncidentFinder:
    """Feed clean lines in order; `finish()` returns the incidents.

    `recent`, when given, is the caller's record of the log's last lines (every line, fed or passed
    over by the prefilter), read as this finder's context; without it the finder keeps its own.
    """

    # Every line that can anchor, start a traceback or start a stack is among these (prefilter.py).
    HINTS = (*FINDER_HINTS, re.escape(HEADER))

    def __init__(self, recent: Recent | None = None) -> None:
        self.incidents: list[Incident] = []
        self._own_context = recent is None
        self._context = Recent(WRAPPER_REACH) if recent is None else recent
        self._fed = 0  # the last line fed
        self._tracebacks: dict[str, Traceback] = {}
        self.overflow = 0
        self._step = ""
        self._step_start = 0  # the first line of the current CI step
        self._work_start = 0  # the first line of the last step that ran the job's own commands
        self._work_end = 0  # and the first line after it (the runner's housekeeping starts there)

    def overflow_note(self) -> str | None:
        if not self.overflow:
            return None
        return f"more than {MAX_INCIDENTS} incidents; {self.overflow} further anchor line(s) not kept"

    @property
    def _current(self) -> Incident | None:
        return self.incidents[-1] if self.incidents else None

    def idle(self) -> bool:
        """Nothing open that a plain line could join: no traceback, no incident still taking lines."""
        cur = self._current
        return not self._tracebacks and (cur is None or self._fed + 1 > cur.last_line + AFTER)

    def _remember(self, number: int, text: str) -> None:
        if self._own_context:
            self._context.append(number, text)

    def feed(self, number: int, line: CleanLine, stamp: datetime | None, step: str, may_anchor: bool = True) -> None:
        """`may_anchor=False` for a line a test runner's reader took as a test's evidence: context only."""
        text = line.text
        self._fed = number
        if step != self._step:
            if self._step and not is_runner_phase(self._step):
                self._work_start, self._work_end = self._step_start, number
            self._step, self._step_start = step, number
        if not may_anchor:
            self._follow_in(step, number, text)
            self._remember(number, text)
            return
        tb = self._tracebacks.get(line.stream)
        if tb is not None:
            state = tb.feed(number, text)
            if state == MORE:
                self._follow(number, text, extend=tb.chained)
                self._remember(number, text)
                return
            del self._tracebacks[line.stream]
            self._end_traceback(tb, state, number, stamp, line.stream, step)
            if state == DONE:
                self._remember(number, text)
                return
        if starts_traceback(text):
            tb = Traceback.begin(number, text, self._context.last(3))
            cur = self._current
            tb.chained = cur is not None and cur.chain_until >= number
            self._tracebacks[line.stream] = tb
            self._follow(number, text, extend=tb.chained)
        elif self._continues_stack(number, text, step):
            self._follow(number, text, extend=True)  # a frame or `Caused by:` of the exception above
        elif (anchor := match_anchor(text, line.marker)) is not None:
            self._anchor(number, text, anchor, stamp, line.stream, step)
        else:
            self._follow_in(step, number, text)
            cur = self._current
            if cur and cur.kind == "traceback" and text.strip() in CHAIN_LINES and number - cur.last_line <= 3:
                cur.chain_until = number + 3
        self._remember(number, text)

    def _continues_stack(self, number: int, text: str, step: str) -> bool:
        cur = self._current
        return (
            cur is not None and cur.step == step and number - cur.last_line <= STACK_GAP and continues_stack(text)
        )

    def _follow_in(self, step: str, number: int, text: str) -> None:
        """A plain line of `step`: the next CI step's output is not part of an earlier step's incident."""
        cur = self._current
        if cur is not None and cur.step == step:
            self._follow(number, text)

    def _follow(self, number: int, text: str, extend: bool = False) -> None:
        """A plain line: part of the current incident's excerpt while it is still open."""
        cur = self._current
        if cur is None:
            return
        if extend:
            cur.last_line = number  # a chained traceback keeps its incident open
        if number > cur.last_line + AFTER:
            return
        cur.excerpt.add(text, number)
        if cur.wants_detail and text.strip():
            if cur.moves_to_detail:  # the header only said where: this line is the failure
                cur.message, cur.line, cur.moves_to_detail = one_line(text), number, False
            else:
                cur.message = f"{cur.message}: {one_line(text)}"
            cur.wants_detail = False
        elif cur.inner_cause and cur.rank < SPECIFIC and _INNER_ERROR.match(text):
            cur.message, cur.line, cur.rank, cur.inner_cause = one_line(text), number, SPECIFIC, False

    def _anchor(self, number: int, text: str, anchor: Anchor, stamp: datetime | None, stream: str, step: str) -> None:
        rule, key = anchor.rule, mask(anchor.matched)
        cur = self._current
        if cur is not None and cur.wants_detail and number - cur.last_line <= 4:
            self._follow(number, text)  # the line that says what the `●` header is about
            return
        if cur is not None and belongs(cur, anchor, key, number - cur.last_line, cur.step == step):
            cur.excerpt.add(text, number)
            cur.last_line = number
            cur.keys.add(key)
            if step and step != cur.step and step not in cur.later_steps:
                cur.later_steps.append(step)  # the same failure printed again by the next step
            if rule.kind not in cur.kinds:
                cur.kinds.append(rule.kind)
            if cur.kind in rule.explains:  # the cause of the failure above: the failure keeps its name
                upgrade(cur, number, text, rule, anchor.subject or cur.subject, stamp)
            elif (rule.rank > cur.rank and not cur.standalone) or is_part(cur, anchor):
                upgrade(cur, number, text, rule, anchor.subject, stamp)
            if rule.kind == cur.kind:  # `Failed building wheel for x` names what the block was about
                cur.subject = cur.subject or anchor.subject
            return
        self._open(number, text, rule, anchor.subject, key, stamp, stream, step)

    def _open(
        self,
        number: int,
        text: str,
        rule: Rule,
        subject: str,
        key: str,
        stamp: datetime | None,
        stream: str,
        step: str,
        excerpt: Excerpt | None = None,
    ) -> Incident | None:
        if len(self.incidents) >= MAX_INCIDENTS:
            self.overflow += 1
            return None
        located = None
        if excerpt is None:
            excerpt = Excerpt()
            context = [(n, t) for n, t in self._context_for(rule, text) if not goes_on(t)]
            if rule.rank == WRAPPER and not names_a_signal(text):  # nothing anchored above: what explains it
                located = locate(context, first=is_summary_line(text))
                if located is not None:
                    context = _around(context, located[0])
            for n, t in context:
                excerpt.add(t, n)
            excerpt.add(text, number)
        incident = Incident(
            kind=rule.kind,
            error_type=error_type_of(rule, subject),
            rank=rule.rank,
            line=number,
            message=one_line(text),
            subject=subject,
            timestamp=stamp,
            stream=stream,
            step=step,
            standalone=rule.standalone,
            excerpt=excerpt,
            last_line=number,
            kinds=[rule.kind],
            keys={key},
            wants_detail=rule.detail_next or rule.header,
            moves_to_detail=rule.header,
            inner_cause=rule.inner_cause,
            absorbs=rule.absorbs,
        )
        if located is not None:
            incident.line, incident.message = located[0], one_line(located[1])
        if rule.standalone:
            incident.follows = [
                i for i, x in enumerate(self.incidents) if not x.standalone and x.last_line >= number - JOIN_GAP
            ]
        self.incidents.append(incident)
        return incident

    def _context_for(self, rule: Rule, text: str) -> list[tuple[int, str]]:
        """The lines kept before a new incident's anchor. A wrapper that opens an incident of its own
        (`exit code 1` with no error anchored above it) keeps its step's recent lines (up to WRAPPER_REACH): no
        line there looked like an error, so the cause, if it is shown, is in one of them. A runner's verdict
        on the whole job comes after the last step's housekeeping (its own "step" holds none of the
        job's output): when nothing there explains it, it keeps the recent lines since the last step that
        ran the job's own commands (never an earlier step's: those passed)."""
        if rule.rank == WRAPPER and rule.kind not in SIGNAL_WRAPPERS:  # a kill's wrapper says itself how it died
            recent = self._context.last(WRAPPER_REACH)
            own = [(n, t) for n, t in recent if n >= self._step_start]
            if is_job_verdict(text) and locate(own) is None and self._work_start < self._step_start:
                # The job's own commands, not the housekeeping after them (GitLab's `upload_artifacts_on_failure`:
                # `ERROR: No files to upload` says the failed command wrote no report, not why it failed).
                end = self._work_end if self._work_end > self._work_start else self._step_start
                return [(n, t) for n, t in recent if self._work_start <= n < end]
            return own
        return self._context.last(rule.before)

    def _end_traceback(
        self, tb: Traceback, state: str, number: int, stamp: datetime | None, stream: str, step: str
    ) -> None:
        cur = self._current
        if state == BROKEN:  # no exception line: keep what was seen, less surely
            rule = Rule("traceback", TRACEBACK_RULE.pattern, GENERIC)
            incident = self._open(
                tb.start, "Traceback (most recent call last)", rule, "", "", stamp, stream, step, excerpt=tb.excerpt
            )
        elif cur is not None and (
            tb.chained or belongs(cur, TRACEBACK_ANCHOR, "", tb.start - cur.last_line, cur.step == step)
        ):
            upgrade(cur, number, tb.exception, TRACEBACK_RULE, "", stamp)
            if not tb.chained:  # the traceback is better evidence than the line it explains
                cur.excerpt = tb.excerpt
            cur.last_line = number
            incident = cur
        else:
            incident = self._open(
                number, tb.exception, TRACEBACK_RULE, "", mask(tb.exception), stamp, stream, step, excerpt=tb.excerpt
            )
        if incident is None:
            return
        incident.error_type = tb.error_type if state == DONE else "Traceback"
        incident.chain_until = 0
        if tb.frame:
            incident.file, incident.file_line = tb.frame

    def finish(self) -> list[Incident]:
        for stream, tb in list(self._tracebacks.items()):
            self._end_traceback(tb, BROKEN, tb.start, None, stream, "")
        self._tracebacks.clear()
        return self.incidents


def _around(context: list[tuple[int, str]], line: int) -> list[tuple[int, str]]:
    """The lines of `context` from AROUND[0] before `line` to AROUND[1] after it, and its last CONTEXT lines when
    `line` is among those: what a wrapper's incident quotes (the located line, not a long tail of noise)."""
    if any(n == line for n, _ in context[-CONTEXT:]):
        return context[-CONTEXT:]
    before, after = AROUND
    return [(n, t) for n, t in context if line - before <= n <= line + after]
