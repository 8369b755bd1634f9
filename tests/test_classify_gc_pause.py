"""classify.without_gc_pauses: the collector is paused inside and restored after, and what the process
froze of its own stays frozen (the pause's own objects join the oldest generation only when nothing was)."""

from __future__ import annotations

import gc

from gardener.classify import without_gc_pauses


def test_pause_restores_the_collector_and_leaves_nothing_frozen() -> None:
    assert gc.isenabled()
    with without_gc_pauses():
        assert not gc.isenabled()
        kept = [[i] for i in range(1000)]  # tracked objects allocated during the pause
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    assert gc.get_count()[0] < 1000  # they did not stay young (no young collection has to walk them)
    assert len(kept) == 1000


def test_pause_keeps_a_disabled_collector_disabled() -> None:
    gc.disable()
    try:
        with without_gc_pauses():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_objects_the_process_froze_stay_frozen() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with without_gc_pauses():
            [[i] for i in range(100)]
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
