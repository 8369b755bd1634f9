"""`[gardener.sources]`: reading a GitHub Actions run (`--github-run`).

    [gardener.sources]
    cache_dir = "~/.cache/gardener"     # job logs and artifacts, by id; $GARDENER_CACHE wins
    artifacts = ["*test*", "*junit*", "*report*", "*results*"]   # artifact names to read (globs)
    max_log_mib = 512                  # a job log is read up to this size and marked partial
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gardener.errors import ConfigError

DEFAULT_ARTIFACTS = ("*test*", "*junit*", "*report*", "*results*")


@dataclass(frozen=True, slots=True)
class SourcesPolicy:
    cache_dir: Path | None = None  # None: $GARDENER_CACHE, else $XDG_CACHE_HOME/gardener, else ~/.cache/gardener
    artifacts: tuple[str, ...] = DEFAULT_ARTIFACTS
    max_log_bytes: int = 512 * 1024 * 1024


def parse_sources(raw: object, source: str, base_dir: Path) -> SourcesPolicy:
    if not isinstance(raw, dict):
        raise ConfigError(source, "sources", "must be a table")
    unknown = sorted(set(raw) - {"cache_dir", "artifacts", "max_log_mib"})
    if unknown:
        raise ConfigError(source, f"sources.{unknown[0]}", "unknown key; expected cache_dir, artifacts, max_log_mib")
    policy = SourcesPolicy()
    cache = raw.get("cache_dir")
    if cache is not None:
        if not isinstance(cache, str) or not cache:
            raise ConfigError(source, "sources.cache_dir", "must be a non-empty path string")
        path = Path(cache).expanduser()
        policy = SourcesPolicy(path if path.is_absolute() else base_dir / path, policy.artifacts, policy.max_log_bytes)
    globs = raw.get("artifacts", list(DEFAULT_ARTIFACTS))
    if not isinstance(globs, list) or not all(isinstance(g, str) and g for g in globs):
        raise ConfigError(source, "sources.artifacts", "must be a list of name globs such as \"*junit*\"")
    mib = raw.get("max_log_mib", 512)
    if not isinstance(mib, int) or isinstance(mib, bool) or not 1 <= mib <= 65536:
        raise ConfigError(source, "sources.max_log_mib", "must be a whole number of MiB from 1 to 65536")
    return SourcesPolicy(policy.cache_dir, tuple(globs), mib * 1024 * 1024)
