"""Exit without the interpreter's last collections over everything the command loaded.

While it shuts down, CPython collects every generation as it tears the modules down: for a `gardener run`
that traverses every object of ~160 gardener modules, click, jinja2, the rule pack and the compiled templates
(~50 ms of CPU on the bundled example in tests/benchmarks/run_all.py, about a fifth of the run), to free memory
the operating system takes back anyway. `gc.freeze()` moves them all to the permanent generation, which those
collections skip; what a finaliser must do at exit gardener does itself first (files and history stores are
closed by `with` blocks, outputs written atomically, atexit handlers run before the collections).

Registered by the CLI's entry point only, never on import: the library, the pytest plugin and tests that invoke
commands in-process collect as before. It runs at exit, so nothing made while the command ran is frozen early.
"""

from __future__ import annotations

import atexit
import gc

_registered = False


def skip_final_collection() -> None:
    """Freeze every object at exit, so the shutdown collections do not traverse them (once per process)."""
    global _registered
    if not _registered:
        atexit.register(gc.freeze)
        _registered = True
