"""The labels gardener puts on its issues. Pure.

GitHub label names are limited to 50 characters, so the composed seed label
(`failing-test-infrastructure-P0-docker-build-failure`, 51) cannot be a label as it is: it stays the
"Category" shown in bodies and documents, and issues get three short labels instead:

- the bot label (default `gardener`): how gardener finds its own issues again;
- the priority, `P0`..`P3` (left alone once a person changes it);
- the category, `failing-test:<category>` (prefix configurable), shortened with a digest if needed.

gardener only ever removes labels it manages (another P label while it manages the priority, and
other labels under its category prefix); labels people add stay.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from gardener.model import PRIORITIES, PRIORITY_MEANINGS, Finding, LabelSpec, TrackerPolicy

MAX_LABEL = 50
PRIORITY_COLOURS = {"P0": "b60205", "P1": "d93f0b", "P2": "fbca04", "P3": "c5def5"}
BOT_COLOUR = "0e8a16"
CATEGORY_COLOUR = "5319e7"


def category_label(category: str, prefix: str) -> str:
    name = f"{prefix}{category}"
    if len(name) <= MAX_LABEL:
        return name
    tag = hashlib.sha256(category.encode("utf-8")).hexdigest()[:6]
    return f"{name[: MAX_LABEL - 7]}-{tag}"


def managed_priority(labels: Iterable[str]) -> tuple[str, ...]:
    return tuple(label for label in labels if label in PRIORITIES)


def desired_labels(current: Sequence[str], finding: Finding, policy: TrackerPolicy,
                   manage_priority: bool) -> tuple[str, ...]:
    """The full label set for a finding's issue: people's labels kept, gardener's brought up to date."""
    def ours(label: str) -> bool:
        return label.startswith(policy.category_prefix) or (manage_priority and label in PRIORITIES)

    wanted = [policy.bot_label, category_label(finding.category, policy.category_prefix)]
    if manage_priority:
        wanted.insert(1, finding.priority)
    kept = [label for label in current if not ours(label) and label not in wanted]
    return tuple(dict.fromkeys([*kept, *wanted]))


def same_labels(a: Iterable[str], b: Iterable[str]) -> bool:
    return {x.lower() for x in a} == {x.lower() for x in b}


def label_specs(findings: Sequence[Finding], policy: TrackerPolicy) -> tuple[LabelSpec, ...]:
    """Every label gardener may apply for these findings, with colour and description."""
    specs = [LabelSpec(policy.bot_label, BOT_COLOUR, "Failing-test issue filed and kept up to date by gardener")]
    for p in PRIORITIES:
        if any(f.priority == p for f in findings):
            specs.append(LabelSpec(p, PRIORITY_COLOURS[p], f"{p}: {PRIORITY_MEANINGS[p]}"))
    for category in dict.fromkeys(f.category for f in findings):
        area = next(f.area for f in findings if f.category == category)
        description = f"gardener category {category} (area {area})"
        specs.append(LabelSpec(category_label(category, policy.category_prefix), CATEGORY_COLOUR, description[:100]))
    return tuple(specs)
