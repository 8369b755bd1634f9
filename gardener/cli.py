"""The command line: the composition root and the single place errors become exit codes.

Exit codes: 0 ok, 1 a gardener error (or findings when --fail-on asks), 2 usage, 3 unexpected.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from gardener import __version__
from gardener.classify import analyse, find
from gardener.config import Config, load_config
from gardener.errors import GardenerError
from gardener.excerpt import ingest_for_classify
from gardener.explain import explain, findings_text, rules_table
from gardener.ingest import KINDS, ingest
from gardener.model import Ingested
from gardener.rules.loader import builtin_rules, load_rules_file
from gardener.serialize import finding_dict, ingested_dict

F = TypeVar("F", bound=Callable[..., Any])


def warn(message: str) -> None:
    click.echo(f"gardener: {message}", err=True)


def emit_json(payload: dict[str, Any]) -> None:
    click.echo(json.dumps(payload, indent=2, ensure_ascii=False))


def report_rejected(ing: Ingested) -> None:
    for f in ing.files:
        if f.error is not None:
            warn(f"{f.path}: {f.error}")
        elif f.partial:
            warn(f"{f.path}: truncated or malformed; read what could be salvaged (partial)")


def ingest_table(ing: Ingested) -> str:
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
            (f.path, f.kind or "-", str(c.cases), str(c.failures), str(c.errors), str(c.skipped), str(c.flaky), note)
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(header) - 1)]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(r[:-1])) + "  " + r[-1] for r in rows]
    failing = sum(1 for r in ing.results if r.is_failing)
    lines.append(f"{len(ing.files)} file(s), {len(ing.results)} result(s), {failing} failing")
    return "\n".join(line.rstrip() for line in lines)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gardener")
def cli() -> None:
    """Turn red CI output into findings, a worklog and tidy GitHub issues."""


kind_option = click.option(
    "--kind",
    type=click.Choice(KINDS),
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
    ing = ingest(paths, kind)
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
@click.option("--state", type=click.Path(dir_okay=False), help="JSON file keeping the state across restarts.")
@click.option("--token", help="Accept only this token (default: any non-empty token).")
def sandbox_serve_cmd(host: str, port: int, repos: tuple[str, ...], state: str | None, token: str | None) -> None:
    """Serve until Ctrl-C or SIGTERM; prints the base URL first, for github.Github(base_url=...)."""
    from gardener.github.sandbox import serve

    serve(host=host, port=port, repos=repos, state=state, token=token)


config_option = click.option(
    "--config", "config_path", type=click.Path(dir_okay=False),
    help="gardener.toml or pyproject.toml to use (default: found from the current directory upwards).",
)


def _classify_inputs(paths: tuple[str, ...], config_path: str | None, kind: str = "auto") -> tuple[Config, Ingested]:
    config = load_config(Path(config_path) if config_path else None)
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
    config, ing = _classify_inputs(paths, config_path, kind)
    findings = find(ing.results, config)
    if as_json:
        emit_json({"findings": [finding_dict(f) for f in findings]})
    else:
        click.echo(findings_text(findings))
    sys.exit(1 if ing.rejected else 0)


@cli.command("explain")
@kind_option
@config_option
@click.option("--test", "test_id", help="Only the findings covering a test whose id contains this text.")
@click.argument("paths", nargs=-1, required=True)
def explain_cmd(kind: str, config_path: str | None, test_id: str | None, paths: tuple[str, ...]) -> None:
    """Why each finding landed where it did: signature, winning rule, evidence, losers, priority."""
    config, ing = _classify_inputs(paths, config_path, kind)
    click.echo(explain(analyse(ing.results, config), test=test_id))
    sys.exit(1 if ing.rejected else 0)


@cli.group("rules")
def rules_group() -> None:
    """The classification rules: the shipped pack plus the project's own."""


@rules_group.command("list")
@config_option
def rules_list_cmd(config_path: str | None) -> None:
    """Every rule in evaluation order (the project's first), with category and precedence."""
    click.echo(rules_table(load_config(Path(config_path) if config_path else None).rules))


@rules_group.command("check")
@click.argument("path", type=click.Path(dir_okay=False))
def rules_check_cmd(path: str) -> None:
    """Validate a rules file (same format as the shipped pack); errors name the line."""
    user = load_rules_file(Path(path))
    shipped = {r.id for r in builtin_rules().rules}
    replaced = sum(1 for r in user.rules if r.id in shipped)
    click.echo(f"{path}: ok, {len(user.rules)} rule(s), {replaced} replacing shipped rules")


def main() -> None:
    """Entry point: runs the CLI behind the one error boundary."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        warn("aborted")
        sys.exit(130)
    except GardenerError as exc:
        warn(str(exc))
        sys.exit(1)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # the boundary: never a traceback for the user
        warn(f"unexpected error: {type(exc).__name__}: {exc} (please report this)")
        sys.exit(3)
