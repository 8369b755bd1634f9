"""What makes log lines one incident: the incident record and the pure decisions about joining it.

An anchor joins the incident just above it when it is a wrapper of it (`Process completed with
exit code 1` after the cause), its cause (a go `panic:` right after the `--- FAIL:` of the test it
failed), a repeat of it, the next line of one block (`npm ERR!`), a more
specific line explaining it (`Failed to build images: ...` after `Docker command failed`), a
generic line elaborating it, or a failing go subtest inside its failing parent test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from gardener import regex as re
from gardener.ingest.excerpt import Excerpt
from gardener.ingest.runner_log.anchors import GENERIC, SPECIFIC, WRAPPER, Anchor, Rule

UPGRADE_GAP = 10  # a more specific line this close explains the incident just above it
EXPLAINS_GAP = 1  # a cause printed this close after the failure it caused (go's `--- FAIL:`, then `panic:`)
JOIN_GAP = 50  # wrappers, repeats and blocks of one kind join an incident this close
# The wrappers that name the signal their process died of (anchors' exit 137 and 139 rules): a kill says how that
# process died, not that the failure above it failed (Gradle's killed `:service:test` executor after `:api:test`'s
# failed assertion). It joins only an incident that kills (an OOM record, a crash, the runner shut down or
# cancelled, a time limit).
SIGNAL_WRAPPERS = frozenset({"oom-killed", "crash"})
_KILLS = frozenset({"oom-killed", "out-of-memory", "crash", "runner-shutdown", "timeout", "cancelled"})
_VOLATILE = re.lazy(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"  # UUIDs
    r"|(?:/tmp|/var/folders|/home/runner/work/_temp|[a-z]:\\users\\[^\\\s]+\\appdata\\local\\temp)[^\s'\"]*"
    r"|0x[0-9a-f]+|(?P<hex>\b[0-9a-f]*\d[0-9a-f]*\b)|\d+"
)
_DIGITS = re.lazy(r"\d+")


def _blank(m: re.Match[str]) -> str:
    # A hex word of 7+ with a digit is an id (blanked whole); a shorter one only loses its digits.
    word = m.group("hex")
    return "#" if word is None or len(word) >= 7 else _DIGITS.sub("#", word)


_SPACES = re.lazy(r"\s{2,}")


def mask(text: str) -> str:
    """The shape of a line: ids, temp paths and numbers blanked, so a repeat matches despite them."""
    return _VOLATILE.sub(_blank, text.strip().lower())


def one_line(text: str) -> str:
    """A line as a message: trimmed, runs of spaces (column padding) made one."""
    return _SPACES.sub(" ", text.strip())


@dataclass(slots=True)
class Incident:
    """One failure seen in a log while it is being read (mutable until the log ends).

    `line`/`message` are the most specific anchor so far; `last_line` is the last line that joined.
    """

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
    moves_to_detail: bool = False  # the anchor is a header: the detail line becomes the incident's line
    inner_cause: bool = False  # the first error line in the wrapped output explains it better
    chain_until: int = 0  # a traceback chained to this one starts before this line
    follows: list[int] = field(default_factory=list)  # incidents a consequence came after
    absorbs: tuple[str, ...] = ()
    later_steps: list[str] = field(default_factory=list)  # later steps whose lines joined it (a repeat)


def error_type_of(rule: Rule, subject: str) -> str:
    """The rule's kind, or for a bare exception line (`KeyError: 'x'`) the exception's name."""
    return subject if rule.kind == "exception" and subject else rule.kind


def is_part(cur: Incident, anchor: Anchor) -> bool:
    """A go subtest (`TestX/case`) failing inside its failing parent test `TestX`."""
    return anchor.rule.kind == cur.kind and bool(cur.subject) and anchor.subject.startswith(cur.subject + "/")


def belongs(cur: Incident, anchor: Anchor, key: str, gap: int, same_step: bool = True) -> bool:
    """Whether an anchor `gap` lines after the current incident is part of it.

    A more specific line only explains an incident of its own CI step: the next step's error is
    about that step.
    """
    rule = anchor.rule
    if is_part(cur, anchor):
        return gap <= UPGRADE_GAP
    if rule.rank == WRAPPER:
        if rule.kind in SIGNAL_WRAPPERS and _KILLS.isdisjoint(cur.kinds) and rule.kind not in cur.absorbs:
            return False
        return gap <= JOIN_GAP
    if cur.kind in rule.explains:  # right after the failure line, before anything else joined it
        return gap <= EXPLAINS_GAP and cur.last_line == cur.line and same_step
    if rule.standalone or cur.standalone:
        return rule.standalone and cur.standalone and gap <= JOIN_GAP
    if (key and key in cur.keys) or (rule.joins and rule.kind in cur.kinds) or rule.kind in cur.absorbs:
        return gap <= JOIN_GAP
    if rule.rank > cur.rank or (rule.rank == GENERIC and cur.rank == SPECIFIC):
        return gap <= UPGRADE_GAP and same_step
    return False


def upgrade(cur: Incident, number: int, text: str, rule: Rule, subject: str, stamp: datetime | None) -> None:
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
