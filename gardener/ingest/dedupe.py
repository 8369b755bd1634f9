"""One result per failure when several inputs of the same run report it.

A test can be reported by a structured report (JUnit XML, a pytest report-log) and by the console
output of the same run (pytest, jest or surefire read from a CI log). The two are matched by test
identity, read loosely: jest's ` › ` and the `::` between describe blocks and the test count as
spaces, because a jest retry line, the console's `●` header and jest-junit's templates join them
differently.

Of two reports of one test, the one that saw more gives the evidence: a failure beats a flaky pass,
which beats a pass or a skip (jest-junit records only a retried test's last run); when they agree,
the longer details win. The structured report keeps its identity either way, so a test is named
the same with or without its console output.

A log incident has no test identity and is kept, unless its subject names a test that a result of
the run reports as failing (a go `--- FAIL: TestX` line, a jest `●` header no reader took), or it is
a failing test's console block under a header naming that test (console_copies.py): then its text
joins that test as a console copy does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from itertools import islice

from gardener.ingest.console_copies import ConsoleCopies
from gardener.ingest.runner_log.jest_lines import CONSOLE_5XX
from gardener.model import CONSOLE_ID, JOB_LOG, JOB_LOG_LINE, RUN_COUNTS, SKIPPED_MODULES, Result

# A fetched job's identity on each of its results (sources/read.py): it follows the log that is the place.
_JOB_KEYS = frozenset(("job", "job_id", "job_url", "attempt", "job_step", "step"))
_SEVERITY = {"passed": 0, "skipped": 1, "flaky": 2, "failed": 3, "error": 3}
_JEST_SEPARATOR = " › "


def identity_key(test_id: str) -> str:
    """The id as words: `f.ts::A › B::test`, `f.ts::A B::test` and `f.ts::A B test` are one test. A report
    whose classname is its file path dotted (rspec_junit_formatter: `./spec/a_spec.rb::spec.a_spec::A works`)
    names the same test as the console's `spec/a_spec.rb::A works`."""
    first, _, rest = test_id.partition("::")
    if not rest and _JEST_SEPARATOR not in first:
        return first
    if first.startswith("./"):
        first = first[2:]
    dotted = first.rpartition(".")[0].replace("/", ".") + "::"
    if len(dotted) > 2 and rest.startswith(dotted):
        rest = rest[len(dotted) :]
    words = " ".join(rest.replace("::", " ").replace(_JEST_SEPARATOR, " ").split())
    return f"{first}::{words}" if rest else " ".join(first.replace(_JEST_SEPARATOR, " ").split())


def _is_incident(r: Result) -> bool:
    return r.source.kind == "log" and r.id.startswith("log:")


def _structured(r: Result) -> bool:
    return r.source.kind != "log"


def merge(kept: Result, other: Result) -> Result:
    """The one result two reports of the same test make (pure).

    Identity (id, source, suite) comes from the structured report when there is one (of two console
    copies, the place is the one that saw more); the evidence (outcome, message, details) from the report
    that saw more: the more severe outcome, else the
    longer details (a console block carries the captured log a JUnit failure may lack). A console
    report's log is kept as the `job_log` property: the job the test ran in.
    """
    if _structured(other) and not _structured(kept):
        kept, other = other, kept
    evidence = kept
    if _SEVERITY[other.outcome] > _SEVERITY[kept.outcome] or (
        _SEVERITY[other.outcome] == _SEVERITY[kept.outcome] and len(other.details) > len(kept.details)
    ):
        evidence = other
    # The job a test ran in is the log that reported what is kept: a matrix's green platform passing the test
    # another platform's report fails is not where it failed.
    worst = max(_SEVERITY[kept.outcome], _SEVERITY[other.outcome])
    logs = [r for r in (kept, other) if r.source.kind == "log" and _SEVERITY[r.outcome] == worst]
    known = {v for k, v in kept.properties if k == JOB_LOG}
    extra = tuple((JOB_LOG, path) for path in dict.fromkeys(r.source.path for r in logs) if path not in known)
    # Two console copies (a matrix's platforms): the place is the one that saw more, where it failed.
    place = kept if _structured(kept) else evidence
    # Every failing console copy in another file than the place stays evidence: the line in its job's log (a report's
    # test is seen in the job that printed it; a test failing in two platforms' logs is seen in both).
    extra += tuple((JOB_LOG_LINE, f"{r.source.path}:{r.source_line}") for r in logs
                   if r.source_line and r.source.path != place.source.path)
    # What a console printed about the run stays known: its size, the modules the build then skipped, the 5xx answers
    # a timed-out test's file logged while it ran.
    for fact in (RUN_COUNTS, SKIPPED_MODULES, CONSOLE_5XX):
        if not any(k == fact for k, _ in kept.properties):
            extra += tuple((k, v) for k, v in other.properties if k == fact)[:1]
    base = kept.properties
    if place is not kept and place.source.kind == "log":
        # The place moved to the other console copy: the job (its name, id, step) is that log's, not the first one's.
        base = (*(p for p in kept.properties if p[0] not in _JOB_KEYS),
                *(p for p in place.properties if p[0] in _JOB_KEYS))
    return replace(
        kept,
        source=place.source,
        source_line=place.source_line,
        outcome=evidence.outcome,
        message=evidence.message or kept.message,
        error_type=evidence.error_type or kept.error_type,
        details=evidence.details or kept.details,
        file=kept.file or evidence.file,
        line=kept.line if kept.file else evidence.line,
        attempts=max(kept.attempts, other.attempts),
        timestamp=kept.timestamp or evidence.timestamp,
        properties=base + extra,
    )


def dedupe(results: Sequence[Result]) -> tuple[Result, ...]:
    """One result per test across the inputs of one run; incidents a test result covers dropped."""
    if _all_apart(results):
        return tuple(results)
    kept: dict[tuple[str, str], Result] = {}
    order: list[tuple[str, str] | int] = []
    incidents = consoles = False
    for i, r in enumerate(results):
        if _is_incident(r):
            order.append(i)
            incidents = True
            continue
        consoles = consoles or not _structured(r)
        key = (identity_key(r.id), r.variant)
        if key not in kept:
            order.append(key)
            kept[key] = r
        else:
            kept[key] = merge(kept[key], r)
    # The joins move console tests and the failing names serve incidents: a run of reports alone (100,000 JUnit
    # cases) does not pay for their indexes.
    moved = _join_rerooted(kept) | _join_unrooted(kept) if consoles else set()
    failing = _failing_names(kept.values()) if incidents else frozenset()
    copies = _console_copies(kept, order, results, failing) if incidents else set()
    out: list[Result] = []
    for k in order:
        if isinstance(k, tuple):
            if k not in moved:
                out.append(kept[k])
        elif k not in copies and not _names_failing_test(results[k], failing):
            out.append(results[k])
    return tuple(out)


def _all_apart(results: Sequence[Result]) -> bool:
    """True when dedupe has nothing to do: structured reports only (no console test, no incident) and no two of
    their results share an identity. Only the keys' hashes are held (sorted, a list of ints): a dict of every
    key, as dedupe builds, costs ~20 MiB at 100,000 results. Equal hashes (the same test twice, or a collision)
    send the run to dedupe's own pass."""
    hashes: list[int] = []
    append = hashes.append
    for r in results:
        if r.source.kind == "log":
            return False
        append(hash((identity_key(r.id), r.variant)))
    hashes.sort()
    return all(a != b for a, b in zip(hashes, islice(hashes, 1, None), strict=False))


def _console_copies(kept: dict[Key, Result], order: Sequence[Key | int], results: Sequence[Result],
                    failing: frozenset[str]) -> set[int]:
    """Merge each incident that is a failing test's console block into that test (console_copies.py);
    returns the incidents merged away. One whose subject is a failing test's very name is dropped instead."""
    incidents = [k for k in order if isinstance(k, int) and not _names_failing_test(results[k], failing)]
    if not incidents:
        return set()
    keys = {r.id: k for k, r in kept.items() if r.is_failing}
    if not keys:
        return set()
    copies = ConsoleCopies(kept[k] for k in keys.values())
    merged: set[int] = set()
    for i in incidents:
        test = copies.test_of(results[i])
        if test is not None:
            key = keys[test.id]
            kept[key] = merge(kept[key], results[i])
            merged.add(i)
    return merged


Key = tuple[str, str]


def _join_rerooted(kept: dict[Key, Result]) -> set[Key]:
    """Merge a console-only test into the one report test of the same name whose file is the same
    file seen from another root (`packages/api/src/a.test.ts` and `src/a.test.ts` in a monorepo).
    Returns the console keys merged away."""
    by_name: dict[tuple[str, str], list[Key]] = {}
    for key, r in kept.items():
        if _structured(r):
            path, _, rest = key[0].partition("::")
            by_name.setdefault((rest, key[1]), []).append(key)
    moved: set[Key] = set()
    for key, r in list(kept.items()):
        path, _, rest = key[0].partition("::")
        if _structured(r) or "/" not in path:
            continue
        twins = [k for k in by_name.get((rest, key[1]), []) if _same_file_rerooted(path, k[0].partition("::")[0])]
        if len(twins) == 1:
            kept[twins[0]] = merge(kept[twins[0]], r)
            moved.add(key)
    return moved


def _words(test_id: str) -> str:
    return " ".join(test_id.replace("::", " ").replace(_JEST_SEPARATOR, " ").split())


def _join_unrooted(kept: dict[Key, Result]) -> set[Key]:
    """Merge a console-only test named without its file (minitest's `CartTest#test_total`, read as
    `CartTest::test_total`) into the one report test that names the same class and test under a file
    (minitest-reporters' `test/models/cart_test.rb::CartTest::test_total`): the one in the file the console
    says, when it says one. Returns the console keys merged away."""
    by_words: dict[tuple[str, str], list[Key]] = {}
    for key, r in kept.items():
        path, _, rest = r.id.partition("::")
        if _structured(r) and rest and "/" in path:
            by_words.setdefault((_words(rest), key[1]), []).append(key)
    if not by_words:
        return set()
    moved: set[Key] = set()
    for key, r in list(kept.items()):
        if _structured(r) or "/" in r.id.partition("::")[0]:
            continue
        twins = by_words.get((_words(r.id), key[1]), [])
        if r.file and len(twins) > 1:
            file = r.file.replace("\\", "/").removeprefix("./")
            twins = [k for k in twins if (path := kept[k].id.partition("::")[0]) == file
                     or _same_file_rerooted(path, file)]
        if len(twins) == 1:
            joined = merge(kept[twins[0]], r)
            kept[twins[0]] = replace(joined, properties=(*joined.properties, (CONSOLE_ID, r.id)))
            moved.add(key)
    return moved


def _same_file_rerooted(a: str, b: str) -> bool:
    a, b = a.replace("\\", "/"), b.replace("\\", "/")
    return a != b and (a.endswith("/" + b) or b.endswith("/" + a))


def _failing_names(results: Iterable[Result]) -> frozenset[str]:
    """Every way a failing test may be named by a log line: its id's words, and its last part."""
    names: set[str] = set()
    for r in results:
        if r.is_failing or r.outcome == "flaky":
            _, _, words = identity_key(r.id).partition("::")
            names.update(n for n in (words, r.id.rsplit("::", 1)[-1]) if n)
    return frozenset(names)


def _names_failing_test(incident: Result, failing: frozenset[str]) -> bool:
    subject = dict(incident.properties).get("subject", "")
    return bool(subject) and " ".join(subject.replace(_JEST_SEPARATOR, " ").split()) in failing
