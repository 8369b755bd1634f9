"""Ages and windows as people type them: `90m`, `36h`, `7d`, `2w`."""

from __future__ import annotations

from datetime import timedelta

from gardener import regex as re
from gardener.history.errors import HistoryError

_AGE = re.lazy(r"\s*(\d+(?:\.\d+)?)\s*([mhdw])\s*")
_UNITS = {"m": 60.0, "h": 3600.0, "d": 86400.0, "w": 7 * 86400.0}


def parse_age(text: str, what: str = "age") -> timedelta:
    """`7d` → 7 days. Raises HistoryError naming the option's value when it is not `<number><m|h|d|w>`."""
    m = _AGE.fullmatch(text or "")
    if m is None:
        raise HistoryError(what, f"{text!r} is not an age: expected a number and a unit, e.g. 90m, 36h, 7d or 2w")
    return timedelta(seconds=float(m.group(1)) * _UNITS[m.group(2)])
