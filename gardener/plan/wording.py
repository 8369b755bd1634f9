"""gardener's own sentences (plan reasons, comment lines) and the untrusted fragments inside them. Pure.

gardener writes issue references ("#8 was closed ...", "Closing as a duplicate of #3") on purpose;
the mention neutraliser, which breaks every `#123` and `@name` of untrusted text, would break those
too. So the two are cleaned apart: every untrusted fragment (an issue title, a label a person set,
a test id, an error line, a reason another stage wrote) is cleaned where it is put into a sentence
(`fragment`), and the finished sentence is only tidied (`own_line`): control codes out, secrets
redacted, workflow commands and HTML comment openers defused, its own references left live.
"""

from __future__ import annotations

from collections.abc import Iterable

from gardener.redact import clip, neutralise_markup, redact_secrets, safe_inline, strip_control


def fragment(text: str, limit: int = 300) -> str:
    """Untrusted text about to become part of one of gardener's sentences."""
    return safe_inline(text, limit)


def own_line(text: str, limit: int, secrets: Iterable[str] = ()) -> str:
    """One of gardener's sentences on one line; its fragments were cleaned by `fragment`."""
    tidy = neutralise_markup(redact_secrets(strip_control(text), secrets))
    return clip(" ".join(tidy.split()), limit, keep="head")


def listed(items: Iterable[str], shown: int = 5) -> str:
    """`a`, `b` and 3 more: the first few items, code-quoted, with a count of the rest."""
    items = list(items)
    head = ", ".join(f"`{item}`" for item in items[:shown])
    return head + (f" and {len(items) - shown} more" if len(items) > shown else "")
