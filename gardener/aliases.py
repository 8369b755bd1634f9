"""Every digest an issue filed for a finding may carry: its signature under older mask versions and before
run-wide volatile masking (normalize.with_aliases), and the signatures of the keys older key versions gave its
failures (key_changes.py), each under the mask version of its day, masked on its own and as that run masked it.

An old version may have split one cause into many findings (keyed by test where a location now joins them): each
of those old digests is an alias of the one finding, so all their issues are found.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from gardener.cluster import Classified, Cluster
from gardener.key_changes import MASKED_WITH, KeyInput, older_keys
from gardener.model import Finding
from gardener.normalize import (
    CURRENT_VERSION,
    VOLATILE,
    ProjectMask,
    digest_of,
    mask,
    volatile_masked,
    with_aliases,
)

Aliases = dict[str, frozenset[str]]


def finding_aliases(findings: Sequence[Finding], clusters: Mapping[str, Cluster],
                    masks: Sequence[ProjectMask] = ()) -> Aliases:
    """Finding id → its digest and every alias digest (see the module docstring)."""
    shared: dict[object, str] = {}  # what failures with the same evidence share (key_changes.KeyInput)
    old: dict[str, dict[int, str]] = {}  # older key version → id(member) → its key then (only those that differ)
    touched: dict[str, set[str]] = {}  # older key version → the findings with a member whose key differed
    for f in findings:
        for m in clusters[f.id].members:
            for version, key in older_keys(KeyInput(m, shared)):
                old.setdefault(version, {})[id(m)] = key
                touched.setdefault(version, set()).add(f.id)
    then: dict[str, dict[str, tuple[str, ...]]] = {}
    for version, keys in old.items():
        # Versions whose keys all agree (most failures change in one version only) share one masking.
        same = next((v for v in then if old[v] == keys and touched[v] == touched[version]
                     and MASKED_WITH[v] == MASKED_WITH[version]), None)
        then[version] = then[same] if same is not None else _old_digests(
            findings, clusters, keys, touched[version], MASKED_WITH[version], masks)
    out: Aliases = {}
    for f in findings:
        cluster = clusters[f.id]
        digests = {f.signature.digest, *with_aliases(f.signature, cluster.lead.key, masks).aliases}
        for version, keys in old.items():
            if f.id in touched[version]:
                for m in cluster.members:
                    before = keys.get(id(m))
                    if before is not None:
                        digests.update(then[version][before])
        out[f.id] = frozenset(digests)
    return out


def carrying(findings: Sequence[Finding], aliases: Aliases) -> tuple[Finding, ...]:
    """Each finding with its alias digests in its signature's `aliases`. A digest another finding of the run has
    as its own is never an alias: its issues and history are that finding's (an older version keyed two causes
    alike, and one of them still is)."""
    own = {f.signature.digest for f in findings}
    return tuple(replace(f, signature=replace(f.signature, aliases=tuple(sorted(aliases[f.id] - own))))
                 for f in findings)


def _old_digests(findings: Sequence[Finding], clusters: Mapping[str, Cluster], changed: Mapping[int, str],
                 touched: set[str], version: str, masks: Sequence[ProjectMask]) -> dict[str, tuple[str, ...]]:
    """Each changed key's digests under `version` (the mask version of its key version): masked on its own, and as
    the older run masked it,
    a token varying across many failures masked among the keys it ran beside. Those are the findings it touched
    (the keys of other findings share no shape with it unless they were split the same way, which touches them)."""
    masked = {k: mask(k, masks, version) for k in set(changed.values())}
    texts = list(masked.values())
    if version == CURRENT_VERSION:  # the run's other keys are masked as now: their finding's text
        for f in findings:
            if f.id in touched:
                texts.extend(_masked_now(m, f, masks) for m in clusters[f.id].members if id(m) not in changed)
    final = volatile_masked(texts)
    return {k: tuple(dict.fromkeys((digest_of(f"{version}\n{final[text]}"), digest_of(f"{version}\n{text}"))))
            for k, text in masked.items()}


def _masked_now(m: Classified, f: Finding, masks: Sequence[ProjectMask]) -> str:
    """A member's masked key before run-wide volatile masks: its finding's text, unless that masked a token."""
    return f.signature.text if VOLATILE not in f.signature.text else mask(m.key, masks)
