"""`ingest --json`'s results (serialize.result_dicts, ids cleaned a batch at a time) are exactly
`result_dict` of each result, hostile text included."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gardener.model import Result, Source
from gardener.serialize import result_dict, result_dicts

_TEXTS = st.one_of(
    st.text(max_size=40),
    st.sampled_from([
        "tests/test_a.py::test_x", "@octocat", "see #12", "GH-7", "ghp_" + "a1B2" * 9, "::set-output name=x::1",
        "\x1b[31mred\x1b[0m", "<!-- hidden -->", "AKIA" + "ABCDEFGHIJKLMNOP", "token=" + "x" * 30, "",
    ]),
)


@st.composite
def _results(draw: st.DrawFn) -> Result:
    return Result(
        id=draw(_TEXTS),
        outcome=draw(st.sampled_from(["passed", "failed", "error", "skipped", "flaky"])),
        source=Source("r.xml", "junit"), source_line=draw(st.one_of(st.none(), st.integers(1, 10**6))),
        variant=draw(_TEXTS),
        message=draw(_TEXTS),
        error_type=draw(_TEXTS),
        file=draw(st.one_of(st.none(), _TEXTS)),
        line=draw(st.one_of(st.none(), st.integers(0, 10**6))),
    )


@settings(max_examples=60)
@given(st.lists(_results(), max_size=150))
def test_result_dicts_are_result_dict_of_each(results: list[Result]) -> None:
    assert list(result_dicts(results)) == [result_dict(r) for r in results]
