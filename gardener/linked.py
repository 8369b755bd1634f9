"""The findings stage `gardener run`, `explain` and `classify` share: results in, linked findings out (pure).

One result per test across the inputs of a run (ingest/dedupe.py: a console log and a JUnit report of the same
run, reruns, a test's console block), then classify, cluster and prioritise (classify.analyse), then link:
correlation, and what a failed install, build or full disk explains later in its job (consequences.py). All three
commands call this one function, so explain and classify show the findings, ids and order that run reports.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gardener.classify import Analysis, analyse, find
from gardener.config import Config
from gardener.consequences import fold_consequences
from gardener.correlate import correlate
from gardener.ingest.dedupe import dedupe
from gardener.model import Edge, Finding, Ingested, LogStep, Result
from gardener.scopes import filter_scope


@dataclass(frozen=True, slots=True)
class Linked:
    results: tuple[Result, ...]  # one per test, in scope: what the findings were made of
    analysis: Analysis  # every cluster, for explain and for the findings' alias digests
    findings: tuple[Finding, ...]  # blockers first, each with what blocks it
    edges: tuple[Edge, ...]


def linked_findings(results: Sequence[Result], config: Config, scope: str | None = None, *,
                    clusters: bool = True, steps: Sequence[LogStep] = ()) -> Linked:
    """The run's findings from every result its inputs hold (`scope`: only the results of that scope). Without
    `clusters` (`gardener classify` shows only the findings) the analysis keeps none, so a large run never holds
    every cluster and every finding at once (classify.find). `steps`: the runner logs' steps, for what a failed
    install in an earlier job left missing (consequences.py)."""
    merged = filter_scope(dedupe(results), scope, config.scopes)
    analysis = analyse(merged, config) if clusters else Analysis(find(merged, config), {})
    findings, edges = fold_consequences(*correlate(analysis.findings), steps)  # a failed install's fallout is no cause
    return Linked(merged, analysis, findings, edges)


def classified(ing: Ingested, config: Config) -> tuple[Finding, ...]:
    """What `gardener classify` shows of its inputs: the run's findings in its order, without the clusters."""
    return linked_findings(ing.results, config, clusters=False, steps=ing.steps).findings
