"""`gardener history …` and the history options of `gardener run`: click only, the work is in gardener/history.

Importing this module costs click alone (cli.py's cold-start rule): no stdlib module click does not load
itself (json, pathlib, dataclasses), and config, the store (sqlite3, psycopg) and everything else load
inside the commands.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import click

from gardener.cli_click import FILE, GardenerGroup

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from gardener.history.store import Store
    from gardener.history.summary import Summary

F = TypeVar("F", bound=Callable[..., Any])


def history_options(f: F) -> F:
    """Adds --history, --no-history, --commit, --branch, --run-id, --started-at; the command receives them
    as one `history: HistoryChoice` argument (gardener/cli_run_history.py)."""
    names = ("location", "off", "commit", "branch", "run_id", "started_at")

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from gardener.cli_run_history import HistoryChoice

        values = {n: kwargs.pop(f"history_{n}") for n in names}
        return f(*args, history=HistoryChoice(**values), **kwargs)

    options = [
        click.option("--history", "history_location", metavar="PATH|URL",
                     help="History store: a SQLite file or postgresql://… (default: $GARDENER_HISTORY_URL, else "
                          ".gardener/history.sqlite beside the config)."),
        click.option("--no-history", "history_off", is_flag=True, envvar="GARDENER_NO_HISTORY",
                     help="Do not record this run (nor read history for the documents)."),
        click.option("--commit", "history_commit", metavar="SHA", help="The commit the run tested (for history)."),
        click.option("--branch", "history_branch", help="The branch the run tested (for history)."),
        click.option("--run-id", "history_run_id", metavar="ID", help="The GitHub Actions run id (for history)."),
        click.option("--started-at", "history_started_at", metavar="ISO-TIME",
                     help="When the run started (default: the reports' own timestamps, else now)."),
    ]
    out: Callable[..., Any] = wrapper
    for option in reversed(options):
        out = option(out)
    return out  # type: ignore[return-value]


# ---- gardener history ------------------------------------------------------------------------------


@click.group("history", cls=GardenerGroup)
@click.option("--history", "location", metavar="PATH|URL",
              help="The store (default: $GARDENER_HISTORY_URL, else .gardener/history.sqlite beside the config).")
@click.option("--config", "config_path", type=FILE,
              help="gardener.toml or pyproject.toml whose folder holds the default store.")
def history_group(location: str | None, config_path: str | None) -> None:
    """What earlier runs recorded: per test and finding, flaky tests, runs; pruning; a dead-man check."""
    # Nothing to do here: this runs before a subcommand's --help too. The subcommands read the two options
    # from this group's context when they run (`_group_option`).


def _group_option(ctx: click.Context, name: str) -> str | None:
    """`gardener history`'s own --history or --config (by parameter name), as given to the group."""
    group: click.Context | None = ctx
    while group is not None and group.command is not history_group:
        group = group.parent
    value = group.params.get(name) if group is not None else None
    return value if isinstance(value, str) else None


def _config_path(ctx: click.Context) -> Path | None:
    from pathlib import Path

    given = _group_option(ctx, "config_path")
    return Path(given) if given else None


def _location(ctx: click.Context) -> str:
    """--history, else $GARDENER_HISTORY_URL, else the default file beside the config (read only now, so a
    subcommand's --help loads nothing)."""
    import os

    from gardener.config import load_config
    from gardener.history.hook import location_for

    location = _group_option(ctx, "location")
    if location:
        return location
    return location_for(None, os.environ, load_config(_config_path(ctx)).base_dir)


def _open(ctx: click.Context) -> Store:
    from pathlib import Path

    from gardener.history.errors import HistoryError
    from gardener.history.location import parse_location
    from gardener.history.store import open_store

    location = _location(ctx)
    where = parse_location(location)
    if where.kind == "sqlite" and not Path(location).exists():
        raise HistoryError(where.where, "no store here yet (nothing recorded); run `gardener run` first or pass "
                                        "--history")
    return open_store(location)


def _emit(payload: Any) -> None:
    import json

    click.echo(json.dumps(payload, indent=2, ensure_ascii=False))


def _when(at: datetime) -> str:
    from datetime import UTC

    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


def _seen(s: Any) -> dict[str, Any] | None:
    return None if s is None else {"at": s.at.isoformat(), "sha": s.sha}


def _summary_dict(s: Summary, repo: str) -> dict[str, Any]:
    from datetime import UTC, datetime

    from gardener.history.summary import daily, sparkline

    last = s.observations[-1].at if s.observations else datetime.now(UTC)
    return {
        "subject": s.subject, "kind": s.kind, "repo": repo,
        "first_seen": _seen(s.first_seen), "last_seen": _seen(s.last_seen),
        "streak": None if s.streak is None else {"state": s.streak.state, "runs": s.streak.runs,
                                                 "since": _seen(s.streak.since)},
        "rates": {name: {"failures": r.failures, "runs": r.runs, "rate": r.ratio} for name, r in s.rates},
        "suspect": None if s.suspect is None else {"good": _seen(s.suspect.good), "bad": _seen(s.suspect.bad)},
        "sparkline": sparkline(daily(s.observations, max(last, datetime.now(UTC)))),
        "runs": [{"run": o.run, "at": o.at.isoformat(), "sha": o.sha, "branch": o.branch, "outcome": o.outcome}
                 for o in reversed(s.observations[-20:])],
    }


def _summary_text(d: Mapping[str, Any]) -> str:
    def seen(x: Mapping[str, Any] | None) -> str:
        if x is None:
            return "never failed in the window"
        return str(x["at"])[:16].replace("T", " ") + (f" at {str(x['sha'])[:7]}" if x["sha"] else "")

    lines = [f"{d['kind']} {d['subject']}  ({d['repo']})",
             f"  first seen failing: {seen(d['first_seen'])}",
             f"  last seen failing:  {seen(d['last_seen'])}"]
    st = d["streak"]
    lines.append("  streak: no run executed it" if st is None else
                 f"  streak: {st['state']} for {st['runs']} run(s), since {seen(st['since'])}")
    lines.append("  failure rate: " + "  ".join(
        f"{n} {r['failures']}/{r['runs']}" + (f" ({round(100 * r['rate'])}%)" if r["rate"] is not None else "")
        for n, r in d["rates"].items()))
    lines.append(f"  last 14 days: {d['sparkline']}")
    lines.append("  runs (newest first):")
    lines += [f"    {r['at'][:16].replace('T', ' ')}  {(r['sha'] or '-')[:7]:<7}  {r['branch'] or '-'}  {r['outcome']}"
              for r in d["runs"]] or ["    none"]
    return "\n".join(lines)


@history_group.command("show")
@click.argument("subject")
@click.option("--repo", metavar="OWNER/NAME", help="Only this repository.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def show_cmd(ctx: click.Context, subject: str, repo: str | None, as_json: bool) -> None:
    """A test (id, or id[variant]) or a finding (f-… id or signature digest): runs, outcomes, first and last
    seen, current streak, failure rate over 1, 7 and 30 days."""
    from datetime import UTC, datetime, timedelta

    from gardener.history.errors import HistoryError
    from gardener.history.summary import summarise

    now = datetime.now(UTC)
    since = now - timedelta(days=90)
    out: list[dict[str, Any]] = []
    with _open(ctx) as store:
        for frepo, fid, digest, _title in store.findings_named(subject, repo):
            keys = store.finding_test_keys(frepo, digest)
            obs = store.finding_observations(frepo, [(digest, keys)], since)[digest]
            first, last = store.finding_seen(frepo, [digest]).get(digest, (None, None))
            out.append(_summary_dict(summarise(f"{fid} ({digest})", "finding", obs, now, first, last), frepo))
        if not out:
            tests = store.find_tests(subject, repo)
            if len(tests) > 1 and not any(t.name == subject for t in tests):
                names = "; ".join(t.display for t in tests[:5])
                raise HistoryError(subject, f"matches {len(tests)} tests ({names}); give one exactly")
            for t in tests:
                obs = store.test_observations(t.repo, [t.key], since)[t.key]
                out.append(_summary_dict(summarise(t.display, "test", obs, now), t.repo))
    if not out:
        raise HistoryError(subject, "no test or finding by that name in the store")
    if as_json:
        _emit({"subjects": out})
    else:
        click.echo("\n\n".join(_summary_text(d) for d in out))


@history_group.command("flaky")
@click.option("--window", default="7d", show_default=True, help="How far back: 36h, 7d, 2w, …")
@click.option("--repo", metavar="OWNER/NAME", help="Only this repository.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def flaky_cmd(ctx: click.Context, window: str, repo: str | None, as_json: bool) -> None:
    """Tests that both failed and passed within the window, most often failing first."""
    from datetime import UTC, datetime

    from gardener.history.summary import percent
    from gardener.history.window import parse_age

    since = datetime.now(UTC) - parse_age(window, "--window")
    found: list[dict[str, Any]] = []
    with _open(ctx) as store:
        for r in ([repo] if repo else store.repos()):
            tests = store.failing_tests(r, since)
            rates = store.failure_rates(r, [t.key for t in tests], since)
            for t in tests:
                rt = rates[t.key]
                if 0 < rt.failures < rt.runs:
                    found.append({"repo": r, "test": t.display, "failures": rt.failures, "runs": rt.runs,
                                  "rate": rt.ratio})
    found.sort(key=lambda x: (-x["rate"], x["repo"], x["test"]))
    if as_json:
        _emit({"window": window, "flaky": found})
        return
    if not found:
        click.echo(f"no test both failed and passed in the last {window}")
    for x in found:
        click.echo(f"{percent(x['failures'], x['runs']):>5} {x['failures']:>4}/{x['runs']:<4} {x['repo']}  {x['test']}")


@history_group.command("runs")
@click.option("--repo", metavar="OWNER/NAME", help="Only this repository.")
@click.option("--limit", type=int, default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def runs_cmd(ctx: click.Context, repo: str | None, limit: int, as_json: bool) -> None:
    """The latest recorded runs, newest first."""
    with _open(ctx) as store:
        rows = store.runs(repo, limit)
    if as_json:
        _emit({"runs": [{"repo": r.repo, "key": r.run_key, "started_at": r.started_at.isoformat(), "sha": r.sha,
                         "branch": r.branch, "workflow": r.workflow, "job": r.job, "event": r.event, "url": r.url,
                         "tests": r.tests_total, "failing": r.failing_total,
                         "recorded_at": r.recorded_at.isoformat()} for r in rows]})
        return
    if not rows:
        click.echo("no runs recorded")
    for r in rows:
        click.echo(f"{_when(r.started_at)}  {r.repo}  {(r.sha or '-')[:7]:<7}  {r.branch or '-'}  "
                   f"{r.failing_total}/{r.tests_total} failing  {r.url or r.run_key}")


@history_group.command("prune")
@click.option("--keep", default="90d", show_default=True, help="Keep runs that started within this age.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def prune_cmd(ctx: click.Context, keep: str, as_json: bool) -> None:
    """Delete runs older than --keep, and tests no remaining run mentions."""
    from datetime import UTC, datetime

    from gardener.history.window import parse_age

    before = datetime.now(UTC) - parse_age(keep, "--keep")
    with _open(ctx) as store:
        runs, tests = store.prune(before)
    if as_json:
        _emit({"keep": keep, "runs_deleted": runs, "tests_deleted": tests})
    else:
        click.echo(f"pruned {runs} run(s) older than {keep} and {tests} test(s) no longer referenced")


@history_group.command("check")
@click.option("--max-age", default="2d", show_default=True, help="Fail when the latest recorded run is older.")
@click.option("--repo", "repos", multiple=True, metavar="OWNER/NAME", help="Repositories to check (default: all).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def check_cmd(ctx: click.Context, max_age: str, repos: tuple[str, ...], as_json: bool) -> None:
    """Dead-man switch: exit 1 when no run was recorded for a repository within --max-age."""
    from datetime import UTC, datetime

    from gardener.history.window import parse_age

    now = datetime.now(UTC)
    age = parse_age(max_age, "--max-age")
    with _open(ctx) as store:
        last = store.last_recorded()
    wanted = list(repos) or sorted(last)
    rows: list[dict[str, Any]] = [{"repo": r, "last_recorded": last[r].isoformat() if r in last else None,
                                   "ok": r in last and now - last[r] <= age} for r in wanted]
    stale = [x for x in rows if not x["ok"]]
    if as_json:
        _emit({"max_age": max_age, "repos": rows, "ok": bool(rows) and not stale})
    else:
        for x in rows:
            when = x["last_recorded"][:16].replace("T", " ") + " UTC" if x["last_recorded"] else "never"
            click.echo(f"{'ok   ' if x['ok'] else 'STALE'} {x['repo']}: last run recorded {when}")
    if not rows:
        click.echo(f"gardener: history check: no run recorded at all (max age {max_age})", err=True)
        sys.exit(1)
    for x in stale:
        click.echo(f"gardener: history check: no run recorded for {x['repo']} within {max_age}", err=True)
    if stale:
        sys.exit(1)


@history_group.command("sync")
@click.option("--repo", required=True, metavar="OWNER/NAME", help="The repository whose runs are read.")
@click.option("--workflow", help="Only this workflow (its name, or its file such as ci.yml matched by name).")
@click.option("--branch", help="Only runs of this branch.")
@click.option("--since", default="14d", show_default=True, help="Runs created within this age.")
@click.option("--max-requests", type=int, default=1000, show_default=True,
              help="Request budget: no new run is started past it (the next sync goes on).")
@click.option("--limit", type=int, default=300, show_default=True, help="At most this many runs are listed.")
@click.option("--github-url", metavar="URL", help="GitHub API base URL (default: $GITHUB_API_URL or api.github.com).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def sync_cmd(ctx: click.Context, repo: str, workflow: str | None, branch: str | None, since: str, max_requests: int,
             limit: int, github_url: str | None, as_json: bool) -> None:
    """Record the repository's completed runs the store does not hold yet, read from GitHub Actions (failed
    jobs' logs, report artifacts); resumable and idempotent: stored runs cost no download."""
    import os
    from dataclasses import asdict
    from datetime import UTC, datetime

    from gardener.config import load_config
    from gardener.github.actions import GitHubActions  # PyGithub loads only here
    from gardener.github.settings import token_from
    from gardener.history.sync import sync
    from gardener.history.window import parse_age
    from gardener.run_source import budget_of
    from gardener.sources import Cache, cache_root

    config = load_config(_config_path(ctx))
    api = (github_url or config.github.api_url or os.environ.get("GITHUB_API_URL", "").strip()
           or "https://api.github.com").rstrip("/")
    client = GitHubActions(api, token_from(os.environ), policy=config.github)
    cache = Cache(cache_root(config.sources.cache_dir, os.environ), api, repo)
    report = sync(client, repo, _location(ctx), config, cache,
                  since=datetime.now(UTC) - parse_age(since, "--since"), workflow=workflow, branch=branch,
                  budget=budget_of(config), max_requests=max_requests, limit=limit)
    if as_json:
        _emit(asdict(report))
    else:
        click.echo(report.text())
