"""Every digest an issue filed for a finding may carry: its signature under older mask versions and before
run-wide volatile masking (normalize.with_aliases), and the signatures of the keys older key versions gave its
failures (key_changes.py), each masked as that version's run masked it.

An old version may have split one cause into many findings (keyed by test where a location now joins them): each
of those old digests is an alias of the one finding, so all their issues are found.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from gardener.cluster import Cluster
from gardener.key_changes import KeyInput, older_keys
from gardener.model import Finding
from gardener.normalize import MASK_VERSIONS, ProjectMask, run_signatures, signature, with_aliases

Aliases = dict[str, frozenset[str]]


def finding_aliases(findings: Sequence[Finding], clusters: Mapping[str, Cluster],
                    masks: Sequence[ProjectMask] = ()) -> Aliases:
    """Finding id → its digest and every alias digest (see the module docstring)."""
    # Per older key version, each failure's key then (only failures a change touched differ from today's).
    old: dict[str, dict[int, str]] = {}  # version → id(member) → its key then
    for f in findings:
        for m in clusters[f.id].members:
            for version, key in older_keys(KeyInput(m)):
                old.setdefault(version, {})[id(m)] = key
    out: Aliases = {}
    then = {version: _run_digests(clusters, keys, masks) for version, keys in old.items()}
    for f in findings:
        cluster = clusters[f.id]
        digests = {f.signature.digest, *with_aliases(f.signature, cluster.lead.key, masks).aliases}
        for version, keys in old.items():
            for m in cluster.members:
                before = keys.get(id(m))
                if before is not None:
                    digests.add(then[version][before])
                    digests.update(signature(before, masks, v).digest for v in MASK_VERSIONS)
        out[f.id] = frozenset(digests)
    return out


def carrying(findings: Sequence[Finding], aliases: Aliases) -> tuple[Finding, ...]:
    """Each finding with its alias digests in its signature's `aliases`."""
    return tuple(replace(f, signature=replace(f.signature, aliases=tuple(sorted(aliases[f.id] - {f.signature.digest}))))
                 for f in findings)


def _run_digests(clusters: Mapping[str, Cluster], changed: Mapping[int, str],
                 masks: Sequence[ProjectMask]) -> dict[str, str]:
    """The changed keys' digests as the older version's run gave them: masked across every key of the run then
    (a token varying across many failures is masked only by counting them all)."""
    keys = [changed.get(id(m), m.key) for c in clusters.values() for m in c.members]
    sigs = run_signatures(keys, masks)
    return {k: sigs[k].digest for k in set(changed.values())}
