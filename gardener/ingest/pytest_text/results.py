"""Deciding one Result per test from everything a pytest session printed about it.

A test can be named on a `-v` line, in a FAILURES/ERRORS report and in the short summary;
reruns (pytest-rerunfailures) repeat it. The report block is the evidence (traceback, exact
exception), the summary only a truncated copy, so the block wins for message and location.
"""

from __future__ import annotations

from datetime import datetime

from gardener.ingest.pytest_text import lines as pl
from gardener.ingest.pytest_text.blocks import Block, Mention, Session
from gardener.model import Outcome, Result, Source


def session_results(session: Session, path: str, kind: str) -> list[Result]:
    """One Result per test named in the session, in first-seen order."""
    order = list(session.mentions)
    by_title: dict[str, list[str]] = {}
    for nodeid in order:
        by_title.setdefault(_title(nodeid), []).append(nodeid)
    blocks: dict[str, list[Block]] = {}
    for block in session.blocks:
        nodeid = _match(block, by_title) or _nodeid_of(block)
        if nodeid not in blocks and nodeid not in session.mentions:
            order.append(nodeid)
        blocks.setdefault(nodeid, []).append(block)
    results = [
        r
        for nodeid in order
        if (r := _decide(nodeid, session.mentions.get(nodeid, []), blocks.get(nodeid, []), path, kind))
    ]
    if not any(r.outcome == "skipped" for r in results):
        results.extend(_skip_location(entry, line, ts, path, kind) for entry, line, ts in session.skip_locations)
    return results


def _title(nodeid: str) -> str:
    """How pytest titles a report block: `a.py::Class::test[p]` → `Class.test[p]`."""
    name, variant = pl.split_nodeid(nodeid)
    parts = name.split("::")[1:] or [name]
    return ".".join(parts) + (f"[{variant}]" if variant else "")


def _match(block: Block, by_title: dict[str, list[str]]) -> str | None:
    if block.phase == "collect":
        return block.subject
    if block.crashed:  # a crashed xdist worker's report names its test in the body, not the title
        return block.crashed
    candidates = by_title.get(block.subject, [])
    if len(candidates) > 1:  # the same test name in two files: the traceback names the file
        files = [f for f, _ in block.frames] + ([block.location[0]] if block.location else [])
        for nodeid in candidates:
            module = nodeid.split("::", 1)[0]
            if any(f.replace("\\", "/").endswith(module) for f in files):
                return nodeid
    return candidates[0] if candidates else None


def _nodeid_of(block: Block) -> str:
    """A node id for a report no summary line named: test file from the traceback + title."""
    if block.phase == "collect":
        return block.subject
    title = block.subject
    name, bracket, rest = title.partition("[")
    files = [f for f, _ in block.frames] + ([block.location[0]] if block.location else [])
    tests = [f for f in files if f.replace("\\", "/").rsplit("/", 1)[-1].startswith("test")]
    module = (tests or files or [""])[0]
    nodeid = "::".join(p for p in (module, *name.split(".")) if p)
    return nodeid + bracket + rest


def _decide(nodeid: str, mentions: list[Mention], blocks: list[Block], path: str, kind: str) -> Result | None:
    words = [m.word for m in mentions]
    verbose_words = [m.word for m in mentions if m.verbose]
    reruns = (verbose_words or words).count("RERUN")
    call = next((b for b in blocks if b.phase == "call"), None)
    other = next((b for b in blocks if b.phase != "call"), None)
    outcome: Outcome
    if "FAILED" in words or call is not None:
        outcome, primary = "failed", call or other
    elif "ERROR" in words or other is not None:
        outcome, primary = "error", other
    elif "PASSED" in words or "XPASS" in words:
        outcome, primary = ("flaky" if reruns else "passed"), None
    elif "SKIPPED" in words or "XFAIL" in words:
        outcome, primary = "skipped", None
    elif reruns:  # the output stops after a rerun: the last attempt never reported
        outcome, primary = "failed", None
    else:
        return None
    said = next((m for m in mentions if not m.verbose and m.message), None)
    said = said or next((m for m in mentions if m.message), None)
    message = (primary.e_message() or primary.last_exception) if primary else ""
    message = message or (said.message if said else "")
    error_type = ""
    if primary is not None and primary.location and outcome in ("failed", "error"):
        error_type = primary.location[2].rsplit(".", 1)[-1]
    if outcome in ("failed", "error"):
        error_type = error_type or pl.exception_type(message)
    where = _where(primary)
    # The block's first `E ` line says what failed; its `____ test ____` banner only names the test.
    evidence = (primary.first_e or primary.start) if primary else _evidence_line(mentions)
    stamp = primary.timestamp if primary else next((m.timestamp for m in mentions if m.line == evidence), None)
    name, variant = pl.split_nodeid(nodeid)
    return Result(
        id=name,
        variant=variant,
        outcome=outcome,
        source=Source(path, kind), source_line=evidence,
        message=message,
        error_type=error_type,
        details=primary.excerpt.render() if primary else "",
        file=where[0] if where else None,
        line=where[1] if where else None,
        attempts=reruns + 1,
        timestamp=stamp,
    )


def _where(block: Block | None) -> tuple[str, int] | None:
    """The failing location: pytest's `file:line: Error` line, else the innermost frame."""
    if block is None:
        return None
    if block.location:
        return block.location[0], block.location[1]
    if block.e_frame:
        return block.e_frame
    return block.frames[-1] if block.frames else None


def _evidence_line(mentions: list[Mention]) -> int:
    """The summary line of a failure, else the first rerun, else the last mention."""
    for word, verbose in (("FAILED", False), ("ERROR", False), ("RERUN", True), ("RERUN", False)):
        for m in mentions:
            if m.word == word and m.verbose == verbose:
                return m.line
    return mentions[-1].line


def _skip_location(entry: pl.SummaryLine, line: int, stamp: datetime | None, path: str, kind: str) -> Result:
    """`SKIPPED [n] file:line: reason` names no test: the skip location stands for the n tests."""
    return Result(
        id=f"{entry.nodeid}:{entry.line}",
        outcome="skipped",
        source=Source(path, kind), source_line=line,
        message=entry.message,
        file=entry.nodeid,
        line=entry.line,
        timestamp=stamp,
        properties=(("count", str(entry.count)),),
    )
