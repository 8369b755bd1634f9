"""Values a job declared secret in its own log: `::add-mask::VALUE` (GitHub Actions' workflow command).

On GitHub the runner hides such a value from the log it keeps, but a log captured elsewhere (a command
gardener ran, output tee'd to a file, a self-hosted runner's console) still holds the command and the
value after it. A job that says a value is secret is believed: every occurrence in what the log yields
(anywhere in the log, before or after the command) is replaced as a known secret, as the environment's
secret values are (redact.redact_secrets). Values under redact's MIN_KNOWN_VALUE characters are not
masked: they would blank ordinary words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from gardener import regex as re
from gardener.model import LogStep, Result
from gardener.redact.secrets import redact_secrets

ADD_MASK = "::add-mask::"
_VALUE = re.lazy(r"::add-mask::(?P<value>[^\r\n]*)")


def declared(text: str) -> set[str]:
    """The values `text` declares secret (empty unless it holds `::add-mask::`)."""
    if ADD_MASK not in text:
        return set()
    return {v for m in _VALUE.finditer(text) if (v := m["value"].strip())}


def masked_results(results: Iterable[Result], values: Iterable[str]) -> tuple[Result, ...]:
    known = tuple(values)
    return tuple(_masked(r, known) for r in results) if known else tuple(results)


def masked_steps(steps: Iterable[LogStep], values: Iterable[str]) -> tuple[LogStep, ...]:
    known = tuple(values)
    if not known:
        return tuple(steps)
    return tuple(replace(s, name=_hide(s.name, known), command=_hide(s.command, known),
                         key_error=_hide(s.key_error, known)) for s in steps)


def _masked(r: Result, known: tuple[str, ...]) -> Result:
    return replace(r, message=_hide(r.message, known), details=_hide(r.details, known),
                   properties=tuple((k, _hide(v, known)) for k, v in r.properties))


def _hide(text: str, known: tuple[str, ...]) -> str:
    """`text` with the known values replaced; text holding none of them (nearly all) is returned as is."""
    if not text or not any(v in text for v in known):
        return text
    return redact_secrets(text, known)
