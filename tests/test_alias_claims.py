"""Aliases never let two findings share one issue or one history (review of the key-change aliases, session 6).

The case: an older version keyed two causes alike (digest D); one of today's findings still has D as its own
signature, the other answers to D only through an alias. The issue filed under D is the first finding's, the
second gets its own, and the marker's signature never flips between them from run to run.
"""

from __future__ import annotations

from datetime import UTC, datetime

import gardener.garden  # noqa: F401  (garden before plan: the package pair imports each other)
from gardener.aliases import carrying
from gardener.model import IssueRef, TrackerPolicy
from gardener.plan.evidence import Evidence
from gardener.plan.issue import Known, decide
from gardener.plan.make import _claims
from gardener.tracker.markers import Marker
from tests.factories import finding

NOW = datetime(2026, 12, 7, tzinfo=UTC)


def _known(number: int, sig: str, aka: tuple[str, ...] = ()) -> Known:
    issue = IssueRef(number=number, id=number * 10, title="t", state="open", url="", labels=("gardener",))
    return Known(issue, Marker(sig=sig, aka=aka, finding="f"))


def test_an_issue_is_the_finding_its_marker_names_not_one_it_carries_as_an_older_signature() -> None:
    a, b = finding("fa", "assertion-failure"), finding("fb", "out-of-memory")
    da, db = a.signature.digest, b.signature.digest
    # Run N held only B, which took #5 (filed under A's digest) through an alias: #5 now names B and carries da.
    five = _known(5, sig=db, aka=(da,))
    claims = _claims([a, b], [five], {a.id: frozenset({da}), b.id: frozenset({db, da})})
    assert [k.issue.number for k in claims[b.id]] == [5] and claims[a.id] == []
    claims = _claims([b, a], [five], {a.id: frozenset({da}), b.id: frozenset({db, da})})
    assert [k.issue.number for k in claims[b.id]] == [5] and claims[a.id] == []


def test_the_issue_filed_under_the_signature_is_kept_before_an_older_one_reached_through_an_alias() -> None:
    f = finding("fx", "out-of-memory")
    older, own = _known(7, sig="0ld0ld0ld0ld"), _known(8, sig=f.signature.digest)
    ev = Evidence(fingerprint="e", tests=(), count=1, errors=(), oldest=None, newest=None)
    d = decide(f, [older, own], ev, TrackerPolicy(), NOW)
    assert d.issue is not None and d.issue.number == 8
    assert [k.issue.number for k in d.duplicates] == [7]


def test_a_digest_another_finding_has_as_its_own_is_never_an_alias() -> None:
    a, b = finding("fa", "assertion-failure"), finding("fb", "out-of-memory")
    da, db = a.signature.digest, b.signature.digest
    out = carrying([a, b], {a.id: frozenset({da}), b.id: frozenset({db, da, "0ld0ld0ld0ld"})})
    assert out[1].signature.aliases == ("0ld0ld0ld0ld",) and out[0].signature.aliases == ()

