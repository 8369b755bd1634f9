"""One gather of each round's data folder per session, shared by the invariants module and the round's own module
(so no gardener call runs twice)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.scenarios.cli_runs import Outputs, gather_round, load_round


@pytest.fixture(scope="session")
def round_outputs(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], Outputs]:
    """`round_outputs(folder)`: every gardener call of that round, started at once on first use, then kept."""
    done: dict[Path, Outputs] = {}

    def outputs_of(folder: Path) -> Outputs:
        if folder not in done:
            done[folder] = gather_round(load_round(folder), tmp_path_factory.mktemp(folder.name))
        return done[folder]

    return outputs_of
