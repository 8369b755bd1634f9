"""The rarer parts of a testcase, read through junitparser's wrappers: surefire/Gradle interim runs
(`flakyFailure`, `flakyError`, `rerunFailure`, `rerunError`, whose text may sit in a `<stackTrace>`
child, as junitparser's xunit2 flavour knows) and `<property>` pairs.

Imported only when a testcase holds one of these, so that a report without them never loads
junitparser; the common elements (failure, error, skipped) are read straight from the element.
"""

from __future__ import annotations

from typing import TypeVar
from xml.etree.ElementTree import Element

from junitparser import junitparser as jp
from junitparser import xunit2

from gardener.ingest.junit.case import Interim
from gardener.ingest.junit.values import MESSAGE_LIMIT, bound, choose_message
from gardener.model import Outcome

INTERIM_TAGS: dict[str, tuple[type[xunit2.InterimResult], Outcome]] = {
    "flakyFailure": (xunit2.FlakyFailure, "failed"),
    "flakyError": (xunit2.FlakyError, "error"),
    "rerunFailure": (xunit2.RerunFailure, "failed"),
    "rerunError": (xunit2.RerunError, "error"),
}


_W = TypeVar("_W", bound=jp.Element)


def _wrap(wrapper: type[_W], elem: Element) -> _W:
    """junitparser's typed-less `fromelem`: the wrapper class around an existing element."""
    wrapped: _W = wrapper.fromelem(elem)  # type: ignore[no-untyped-call]
    return wrapped


def interim_results(elem: Element) -> tuple[Interim, ...]:
    interim = []
    for child in elem:
        kind = INTERIM_TAGS.get(child.tag)
        if kind is None:
            continue
        wrapper, outcome = kind
        result = _wrap(wrapper, child)
        text = (result.stack_trace or result.text or "").strip()
        message = choose_message(result.message, text)
        interim.append(Interim(outcome, bound(message, MESSAGE_LIMIT), result.type or "", bound(text)))
    return tuple(interim)


def properties(block: Element) -> tuple[tuple[str, str], ...]:
    """The `<property name value>` pairs of a `<properties>` block; some writers put the value in the text."""
    pairs = []
    for raw in block.iter("property"):
        prop = _wrap(jp.Property, raw)
        pairs.append((prop.name or "", prop.value or raw.text or ""))
    return tuple(pairs)
