"""`[gardener.over_time]`: stability bounds, priority hysteresis and verified-close thresholds.

    [gardener.over_time]
    flaky_min_runs = 10        # a failure rate calls a finding flaky only over this many runs...
    flaky_min_failures = 2     # ...with at least this many failures...
    flaky_rate_low = 0.0       # ...and a rate within [low, high] (above high it is broken)
    flaky_rate_high = 0.9
    impact_window_days = 7     # runs affected are counted over this window (1 or 7)
    raise_at = 10              # priority rises one level at this many runs affected...
    lower_below = 5            # ...and falls back to the rule's only below this many
    close_after_runs = 5       # verified close: clean runs that executed its tests...
    close_after_days = 2       # ...spanning at least this many days since the last failure
    max_closes = 10            # per run
    max_suspects = 10          # suspect commits shown per broken finding
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

from gardener.errors import ConfigError
from gardener.model import OverTimePolicy

INTEGERS = {"flaky_min_runs": (1, 10_000), "flaky_min_failures": (1, 10_000), "raise_at": (1, 100_000),
            "lower_below": (0, 100_000), "close_after_runs": (1, 10_000), "max_closes": (0, 1000),
            "max_suspects": (0, 250)}
NUMBERS = {"flaky_rate_low": (0.0, 1.0), "flaky_rate_high": (0.0, 1.0), "impact_window_days": (0.01, 90.0),
           "close_after_days": (0.0, 365.0)}


def parse_over_time(raw: object, source: str) -> OverTimePolicy:
    if not isinstance(raw, dict):
        raise ConfigError(source, "over_time", "must be a table")
    known = {f.name for f in fields(OverTimePolicy)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(source, f"over_time.{unknown[0]}", f"unknown key; expected one of {', '.join(sorted(known))}")
    values: dict[str, Any] = {}
    for key, value in raw.items():
        where = f"over_time.{key}"
        low, high = INTEGERS.get(key) or NUMBERS[key]
        integer = key in INTEGERS
        ok = isinstance(value, int) if integer else isinstance(value, int | float)
        if isinstance(value, bool) or not ok or not low <= value <= high:
            kind = "an integer" if integer else "a number"
            raise ConfigError(source, where, f"must be {kind} from {low:g} to {high:g}")
        values[key] = value if integer else float(value)
    policy = replace(OverTimePolicy(), **values)
    if policy.lower_below > policy.raise_at:
        raise ConfigError(source, "over_time.lower_below", "must not exceed raise_at (the deactivation threshold "
                          "lies below the activation threshold)")
    if policy.flaky_rate_low > policy.flaky_rate_high:
        raise ConfigError(source, "over_time.flaky_rate_low", "must not exceed flaky_rate_high")
    return policy
