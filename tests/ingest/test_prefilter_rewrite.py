"""prefilter._rewrite copies runs of plain characters whole; it must read a pattern's source exactly as
gardener.regex.source_tokens does (an escape is two characters, a class runs to its closing `]`)."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from gardener.ingest.runner_log.dispatch import prefilter
from gardener.ingest.runner_log.prefilter import _rewrite
from gardener.regex import source_tokens


def _by_tokens(pattern: str, start: str, end: str, drop_boundaries: bool) -> str:
    out: list[str] = []
    for _, token, in_class in source_tokens(pattern):
        if in_class or token.startswith("["):
            out.append(token)
        elif token in ("\\b", "\\B"):
            out.append("" if drop_boundaries else token)
        elif token in ("^", "\\A"):
            out.append(start)
        elif token in ("$", "\\z", "\\Z"):
            out.append(end)
        else:
            out.append(token)
    return "".join(out)


def test_the_shipped_hints_and_anchors_are_rewritten_as_token_by_token() -> None:
    from gardener.ingest.runner_log.anchors import RULES

    shipped = [h for group in prefilter().hints for h in group] + [r.pattern.pattern for r in RULES]
    for source in shipped:
        for drop in (True, False):
            assert _rewrite(source, "<S>", "<E>", drop) == _by_tokens(source, "<S>", "<E>", drop)


@given(st.text(alphabet="ab^$[]\\bBAzZ\n(?:)|-é", max_size=16), st.booleans())
@example("[^]^$]\\b[\\]^]$\\", True)
@example("\\", False)
@example("[abc\\", True)
@example("[^]", False)
def test_any_source_is_rewritten_as_token_by_token(source: str, drop: bool) -> None:
    assert _rewrite(source, "<S>", "<E>", drop) == _by_tokens(source, "<S>", "<E>", drop)
