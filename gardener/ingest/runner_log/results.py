"""Turning log incidents into Results with ids that stay the same from one day's log to the next.

The id never holds a line number: `log:<file stem>:<error type>:<slug>-<digest>` where the slug
reads as what the incident is about (the image, the package, else the compose service and the
start of the masked message) and the digest is of the masked message. The same incident printed again in the
same log is one Result that counts its occurrences.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePath

from gardener import regex as re
from gardener.ingest.runner_log.grouping import Incident, mask
from gardener.model import ALSO_IN_STEPS, Result, Source
from gardener.redact.text import cut_raw

MESSAGE_LIMIT = 1000
_NOT_SLUG = re.lazy(r"[^a-z0-9]+")
_LINES_LISTED = 10


def slug(text: str, limit: int = 40) -> str:
    words = _NOT_SLUG.sub("-", text.lower()).strip("-")
    if len(words) <= limit:
        return words
    cut = words[:limit]
    return cut.rsplit("-", 1)[0] if "-" in cut else cut


def log_id(stem: str, error_type: str, message: str, subject: str = "", service: str = "") -> str:
    """`log:<file stem>:<error type>:<slug>-<digest>`: the slug reads as the subject (else the service
    and the start of the masked message), the digest is of the masked message."""
    masked = mask(message)
    digest = hashlib.sha256(masked.encode()).hexdigest()[:6]
    readable = slug(subject) if subject else slug(f"{service} {masked}")
    return f"log:{stem}:{error_type}:{readable or 'line'}-{digest}"


def incident_id(stem: str, incident: Incident) -> str:
    service = incident.stream if incident.stream and not incident.stream.startswith("#") else ""
    return log_id(stem, incident.error_type, incident.message, incident.subject, service)


def incident_results(incidents: list[Incident], keep: list[bool], path: str, kind: str) -> list[Result]:
    """One Result per distinct kept incident, in order of first appearance."""
    stem = PurePath(path).stem
    ids = [incident_id(stem, i) for i in incidents]
    first: dict[str, int] = {}
    lines: dict[str, list[int]] = {}
    steps: dict[str, dict[str, None]] = {}  # the steps each distinct incident was seen in, in order
    for index, incident in enumerate(incidents):
        if keep[index]:
            first.setdefault(ids[index], index)
            lines.setdefault(ids[index], []).append(incident.line)
            for step in (incident.step, *incident.later_steps):
                if step:
                    steps.setdefault(ids[index], {})[step] = None
    results = []
    for rid, index in first.items():
        incident = incidents[index]
        properties = _properties(incident, lines[rid])
        after = [ids[i] for i in incident.follows if keep[i]]
        if after:
            properties.append(("after", " ".join(dict.fromkeys(after))))
        also = [step for step in steps.get(rid, ()) if step != incident.step]
        if also:  # the same failure printed again by a later step (`cargo test` after `cargo build`)
            properties.append((ALSO_IN_STEPS, "\n".join(also)))
        message = incident.message
        results.append(
            Result(
                id=rid,
                outcome="error",
                source=Source(path, kind), source_line=incident.line,
                message=message if len(message) <= MESSAGE_LIMIT else cut_raw(message, MESSAGE_LIMIT) + " …",
                error_type=incident.error_type,
                details=incident.excerpt.render(),
                file=incident.file,
                line=incident.file_line,
                timestamp=incident.timestamp,
                properties=tuple(properties),
            )
        )
    return results


def _properties(incident: Incident, seen_at: list[int]) -> list[tuple[str, str]]:
    props: list[tuple[str, str]] = []
    if incident.subject:
        props.append(("subject", incident.subject))
    if incident.stream:
        props.append(("stream", incident.stream))
    if incident.step:
        props.append(("step", incident.step))
    others = [k for k in incident.kinds if k != incident.kind]
    if others:
        props.append(("also", ",".join(others)))
    if len(seen_at) > 1:
        props.append(("occurrences", str(len(seen_at))))
        listed = " ".join(str(n) for n in seen_at[:_LINES_LISTED])
        props.append(("lines", listed + (" …" if len(seen_at) > _LINES_LISTED else "")))
    return props
