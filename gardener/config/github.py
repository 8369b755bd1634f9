"""`[gardener.github]`: the tracker policy (caps, cooldowns, reopen window, labels, pacing).

    [gardener.github]
    apply = false                 # same as --apply
    repo = "owner/name"           # default: --repo, else $GITHUB_REPOSITORY (with --apply)
    api_url = "https://api.github.com"
    bot_label = "gardener"        # marks gardener's issues; how they are found again
    category_prefix = "failing-test:"
    max_new_issues = 10           # per run; the rest are deferred (listed in the worklog)
    comment_cooldown_days = 3     # a "still failing" comment at most this often
    reopen_window_days = 90       # closed longer ago: file a new issue that links the old one
    lookback_days = 365           # closed gardener issues updated within this are read back
    write_interval = 1.0          # seconds between writes
    max_wait = 60                 # longest single wait for a rate limit or retry, seconds
    max_attempts = 4              # tries per request
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

from gardener import regex as re
from gardener.errors import ConfigError
from gardener.model import TrackerPolicy

REPO = re.lazy(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")
LABEL = re.lazy(r"[^,\s][^,]{0,49}")
# config key -> TrackerPolicy field, for the keys whose names differ
RENAMED = {"write_interval": "write_interval_s", "max_wait": "max_wait_s"}
NUMBERS = {
    "max_new_issues": (0, 1000),
    "comment_cooldown_days": (0, 3650),
    "reopen_window_days": (0, 36500),
    "lookback_days": (1, 36500),
    "write_interval": (0, 60),
    "max_wait": (0, 3600),
    "max_attempts": (1, 20),
}


def parse_github(raw: object, source: str) -> TrackerPolicy:
    if not isinstance(raw, dict):
        raise ConfigError(source, "github", "must be a table")
    known = {f.name for f in fields(TrackerPolicy)} - set(RENAMED.values()) | set(RENAMED)
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(source, f"github.{unknown[0]}", f"unknown key; expected one of {', '.join(sorted(known))}")
    values: dict[str, Any] = {RENAMED.get(str(k), str(k)): _check(str(k), v, source) for k, v in raw.items()}
    return replace(TrackerPolicy(), **values)


def _check(key: str, value: object, source: str) -> object:
    where = f"github.{key}"
    if key == "apply":
        if not isinstance(value, bool):
            raise ConfigError(source, where, "must be true or false")
        return value
    if key in NUMBERS:
        low, high = NUMBERS[key]
        integer = key in ("max_new_issues", "max_attempts")
        ok_type = isinstance(value, int) if integer else isinstance(value, int | float)
        if isinstance(value, bool) or not ok_type or not low <= value <= high:  # type: ignore[operator]
            kind = "an integer" if integer else "a number"
            raise ConfigError(source, where, f"must be {kind} from {low} to {high}")
        return value if integer else float(value)  # type: ignore[arg-type]
    if not isinstance(value, str) or not value:
        raise ConfigError(source, where, "must be a non-empty string")
    if key == "repo" and not REPO.fullmatch(value):
        raise ConfigError(source, where, f"expected OWNER/NAME, got {value!r}")
    if key == "api_url" and not value.startswith(("https://", "http://")):
        raise ConfigError(source, where, "must be an http(s) URL")
    if key == "bot_label" and not LABEL.fullmatch(value):
        raise ConfigError(source, where, "must be a label name of 1 to 50 characters without commas")
    if key == "category_prefix" and (len(value) > 30 or "," in value):
        raise ConfigError(source, where, "must be at most 30 characters, without commas")
    return value
