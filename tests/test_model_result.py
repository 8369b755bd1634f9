"""Result and Classified write their __init__ out (slot setters, not @dataclass's object.__setattr__ per field):
they must stay what @dataclass(frozen=True, slots=True) made them."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from gardener.cluster import Classified, Decision
from gardener.model import Result, Source
from gardener.rules.engine import Verdict

SOURCE = Source("report.xml", "junit")
EVERY_FIELD = ("a.py::test_x", "failed", SOURCE, "p0", "boom", "ValueError", "Traceback ...", "a.py", 3, 0.5, 2,
               "suite", None, (("k", "v"),), 17)


def test_result_init_sets_every_field_in_order() -> None:
    r = Result(*EVERY_FIELD)
    assert tuple(getattr(r, f.name) for f in dataclasses.fields(Result)) == EVERY_FIELD
    assert Result.__match_args__ == tuple(f.name for f in dataclasses.fields(Result))


def test_result_init_defaults_are_the_fields_defaults() -> None:
    r = Result("a.py::test_x", "failed", SOURCE)
    for f in dataclasses.fields(Result)[3:]:
        assert getattr(r, f.name) == f.default, f.name


def test_result_keywords_replace_eq_hash_and_pickle() -> None:
    r = Result(*EVERY_FIELD)
    same = Result(id="a.py::test_x", outcome="failed", source=SOURCE, variant="p0", message="boom",
                  error_type="ValueError", details="Traceback ...", file="a.py", line=3, duration_s=0.5, attempts=2,
                  suite="suite", properties=(("k", "v"),), source_line=17)
    assert same == r and hash(same) == hash(r)
    changed = dataclasses.replace(r, message="other")
    assert changed.message == "other" and changed.details == r.details and r.message == "boom"
    assert pickle.loads(pickle.dumps(r)) == r


def test_result_stays_frozen() -> None:
    r = Result(*EVERY_FIELD)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.message = "changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del r.details  # type: ignore[misc]
    # Slots: no attribute besides the fields (CPython 3.11's frozen __setattr__ raises TypeError from its super()
    # on a slotted class, as before __init__ was written out; later versions an AttributeError).
    with pytest.raises((AttributeError, TypeError)):
        r.extra = 1  # type: ignore[attr-defined]
    assert r.message == "boom"


def test_classified_init_and_frozen() -> None:
    r = Result(*EVERY_FIELD)
    decision = Decision(Verdict(hits=(), winner=None), "unclassified", None, (), False)
    c = Classified(r, decision, "key")
    assert (c.result, c.decision, c.key) == (r, decision, "key")
    assert Classified(result=r, decision=decision, key="key") == c
    assert c.changed(key="other").key == "other" and c.key == "key"
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.key = "changed"  # type: ignore[misc]
