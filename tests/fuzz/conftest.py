"""Hypothesis profiles for the fuzz suite, chosen by GARDENER_FUZZ.

- `ci` (default): a few dozen examples per property, the whole suite in about a minute; runs in
  every `python -m pytest -q` and in `.ci/run`.
- `nightly`: 2,000 examples per property, for a scheduled job (`GARDENER_FUZZ=nightly python -m
  pytest -q tests/fuzz`); about half an hour on two cores.
- `dev`: 10 examples, for iterating on a property.

No per-example deadline: the budgets that matter (5 s per hostile file) are asserted by the
reproducers in tests/ingest/test_hostile_inputs.py, and a slow example is not a crash. Every crash a
run has found is kept as an explicit `@example` on its property (or a file in tests/fuzz/crashes/),
so it is re-run first, on every run, whatever the profile.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}
# ci is derandomized (the same examples every run, no flakes) and keeps no example database.
settings.register_profile("ci", max_examples=40, derandomize=True, database=None, **_COMMON)
settings.register_profile("dev", max_examples=10, database=None, **_COMMON)
settings.register_profile("nightly", max_examples=2000, **_COMMON)
settings.load_profile(os.environ.get("GARDENER_FUZZ", "ci"))
