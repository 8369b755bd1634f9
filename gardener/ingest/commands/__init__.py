"""Run the project's configured test commands and record each run as an Attempt.

An attempt never raises: a command that cannot start (not found, not executable, bad working
directory, unparseable) is recorded as NOT RUN with the reason. Output goes to a file in
`out_dir`, streamed; only a bounded head and tail are kept in memory to find the key error.
The reports a command produced are the files matching its globs that are new or changed.
"""

from __future__ import annotations

import glob
import os
import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from gardener import regex as re
from gardener.ingest.commands.outcome import judge, readable, timeout_reason
from gardener.model import Attempt, AttemptStatus, CommandSpec

if TYPE_CHECKING:
    from gardener.ingest.commands.process_run import Finished

# What identifies one version of a report file: changed or new means this attempt wrote it.
_FileState = tuple[int, int, int]


def run_attempts(
    specs: Iterable[CommandSpec],
    *,
    focus: Sequence[str] = (),
    scope: str | None = None,
    out_dir: Path,
    environ: Mapping[str, str] | None = None,
) -> tuple[Attempt, ...]:
    """Run, one after the other in the given order, the specs of `scope` (all when None)."""
    return tuple(
        run_attempt(spec, focus=focus, out_dir=out_dir, environ=environ)
        for spec in specs
        if scope is None or spec.scope == scope
    )


def run_attempt(
    spec: CommandSpec,
    *,
    focus: Sequence[str] = (),
    out_dir: Path,
    environ: Mapping[str, str] | None = None,
) -> Attempt:
    """Run one command with its timeout; environment is `environ` (default: ours) plus spec.env."""
    # Here, not at the top: a run reading saved output (the readers import outcome.py) starts no process.
    from gardener.ingest.commands.command_line import UnusableCommand, build_command_line
    from gardener.ingest.commands.process_run import CannotStart, run_in_own_group

    started_at = datetime.now(UTC)
    clock = time.monotonic()

    def not_run(command: str, reason: str) -> Attempt:
        return Attempt(
            name=spec.name,
            command=command,
            scope=spec.scope,
            status="NOT RUN",
            exit_code=None,
            duration_s=time.monotonic() - clock,
            key_error=reason,
            output_path=None,
            reports=(),
            started_at=started_at,
        )

    try:
        line = build_command_line(spec, focus)
    except UnusableCommand as exc:
        return not_run(spec.run, str(exc))
    if spec.cwd is not None and not os.path.isdir(spec.cwd):
        problem = "is not a directory" if os.path.exists(spec.cwd) else "not found"
        return not_run(line.display, f"working directory {problem}: {spec.cwd}")
    env = dict(os.environ if environ is None else environ)
    env.update(spec.env)
    base = spec.cwd or "."
    before = _report_states(base, spec.reports)
    try:
        output_path, output = _open_output(out_dir, spec.name)
    except OSError as exc:
        return not_run(line.display, f"cannot save output in {out_dir}: {exc.strerror or exc}")
    try:
        with output:
            finished = run_in_own_group(line.argv, output=output, timeout_s=spec.timeout_s, cwd=spec.cwd, env=env)
    except CannotStart as exc:
        output_path.unlink(missing_ok=True)
        return not_run(line.display, _start_failure(exc.cause, line.argv[0], spec.cwd))
    status, key_error = _outcome(finished, timeout_s=spec.timeout_s, via_shell=spec.shell)
    if finished.output_error is not None:
        key_error = f"{key_error} (output log incomplete: {finished.output_error})".lstrip()
    return Attempt(
        name=spec.name,
        command=line.display,
        scope=spec.scope,
        status=status,
        exit_code=finished.returncode,
        duration_s=finished.duration_s,
        key_error=key_error,
        output_path=str(output_path),
        reports=_produced(base, spec.reports, before),
        started_at=started_at,
    )


def _outcome(finished: Finished, *, timeout_s: float, via_shell: bool) -> tuple[AttemptStatus, str]:
    if finished.timed_out or finished.returncode is None:
        return "TIMED OUT", timeout_reason(timeout_s)
    whole = finished.total_bytes <= len(finished.tail)
    tail = readable(finished.tail, cut_start=not whole)
    head = "" if whole else readable(finished.head, cut_end=True)
    return judge(finished.returncode, head, tail, via_shell=via_shell)


def _start_failure(exc: OSError, program: str, cwd: str | None) -> str:
    if cwd is not None and exc.filename == cwd:
        return f"working directory not usable: {cwd}: {exc.strerror}"
    if isinstance(exc, FileNotFoundError):
        return f"command not found: {program}"
    if isinstance(exc, PermissionError):
        return f"permission denied: {program}"
    return f"cannot start {program}: {exc.strerror or exc}"


def _open_output(out_dir: Path, name: str) -> tuple[Path, BinaryIO]:
    """A new file for this attempt's output; never overwrites an earlier attempt's."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = "attempt-" + (re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "command")
    for n in range(1, 10_000):
        path = out_dir / (f"{stem}.log" if n == 1 else f"{stem}-{n}.log")
        try:
            return path, path.open("xb")
        except FileExistsError:
            continue
    raise FileExistsError(f"too many attempt logs named {stem} in {out_dir}")


def _report_states(base: str, patterns: Sequence[str]) -> dict[str, _FileState]:
    states: dict[str, _FileState] = {}
    for pattern in patterns:
        for match in glob.glob(os.path.join(base, pattern), recursive=True):
            try:
                st = os.stat(match)
            except OSError:
                continue
            if os.path.isfile(match):
                states[os.path.normpath(match)] = (st.st_mtime_ns, st.st_size, st.st_ino)
    return states


def _produced(base: str, patterns: Sequence[str], before: Mapping[str, _FileState]) -> tuple[str, ...]:
    after = _report_states(base, patterns)
    return tuple(sorted(path for path, state in after.items() if before.get(path) != state))
