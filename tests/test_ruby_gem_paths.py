"""The paths that make a Ruby backtrace frame someone else's code (an installed gem, Bundler's vendor/, the
interpreter's library) are one list: the RSpec and minitest readers and the key's failing location read the same."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import gardener

PACKAGE = Path(gardener.__file__).parent


def _modules_spelling(literal: str) -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(n, ast.Constant) and n.value == literal for n in ast.walk(tree)):
            found.append(str(path.relative_to(PACKAGE)))
    return found


@pytest.mark.xfail(strict=True, reason="three copies of the Ruby gem-frame path list (rules/keys.py, rspec.py, "
                   "minitest.py), one already differing (`<internal:`)")
def test_the_gem_frame_paths_are_spelled_once() -> None:
    assert len(_modules_spelling("/gems/")) == 1
    assert len(_modules_spelling("vendor/")) == 1
