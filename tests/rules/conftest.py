"""Fixtures the rule tests share."""

from __future__ import annotations

import pytest

from gardener.config import Config


@pytest.fixture(scope="module")
def config() -> Config:
    """The default configuration (builtin rule pack), built once per test module."""
    return Config()
