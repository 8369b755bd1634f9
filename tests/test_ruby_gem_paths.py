"""The paths that make a Ruby backtrace frame someone else's code (an installed gem, Bundler's vendor/, the
interpreter's library) are one list: the RSpec and minitest readers and the key's failing location read the same."""

from __future__ import annotations

import ast
from pathlib import Path

import gardener

PACKAGE = Path(gardener.__file__).parent


def _modules_spelling(literal: str) -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(n, ast.Constant) and n.value == literal for n in ast.walk(tree)):
            found.append(str(path.relative_to(PACKAGE)))
    return found


def test_the_gem_frame_paths_are_spelled_once() -> None:
    assert len(_modules_spelling("/gems/")) == 1
    assert len(_modules_spelling("vendor/")) == 1


def test_a_gem_vendored_or_interpreter_frame_is_not_the_projects() -> None:
    from gardener.ruby_paths import in_project

    assert in_project("./app/models/order.rb") and in_project("spec/models/order_spec.rb")
    assert not in_project("/usr/local/bundle/gems/activerecord-7.1.2/lib/active_record/base.rb")
    assert not in_project("vendor/bundle/ruby/3.2.0/gems/rack-3.0.8/lib/rack.rb")
    assert not in_project("/usr/lib/ruby/3.2.0/net/http.rb")
