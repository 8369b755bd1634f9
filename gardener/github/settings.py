"""Where the tracker is and how to reach it: options, config and the environment, in that order.

- repository: `--repo`, else `[gardener.github] repo`, else `GITHUB_REPOSITORY` (only with --apply:
  a local dry run never reaches out to GitHub because a variable happens to be set);
- API URL: `--github-url`, else `[gardener.github] api_url`, else `GITHUB_API_URL`, else api.github.com;
- token: `GITHUB_TOKEN`, else `GH_TOKEN`; never printed, and added to the values redacted from output.

Also the CI facts an issue shows ("where it was seen"), from GitHub Actions' variables.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlparse

from gardener.config.github import REPO
from gardener.errors import ConfigError
from gardener.model import TrackerPolicy

DEFAULT_API_URL = "https://api.github.com"


@dataclass(frozen=True, slots=True)
class TrackerSettings:
    repo: str
    api_url: str
    token: str | None = field(default=None, repr=False)


def is_loopback(url: str) -> bool:
    """A tracker on this machine (the sandbox): nothing to be polite to, so writes need no pacing."""
    host = urlparse(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def token_from(environ: Mapping[str, str]) -> str | None:
    for name in ("GITHUB_TOKEN", "GH_TOKEN"):
        value = environ.get(name, "").strip()
        if value:
            return value
    return None


def resolve(repo: str | None, api_url: str | None, policy: TrackerPolicy, environ: Mapping[str, str],
            apply: bool) -> TrackerSettings | None:
    """The tracker to use, or None for a run without one (a plain dry run)."""
    name = repo or policy.repo or (environ.get("GITHUB_REPOSITORY", "").strip() if apply else "")
    if not name:
        if apply:
            raise ConfigError("command line", "--apply", "needs a repository: --repo OWNER/NAME, "
                              "[gardener.github] repo, or GITHUB_REPOSITORY")
        return None
    if not REPO.fullmatch(name):
        raise ConfigError("command line", "--repo", f"expected OWNER/NAME, got {name!r}")
    token = token_from(environ)
    if apply and token is None:
        raise ConfigError("environment", "GITHUB_TOKEN", "--apply needs a token in GITHUB_TOKEN or GH_TOKEN")
    url = api_url or policy.api_url or environ.get("GITHUB_API_URL", "").strip() or DEFAULT_API_URL
    if not url.startswith(("https://", "http://")):
        raise ConfigError("command line", "--github-url", f"must be an http(s) URL, got {url!r}")
    return TrackerSettings(name, url.rstrip("/"), token)
