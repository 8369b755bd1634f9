"""Suspect commits cached on disk by SHA pair: a comparison of two commits never changes, so each pair is
fetched once, whichever run asks (`<cache root>/suspects/<owner>_<repo>/compare/<good>...<bad>.json`)."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from gardener import regex as re  # RE2: linear time on untrusted text
from gardener.model import SuspectCommit
from gardener.over_time import Compare

_SHA = re.lazy(r"[0-9A-Za-z._-]{1,100}")


def cached(fetch: Compare, base: Path) -> Compare:
    def compare(good: str, bad: str) -> Sequence[SuspectCommit]:
        if not (_SHA.fullmatch(good) and _SHA.fullmatch(bad)):
            return fetch(good, bad)
        path = base / "compare" / f"{good}...{bad}.json"
        try:
            rows = json.loads(path.read_text(encoding="utf-8"))
            return tuple(SuspectCommit(str(r["sha"]), str(r["author"]), str(r["subject"]), tuple(r["files"]))
                         for r in rows)
        except (OSError, ValueError, KeyError, TypeError):
            pass
        commits = tuple(fetch(good, bad))
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_text(json.dumps([{"sha": c.sha, "author": c.author, "subject": c.subject, "files": list(c.touches)}
                                   for c in commits]), encoding="utf-8")
        os.replace(tmp, path)
        return commits

    return compare
