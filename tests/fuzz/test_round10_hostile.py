"""Round 10 (fuzz-10) properties: what the hostile-input round found, generalised over generated inputs.

- raw text cut to a width by `cut_raw`, or its end kept by `tail_raw` (a finding's quoted words, a reader's message
  kept to a size), never leaves a piece of a token that redaction would not know: whatever the text around it and
  wherever the cut falls, the cut text, cleaned, shows none of the token's body;
- a token split by any character Unicode says nothing draws (Default_Ignorable_Code_Point) is redacted.
"""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from gardener.line_category import name_line
from gardener.priority_runner import outside_any_test
from gardener.redact import clean
from gardener.redact.text import cut_raw, tail_raw

TOKENS = ("glpat-Zq9Xw7V3fuzzTOKENbody01", "ghp_Zq9Xw7V3fuzzTOKENbody0000000000001", "AKIAZQ9XW7V3FUZZ1234",
          "xoxb-123456789012-fuzzSLACKsecret77", "npm_Zq9Xw7V3fuzzTOKENbody0000000000001")
_AROUND = st.text(alphabet=st.sampled_from("ab/.:='\"` -_\t(["), max_size=60)


@given(_AROUND, st.sampled_from(TOKENS), _AROUND, st.integers(0, 160))
@example("Could not find module " + "m" * 33, TOKENS[0], "here", 80)
@example("/nix/store/x", TOKENS[0], "", 30)
def test_a_cut_of_raw_text_shows_no_piece_of_a_token_redaction_would_miss(
        before: str, token: str, after: str, width: int) -> None:
    text = f"{before} {token} {after}"  # a token glued to a word is no token to redaction, cut or not
    head, tail = cut_raw(text, width), tail_raw(text, width)
    assert len(head) <= width and len(tail) <= width
    assert text.startswith(head) and text.endswith(tail)
    body = token[6:]  # past every prefix (`glpat-`, `ghp_`, `AKIA`, `xoxb-`, `npm_`)
    for shown in (clean(head), clean(tail)):
        assert not any(body[i:i + 8] in shown for i in range(len(body) - 7))


# Unicode's Default_Ignorable_Code_Point ranges (DerivedCoreProperties.txt), restated here as the spec.
_IGNORABLE = st.one_of(*(st.integers(lo, hi) for lo, hi in (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F),
    (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF)))).map(chr)


@given(st.sampled_from(TOKENS[:3] + TOKENS[4:]), st.data())
def test_a_token_split_by_any_invisible_character_is_redacted(token: str, data: st.DataObject) -> None:
    cut = data.draw(st.integers(5, len(token) - 1))  # inside the body: a cut inside the prefix is round 9's pin
    invisible = data.draw(st.lists(_IGNORABLE, min_size=1, max_size=3).map("".join))
    shown = clean(f"Error: auth failed for {token[:cut]}{invisible}{token[cut:]} at login")
    assert token[-12:] not in "".join(ch for ch in shown if ch not in invisible)


# Code merged at 19:20 quoted raw words cut with a slice again: an exception's line with its stack under it
# (line_category) and the goal of a Maven plugin that threw (priority_runner) kept a token's head; cut_raw now.
def test_words_quoted_from_an_exception_line_or_a_maven_goal_show_no_piece_of_a_token() -> None:
    token, body = TOKENS[0], TOKENS[0][6:]
    named = name_line(f"Widget{'q' * 20}: widget {'q' * 25} {token} here", [], ["    at com.acme.W.spin(W.java:12)"])
    goal = outside_any_test(f"Execution default of goal {'a' * 54}:token={token} failed: NullPointerException")
    assert named is not None and "with its stack under it" in named.words and "Maven reports" in goal
    for shown in (clean(named.words), clean(goal)):
        assert not any(body[i:i + 8] in shown for i in range(len(body) - 7))
