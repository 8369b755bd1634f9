"""Plain-dict views of the model for `--json` output: stable keys, no Python-only types."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

from gardener.evidence_refs import evidence_refs
from gardener.model import Counts, FileReport, Finding, Ingested, Result
from gardener.redact import clean, clean_all, redact_name


def counts_dict(c: Counts) -> dict[str, int]:
    return {"cases": c.cases, "failures": c.failures, "errors": c.errors, "skipped": c.skipped, "flaky": c.flaky}


def file_dict(f: FileReport) -> dict[str, Any]:
    return {
        "path": redact_name(f.path),
        "kind": f.kind,
        **counts_dict(f.counts),
        "declared": counts_dict(f.declared) if f.declared is not None else None,
        "partial": f.partial,
        "error": redact_name(f.error) if f.error else f.error,
        "warning": redact_name(f.warning) if f.warning else f.warning,
    }


def result_dict(r: Result) -> dict[str, Any]:
    """Test output is untrusted: every text field is redacted before it reaches a terminal."""
    return _result_dict(r, clean(r.id), clean, r.timestamp.isoformat() if r.timestamp else None)


def _result_dict(r: Result, id_: str, cleaned: Callable[[str], str], stamp: str | None) -> dict[str, Any]:
    """`result_dict` with the id already cleaned, the other texts cleaned by `cleaned` (clean or a memo of
    it) and the timestamp formatted (result_dicts cleans ids a batch at a time)."""
    return {
        "id": id_,
        "variant": cleaned(r.variant),
        "outcome": r.outcome,
        "attempts": r.attempts,
        "message": cleaned(r.message),
        "error_type": cleaned(r.error_type),
        "file": cleaned(r.file) if r.file else r.file,
        "line": r.line,
        "duration_s": r.duration_s,
        "timestamp": stamp,
        "source": {"path": r.source.path, "line": r.source_line},
    }


_ID_BATCH = 64  # results whose ids are cleaned together (jsonout writes as many at a time)
_SEEN_MAX = 4096  # texts remembered cleaned while results are written (then forgotten, and learnt again)


def result_dicts(results: Sequence[Result]) -> Iterator[dict[str, Any]]:
    """`result_dict` of each result, in order. Ids are nearly all distinct (clean's memo never hits), so
    they are cleaned a batch at a time by clean_all (one secret prefilter pass over the batch); the other
    texts repeat (a handful of variants, types, files and messages), and so do timestamps (one per suite):
    each distinct one is cleaned or formatted once, then read back from a plain dict (clean and isoformat
    are pure). ingest --json on 10,000 failing results: 0.055 -> 0.038 s (clean_all), then the dict."""
    texts: dict[str, str] = {}
    # By identity, not equality: equal instants in two zones are equal datetimes but print differently.
    stamps: dict[int, tuple[datetime, str]] = {}

    def cleaned(text: str) -> str:
        found = texts.get(text)
        if found is None:
            if len(texts) >= _SEEN_MAX:
                texts.clear()
            found = texts[text] = clean(text)
        return found

    for start in range(0, len(results), _ID_BATCH):
        batch = results[start : start + _ID_BATCH]
        for r, id_ in zip(batch, clean_all([r.id for r in batch]), strict=True):
            stamp = r.timestamp
            iso = None
            if stamp is not None:
                known = stamps.get(id(stamp))
                if known is not None and known[0] is stamp:
                    iso = known[1]
                else:
                    if len(stamps) >= _SEEN_MAX:
                        stamps.clear()
                    iso = stamp.isoformat()
                    stamps[id(stamp)] = (stamp, iso)
            yield _result_dict(r, id_, cleaned, iso)


def ingested_dict(ing: Ingested) -> dict[str, Any]:
    """`ingest --json`: the results are a generator, written one batch at a time (gardener.jsonout)."""
    return {"files": [file_dict(f) for f in ing.files], "results": result_dicts(ing.results)}


def finding_dict(f: Finding) -> dict[str, Any]:
    """One finding as `gardener classify --json` prints it (before redaction: `redacted_finding_dict`)."""
    return _finding_dict(f, _as_it_is, list)


def redacted_finding_dict(f: Finding) -> dict[str, Any]:
    """`redacted(finding_dict(f))`, each string cleaned as it is put in: no second walk over the finding's tests
    and evidence places (a finding of thousands of results shows a hundred places, each a dict of four values)."""
    # A finding's own words (its id, signature, reasons, title: most of them its own) cleaned together, one secret
    # prefilter pass over them all (clean_all), not one each; the evidence places' strings are cleaned one by one.
    words = [f.id, f.signature.text, f.category, f.area, f.layer, f.priority, f.priority_reason, f.label, f.rule_id,
             f.title, f.root_cause]
    cleaned = dict(zip(words, clean_all(words), strict=True))
    return _finding_dict(f, lambda text: cleaned[text] if text in cleaned else clean(text), _cleaned_strings)


def _finding_dict(f: Finding, text: Callable[[str], str], texts: Callable[[list[str]], list[str]]) -> dict[str, Any]:
    """`finding_dict` with `text` applied to every string and `texts` to every list of strings."""
    return {
        "id": text(f.id),
        "signature": text(f.signature.text),
        "category": text(f.category),
        "area": text(f.area),
        "layer": text(f.layer),
        "priority": text(f.priority),
        "priority_reason": text(f.priority_reason),
        "label": text(f.label),
        "rule_id": text(f.rule_id),
        "title": text(f.title),
        "root_cause": text(f.root_cause),
        "tests": texts(list(f.tests)),
        "count": len(f.results),
        "sources": texts(list(dict.fromkeys(r.source.path for r in f.results))),
        "evidence": [{k: text(v) if type(v) is str else v for k, v in e.as_dict().items()} for e in evidence_refs(f)],
    }


def _as_it_is(text: str) -> str:
    return text


def _cleaned_strings(values: list[str]) -> list[str]:
    """`redacted(values)` of a list of strings."""
    return clean_all(values) if len(values) > _FEW else [clean(v) for v in values]


_FEW = 8  # lists up to this long are cleaned string by string (clean's memo knows most of them)


def redacted(value: Any) -> Any:
    """Every string in a JSON-ready value cleaned of secrets, control codes and live mentions:
    findings carry test output (titles, signatures, test ids) that is untrusted."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        if len(value) > _FEW and all(type(v) is str for v in value):  # a finding's tests: one prefilter pass
            return clean_all(value)
        return [clean(v) if type(v) is str else redacted(v) for v in value]
    if isinstance(value, dict):
        return {k: clean(v) if type(v) is str else redacted(v) for k, v in value.items()}
    return value
