"""The command line: the composition root and the single place errors become exit codes.

Exit codes: 0 ok, 1 a gardener error (or findings when --fail-on asks), 2 usage, 3 unexpected.
"""

from __future__ import annotations

import io
import os
import sys
from typing import TYPE_CHECKING, Any

import click

from gardener import __version__
from gardener.cli_click import DIRECTORY, FILE, GardenerCommand, GardenerGroup
from gardener.cli_history import history_group, history_options
from gardener.shown import printable

if TYPE_CHECKING:
    from pathlib import Path

    from gardener.cli_run_history import HistoryChoice
    from gardener.config import Config
    from gardener.model import Ingested, RunReport
    from gardener.pipeline import RunOutput

# Cold start (`gardener --help` within a few times `python -c pass`): this module imports only
# click and the light modules above. Each command imports the stages it uses inside its own body,
# so `--help`, usage errors and one subcommand never pay for the others (jinja2, junitparser,
# PyGithub, the rule pack, a database driver), nor for stdlib modules click does not load itself
# (json, pathlib, dataclasses: import them in the body, or under TYPE_CHECKING for annotations).
# Commands are cli_click.GardenerCommands: from main(), the dataclass code table installs when a body runs.
# To add a command or a group: declare it here with @cli.command / @cli.group as below, keep option
# defaults and choices literal (the stage modules are not loaded yet), and start its body with the
# imports it needs; an option that needs a heavy module imports it only when it is given.
# tests/test_cli_imports.py walks every command and group and fails when a `--help` loads anything
# but click's own modules and the CLI's; it also checks the literal choices below against their source.
KIND_CHOICES: tuple[str, ...] = ("auto", "junit", "reportlog", "pytest", "log")  # gardener.ingest.KINDS
PRIORITY_CHOICES: tuple[str, ...] = ("P0", "P1", "P2", "P3")  # gardener.model.PRIORITIES


def _path(value: str) -> Path:
    from pathlib import Path

    return Path(value)


def _config(config_path: str | None) -> Config:
    from gardener.config import load_config

    return load_config(_path(config_path) if config_path else None)


def warn(message: str) -> None:
    """One line on stderr; control characters in names and messages are shown, never obeyed."""
    click.echo(f"gardener: {printable(message)}", err=True)


def warn_file(path: str, reason: str) -> None:
    """`warn` about one input: its name and the reader's reason (which may quote the file: a root tag, an
    encoding) are untrusted, so secrets and mentions in them are redacted."""
    from gardener.redact import redact_name

    warn(f"{redact_name(path)}: {redact_name(reason)}")


def emit_json(payload: dict[str, Any]) -> None:
    from gardener.jsonout import write_json

    write_json(payload, sys.stdout)


def report_rejected(ing: Ingested) -> None:
    for f in ing.files:
        if f.error is not None:
            warn_file(f.path, f.error)
        elif f.partial:
            warn_file(f.path, "truncated or malformed; read what could be salvaged (partial)")
        if f.error is None and f.warning:
            warn_file(f.path, f.warning)


def ingest_table(ing: Ingested) -> str:
    from gardener.redact import redact_name

    header = ("file", "kind", "cases", "fail", "error", "skip", "flaky", "note")
    rows = [header]
    for f in ing.files:
        c = f.counts
        note = f.error or ("partial" if f.partial else "")
        if f.declared is not None and not f.error:
            d = f.declared
            note = (note + " " if note else "") + (
                f"declares {d.cases}/{d.failures}/{d.errors}/{d.skipped}"
            )
        rows.append(
            (printable(redact_name(f.path)), f.kind or "-", str(c.cases), str(c.failures), str(c.errors),
             str(c.skipped), str(c.flaky), printable(redact_name(note)))
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(header) - 1)]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(r[:-1])) + "  " + r[-1] for r in rows]
    failing = sum(1 for r in ing.results if r.is_failing)
    lines.append(f"{len(ing.files)} file(s), {len(ing.results)} result(s), {failing} failing")
    return "\n".join(line.rstrip() for line in lines)


@click.group(cls=GardenerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gardener")
def cli() -> None:
    """Turn red CI output into findings, a worklog and tidy GitHub issues."""


kind_option = click.option(
    "--kind",
    type=click.Choice(KIND_CHOICES),
    default="auto",
    show_default=True,
    help="Input kind; auto detects it from each file's content.",
)


@cli.command("ingest")
@kind_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: files and results.")
@click.argument("paths", nargs=-1, required=True)
def ingest_cmd(kind: str, as_json: bool, paths: tuple[str, ...]) -> None:
    """Read test reports and logs (files, directories, globs) and show what they hold."""
    from gardener.ingest import ingest
    from gardener.serialize import ingested_dict

    ing = ingest(paths, kind, details=False)  # neither form shows failure text
    report_rejected(ing)
    if as_json:
        emit_json(ingested_dict(ing))
    else:
        click.echo(ingest_table(ing))
    sys.exit(1 if ing.rejected else 0)


@cli.group("sandbox")
def sandbox_group() -> None:
    """A local GitHub-REST-compatible issue server, for trying gardener without a real repository."""


@sandbox_group.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback unless asked).")
@click.option("--port", type=int, default=0, show_default=True, help="Port; 0 picks a free one.")
@click.option("--repo", "repos", multiple=True, metavar="OWNER/NAME", help="Repository to serve (repeatable).")
@click.option("--state", type=FILE, help="JSON file keeping the state across restarts.")
@click.option("--token", help="Accept only this token (default: any non-empty token).")
@click.option("--runs", "runs", type=DIRECTORY, metavar="DIR",
              help="Serve the Actions runs in DIR/<run id>/run.json (and DIR/commits.json).")
def sandbox_serve_cmd(
    host: str, port: int, repos: tuple[str, ...], state: str | None, token: str | None, runs: str | None
) -> None:
    """Serve until Ctrl-C or SIGTERM; prints the base URL first, for github.Github(base_url=...)."""
    from gardener.sandbox import serve

    serve(host=host, port=port, repos=repos, state=state, token=token, runs=runs)


config_option = click.option(
    "--config", "config_path", type=FILE,
    help="gardener.toml or pyproject.toml to use (default: found from the current directory upwards).",
)


def _classify_inputs(paths: tuple[str, ...], config_path: str | None, kind: str = "auto") -> tuple[Config, Ingested]:
    from gardener.whole_excerpt import ingest_for_classify

    config = _config(config_path)
    ing = ingest_for_classify(paths, config.rules, kind)
    report_rejected(ing)
    return config, ing


@cli.command("classify")
@kind_option
@config_option
@click.option("--json", "as_json", is_flag=True, help="Print {\"findings\": [...]}, most fundamental first.")
@click.argument("paths", nargs=-1, required=True)
def classify_cmd(kind: str, config_path: str | None, as_json: bool, paths: tuple[str, ...]) -> None:
    """Group failures into findings (one per root cause) with category, priority and label.

    Any text works as input, so a pasted CI excerpt in a file can be classified.
    """
    from gardener.classify import without_gc_pauses
    from gardener.explain import findings_text
    from gardener.linked import classified
    from gardener.redact import clean
    from gardener.serialize import redacted_finding_dict

    with without_gc_pauses():  # reading, deciding and writing keep every result alive to the end
        config, ing = _classify_inputs(paths, config_path, kind)
        findings = classified(ing, config)  # as `run` and `explain` read them
        if as_json:
            emit_json({"findings": (redacted_finding_dict(f) for f in findings)})
        else:
            click.echo(clean(findings_text(findings)))
    sys.exit(1 if ing.rejected else 0)


@cli.command("explain")
@kind_option
@config_option
@click.option("--test", "test_id", help="Only the findings covering a test whose id contains this text.")
@click.argument("paths", nargs=-1, required=True)
def explain_cmd(kind: str, config_path: str | None, test_id: str | None, paths: tuple[str, ...]) -> None:
    """Why each finding landed where it did: signature, winning rule, evidence, losers, priority."""
    from gardener.explain import explain
    from gardener.linked import linked_findings
    from gardener.redact import clean

    config, ing = _classify_inputs(paths, config_path, kind)
    click.echo(clean(explain(linked_findings(ing.results, config, steps=ing.steps), test=test_id)))
    sys.exit(1 if ing.rejected else 0)


@cli.group("rules")
def rules_group() -> None:
    """The classification rules: the shipped pack plus the project's own."""


@rules_group.command("list")
@config_option
def rules_list_cmd(config_path: str | None) -> None:
    """Every rule in evaluation order (the project's first), with category and precedence."""
    from gardener.explain import rules_table

    click.echo(rules_table(_config(config_path).rules))


@rules_group.command("check")
@click.argument("path", type=FILE)
def rules_check_cmd(path: str) -> None:
    """Validate a rules file (same format as the shipped pack); errors name the line."""
    from gardener.rules.loader import builtin_rules, load_rules_file
    from gardener.view.common import plural

    user = load_rules_file(_path(path))
    shipped = {r.id for r in builtin_rules().rules}
    replaced = sum(1 for r in user.rules if r.id in shipped)
    click.echo(f"{printable(path)}: ok, {plural(len(user.rules), 'rule')}, {replaced} replacing shipped rules")


def _run_summary(out: RunOutput) -> str:
    """What `gardener run` prints: one line per finding in resolution order, then the files."""
    from gardener.redact import safe_inline

    report = out.report
    by_id = {f.id: f for f in report.findings}
    lines = [f"{len(report.findings)} finding(s) from {len(report.files)} input(s)"
             + (f", {report.dropped_by_focus} outside the focus" if report.dropped_by_focus else "")]
    for n, fid in enumerate(report.resolution_order, 1):
        f = by_id[fid]
        chain = f"  (blocked by {', '.join(f.blocked_by)})" if f.blocked_by else ""
        lines.append(f"{n:>3}. {f.priority} {f.id} {safe_inline(f.title, 100)}{chain}")
    for a in report.attempts:
        lines.append(f"  attempt {safe_inline(a.name, 60)}: {a.status}")
    lines += [f"worklog: {printable(str(out.worklog_path))}", f"summary: {printable(str(out.summary_path))}",
              f"plan:    {printable(str(out.plan_path))}"]
    return "\n".join(lines)


def _fail_on_hit(report: RunReport, fail_on: str | None) -> bool:
    if fail_on is None:
        return False
    limit = PRIORITY_CHOICES.index(fail_on)
    return any(PRIORITY_CHOICES.index(f.priority) <= limit for f in report.findings)


@cli.command("run")
@config_option
@click.option("--focus", multiple=True, metavar="TEXT",
              help="Keep findings matching this word or regex, and their blockers (repeatable).")
@click.option("--scope", help="Only this test category (config [[gardener.scopes]], or a command's scope).")
@click.option("--execute", is_flag=True, help="Run the configured test commands and ingest what they produce.")
@click.option("--out", "out_dir", type=DIRECTORY, default="gardener-reports", show_default=True,
              help="Where the worklog, summary and plan.json are written.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: findings, order, attempts, actions.")
@click.option("--fail-on", type=click.Choice(PRIORITY_CHOICES),
              help="Exit 1 when a finding at or above this priority exists.")
@click.option("--apply", "apply_", is_flag=True,
              help="Write the plan to GitHub (needs a repository and GITHUB_TOKEN/GH_TOKEN); default: a dry run.")
@click.option("--repo", metavar="OWNER/NAME",
              help="Repository to garden (default: [gardener.github] repo; with --apply also $GITHUB_REPOSITORY).")
@click.option("--github-url", metavar="URL",
              help="GitHub API base URL (default: $GITHUB_API_URL or https://api.github.com); e.g. a sandbox.")
@click.option("--annotate-reports", is_flag=True,
              help="Write each failed testcase's issue into the JUnit file it came from (its <system-out>).")
@click.option("--github-run", metavar="RUN",
              help="Read a GitHub Actions run (a run URL, or an id with --repo): failed jobs' logs, report artifacts.")
@history_options
@click.argument("paths", nargs=-1)
def run_cmd(config_path: str | None, focus: tuple[str, ...], scope: str | None, execute: bool, out_dir: str,
            as_json: bool, fail_on: str | None, apply_: bool, repo: str | None, github_url: str | None,
            annotate_reports: bool, github_run: str | None, paths: tuple[str, ...],
            history: HistoryChoice) -> None:
    """Ingest, classify, correlate, focus, plan and write the worklog and summary; with a repository,
    plan against its issues, and with --apply file, update, reopen and link them."""
    import functools
    import shlex

    from gardener import exit_gc

    exit_gc.loading()  # the stages and the config live until exit: no collection over them (gardener/exit_gc.py)
    from gardener import actions
    from gardener.cli_run_history import history_settings
    from gardener.garden.setup import run_ctx, tracker_for, tracker_text
    from gardener.pipeline import RunOptions, run
    from gardener.plan.text import failure_line
    from gardener.redact import safe_inline
    from gardener.report_json import run_dict

    config = _config(config_path)
    exit_gc.loaded()  # before any input is read
    if not paths and not config.commands and not github_run:
        raise click.UsageError("give report or log PATHs, --github-run RUN, or configure [[gardener.commands]]")
    apply_ = apply_ or config.github.apply
    ctx = run_ctx(os.environ)
    # Inside GitHub Actions (gardener/actions.py): token masked, workflow commands off while the run's
    # text is echoed, then job summary, outputs and annotations. Commands go to stderr under --json.
    gha = actions.actions_env(os.environ)
    write_command = functools.partial(click.echo, err=as_json)
    resume = actions.begin_log(gha, os.environ, write_command)
    session = None
    run_info = None  # the GitHub run read, whose own metadata history records first
    if github_run:  # the run's repository and host are the tracker's unless told otherwise
        from gardener.run_source import read_github_run, run_text

        source = read_github_run(github_run, repo, github_url, config, os.environ)
        for note in source.inputs.notes:  # names from the run are untrusted text
            warn(safe_inline(note, 600, extra_values=ctx.secrets))
        click.echo(run_text(source), err=as_json)
        session, ctx = source.session, source.ctx(ctx)
        run_info = source.inputs.run
        repo, github_url = repo or source.ref.repo, github_url or source.api_url
    tracker = tracker_for(repo, github_url, config.github, os.environ, apply_)
    options = RunOptions(paths=paths, focus=focus, scope=scope, execute=execute, out_dir=_path(out_dir),
                         command_line=shlex.join(["gardener", *sys.argv[1:]]), apply=apply_, session=session,
                         history=history_settings(history, config.base_dir, repo, config.github.repo, os.environ,
                                                  github_run=run_info))
    out = run(options, config, ctx, tracker)
    if out.history_note:
        warn(f"history: {out.history_note}")
    told = {f.path for f in session[0]} if session else set()  # the run's reader named them (by artifact)
    for f in out.files:
        if f.error is not None and f.path not in told:
            warn_file(f.path, f.error)
    titles = {f.id: f.title for f in out.report.findings}
    failed = [o for o in out.report.outcomes if not o.ok]
    for o in failed:
        warn(f"could not {failure_line(o, titles)}")
    if as_json:
        emit_json(run_dict(out.report, ctx, str(out.worklog_path), str(out.summary_path)))
    else:
        click.echo(_run_summary(out))
        if out.report.tracker is not None:
            click.echo(tracker_text(out, apply_))
    if annotate_reports:
        from gardener import writeback  # rewrites JUnit files: only when asked

        for done in writeback.annotate_reports(out.report):
            warn(writeback.describe(done))
    actions.end_log(gha, resume, out, ctx, write_command)
    sys.exit(1 if _fail_on_hit(out.report, fail_on) or failed else 0)


cli.add_command(history_group)


@cli.command("fetch")
@config_option
@click.option("--out", "out_dir", type=DIRECTORY, required=True,
              help="Where run.json, logs/ and artifacts/ are written.")
@click.option("--repo", metavar="OWNER/NAME", help="The run's repository (needed with a bare run id).")
@click.option("--github-url", metavar="URL", help="GitHub API base URL (default: from the run URL).")
@click.argument("run")
def fetch_cmd(config_path: str | None, out_dir: str, repo: str | None, github_url: str | None, run: str) -> None:
    """Download a GitHub Actions run's failed-job logs and report artifacts (RUN: a run URL or id); nothing else."""
    from gardener.redact import safe_inline
    from gardener.run_source import fetch_github_run, traffic_text

    config = _config(config_path)
    done = fetch_github_run(run, repo, github_url, _path(out_dir), config, os.environ)
    for note in done.notes:  # names from the run are untrusted text
        warn(safe_inline(note, 600))
    for path in done.files:
        click.echo(printable(str(path)))
    click.echo(traffic_text(done.traffic))


@cli.command("demo")
@click.option("--state", "state_dir", type=DIRECTORY,
              help="Directory keeping the sandbox's state; run again with it to see nothing change.")
@click.option("--out", "out_dir", type=DIRECTORY, default="gardener-reports", show_default=True,
              help="Where the worklog, summary and plan.json are written.")
def demo_cmd(state_dir: str | None, out_dir: str) -> None:
    """Garden the bundled example into a local sandbox GitHub: issues, chains, related issues, documents."""
    from gardener.demo import run_demo  # starts a sandbox and loads PyGithub: only for this command
    from gardener.garden.setup import demo_text

    result = run_demo(_path(state_dir) if state_dir else None, _path(out_dir))
    click.echo(demo_text(result))


@cli.group("templates")
def templates_group() -> None:
    """The Jinja2 templates documents and issues are rendered from; yours shadow the shipped ones."""


def _templates_dir(config_path: str | None) -> Path | None:
    return _config(config_path).templates_dir


@templates_group.command("list")
@config_option
def templates_list_cmd(config_path: str | None) -> None:
    """Each template and whether the shipped one or yours is used."""
    from gardener.render import list_templates

    for name, where in list_templates(_templates_dir(config_path)):
        click.echo(f"{name:<20} {printable(str(where))}")


@templates_group.command("show")
@config_option
@click.argument("name")
def templates_show_cmd(config_path: str | None, name: str) -> None:
    """Print a template's source (yours when you override it)."""
    from gardener.render import template_source

    click.echo(template_source(name, _templates_dir(config_path)), nl=False)


@templates_group.command("eject")
@config_option
@click.argument("name")
@click.argument("directory", required=False, type=DIRECTORY)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def templates_eject_cmd(config_path: str | None, name: str, directory: str | None, force: bool) -> None:
    """Copy a shipped template into your templates directory to edit it."""
    from gardener.render import template_source

    target_dir = (_path(directory) if directory
                  else (_templates_dir(config_path) or _path(".github/gardener/templates")))
    target = target_dir / name
    if target.exists() and not force:
        raise click.UsageError(f"{target} exists; pass --force to overwrite it")
    target_dir.mkdir(parents=True, exist_ok=True)
    target.write_text(template_source(name), encoding="utf-8")
    click.echo(f"wrote {printable(str(target))}")


def _show(exc: click.ClickException) -> None:
    """click's own error text (usage line, `Error: ...`), with any name in it shown, not obeyed."""
    buf = io.StringIO()
    exc.show(file=buf)
    click.echo("\n".join(printable(line) for line in buf.getvalue().splitlines()), err=True)


def main() -> None:
    """Entry point: runs the CLI behind the one error boundary."""
    from gardener.exit_gc import skip_final_collection

    skip_final_collection()  # what the command loaded is not traversed again at exit (gardener/exit_gc.py)
    GardenerCommand.installs_code_table = True
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        _show(exc)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        warn("aborted")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # the boundary: never a traceback for the user
        from gardener.errors import GardenerError  # only now: `--help` needs no stage's errors

        if isinstance(exc, GardenerError):
            warn(str(exc))
            sys.exit(1)
        warn(f"unexpected error: {type(exc).__name__}: {exc} (please report this)")
        sys.exit(3)
