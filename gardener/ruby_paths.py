"""Whose code a Ruby backtrace frame is in, read from its file path: the one list the RSpec and minitest readers and
the key's failing location (rules/keys.py) share, so a frame one calls a gem's the others do too."""

from __future__ import annotations

# An installed gem (`/usr/local/bundle/gems/x-1.0/lib/x.rb`), Bundler's `vendor/bundle`, the interpreter's library
# (`/usr/lib/ruby/3.2.0/net/http.rb`) or its internals (`<internal:kernel>`): where an error surfaced, not the
# project's code.
NOT_OURS = ("vendor/", "/gems/", "/ruby/", "<internal:")


def in_project(path: str) -> bool:
    """True when the frame's file is the project's own (no gem, vendored or interpreter path)."""
    return not any(part in path for part in NOT_OURS)
