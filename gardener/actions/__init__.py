"""Running inside GitHub Actions (`GITHUB_ACTIONS=true`): what the runner offers and expects.

- where the run happened (run URL, commit, branch), recorded in issues and documents;
- the token masked (`::add-mask::`) before anything else is printed;
- the summary document appended to `$GITHUB_STEP_SUMMARY`, cut to fit its 1 MiB per-step limit;
- outputs (counts, paths) appended to `$GITHUB_OUTPUT` with the multi-line delimiter syntax;
- annotations for the top findings (actions/annotations.py).

The gardening workflow for a failed CI run is started by `workflow_run` and gardens *that* run's
artifacts, so `GARDENER_RUN_URL`, `GARDENER_COMMIT` and `GARDENER_BRANCH` (set by the workflow from
the event) take precedence over the gardening job's own `GITHUB_*` facts.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from gardener import regex as re
from gardener.actions.commands import mask_commands, new_stop_token, resume_commands, stop_commands
from gardener.model import RunReport
from gardener.outputs import append_text, size_of
from gardener.pipeline import RunOutput
from gardener.redact import safe_inline
from gardener.redact.names import secret_env_values
from gardener.view.common import Ctx

STEP_SUMMARY_LIMIT = 1024 * 1024  # bytes per step; over it GitHub drops the whole summary
TOKEN_VARIABLES = ("GITHUB_TOKEN", "GH_TOKEN", "GARDENER_GITHUB_TOKEN")
_RUN_URL = re.lazy(r"https?://[^\s<>\"'`]+")
_COMMIT = re.lazy(r"[0-9a-fA-F]{7,64}")
_FENCE = re.lazy(r"^ {0,3}(`{3,})")
_MAX_FENCE = 64  # bytes kept free for a closing fence


@dataclass(frozen=True, slots=True)
class ActionsEnv:
    """The files and directory the runner gives a step."""

    summary_file: Path | None
    output_file: Path | None
    workspace: str | None


def actions_env(environ: Mapping[str, str]) -> ActionsEnv | None:
    """The Actions environment, or None when not running inside GitHub Actions."""
    if environ.get("GITHUB_ACTIONS") != "true":
        return None

    def path(name: str) -> Path | None:
        value = environ.get(name, "").strip()
        return Path(value) if value else None

    return ActionsEnv(path("GITHUB_STEP_SUMMARY"), path("GITHUB_OUTPUT"), environ.get("GITHUB_WORKSPACE") or None)


def run_url(environ: Mapping[str, str]) -> str | None:
    given = environ.get("GARDENER_RUN_URL", "").strip()
    if not given:
        parts = [environ.get(k, "").strip() for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")]
        if not all(parts):
            return None
        given = f"{parts[0].rstrip('/')}/{parts[1]}/actions/runs/{parts[2]}"
    return given if _RUN_URL.fullmatch(given) else None


def ci_ctx(environ: Mapping[str, str]) -> Ctx:
    """The views' context: secrets to scrub, and where the run happened when a CI says so.

    The branch name comes from whoever pushed it (a fork's pull request), so it is cleaned like any
    untrusted text and kept off backticks; a commit that is not hex and a URL with spaces are dropped.
    """
    secrets = secret_env_values(environ)
    commit = (environ.get("GARDENER_COMMIT") or environ.get("GITHUB_SHA") or "").strip()
    branch = (environ.get("GARDENER_BRANCH") or environ.get("GITHUB_HEAD_REF")
              or environ.get("GITHUB_REF_NAME") or "").strip()
    branch = safe_inline(branch, 200, extra_values=secrets).replace("`", "'")
    return Ctx(
        secrets=secrets,
        run_url=run_url(environ),
        commit=commit if _COMMIT.fullmatch(commit) else None,
        branch=branch or None,
    )


def masks(environ: Mapping[str, str]) -> list[str]:
    """`::add-mask::` lines for the token and every secret-named variable's value."""
    tokens = [environ.get(name, "") for name in TOKEN_VARIABLES]
    return mask_commands([t for t in tokens if t.strip()] + list(secret_env_values(environ)))


def fit_summary(text: str, budget: int, full_path: Path) -> str:
    """`text` cut at a line boundary to at most `budget` UTF-8 bytes, saying where the rest is."""
    data = text.encode("utf-8")
    if len(data) <= budget:
        return text
    note = f"\n*[Cut to fit GitHub's 1 MiB step summary limit; the full summary is `{full_path.name}`.]*\n"
    room = budget - len(note.encode("utf-8")) - _MAX_FENCE
    if room <= 0:
        return ""
    head = data[:room].decode("utf-8", errors="ignore")
    head = head[: head.rfind("\n") + 1] if "\n" in head else ""
    cut = head + _closing_fence(head) + note
    return cut if len(cut.encode("utf-8")) <= budget else ""


def _closing_fence(text: str) -> str:
    """The fence that closes a code block left open by a cut, so the note is not swallowed by it."""
    open_fence = ""
    for line in text.splitlines():
        ticks = _FENCE.match(line)
        if ticks is None:
            continue
        if not open_fence:
            open_fence = ticks[1]
        elif len(ticks[1]) >= len(open_fence) and not line.strip().strip("`"):
            open_fence = ""
    return open_fence + "\n" if open_fence else ""


def output_block(name: str, value: str) -> str:
    """`name<<DELIMITER` / value / `DELIMITER`: the syntax that is safe for any value."""
    delimiter = f"ghadelimiter_{uuid.uuid4()}"
    while delimiter in value:  # practically never; a value cannot end the block early
        delimiter = f"ghadelimiter_{uuid.uuid4()}"
    return f"{name}<<{delimiter}\n{value}\n{delimiter}\n"


def tracker_counts(report: RunReport) -> dict[str, int]:
    """Issues created, updated and reopened by actions that were applied and worked."""
    done = [o for o in report.outcomes if o.ok and not o.dry_run]

    def issues(kind: str) -> int:
        return len({o.issue.number if o.issue else o.action.issue for o in done if o.action.kind == kind})

    return {"created": issues("create"), "updated": issues("update"), "reopened": issues("reopen")}


def outputs(out: RunOutput) -> dict[str, str]:
    values = {"findings": str(len(out.report.findings))}
    values |= {k: str(v) for k, v in tracker_counts(out.report).items()}
    values |= {"worklog": str(out.worklog_path), "summary": str(out.summary_path), "plan": str(out.plan_path)}
    return values


def publish(env: ActionsEnv, out: RunOutput, ctx: Ctx) -> list[str]:
    """Write the step summary and the outputs; return the lines to print (annotations, notes)."""
    lines: list[str] = []
    if env.summary_file is not None:
        used = size_of(env.summary_file)  # OutputError (exit 1) when it is a directory or unreadable
        text = fit_summary(out.summary_path.read_text(encoding="utf-8"), STEP_SUMMARY_LIMIT - used, out.summary_path)
        if text:
            append_text(env.summary_file, text if text.endswith("\n") else text + "\n")
        else:
            lines.append(f"gardener: the step summary is full; the summary is {out.summary_path}")
    if env.output_file is not None:
        append_text(env.output_file, "".join(output_block(k, v) for k, v in outputs(out).items()))
    from gardener.actions.annotations import finding_annotations  # only inside Actions: not loaded by a local run

    found = finding_annotations(out.report, ctx, env.workspace)
    lines.extend(found.lines)
    note = found.note()
    if note:
        lines.append(note)
    return lines


Write = Callable[[str], None]


def begin_log(env: ActionsEnv | None, environ: Mapping[str, str], write: Write) -> str | None:
    """Inside Actions: mask the token, then switch workflow commands off until end_log, so that
    nothing gardener echoes from the run (titles, paths, warnings) can act as one. Returns the
    token that switches them back on (None outside Actions).

    The runner keeps this state per step: if gardener stops with an error in between, only the
    rest of its own step is affected.
    """
    if env is None:
        return None
    for line in masks(environ):
        write(line)
    token = new_stop_token()
    write(stop_commands(token))
    return token


def end_log(env: ActionsEnv | None, token: str | None, out: RunOutput, ctx: Ctx, write: Write) -> None:
    """Switch workflow commands back on, then publish: step summary, outputs, annotations."""
    if env is None or token is None:
        return
    write(resume_commands(token))
    for line in publish(env, out, ctx):
        write(line)
