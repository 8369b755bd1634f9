"""A GitHub Actions run as gardener's inputs: the run, its jobs (every attempt), the failed jobs' logs and
the report artifacts, downloaded once (cache), unzipped safely, ingested, and merged across attempts.

    read_run(client, repo, run_id, attempt=None, cache=..., budget=...) -> RunInputs
    list_runs(client, repo, ...) -> tuple[RunInfo, ...]

`client` is anything with the ActionsAPI protocol (gardener.github.actions.GitHubActions in real use);
this package never imports PyGithub.
"""

from gardener.sources.cache import Cache, cache_root
from gardener.sources.model import ActionsAPI, RunInfo, RunInputs, SourceUnavailable, Traffic
from gardener.sources.read import Budget, list_runs, read_run
from gardener.sources.runref import RunRef, parse_run

__all__ = ["ActionsAPI", "Budget", "Cache", "RunInfo", "RunInputs", "RunRef", "SourceUnavailable", "Traffic",
           "cache_root", "list_runs", "parse_run", "read_run"]
