"""`--focus`: keep the findings a person asked about, and everything that blocks them.

A focus term is a word or a regular expression, matched case-insensitively against the
evidence of each finding's results: test ids and variants, files, messages, error types,
excerpts and properties (markers, the command that produced the result).
"""

from __future__ import annotations

from collections.abc import Sequence

from gardener import regex as re
from gardener.correlate import blockers_closure
from gardener.errors import ConfigError
from gardener.model import Finding, Result


def compile_focus(terms: Sequence[str]) -> tuple[re.Pattern[str], ...]:
    patterns = []
    for term in terms:
        try:
            patterns.append(re.compile(term, re.IGNORECASE))
        except re.error as exc:
            raise ConfigError("--focus", term, f"not a valid regular expression: {exc}") from None
    return tuple(patterns)


PROVENANCE = frozenset({"job_log", "job_log_line", "job_url", "run_url", "job_id"})


def result_haystack(r: Result) -> str:
    fields = [r.id, r.variant, r.file or "", r.message, r.error_type, r.details, r.suite]
    # `job_log` and `job_log_line` say where a report's test was also printed (ingest/dedupe.py), and a run's
    # URLs and ids (gardener/sources) hold the repository's name: provenance, not evidence.
    fields.extend(f"{k}={v}" for k, v in r.properties if k not in PROVENANCE)
    return "\n".join(fields)


def matches(f: Finding, patterns: Sequence[re.Pattern[str]]) -> bool:
    texts = [f.title, *(result_haystack(r) for r in f.results)]
    return any(p.search(t) for p in patterns for t in texts)


def apply_focus(findings: Sequence[Finding], terms: Sequence[str]) -> tuple[Finding, ...]:
    """The matching findings plus their blockers (transitively), in the original order."""
    if not terms:
        return tuple(findings)
    patterns = compile_focus(terms)
    hits = {f.id for f in findings if matches(f, patterns)}
    keep = blockers_closure(findings, hits)
    return tuple(f for f in findings if f.id in keep)
