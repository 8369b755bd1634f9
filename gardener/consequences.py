"""Consequences within a job: what a failed install, build or full disk explains later in the same job.

A step that fails to install or build leaves things missing, and the job's later steps fail on
them: a module that was never installed, a command that was never put on the PATH, a build output
that was never written (each kind of cause by what it leaves missing: an install its modules and
commands, a compile its outputs and binaries, an image build its images). Those failures are not
root causes of their own; a failure the rules name as a defect of the code itself (an import path that
is wrong) never is a consequence. After a runner ran out of
disk, every later write or missing file of that job is its consequence too, and so is the same shortage
reported again (the runner's own `You are running out of disk space`) (a test that times out,
or a runner shut down, later in the same job is not: those are causes of their own). Each such later
finding is linked as blocked by the cause (one edge, with the reason in words), so it is never shown
or filed as an independent root cause.

A wait for a service's readiness that times out (`wait-on`, `wait-for-it`, a health-check loop) in a job
whose tests are refused at the address it waited for is that refusal seen from outside: the wait is
linked as blocked by the refusal finding, whichever line comes first (the service never came up).

A failure whose words refer to another of the job without naming it (REFERS_BACK) is linked as blocked by that
failure in the same job, whichever line comes first: a test framework refusing to try again what already failed
(Spring's TestContext, once a context failed to load: `ApplicationContext failure threshold (1) exceeded: skipping
repeated attempt to load context`), a WebDriver command to a session that is gone (`invalid session id`) after the
browser crashed (`session deleted because of page crash`), a wait for Kubernetes workloads that timed out (Helm's
`INSTALLATION FAILED: context deadline exceeded`) while kubelet could not start their pods (`Failed to pull image`,
`CrashLoopBackOff`, printed by a dump step after the wait), Testcontainers' `Could not find a valid Docker environment`
after the strategy it logged was denied the Docker socket (`Permission denied`).

Findings come back blockers first: a finding never precedes one that blocks it (directly or through a
chain), and otherwise the order they came in is kept, so the first finding is always a root cause.

"The same job" is one runner log (or one job the source names), and "later" is a later line of it:
findings of other jobs, and failures printed before the cause, are never folded, but for one case the jobs' steps
decide: a tool missing from the tree a package manager installs (`vendor/bin/phpunit`) in a job that ran no such
install itself, after that install failed in a job that started earlier (installed_tools.py). Pure: findings and
edges in, findings and edges out; the edges correlation already drew are kept, and an edge that would
close a cycle is not added.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial

from gardener import regex as re
from gardener.correlate import reaches
from gardener.evidence_refs import job_of
from gardener.installed_tools import tools_an_install_left_out
from gardener.model import Edge, Finding, LogStep, Result
from gardener.outage_timeouts import timeouts_on_outage
from gardener.rules.endpoints import canonical_host

# Failures that leave things missing for the rest of the job.
LEAVES_THINGS_MISSING = frozenset({"dependency-install-failure", "compile-error", "docker-build-failure"})
# After this, everything later in the job is suspect.
STOPS_THE_RUNNER = frozenset({"disk-full"})
# What each kind of cause leaves missing for later steps, as those steps report it.
_MODULES = (
    r"ModuleNotFoundError|No module named|Cannot find (?:module|package)|ERR_MODULE_NOT_FOUND"
    r"|cannot load such file|LoadError|cannot open shared object file|\bnot installed\b"
)
_COMMANDS = (
    r"\bcommand not found\b|: not found$|is not recognized as an internal or external command"
    r"|executable file not found"
)
_OUTPUTS = (
    r"No such file or directory|\bENOENT\b|Could not find a production build|Could not find or load main class"
    r"|ClassNotFoundException|NoClassDefFoundError|Missing script:|does not exist"
)
_IMAGES = r"Unable to find image|No such image|No such container|image [^\n]* not found|is not running"
MISSING = {
    "dependency-install-failure": re.lazy(f"(?i){_MODULES}|{_COMMANDS}", re.MULTILINE),
    "compile-error": re.lazy(f"(?i){_OUTPUTS}|{_COMMANDS}|{_MODULES}", re.MULTILINE),
    "docker-build-failure": re.lazy(f"(?i){_IMAGES}|{_COMMANDS}", re.MULTILINE),
    "disk-full": re.lazy(f"(?i){_OUTPUTS}|{_MODULES}", re.MULTILINE),
}
# Rules that name a defect in the code itself (an import path that is wrong, a name that is not there):
# whatever failed before, these are root causes of their own.
OWN_DEFECT_RULES = frozenset({"collect.submodule-not-found", "collect.cannot-import-name"})


# What a full disk makes fail later: writes, and files that could not be written (MISSING above). A test
# that times out or a runner shut down later in the same job is a cause of its own.
WRITE_FAILED = re.lazy(
    r"(?i)\b(?:OSError|IOError|EIO|EROFS|EDQUOT)\b|\bwrite (?:error|failed)\b|cannot (?:create|write)"
    r"|failed to (?:write|copy|register layer|extract)|Read-only file system|database or disk is full"
)


def _places(f: Finding) -> dict[str, int]:
    """The job each finding was seen in, with the first line it was seen at there."""
    out: dict[str, int] = {}
    for r in f.results:
        job = job_of(r)
        if job is None or r.source_line is None:
            continue
        key = f"{r.source.path}\0{job}"
        out[key] = min(out.get(key, r.source_line), r.source_line)
    return out


def _text(results: Sequence[Result]) -> str:
    return "\n".join(f"{r.error_type}: {r.message}\n{r.details}" for r in results[:20])


# A missing tool is filed as an install failure of its own, unless a failed install above explains it.
MISSING_TOOL_RULES = frozenset({"deps.toolchain-missing"})
# A package manager reporting that the local install lacks a package (bundler's `Could not find gem 'x' in
# locally installed gems`, mix's `the dependency is not available, run "mix deps.get"`, npm's `missing:`,
# yarn's `doesn't seem to have been installed`, pkg_resources' `DistributionNotFound`): it tried to install
# nothing, it reads what an install left. After a failed install of the same job, that is its consequence.
NOT_INSTALLED = re.lazy(
    r"(?i)\bin locally installed gems\b|\binstall missing gems\b|\bdependenc(?:y|ies) (?:is|are) not available\b"
    r"|\bUnchecked dependencies\b|^npm (?:ERR!|error) missing: |\bUNMET (?:PEER )?DEPENDENCY\b"
    r"|doesn't seem to have been installed|\bDistributionNotFound\b|\bnode_modules (?:is )?missing\b",
    re.MULTILINE,
)


def _explains(cause: Finding, later: Finding, texts: dict[str, str]) -> bool:
    text = texts.get(later.id)
    if text is None:
        text = texts[later.id] = _text(later.results)
    if cause.category in STOPS_THE_RUNNER and later.category == cause.category:
        return True  # the same shortage seen again later in the job (the runner's own low-disk warning)
    if later.category in LEAVES_THINGS_MISSING | STOPS_THE_RUNNER and later.rule_id not in MISSING_TOOL_RULES:
        # A cause of its own kind is its own root cause, unless it only reads what a failed install left.
        return cause.category == "dependency-install-failure" and bool(NOT_INSTALLED.search(text))
    if later.rule_id in OWN_DEFECT_RULES:
        return False
    if cause.category in STOPS_THE_RUNNER and WRITE_FAILED.search(text):
        return True
    return later.rule_id.startswith("generic.") or bool(MISSING[cause.category].search(text))


# The address a readiness wait was waiting for: `waiting for http://localhost:8080/healthz`, wait-on's
# `Timed out waiting for: http://localhost:3000`, wait-for-it's `waiting 60 seconds for db:5432`, dockerize's
# `waiting on dependencies to become available: [tcp://db:5432]`.
_WAITED_FOR = re.lazy(
    r"(?i)\bwait(?:ing|ed)?\b[^\n]{0,80}?(?:(?:https?|tcp)://|\bfor:? )(?P<host>[a-z0-9][\w.-]*):(?P<port>\d{2,5})\b"
)


def _endpoints(f: Finding) -> set[tuple[str, str]]:
    """The (host, port) pairs a finding's rule captured, the host canonical (`127.0.0.1` is `localhost`)."""
    hosts = [canonical_host(v) for k, v in f.captures if k == "host"]
    ports = [v for k, v in f.captures if k == "port"]
    return {(h, p) for h in hosts for p in ports}


def _jobs(f: Finding) -> set[str]:
    return {key.split("\0", 1)[1] for key in _places(f)}


def _waits_on_refused(findings: Sequence[Finding], edges: Sequence[Edge]) -> list[Edge]:
    """Edges refused → wait, for each readiness wait that timed out on an address the same job's tests were
    refused at."""
    refused = [(f, _endpoints(f), _jobs(f)) for f in findings if f.category == "connection-refused"]
    if not refused:
        return []
    known = {(e.blocker, e.blocked) for e in edges}
    out: list[Edge] = []
    for wait in findings:
        if wait.category != "timeout-hang" or wait.blocked_by:
            continue
        waited = {(canonical_host(m["host"]), m["port"]) for m in _WAITED_FOR.finditer(_text(wait.results))}
        jobs = _jobs(wait)
        for down, at, down_jobs in refused:
            shared = waited & at
            if shared and jobs & down_jobs and (down.id, wait.id) not in known:
                host, port = sorted(shared)[0]
                out.append(Edge(down.id, wait.id, (
                    f"the wait for {host}:{port} timed out because nothing accepts connections there: the same job's "
                    f"tests are refused at that address ({down.id}), so the service never came up")))
                break
    return out


@dataclass(frozen=True, slots=True)
class RefersBack:
    """A failure in words that no longer name its cause (`later`), and the failure in the same job it refers to
    (`cause`); `says` is why, in words, with `{job}` and `{cause}` (the cause's id) to fill in."""

    later: re.Pattern[str]
    cause: re.Pattern[str]
    says: str
    # The cause's lines may quote the later failure's words (a log read whole around its line): then only its own
    # messages must not say them.
    cause_quotes_later: bool = False


REFERS_BACK = (
    # Spring's TestContext refusing to load again a context that failed before (Spring Framework 6.1+).
    RefersBack(
        re.lazy(r"failure threshold \(\d+\) exceeded: skipping repeated attempt to load context"),
        re.lazy(r"Failed to load ApplicationContext"),
        "Spring skipped loading the test context again because it failed to load earlier in job `{job}` ({cause}): "
        "the same failure, not a root cause of its own"),
    # WebDriver's command to a session that is gone, after the browser behind it crashed (ChromeDriver's words).
    RefersBack(
        re.lazy(r"\binvalid session id\b|\bNoSuchSessionException\b"),
        re.lazy(r"session deleted because of page crash|\bfrom tab crashed\b"
                r"|session deleted as the browser has closed the connection"),
        "the browser session this test used was already gone: the browser crashed earlier in job `{job}` ({cause}), "
        "so this failure follows the crash, not a root cause of its own"),
    # A wait for Kubernetes workloads to become ready (Helm's --wait, kubectl rollout status, kubectl wait) that ran
    # out of time, and the pods' own failure as kubelet reports it (a dump step prints it after the wait failed).
    RefersBack(
        re.lazy(r"\b(?:INSTALLATION|UPGRADE) FAILED: (?:context deadline exceeded|timed out waiting for the condition)"
                r"|\btimed out waiting for the (?:rollout to finish|condition on \S+)"),
        re.lazy(r"\bFailed to pull image \"|\b(?:ErrImagePull|ImagePullBackOff|CrashLoopBackOff)\b"
                r"|\bBack-off restarting failed container\b"),
        "the wait for the workloads to become ready timed out because their pods never started: kubelet says why in "
        "job `{job}` ({cause}), so the timeout is that failure seen from outside, not a root cause of its own"),
    # Testcontainers' verdict that it found no usable Docker daemon, thrown at the test (`IllegalStateException: ...
    # Please see logs`), and the strategy it logged before it that says why: the job may not open the Docker socket.
    # (Its log's own `ERROR ... Could not find a valid Docker environment. Please check configuration` heads the
    # strategies, in the cause's lines.)
    RefersBack(
        re.lazy(r"IllegalStateException: (?:Could not find a valid Docker environment|Previous attempts to find a "
                r"Docker environment failed)"),
        # The denial must be the socket's (or its strategies' lines): a cache save's `tar: x: Cannot open: Permission
        # denied` in the same job is no reason the daemon is missing.
        re.lazy(r"(?i)\bpermission denied\b[^\n]*(?:docker|\.sock\b)|(?:docker|unixsocket)[^\n]*\bpermission denied\b"
                r"|AccessDeniedException \([^)\n]*docker\.sock\)"),
        "Testcontainers found no Docker environment because the job may not open the Docker socket, as its strategies "
        "logged in job `{job}` ({cause}): that denial is the cause, this verdict sums it up", cause_quotes_later=True),
)


def _refers_back(findings: Sequence[Finding], edges: Sequence[Edge]) -> list[Edge]:
    """Edges cause → later failure, for each finding whose words refer to another failure of the same job
    (REFERS_BACK): the first such finding is the cause."""
    # Each finding's text is searched for every rule's later failure as it is built, and let go: only a run in which
    # some finding refers back keeps them all (a large run's texts are ~10 MiB at 100,000 results).
    laters_of: list[list[Finding]] = [[] for _ in REFERS_BACK]
    for f in findings:
        text = _text(f.results)
        for laters, rule in zip(laters_of, REFERS_BACK, strict=True):
            if rule.later.search(text):
                laters.append(f)
    if not any(laters_of):
        return []
    texts = {f.id: _text(f.results) for f in findings}
    known = {(e.blocker, e.blocked) for e in edges}
    out: list[Edge] = []
    for rule, laters in zip(REFERS_BACK, laters_of, strict=True):
        if not laters:
            continue
        failed = [(f, _jobs(f)) for f in findings if rule.cause.search(texts[f.id]) and not rule.later.search(
            "\n".join(r.message for r in f.results) if rule.cause_quotes_later else texts[f.id])]
        for later in laters:
            jobs = _jobs(later)
            cause = next((f for f, at in failed if at & jobs and f.id != later.id), None)
            if cause is None or (cause.id, later.id) in known:
                continue
            known.add((cause.id, later.id))
            job = sorted(jobs & _jobs(cause))[0]
            out.append(Edge(cause.id, later.id, rule.says.format(job=job, cause=cause.id)))
    return out


def fold_consequences(
    findings: Sequence[Finding], edges: Sequence[Edge], steps: Sequence[LogStep] = ()
) -> tuple[tuple[Finding, ...], tuple[Edge, ...]]:
    """`findings` with each later failure a cause explains in the same job linked as blocked by it, and each
    readiness wait that timed out linked as blocked by the refusals at the address it waited for. `steps`: the
    runner logs' steps, which say which job installed what and when each started (installed_tools.py)."""
    linked, all_edges = _fold(findings, edges, steps)
    return blockers_first(linked), all_edges


def blockers_first(findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """`findings` in their own order, except that each comes after every finding that blocks it (a stable
    topological order: among the findings whose blockers are placed, the earliest in the input goes next)."""
    at = {f.id: i for i, f in enumerate(findings)}
    # Already blockers first (most runs): told without a set per finding (12,000 of them in a large run).
    if not any(at.get(b, -1) > at[f.id] for f in findings if f.blocked_by for b in f.blocked_by):
        return tuple(findings)
    waiting = {f.id: {b for b in f.blocked_by if b in at and b != f.id} for f in findings}
    if not any(at[b] > at[fid] for fid, deps in waiting.items() for b in deps):
        return tuple(findings)
    unblocks: dict[str, list[str]] = {fid: [] for fid in at}
    for fid, deps in waiting.items():
        for dep in deps:
            unblocks[dep].append(fid)
    ready = [at[fid] for fid, deps in waiting.items() if not deps]
    heapq.heapify(ready)
    out: list[Finding] = []
    while ready:
        f = findings[heapq.heappop(ready)]
        out.append(f)
        for other in unblocks[f.id]:
            waiting[other].discard(f.id)
            if not waiting[other]:
                heapq.heappush(ready, at[other])
    placed = {f.id for f in out}
    return (*out, *(f for f in findings if f.id not in placed))  # a cycle (never built) is kept, not lost


def _fold(findings: Sequence[Finding], edges: Sequence[Edge],
          steps: Sequence[LogStep]) -> tuple[tuple[Finding, ...], tuple[Edge, ...]]:
    for found in (_waits_on_refused, timeouts_on_outage, _refers_back,
                  partial(tools_an_install_left_out, steps=steps)):
        drawn = found(findings, edges)
        if drawn:
            findings, edges = _linked(findings, drawn), (*edges, *drawn)
    # A missing tool leaves nothing else missing: it is never the cause another failure is folded under.
    cause_ids = {f.id for f in findings
                 if f.category in LEAVES_THINGS_MISSING | STOPS_THE_RUNNER and f.rule_id not in MISSING_TOOL_RULES}
    if not cause_ids:  # most runs: nothing to fold, and no work done per finding
        return tuple(findings), tuple(edges)
    by_id = {f.id: f for f in findings}
    places = {f.id: _places(f) for f in findings}
    # Per job, the causes in line order: a later failure is folded under the nearest cause before it that
    # explains it (one edge each), so a run of many findings costs one pass plus a binary search each.
    causes_in: dict[str, list[tuple[int, str]]] = {}
    for fid in cause_ids:
        for key, line in places[fid].items():
            causes_in.setdefault(key, []).append((line, fid))
    for in_job in causes_in.values():
        in_job.sort()
    graph: dict[str, set[str]] = {f.id: set() for f in findings}
    for e in edges:
        graph.setdefault(e.blocker, set()).add(e.blocked)
    known = {(e.blocker, e.blocked) for e in edges}
    added: list[Edge] = []
    texts: dict[str, str] = {}  # each finding's text is built once
    for later in findings:
        for key, line in places[later.id].items():
            ordered = causes_in.get(key)
            if not ordered:
                continue
            before = ordered[: bisect.bisect_left(ordered, (line, ""))]
            cause = next((by_id[fid] for _, fid in reversed(before)
                          if fid != later.id and _explains(by_id[fid], later, texts)), None)
            if cause is None or (cause.id, later.id) in known or reaches(graph, later.id, cause.id):
                continue
            job = key.split("\0", 1)[1]
            what = "ran out of disk" if cause.category in STOPS_THE_RUNNER else "failed"
            reason = (f"{cause.category} in job `{job}` {what} before this failure, and this failure is what it "
                      "left missing: a consequence, not a root cause of its own")
            graph[cause.id].add(later.id)
            known.add((cause.id, later.id))
            added.append(Edge(cause.id, later.id, reason))
            break  # one cause per consequence
    if not added:
        return tuple(findings), tuple(edges)
    return _linked(findings, added), (*edges, *added)


def _linked(findings: Sequence[Finding], added: Sequence[Edge]) -> tuple[Finding, ...]:
    """`findings` with each added edge's blocker in its blocked finding's `blocked_by`."""
    blockers: dict[str, list[str]] = {}
    for e in added:
        blockers.setdefault(e.blocked, []).append(e.blocker)
    return tuple(
        replace(f, blocked_by=tuple(dict.fromkeys((*f.blocked_by, *blockers[f.id])))) if f.id in blockers else f
        for f in findings
    )
