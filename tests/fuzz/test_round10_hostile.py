"""Round 10 (fuzz-10) properties: what the hostile-input round found, generalised over generated inputs.

- raw text cut to a width by `cut_raw` (a finding's quoted words, a reader's message kept to a size) never leaves
  a piece of a token that redaction would not know: whatever the text around it and wherever the cut falls, the
  cut text, cleaned, shows none of the token's body.
"""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from gardener.redact import clean
from gardener.redact.text import cut_raw

TOKENS = ("glpat-Zq9Xw7V3fuzzTOKENbody01", "ghp_Zq9Xw7V3fuzzTOKENbody0000000000001", "AKIAZQ9XW7V3FUZZ1234",
          "xoxb-123456789012-fuzzSLACKsecret77", "npm_Zq9Xw7V3fuzzTOKENbody0000000000001")
_AROUND = st.text(alphabet=st.sampled_from("ab/.:='\"` -_\t(["), max_size=60)


@given(_AROUND, st.sampled_from(TOKENS), _AROUND, st.integers(0, 160))
@example("Could not find module " + "m" * 33, TOKENS[0], "here", 80)
@example("/nix/store/x", TOKENS[0], "", 30)
def test_a_cut_of_raw_text_shows_no_piece_of_a_token_redaction_would_miss(
        before: str, token: str, after: str, width: int) -> None:
    text = f"{before} {token} {after}"  # a token glued to a word is no token to redaction, cut or not
    cut = cut_raw(text, width)
    assert len(cut) <= width
    assert text.startswith(cut)
    shown = clean(cut)
    body = token[6:]  # past every prefix (`glpat-`, `ghp_`, `AKIA`, `xoxb-`, `npm_`)
    assert not any(body[i:i + 8] in shown for i in range(len(body) - 7))
