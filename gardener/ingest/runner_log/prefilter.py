"""Which lines of a block of log text any reader can care about, found by one search over the block.

Every consumer of a runner log (the job layout, each test runner's reader, the incident finder, the
verdict) declares HINTS: RE2 patterns over a line's clean text (gardener.text.clean_line) such that,
while the consumer is `idle()`, a line matching none of them changes nothing in it but its context
(the recent lines it may quote later, which the caller keeps for it). Two levels use the same data:

- Over a whole block of raw lines, their escape codes stripped, one search for the union of every
  consumer's hints, RELAXED so it matches the line whenever a hint matches its clean text: `^` may
  follow the runner's timestamp and a BuildKit prefix, `$` may precede trailing blanks, `\\b` is
  dropped. Lines with any other wrapping (STRUCTURE: `\\r`, `|`, markup, a stream tag, a second
  timestamp, a timestamp in another form, nothing left after the prefixes) are always candidates,
  so a line the search passes over is plain: its clean text is a piece of it (of what is left once
  its escape codes are gone) and its time is its runner stamp.
- On each candidate's clean text, one RE2 Set of the exact hints says which consumers get it.

Adding a pattern to a reader stays a data change: add its hint (or check that an existing one
covers it) and the prefilter follows. A reader that declares no hints is never idle: it sees every
line, as before the prefilter.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate

from gardener import regex as re

# What str.strip() removes, which RE2's ASCII `\s` does not all match.
SPACE = r"[\s\x0b\x1c-\x1f\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]"
# The runner's timestamp as GitHub Actions writes it (seven fraction digits), and its space.
_STAMP_SHAPE = "DDDD-DD-DDTDD:DD:DD.DDDDDDDZ "
RUNNER_STAMP = "".join(r"\d" if c == "D" else re.escape(c) for c in _STAMP_SHAPE)
STAMP_CHARS = len(_STAMP_SHAPE) - 1  # the stamp without its space
_BUILDKIT = r"#\d+ (?:\d+\.\d+ )?"


def _not_runner_stamp() -> str:
    """A line that starts with a digit and is not `RUNNER_STAMP`: one alternative per place it can differ."""
    alternatives = []
    for i in range(1, len(_STAMP_SHAPE)):
        head = "".join(r"\d" if c == "D" else re.escape(c) for c in _STAMP_SHAPE[1:i])
        c = _STAMP_SHAPE[i]
        differs = r"[^0-9\n]" if c == "D" else f"[^{re.escape(c)}\\n]"
        alternatives.append(f"{head}(?:{differs}|$)")
    return r"^\d(?:" + "|".join(alternatives) + ")"


# Lines whose clean text is not simply what follows the runner stamp (and a BuildKit prefix): never
# passed over. See gardener.text.clean_plain, which cleans the others.
STRUCTURE = re.lazy(
    "(?m)"
    + "|".join(
        (
            r"[\r|]",  # (escape codes are stripped from the block before it is searched)
            r"^[^\t\n]*\t[^\t\n]*\t\d{4}-",  # `gh run view --log` columns before the stamp (text._GH_COLUMNS)
            rf"^(?:{RUNNER_STAMP})?(?:##\[|::|\[command\]|\[\d{{4}}-)",
            rf"^{RUNNER_STAMP}\d{{4}}-",  # (a line that starts so without a runner stamp is not plain)
            rf"^{RUNNER_STAMP}[0-9a-f]{{2}}[OE][+ ]",
            _not_runner_stamp(),
            rf"^(?:{RUNNER_STAMP})?(?:{_BUILDKIT})?{SPACE}*$",
        )
    ),
    re.LINEWISE,
)
# Where a clean line starts in a plain raw line, and what may follow where it ends.
_LINE_START = rf"(?m:^)(?:{RUNNER_STAMP})?(?:{_BUILDKIT})?"
_LINE_END = rf"{SPACE}*(?m:$)"


def relax(pattern: str) -> str:
    """`pattern` made to match a plain raw line wherever it matches that line's clean text.

    Assertions only narrow a match, so each is widened or dropped: `^`/`\\A` become "the start of the
    line, or past its runner stamp and BuildKit prefix", `$`/`\\z` "before trailing blanks at the
    end of the line", `\\b`/`\\B` go. Group names go too (the union would repeat them).
    """
    return _rewrite(_unnamed(pattern), _LINE_START, _LINE_END, drop_boundaries=True)


def after_prefix(pattern: str, prefix: str) -> str:
    """`pattern` with each `^` allowed to follow `prefix` (what a reader peels off before its own test)."""
    return _rewrite(pattern, f"^(?:{prefix})", "$", drop_boundaries=False)


def _rewrite(pattern: str, start: str, end: str, drop_boundaries: bool) -> str:
    """re.source_tokens' reading (an escape is two characters, a class runs to its closing `]`), with the runs of
    plain characters between `\\`, `[`, `^` and `$` copied whole: a loop over every character of the ~13,000
    of hints cost about 4% of a `gardener run` (tests/ingest/test_prefilter_rewrite.py holds the two equal)."""
    out: list[str] = []
    n = len(pattern)
    found = {c: pattern.find(c) for c in "\\[^$"}
    i = 0
    while i < n:
        for c, at in found.items():  # the next of each special character at or after i
            if 0 <= at < i:
                found[c] = pattern.find(c, i)
        j = min((at for at in found.values() if at >= 0), default=n)
        out.append(pattern[i:j])
        if j >= n:
            break
        c = pattern[j]
        if c == "\\":
            token = pattern[j : j + 2]
            if token in ("\\b", "\\B"):
                out.append("" if drop_boundaries else token)
            elif token == "\\A":
                out.append(start)
            elif token in ("\\z", "\\Z"):
                out.append(end)
            else:
                out.append(token)
            i = j + len(token)
        elif c == "[":  # a class, left as it is
            k = j + 1 + pattern.startswith("^", j + 1)
            k += pattern.startswith("]", k)
            while k < n:
                if pattern[k] == "\\" and k + 1 < n:
                    k += 2
                else:
                    k += 1
                    if pattern[k - 1] == "]":
                        break
            out.append(pattern[j:k])
            i = k
        else:
            out.append(start if c == "^" else end)
            i = j + 1
    return "".join(out)


def _unnamed(pattern: str) -> str:
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


def _scoped(pattern: str) -> str:
    """One hint as a group of an alternation; a leading `(?i)` stays its own."""
    if pattern.startswith("(?i)"):
        return f"(?i:{pattern[4:]})"
    return f"(?:{pattern})"


@dataclass(frozen=True, slots=True)
class Candidates:
    """The lines of a block (by index) a consumer may care about, in order, and what is known of them:
    `structured` are not plain; a plain line not in `rest` concerns only the consumers searched
    `alone` whose hits hold it."""

    lines: list[int]
    structured: set[int]
    rest: set[int]
    alone: tuple[tuple[int, set[int]], ...]


class Prefilter:
    """Built once per process from the consumers' HINTS (in consumer order).

    `alone` names consumers whose hints get a block search of their own: a reader whose hint matches
    most lines of a long run (pytest's `::` in a `-v` run) then costs one search per line, no routing.
    """

    def __init__(
        self, hints: Sequence[tuple[str, ...]], alone: tuple[int, ...] = (), own: tuple[int, ...] = ()
    ) -> None:
        self.hints = tuple(hints)
        apart = (*alone, *own)
        rest = [relax(_scoped(h)) for i, group in enumerate(hints) if i not in apart for h in group if h]
        # One search finds both the lines that are not plain and those the other consumers may want.
        self._rest = re.compile("|".join((STRUCTURE.pattern, *rest)), re.LINEWISE)
        # A consumer searched alone has its literal hints found by str.find (a dense hint costs less so).
        self._alone = tuple(
            (
                i,
                tuple(h for h in hints[i] if _literal(h)),
                re.compile("|".join(relax(_scoped(h)) for h in hints[i] if h and not _literal(h)), re.LINEWISE),
            )
            for i in apart
            if any(hints[i])
        )
        # `own` consumers are searched alone and routed by that same search on the clean line, not by the Set:
        # the relaxed hints match wherever the exact ones do (and feeding a consumer a line its hints do not
        # match changes nothing in it), so a large hint (the finder's ~9,000 case-folded characters: ~40 M
        # instructions each time RE2 compiles it) is compiled once, not twice.
        self._own = tuple(entry for entry in self._alone if entry[0] in own)
        never = r"[^\s\S]"
        self._route = re.PatternSet(tuple(
            (("|".join(_scoped(_unnamed(h)) for h in group) if i not in own else "") or never, 0)
            for i, group in enumerate(hints)))
        self._everyone = list(range(len(hints)))

    def candidates(self, text: str, lines: Sequence[str]) -> Candidates:
        """The candidates among `lines`, the block `text` split at newlines."""
        starts = list(accumulate(map((1).__add__, map(len, lines)), initial=0))
        rest = set(_hits(self._rest, text, starts))
        structured = {i for i in rest if STRUCTURE.search(lines[i]) is not None}
        alone = tuple(
            (i, set(_hits(pattern, text, starts)).union(*(_literal_hits(w, text, starts) for w in words)))
            for i, words, pattern in self._alone
        )
        found = structured.union(rest, *(hits for _, hits in alone))
        return Candidates(sorted(found), structured, rest, alone)

    def route(self, clean_text: str) -> list[int]:
        """The consumers whose hints match a clean line."""
        hits = self._route.matching(clean_text)
        if hits is None:  # unknown (RE2 out of memory): every consumer
            return self._everyone
        own = [i for i, words, pattern in self._own
               if any(w in clean_text for w in words) or pattern.search_start(clean_text) >= 0]
        return sorted(hits.union(own)) if own else sorted(hits)


def _literal(hint: str) -> bool:
    """A hint with no regex syntax in it: it matches where the text holds it."""
    return bool(hint) and not any(c in "\\.^$*+?{}[]|()" for c in hint)


def _literal_hits(word: str, text: str, starts: list[int]) -> list[int]:
    """`_hits` of a literal: the lines (by index) holding `word`."""
    return _lines_found(lambda pos: text.find(word, pos), starts)


def _hits(pattern: re.Pattern[str] | None, text: str, starts: list[int]) -> list[int]:
    """The lines (by index) where `pattern` finds a match starting, one search per line found."""
    if pattern is None:
        return []
    search = pattern.search_start
    return _lines_found(lambda pos: search(text, pos), starts)


def _lines_found(find: Callable[[int], int], starts: list[int]) -> list[int]:
    """The lines (by index; `starts` are their offsets, the last one the text's end) where `find(pos)`, the
    offset of the next hit at or after `pos` or -1, finds one: one call per line found, resumed at the next
    line."""
    found: list[int] = []
    last, add = len(starts) - 1, found.append
    pos = 0
    while (at := find(pos)) >= 0:
        index = bisect_right(starts, at) - 1
        if index >= last:
            break
        add(index)
        pos = starts[index + 1]
    return found
