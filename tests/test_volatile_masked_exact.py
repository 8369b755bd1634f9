"""volatile_masked keeps no split of every text (it counts shapes by hash, then splits the candidates
again): its answer must equal the plain definition, one set of values per position of every shape."""

from __future__ import annotations

import random

from gardener.normalize import (
    _CANDIDATE,
    _MAX_CANDIDATES,
    VOLATILE,
    VOLATILE_MIN_DISTINCT,
    _volatile_like,
    volatile_masked,
)


def _reference(texts: list[str]) -> dict[str, str]:
    """The definition, written the direct way (what volatile_masked did before it was made lean)."""
    split: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    values: dict[tuple[str, ...], list[set[str]]] = {}
    unique = list(dict.fromkeys(texts))
    for text in unique:
        found = [(m.start(), m.end(), m.group(0)) for m in _CANDIDATE.finditer(text) if _volatile_like(m.group(0))]
        if not found or len(found) > _MAX_CANDIDATES:
            continue
        literals, tokens, at = [], [], 0
        for start, end, token in found:
            literals.append(text[at:start])
            tokens.append(token)
            at = end
        literals.append(text[at:])
        shape = tuple(literals)
        split[text] = (shape, tuple(tokens))
        seen = values.setdefault(shape, [set() for _ in tokens])
        for position, token in enumerate(tokens):
            seen[position].add(token)
    out: dict[str, str] = {}
    for text in unique:
        if text not in split:
            out[text] = text
            continue
        shape, kept = split[text]
        parts = [shape[0]]
        for position, token in enumerate(kept):
            many = len(values[shape][position]) >= VOLATILE_MIN_DISTINCT
            parts += [VOLATILE if many else token, shape[position + 1]]
        out[text] = "".join(parts)
    return out


def test_equals_the_definition_on_mixed_shapes() -> None:
    rnd = random.Random(5)
    stems = ["db-{}:5432 refused", "job {} took <n>s on agent {}", "/tmp/{}/{}.lock busy", "KeyError: 'f_{}'",
             "plain words only", "tests/test_{}.py::test_x[{}] failed", "port {} in use by pid {}"]
    texts = []
    for _ in range(600):
        stem = rnd.choice(stems)
        # few values at some positions (they stay), many at others (they become <var>)
        texts.append(stem.format(*(str(rnd.randrange(3 if i else 40)) for i in range(stem.count("{}")))))
    texts += texts[:50]  # repeats count once
    got = volatile_masked(texts)
    assert got == _reference(texts)
    assert list(got) == list(dict.fromkeys(texts))  # same order
    assert any(VOLATILE in v for v in got.values()) and any(k == v for k, v in got.items())


def test_below_the_threshold_nothing_is_masked() -> None:
    texts = [f"api-{i}:8080 down" for i in range(VOLATILE_MIN_DISTINCT - 1)]
    assert volatile_masked(texts) == _reference(texts) == {t: t for t in texts}
