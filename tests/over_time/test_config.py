"""`[gardener.over_time]`: defaults, overrides, and one-line errors naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.config import load_config
from gardener.errors import ConfigError
from gardener.model import OverTimePolicy


def _load(tmp_path: Path, body: str) -> OverTimePolicy:
    path = tmp_path / "gardener.toml"
    path.write_text("[gardener.over_time]\n" + body, encoding="utf-8")
    return load_config(path).over_time


def test_defaults_and_overrides(tmp_path: Path) -> None:
    assert _load(tmp_path, "") == OverTimePolicy()
    got = _load(tmp_path, "raise_at = 4\nlower_below = 2\nimpact_window_days = 1\nclose_after_days = 0.5\n")
    assert (got.raise_at, got.lower_below, got.impact_window_days, got.close_after_days) == (4, 2, 1.0, 0.5)


@pytest.mark.parametrize(("body", "key"), [
    ("raise_at = 0\n", "over_time.raise_at"),
    ("raise_at = 3\nlower_below = 4\n", "over_time.lower_below"),
    ("flaky_rate_high = 1.5\n", "over_time.flaky_rate_high"),
    ("close_after_runs = true\n", "over_time.close_after_runs"),
    ("clos_after_runs = 3\n", "over_time.clos_after_runs"),
])
def test_bad_values_are_one_line_errors(tmp_path: Path, body: str, key: str) -> None:
    with pytest.raises(ConfigError) as err:
        _load(tmp_path, body)
    assert key in str(err.value) and "\n" not in str(err.value)
