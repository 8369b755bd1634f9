"""One anchor rule: which log lines it marks, what kind of incident they are and how sure that is.

Kept apart from the tables (anchors.py, families.py) so each table can build its rules without
importing the other.
"""

from __future__ import annotations

from dataclasses import dataclass

from gardener import regex as re

WRAPPER, GENERIC, SPECIFIC = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Rule:
    kind: str
    pattern: re.Pattern[str]
    rank: int
    joins: bool = False  # nearby lines of the same kind are one incident (an `npm ERR!` block)
    before: int = 3  # lines of context kept before the anchor
    detail_next: bool = False  # the line after says what went wrong (jest's `●` headers)
    standalone: bool = False  # a consequence (0 tests ran): never merged into a cause, never a cause
    absorbs: tuple[str, ...] = ()  # kinds that, following this one, are its consequence
    inner_cause: bool = False  # it wraps a subprocess whose own first error line says more
    explains: tuple[str, ...] = ()  # kinds that, just above this one, it is the cause of
    # Read at the match's start, it vetoes that match (what a lookahead said; RE2 has none).
    unless: re.Pattern[str] | None = None
    # It only says where (Symfony Console's `In CurlDownloader.php line 629:`): the next non-blank line is the
    # failure, and the incident moves there (its line and message).
    header: bool = False

    def search(self, text: str) -> re.Match[str] | None:
        if self.unless is None:
            return self.pattern.search(text)
        return next((m for m in self.pattern.finditer(text) if not self.unless.match(text, m.start())), None)


@dataclass(frozen=True, slots=True)
class Anchor:
    rule: Rule
    subject: str  # what the incident is about, when the line names it (an image, a package)
    matched: str  # the line from the match on: what repeats look alike by


def rule(
    kind: str,
    pattern: str,
    rank: int,
    *,
    flags: int = 0,
    joins: bool = False,
    before: int = 3,
    detail_next: bool = False,
    standalone: bool = False,
    absorbs: tuple[str, ...] = (),
    inner_cause: bool = False,
    explains: tuple[str, ...] = (),
    unless: str = "",
    header: bool = False,
) -> Rule:
    return Rule(
        kind,
        re.lazy(pattern, flags),  # the tables hold ~110 rules; a log uses the few its lines hint at
        rank,
        joins,
        before,
        detail_next,
        standalone,
        absorbs,
        inner_cause,
        explains,
        re.lazy(unless, flags) if unless else None,
        header,
    )
