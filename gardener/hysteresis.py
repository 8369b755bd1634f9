"""Priority that does not flap: the rule's priority, raised one level while impact is high, with hysteresis.

Impact is the number of runs the finding failed in over a window (1 or 7 days). Priority rises when impact
reaches the activation threshold (`raise_at`) and falls back to the rule's only when impact drops below the
lower deactivation threshold (`lower_below`); between the two it stays where it was. "Where it was" is not
stored anywhere: it is the same decision folded over the finding's earlier runs, so the store needs no
state of its own and the same history always gives the same priority. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from gardener.history.summary import Obs
from gardener.model import PRIORITIES, OverTimePolicy, Priority


@dataclass(frozen=True, slots=True)
class Adjusted:
    priority: Priority
    change: str  # "raised to P1: failed in 9 of the last 10 runs (7 days)"; "" when the rule's stands
    impact: int = 0
    runs: int = 0


def raised(rule: Priority) -> Priority:
    i = PRIORITIES.index(rule)
    return PRIORITIES[max(0, i - 1)]


def _window_words(days: float) -> str:
    return "1 day" if days == 1 else f"{days:g} days"


def impact_at(obs: Sequence[Obs], index: int, days: float) -> tuple[int, int]:
    """(failed runs, runs) among the executed observations within `days` before obs[index], itself included."""
    at = obs[index].at
    window = [o for o in obs[: index + 1] if o.executed and o.at > at - timedelta(days=days)]
    return sum(1 for o in window if o.failed), len(window)


def step(rule: Priority, previous: Priority, failures: int, runs: int, policy: OverTimePolicy) -> Adjusted:
    """One decision: from the priority it had, given this run's impact."""
    up = raised(rule)
    words = f"failed in {failures} of the last {runs} runs ({_window_words(policy.impact_window_days)})"
    if failures >= policy.raise_at and up != rule:
        return Adjusted(up, f"raised to {up}: {words}", failures, runs)
    if failures < policy.lower_below:
        if previous != rule:
            return Adjusted(rule, f"lowered to {rule}: {words}, below {policy.lower_below}", failures, runs)
        return Adjusted(rule, "", failures, runs)
    if previous == up and up != rule:  # between the thresholds: it stays
        return Adjusted(up, f"kept at {up}: {words}, not below {policy.lower_below}", failures, runs)
    return Adjusted(rule, "", failures, runs)


def adjust(rule: Priority, obs: Sequence[Obs], policy: OverTimePolicy) -> Adjusted:
    """The priority for the latest observation, folding `step` over every earlier run the finding failed in
    (priority matters only where it occurs). Observations oldest first, this run's last."""
    ordered = sorted((o for o in obs if o.executed), key=lambda o: (o.at, o.run))
    current: Adjusted = Adjusted(rule, "")
    for i, o in enumerate(ordered):
        if not o.failed:
            continue
        failures, runs = impact_at(ordered, i, policy.impact_window_days)
        current = step(rule, current.priority, failures, runs, policy)
    return current

