"""gardener/exit_gc.py: the CLI freezes what it loaded at exit (the shutdown collections then skip it); importing
gardener, as the library and the pytest plugin do, freezes nothing."""

from __future__ import annotations

import gc
import subprocess
import sys

# The probe's atexit handler is registered first, so it runs last: after any handler the CLI registered.
_PROBE = """
import atexit, gc, sys
atexit.register(lambda: sys.stderr.write(f"\\nFROZEN {gc.get_freeze_count()}\\n"))
{body}
"""


def _frozen_at_exit(body: str) -> int:
    probe = _PROBE.replace("{body}", body)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    line = next(x for x in done.stderr.splitlines() if x.startswith("FROZEN "))
    return int(line.removeprefix("FROZEN "))


def test_the_cli_freezes_what_it_loaded_at_exit() -> None:
    body = ('sys.argv = ["gardener", "--version"]\nfrom gardener.cli import main\n'
            "try:\n    main()\nexcept SystemExit:\n    pass")
    assert _frozen_at_exit(body) > 10_000  # click's and gardener's objects, at least


def test_importing_gardener_freezes_nothing() -> None:
    assert _frozen_at_exit("import gardener.cli, gardener.pipeline, gardener.exit_gc") == 0


def test_a_run_loads_without_collections_then_freezes_what_it_loaded() -> None:
    body = """
from gardener import exit_gc
exit_gc.skip_final_collection()
before = gc.get_threshold()
exit_gc.loading()
assert gc.get_threshold()[0] == exit_gc._LOADING
collections = []
gc.callbacks.append(lambda phase, info: collections.append(info) if phase == "start" else None)
loaded = [[] for _ in range(5000)]  # no collection comes at 700 new objects now
gc.callbacks.pop()
assert not collections, collections
exit_gc.loaded()
assert gc.get_threshold() == before and gc.get_freeze_count() > 5000
sys.stderr.write("\\nLOADED OK\\n")
"""
    probe = _PROBE.replace("{body}", body)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert "LOADED OK" in done.stderr, done.stderr


def test_loading_and_loaded_do_nothing_outside_the_cli_process() -> None:
    from gardener import exit_gc

    before = (gc.get_threshold(), gc.get_freeze_count())
    exit_gc.loading()
    exit_gc.loaded()
    assert (gc.get_threshold(), gc.get_freeze_count()) == before
