"""The cyclic collector in the CLI process: not over what a command loaded, neither while it loads nor at exit.

What a command loads (~160 gardener modules, click, jinja2, the rule pack, compiled templates) lives until the
process ends, yet CPython's collector traverses it again and again: ~65 collections while `gardener run` loads,
and at exit the shutdown collections over every object and the freeing of every cycle, all for memory the
operating system takes back anyway. On the bundled example (callgrind, warm caches): 1,323 M instructions a run
without either, 1,258 M with the exit freeze, 1,232 M with both; this traversal is memory-bound, so the CPU time
it saved on the shared 2-core machine was larger than those shares (~45-60 ms of ~300 for the exit freeze).

- `skip_final_collection()` (the CLI's entry point): `gc.freeze()` at exit moves every object to the permanent
  generation, which the shutdown collections skip. What a finaliser must do at exit gardener does itself first
  (files and history stores are closed by `with` blocks, outputs written atomically, atexit handlers run first).
- `loading()` / `loaded()` (a command, around the imports of its stages and the loading of its config, before it
  reads any input): no collection in between unless _LOADING more objects are made (a bound, not a pause), then
  what was loaded is frozen and the collector's thresholds are restored, so the collections while the command
  reads its inputs skip it too, and no garbage of an input is ever frozen.

Only in the CLI process (after `skip_final_collection()`), never on import: the library, the pytest plugin and tests
that invoke commands in-process collect as before.
"""

from __future__ import annotations

import atexit
import gc

_LOADING = 200_000  # new objects before a collection while loading: `run` makes ~60,000
_thresholds: tuple[int, int, int] | None = None  # the collector's, when skip_final_collection was called


def skip_final_collection() -> None:
    """Freeze every object at exit, so the shutdown collections do not traverse them (once per process)."""
    global _thresholds
    if _thresholds is None:
        _thresholds = gc.get_threshold()
        atexit.register(gc.freeze)


def loading() -> None:
    """In the CLI process: no collection until `loaded()` (or _LOADING new objects)."""
    if _thresholds is not None:
        gc.set_threshold(_LOADING, *_thresholds[1:])


def loaded() -> None:
    """In the CLI process, after `loading()`: freeze what was loaded and collect as before from here."""
    if _thresholds is not None and gc.get_threshold()[0] == _LOADING:
        gc.freeze()
        gc.set_threshold(*_thresholds)
