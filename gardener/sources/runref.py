"""What `--github-run RUN` names: a run URL (github.com, a GitHub Enterprise host, a sandbox) or a run id.

    https://github.com/o/r/actions/runs/123
    https://github.com/o/r/actions/runs/123/attempts/2
    https://github.com/o/r/actions/runs/123/job/456
    https://ghe.example.com/o/r/actions/runs/123          (API at https://ghe.example.com/api/v3)
    123  (with --repo o/r)

Pure: parsing only, no request. The API URL is derived from the host (api.github.com for github.com,
`<host>/api/v3` for any other host, which the sandbox answers too); an explicit --github-url wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlparse

from gardener import regex as re
from gardener.errors import ConfigError

GITHUB_COM = "github.com"
DEFAULT_API = "https://api.github.com"
_REPO = re.lazy(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")
_PATH = re.lazy(
    r"^/(?P<owner>[A-Za-z0-9][A-Za-z0-9-]{0,38})/(?P<repo>[A-Za-z0-9._-]{1,100})/actions/runs/(?P<run>\d{1,19})"
    r"(?:/attempts/(?P<attempt>\d{1,4}))?(?:/jobs?/(?P<job>\d{1,19}))?/?$"
)


@dataclass(frozen=True, slots=True)
class RunRef:
    """One workflow run: repository, id, and optionally the attempt and job the URL pointed at."""

    repo: str
    run_id: int
    attempt: int | None = None
    job_id: int | None = None
    api_url: str | None = None  # None: a bare id, the caller's --github-url / environment decides
    html_url: str | None = None


def parse_run(text: str, repo: str | None = None, *, field: str = "--github-run") -> RunRef:
    """A RunRef from a run URL or a run id (which needs `repo`); ConfigError naming what is wrong, and
    `field`, the option or argument the user gave it as."""
    raw = text.strip()
    if raw.isdigit():
        if not repo:
            raise ConfigError("command line", field, f"run id {raw} needs --repo OWNER/NAME")
        if not _REPO.fullmatch(repo):
            raise ConfigError("command line", "--repo", f"expected OWNER/NAME, got {repo!r}")
        return RunRef(repo=repo, run_id=int(raw))
    url = urlparse(raw)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise ConfigError("command line", field,
                          f"expected a run URL (https://HOST/OWNER/REPO/actions/runs/ID) or a run id, got {raw!r}")
    path = url.path
    if path.startswith("/api/v3/repos/"):  # an API URL of a run, pasted from a JSON answer
        path = path[len("/api/v3/repos") :]
    elif path.startswith("/repos/"):
        path = path[len("/repos") :]
    m = _PATH.match(path)
    if m is None:
        raise ConfigError("command line", field, f"not a workflow run URL: {raw!r}")
    found = f"{m.group('owner')}/{m.group('repo')}"
    if repo and repo.lower() != found.lower():
        raise ConfigError("command line", "--repo", f"{repo} differs from the run URL's repository {found}")
    if m.group("attempt") and int(m.group("attempt")) < 1:
        raise ConfigError("command line", field, f"attempts are numbered from 1: {raw!r}")
    host = url.hostname.lower()
    netloc = url.netloc.rsplit("@", 1)[-1]  # never keep credentials pasted into a URL
    on_dotcom = host in (GITHUB_COM, "www.github.com", "api.github.com")
    api = DEFAULT_API if on_dotcom else f"{url.scheme}://{netloc}/api/v3"
    run_id = int(m.group("run"))
    return RunRef(
        repo=found,
        run_id=run_id,
        attempt=int(m.group("attempt")) if m.group("attempt") else None,
        job_id=int(m.group("job")) if m.group("job") else None,
        api_url=api,
        html_url=f"{url.scheme}://{netloc}/{found}/actions/runs/{run_id}",
    )
