"""Finding incidents in a log stream: anchor lines, grouped into one incident per failure.

One failure often prints several anchor lines: a wrapper (`Docker command failed`) around
the cause (`Failed to build images: ...`), a block of `npm ERR!` lines, a traceback. Those
become one incident whose message is the most specific line. Lines of the same shape about
different things (a denied pull for each of four images) stay separate incidents: grouping
across causes is the clustering stage's job.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime

from gardener.ingest.excerpt import Excerpt
from gardener.ingest.log_anchors import GENERIC, SPECIFIC, WRAPPER, Anchor, Rule, match_anchor
from gardener.ingest.log_traceback import BROKEN, CHAIN_LINES, DONE, MORE, Traceback, starts_traceback
from gardener.text import CleanLine

AFTER = 12  # lines kept after the last line that joined an incident
UPGRADE_GAP = 10  # a more specific line this close explains the incident just above it
JOIN_GAP = 50  # wrappers, repeats and blocks of one kind join an incident this close
CONTEXT = 20
MAX_INCIDENTS = 1000  # past this a log is noise; further anchors are counted, not kept
TRACEBACK_RULE = Rule("traceback", re.compile(""), SPECIFIC)
TRACEBACK_ANCHOR = Anchor(TRACEBACK_RULE, "", "")
_VOLATILE = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"  # UUIDs
    r"|(?:/tmp|/var/folders|/home/runner/work/_temp|[a-z]:\\users\\[^\\\s]+\\appdata\\local\\temp)[^\s'\"]*"
    r"|0x[0-9a-f]+|\b(?=[a-f]*\d)[0-9a-f]{7,}\b|\d+"
)
_SPACES = re.compile(r"\s{2,}")
# An error line inside a subprocess's output that pip or a build tool wraps.
_INNER_ERROR = re.compile(r"^\s+(?:Error|ERROR|error|fatal error)(?:\[\w+\])?:\s*\S")


def mask(text: str) -> str:
    """The shape of a line: ids, temp paths and numbers blanked, so a repeat matches despite them."""
    return _VOLATILE.sub("#", text.strip().lower())


def one_line(text: str) -> str:
    """A line as a message: trimmed, runs of spaces (column padding) made one."""
    return _SPACES.sub(" ", text.strip())


@dataclass(slots=True)
class Incident:
    kind: str
    error_type: str
    rank: int
    line: int
    message: str
    subject: str
    timestamp: datetime | None
    stream: str
    step: str
    standalone: bool
    excerpt: Excerpt
    last_line: int
    kinds: list[str]
    keys: set[str]
    file: str | None = None
    file_line: int | None = None
    wants_detail: bool = False
    inner_cause: bool = False  # the first error line in the wrapped output explains it better
    chain_until: int = 0  # a traceback chained to this one starts before this line
    follows: list[int] = field(default_factory=list)  # incidents a consequence came after
    absorbs: tuple[str, ...] = ()


class IncidentFinder:
    """Feed clean lines in order; `finish()` returns the incidents."""

    def __init__(self) -> None:
        self.incidents: list[Incident] = []
        self._context: deque[tuple[int, str]] = deque(maxlen=CONTEXT)
        self._tracebacks: dict[str, Traceback] = {}
        self.overflow = 0

    def overflow_note(self) -> str | None:
        if not self.overflow:
            return None
        return f"more than {MAX_INCIDENTS} incidents; {self.overflow} further anchor line(s) not kept"

    @property
    def _current(self) -> Incident | None:
        return self.incidents[-1] if self.incidents else None

    def feed(self, number: int, line: CleanLine, stamp: datetime | None, step: str) -> None:
        text = line.text
        tb = self._tracebacks.get(line.stream)
        if tb is not None:
            state = tb.feed(number, text)
            if state == MORE:
                self._follow(number, text, extend=tb.chained)
                self._context.append((number, text))
                return
            del self._tracebacks[line.stream]
            self._end_traceback(tb, state, number, stamp, line.stream, step)
            if state == DONE:
                self._context.append((number, text))
                return
        if starts_traceback(text):
            tb = Traceback.begin(number, text, list(self._context)[-3:])
            cur = self._current
            tb.chained = cur is not None and cur.chain_until >= number
            self._tracebacks[line.stream] = tb
            self._follow(number, text, extend=tb.chained)
        elif (anchor := match_anchor(text, line.marker)) is not None:
            self._anchor(number, text, anchor, stamp, line.stream, step)
        else:
            self._follow(number, text)
            cur = self._current
            if cur and cur.kind == "traceback" and text.strip() in CHAIN_LINES and number - cur.last_line <= 3:
                cur.chain_until = number + 3
        self._context.append((number, text))

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
        if cur is not None and _belongs(cur, anchor, key, number - cur.last_line):
            cur.excerpt.add(text, number)
            cur.last_line = number
            cur.keys.add(key)
            if rule.kind not in cur.kinds:
                cur.kinds.append(rule.kind)
            if (rule.rank > cur.rank and not cur.standalone) or _is_part(cur, anchor):
                _upgrade(cur, number, text, rule, anchor.subject, stamp)
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
        if excerpt is None:
            excerpt = Excerpt()
            for n, t in list(self._context)[-rule.before :] if rule.before else []:
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
            wants_detail=rule.detail_next,
            inner_cause=rule.inner_cause,
            absorbs=rule.absorbs,
        )
        if rule.standalone:
            incident.follows = [
                i for i, x in enumerate(self.incidents) if not x.standalone and x.last_line >= number - JOIN_GAP
            ]
        self.incidents.append(incident)
        return incident

    def _end_traceback(
        self, tb: Traceback, state: str, number: int, stamp: datetime | None, stream: str, step: str
    ) -> None:
        cur = self._current
        if state == BROKEN:  # no exception line: keep what was seen, less surely
            rule = Rule("traceback", TRACEBACK_RULE.pattern, GENERIC)
            incident = self._open(
                tb.start, "Traceback (most recent call last)", rule, "", "", stamp, stream, step, excerpt=tb.excerpt
            )
        elif cur is not None and (tb.chained or _belongs(cur, TRACEBACK_ANCHOR, "", tb.start - cur.last_line)):
            _upgrade(cur, number, tb.exception, TRACEBACK_RULE, "", stamp)
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


def error_type_of(rule: Rule, subject: str) -> str:
    """The rule's kind, or for a bare exception line (`KeyError: 'x'`) the exception's name."""
    return subject if rule.kind == "exception" and subject else rule.kind


def _is_part(cur: Incident, anchor: Anchor) -> bool:
    """A go subtest (`TestX/case`) failing inside its failing parent test `TestX`."""
    return anchor.rule.kind == cur.kind and bool(cur.subject) and anchor.subject.startswith(cur.subject + "/")


def _belongs(cur: Incident, anchor: Anchor, key: str, gap: int) -> bool:
    """Whether an anchor `gap` lines after the current incident is part of it."""
    rule = anchor.rule
    if _is_part(cur, anchor):
        return gap <= UPGRADE_GAP
    if rule.rank == WRAPPER:
        return gap <= JOIN_GAP
    if rule.standalone or cur.standalone:
        return rule.standalone and cur.standalone and gap <= JOIN_GAP
    if (key and key in cur.keys) or (rule.joins and rule.kind in cur.kinds) or rule.kind in cur.absorbs:
        return gap <= JOIN_GAP
    if rule.rank > cur.rank or (rule.rank == GENERIC and cur.rank == SPECIFIC):
        return gap <= UPGRADE_GAP
    return False


def _upgrade(cur: Incident, number: int, text: str, rule: Rule, subject: str, stamp: datetime | None) -> None:
    """The incident is now explained by a more specific line: it becomes the anchor."""
    cur.kind = rule.kind
    cur.error_type = error_type_of(rule, subject)
    cur.rank = rule.rank
    cur.line = number
    cur.message = one_line(text)
    cur.subject = subject
    cur.timestamp = stamp or cur.timestamp
    cur.wants_detail = rule.detail_next
    cur.absorbs = rule.absorbs
