"""What an attempt's exit code and output mean: its status and the one line that explains it.

Pure functions over the captured head and tail of the output. The text is untrusted: it is
only recorded here, and redacted when rendered.
"""

from __future__ import annotations

import signal
from collections.abc import Iterable

from gardener import regex as re
from gardener.model import AttemptStatus
from gardener.text import strip_ansi

KEY_ERROR_MAX_CHARS = 500


# pytest's short test summary: `FAILED tests/x.py::test_a - assert 1 == 2`, `ERROR tests/y.py`.
# `FAILED (failures=1)` is unittest's count line, not a test.
_PYTEST_SUMMARY = re.lazy(r"^(?:FAILED|ERROR) [^(\s]")
# pytest prefixes the exception in a failure's details with `E   `.
_PYTEST_DETAIL = re.lazy(r"^E {3,}")
# The last line of a Python traceback: `SyntaxError: expected ':'`, `pkg.mod.CustomError`.
_EXCEPTION = re.lazy(r"^\s*(?:[A-Za-z_]\w*\.)*[A-Z]\w*(?:Error|Exception|Exit|Interrupt|Failure|Fault)(?::\s.*)?$")
# `Error: x`, `error: x`, `ERROR: x`, `fatal: x`, `gcc.c:3:5: error: x`, `npm ERR! x`, `[ERROR] x`.
_ERROR = re.lazy(r"(?i)(?:^|[\s:])(?:error|fatal)(?:\[[^\]]*\])?:\s*\S|^npm ERR! \S|^\[ERROR\]\s+\S|^##\[error\]")
# Wrappers that only repeat that something failed; the cause is elsewhere.
_GENERIC = re.lazy(
    r"(?i)process completed with exit code"
    r"|^make(?:\[\d+\])?: \*\*\*"
    r"|\b(?:failed|completed|exited|returned) with (?:exit )?(?:code|status) -?\d+"
    r"|^error:? command failed"
    r"|^error: job failed"
    r"|^npm ERR! (?:code|errno|syscall|path|a complete log|lifecycle|this is probably|failed at the)"
    r"|^npm ERR!\s*$"
)

# `<string>:1: DeprecationWarning: x`, `UserWarning: x`, `Warning: x`, `gcc.c:1: warning: x`.
_WARNING = re.lazy(r"\b[A-Z]\w*Warning: \S|(?i:(?:^\s*|:\s)warn(?:ing)?:\s*\S)|^npm WARN ")
# pytest's final line: `1 passed, 2 warnings in 0.12s` (with or without the `===` bars).
_PYTEST_WARNING_COUNT = re.lazy(r"(?:^|[\s,=])\d+ warnings?\b.*\bin \d+(?:\.\d+)?s\b")


def readable(data: bytes, *, cut_start: bool = False, cut_end: bool = False) -> str:
    """Bytes of output as text without colour codes; a line cut by the buffer edge is dropped."""
    text = strip_ansi(data.decode("utf-8", errors="replace"))
    if cut_start:
        text = text.partition("\n")[2]
    if cut_end:
        text = text.rpartition("\n")[0]
    return text


def judge(exit_code: int, head: str, tail: str, *, via_shell: bool = False) -> tuple[AttemptStatus, str]:
    """Status and key error of a command that ran to completion.

    `head` and `tail` are the first and last part of the output (the same text twice, or `head`
    empty, when the output was short). Under `/bin/sh -c`, exit 126/127 means the shell could
    not start the command at all, so the attempt counts as NOT RUN.
    """
    if exit_code == 0:
        warning = first_warning((head, tail))
        if warning is not None:
            return "SUCCESS WITH WARNINGS", warning
        return "SUCCESS", ""
    if via_shell and exit_code in (126, 127):
        last = _last(line for line in tail.splitlines() if line.strip())
        what = "command not found" if exit_code == 127 else "command not executable"
        return "NOT RUN", _clip(last) if last else f"{what} (exit code {exit_code})"
    return "FAILED", key_error(tail) or exit_reason(exit_code)


def is_wrapper(line: str) -> bool:
    """A line that only says something failed (`Process completed with exit code 1`)."""
    return _GENERIC.search(line.strip()) is not None


def key_error(text: str) -> str | None:
    """The line that best explains a failure: pytest summary, last exception, last error line."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [_PYTEST_DETAIL.sub("", line) for line in lines if line and not _GENERIC.search(line)]
    summary = next((line for line in lines if _PYTEST_SUMMARY.match(line)), None)
    exception = _last(line for line in lines if _EXCEPTION.match(line))
    if summary is not None and exception is not None and " - " not in summary:
        # A collection error's summary names only the file: add what went wrong, as pytest would.
        summary = f"{summary} - {exception}"
    found = summary or exception or _last(line for line in lines if _ERROR.search(line))
    return _clip(found) if found else None


def first_warning(texts: Iterable[str]) -> str | None:
    """The first warning line; pytest's `N warnings` count only when nothing names one."""
    count_line: str | None = None
    for text in texts:
        for raw in text.splitlines():
            line = raw.strip()
            if _WARNING.search(line):
                return _clip(line)
            if count_line is None and _PYTEST_WARNING_COUNT.search(line):
                count_line = line.strip("= ")
    return _clip(count_line) if count_line else None


def exit_reason(exit_code: int) -> str:
    if exit_code < 0:
        try:
            name = signal.Signals(-exit_code).name
        except ValueError:
            name = f"signal {-exit_code}"
        return f"killed by {name}"
    return f"exit code {exit_code}"


def timeout_reason(timeout_s: float) -> str:
    return f"killed after {timeout_s:g}s"


def _last(lines: Iterable[str]) -> str | None:
    found = None
    for line in lines:
        found = line
    return found


def _clip(line: str) -> str:
    return line if len(line) <= KEY_ERROR_MAX_CHARS else line[: KEY_ERROR_MAX_CHARS - 1] + "…"
