"""What `gardener run` was told about history, and the settings the pipeline gets from it.

Loaded when `run` runs (by the options' wrapper in gardener/cli_history.py): declaring the options, and
so `--help`, defines no dataclass.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from gardener.history.hook import HistorySettings
    from gardener.sources.model import RunInfo


@dataclass(frozen=True, slots=True)
class HistoryChoice:
    """What `gardener run` was told about history."""

    location: str | None = None
    off: bool = False
    commit: str | None = None
    branch: str | None = None
    run_id: str | None = None
    started_at: str | None = None


def history_settings(choice: HistoryChoice, base_dir: Path, repo: str | None, config_repo: str | None,
                     environ: Mapping[str, str], github_run: RunInfo | None = None) -> HistorySettings | None:
    if choice.off:
        return None
    from gardener.history.hook import HistorySettings, location_for
    from gardener.history.meta import MetaOptions, run_layer

    meta = MetaOptions(repo=repo or config_repo, commit=choice.commit, branch=choice.branch, run_id=choice.run_id,
                       started_at=choice.started_at)
    return HistorySettings(location=location_for(choice.location, environ, base_dir), meta=meta, cwd=base_dir,
                           environ=dict(environ), fallback_repo=f"local/{base_dir.resolve().name or 'root'}",
                           github=run_layer(github_run) if github_run is not None else {})
