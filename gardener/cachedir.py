"""Where gardener keeps what it can rebuild: $GARDENER_CACHE, else $XDG_CACHE_HOME/gardener, else ~/.cache/gardener.

Stdlib only and cheap to import: the download cache (sources/cache.py, which also honours the config's
`cache_dir`), the parsed rule pack (rules/pack_cache.py), the anchor rules' needles
(ingest/runner_log/anchor_needles.py) and compiled templates (render.py) live under it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

ENV = "GARDENER_CACHE"


def user_cache_root(environ: Mapping[str, str], configured: Path | None = None) -> Path:
    """$GARDENER_CACHE, else `configured` (the config's cache_dir), else $XDG_CACHE_HOME/gardener, else
    ~/.cache/gardener."""
    if environ.get(ENV, "").strip():
        return Path(environ[ENV].strip()).expanduser()
    if configured is not None:
        return configured
    xdg = environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(xdg) if xdg else Path.home() / ".cache") / "gardener"
