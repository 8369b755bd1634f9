"""The download cache: a completed job's log and an artifact never change, so each is fetched once.

    <root>/<api host>/<owner>/<repo>/jobs/<job id>.log        the log (its start and end when over the cap: partial)
    <root>/<api host>/<owner>/<repo>/jobs/<job id>.json       {"bytes", "partial", "cap", "left_out"}
    <root>/<api host>/<owner>/<repo>/artifacts/<id>/          the archive's files, extracted
    <root>/<api host>/<owner>/<repo>/artifacts/<id>.json      {"files", "bytes"} or {"refused": reason}

The root is $GARDENER_CACHE, else `[gardener.sources] cache_dir`, else $XDG_CACHE_HOME/gardener, else
~/.cache/gardener. An entry's .json is written last (atomically), so an entry without one is not there;
work in progress lives in `<root>/tmp/`, gardener's own temporary folder, and is moved in by rename.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from gardener import regex as re
from gardener.cachedir import ENV as ENV  # re-exported: the download cache's variable
from gardener.cachedir import user_cache_root

_UNSAFE = re.lazy(r"[^A-Za-z0-9._-]+")


def cache_root(configured: Path | None, environ: Mapping[str, str]) -> Path:
    return user_cache_root(environ, configured)


class Cache:
    """The entries of one repository on one API host."""

    def __init__(self, root: Path, api_url: str, repo: str) -> None:
        host = _UNSAFE.sub("_", urlparse(api_url).netloc or "local")
        owner, name = (_UNSAFE.sub("_", p) for p in repo.split("/", 1))
        self.root = root
        self.base = root / host / owner / name

    def tmpdir(self) -> Path:
        """A fresh folder of gardener's own, on the cache's file system (so finished work moves in by rename)."""
        parent = self.root / "tmp"
        parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix="gardener-", dir=parent))

    # -- job logs ------------------------------------------------------------------------------------

    def log_path(self, job_id: int) -> Path:
        return self.base / "jobs" / f"{job_id}.log"

    def log(self, job_id: int) -> dict[str, Any] | None:
        meta = _read_json(self.base / "jobs" / f"{job_id}.json")
        return meta if meta is not None and self.log_path(job_id).is_file() else None

    def put_log(self, job_id: int, downloaded: Path, meta: dict[str, Any]) -> Path:
        target = self.log_path(job_id)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(downloaded, target)
        _write_json(self.base / "jobs" / f"{job_id}.json", meta)
        return target

    # -- artifacts -----------------------------------------------------------------------------------

    def artifact_dir(self, artifact_id: int) -> Path:
        return self.base / "artifacts" / str(artifact_id)

    def artifact(self, artifact_id: int) -> dict[str, Any] | None:
        return _read_json(self.base / "artifacts" / f"{artifact_id}.json")

    def put_artifact(self, artifact_id: int, extracted: Path | None, meta: dict[str, Any]) -> Path:
        target = self.artifact_dir(artifact_id)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():  # a half-finished earlier attempt (no .json): replace it
            shutil.rmtree(target)
        if extracted is not None:
            try:
                os.replace(extracted, target)
            except OSError:
                if not target.is_dir():
                    raise
                shutil.rmtree(extracted, ignore_errors=True)  # another gardener put the same files in first
        _write_json(self.base / "artifacts" / f"{artifact_id}.json", meta)
        return target


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)
