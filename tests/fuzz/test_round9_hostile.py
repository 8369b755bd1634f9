"""Round 9 (fuzz-9) properties: what the hostile-input round found, generalised over generated inputs.

- a report-log line with any JSON string escapes (lone surrogates included) decodes to text every
  UTF-8 output can write;
- a token split by zero-width characters, or wrapped onto the next line where neither part is a token
  alone, leaves no readable token behind `clean()`.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from gardener.ingest.reportlog import _decode
from gardener.redact import clean

_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
TOKENS = ("ghp_Zq9Xw7V3fuzzTOKENbody0000000000001", "AKIAZQ9XW7V3FUZZ1234", "xoxb-123456789012-fuzzSLACKsecret77")


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


_TEXT = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=12)


@given(st.dictionaries(_TEXT, st.one_of(_TEXT, st.lists(_TEXT, max_size=3)), max_size=4))
@example({"nodeid": "t.py::test_\ud800", "longrepr": ["\udfff"]})
def test_a_decoded_report_log_entry_always_encodes(entry: dict[str, Any]) -> None:
    line = json.dumps({"$report_type": "TestReport", **entry})  # ASCII: surrogates travel as \ud800 escapes
    decoded = _decode(line)
    assert decoded is not None
    for text in _strings(decoded):
        text.encode("utf-8")


@given(st.sampled_from(TOKENS), st.data())
@example(TOKENS[0], None)
def test_a_token_split_by_zero_width_characters_or_a_wrap_is_redacted(token: str, data: Any) -> None:
    if data is None:
        cut, joiner = 8, "\n"
    else:
        cut = data.draw(st.integers(1, len(token) - 1))
        joiner = data.draw(st.sampled_from([*_ZERO_WIDTH, "\u200b\u200b", "\n"]))
    if joiner != "\n" and token[cut - 1] == "-":
        cut -= 1  # after a dash: pinned in test_a_zero_width_character_after_a_dash_inside_a_token_hides_it
    if joiner == "\n":  # after the prefix (a wrap inside it is pinned below), before a head that is a token alone
        cut = min(max(cut, 5), 13)  # (that head is redacted where it stands, its tail is not: redact/secrets)
    shown = clean(f"Error: auth failed for {token[:cut]}{joiner}{token[cut:]} at login\n")
    visible = "".join(ch for ch in shown if ch not in _ZERO_WIDTH).replace("\n", "")
    assert token not in visible
    assert token[-12:] not in visible


@pytest.mark.xfail(strict=True, reason="fuzz-9: a zero-width character right after a dash is kept (GH-<ZWSP>12 is "
                   "gardener's own neutralising, and own_line strips control characters from cleaned text)")
def test_a_zero_width_character_after_a_dash_inside_a_token_hides_it() -> None:
    token = TOKENS[2]
    assert token[-12:] not in clean(f"token {token[:5]}\u200b{token[5:]}")


@pytest.mark.xfail(strict=True, reason="fuzz-9: a token wrapped inside its prefix (`gh` / `p_…`) leaves its body")
def test_a_token_wrapped_inside_its_prefix_is_redacted() -> None:
    token = TOKENS[0]
    assert token[-12:] not in clean(f"token {token[:2]}\n{token[2:]}")
