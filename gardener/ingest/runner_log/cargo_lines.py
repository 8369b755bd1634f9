"""The shapes of `cargo test` (libtest) output lines, and the failure one test's block shows.

cargo runs one test binary after another: `     Running unittests src/lib.rs (target/debug/deps/thumbd-8c1f…)`
(or `Doc-tests crate`), `running 12 tests`, one `test tests::x ... ok|FAILED|ignored` line per test, then
`failures:` with a `---- tests::x stdout ----` block per failed test (its captured output and
`thread 'tests::x' panicked at src/lib.rs:42:9:` followed by the message), a `failures:` list and
`test result: FAILED. 11 passed; 1 failed; …`. cargo itself adds `error: test failed, to rerun pass
`--lib`` after a failed binary, `Caused by: process didn't exit successfully: `…` (signal: 11, SIGSEGV: …)`
when the binary died, and `error: 2 targets failed:` with the list at the end (`--no-fail-fast`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gardener import regex as re
from gardener.numbers import bounded_int
from gardener.redact.text import cut_raw

# (`cargo run` says `Running `target/debug/app`` with the command in backticks: a program, not a test binary.)
RUNNING = re.lazy(
    r"^\s+Running (?:(?:unittests|tests|benches|examples) )?(?P<src>[^\s`]\S*)(?: \((?P<bin>[^)]+)\))?\s*$")
DOC_TESTS = re.lazy(r"^\s+Doc-tests (?P<crate>\S+)\s*$")
RUNNING_N = re.lazy(r"^running \d+ tests?\s*$")
TEST = re.lazy(r"^test (?P<name>\S.*?) \.\.\. (?P<word>ok|FAILED|ignored\b.*|bench:.*)$")
BLOCK = re.lazy(r"^---- (?P<name>\S.*?) (?:stdout|stderr) ----\s*$")
FAILURES = "failures:"
RESULT = re.lazy(r"^test result: (?P<word>ok|FAILED)\. \d+ passed; (?P<failed>\d+) failed")
RERUN_HINT = re.lazy(r"^error: test failed, to rerun pass [`'](?P<args>[^`']+)[`']")
TARGETS_FAILED = re.lazy(r"^error: \d+ targets? failed:\s*$")
CAUSED_BY = "Caused by:"
DIED = re.lazy(
    r"process didn't exit successfully: `(?P<cmd>[^`]+)` \((?:signal: (?P<signal>\d+), (?P<name>SIG\w+)[^)]*"
    r"|exit (?:status|code): (?P<code>-?\d+))\)"
)
# Since Rust 1.88 the thread's id follows its name: `thread 'tests::x' (62269) panicked at src/lib.rs:42:9:`.
PANICKED = re.lazy(r"^thread '(?P<thread>[^']*)'(?: \(\d+\))? panicked at (?P<rest>.+)$")
_OLD_PANIC = re.lazy(r"^'(?P<msg>.*)', (?P<file>[^\s:]+):(?P<line>\d+)(?::\d+)?\s*$")
_NEW_PANIC = re.lazy(r"^(?P<file>[^\s:]+):(?P<line>\d+)(?::\d+)?:\s*$")
_NOTE = re.lazy(r"^note: (?:run with `RUST_BACKTRACE|Some details are omitted)|^stack backtrace:$")
_HASH = re.lazy(r"-[0-9a-f]{16}(?:\.exe)?$")


@dataclass(frozen=True, slots=True)
class RustFailure:
    message: str
    file: str | None = None
    line: int | None = None
    at: int | None = None  # the index in the block of the line that explains it (the panic's message)


def binary_name(path: str) -> str:
    """`target/debug/deps/decode-3f2a9c1b7d8e4f60` -> `decode`; the first word of a command line."""
    first = path.split()[0] if path.split() else path
    return _HASH.sub("", first.replace("\\", "/").rsplit("/", 1)[-1])


def explain(block: Sequence[str]) -> RustFailure:
    """The panic a `---- test stdout ----` block shows: its message (with `left:`/`right:`) and location."""
    for i, line in enumerate(block):
        m = PANICKED.match(line.strip())
        if m is None:
            continue
        rest = m.group("rest").strip()
        if (old := _OLD_PANIC.match(rest)) is not None:
            return RustFailure(
                _one_line([old.group("msg"), *_detail(block[i + 1 :])]), old.group("file"),
                bounded_int(old.group("line")), i,
            )
        new = _NEW_PANIC.match(rest)
        message = _one_line(_detail(block[i + 1 :], first=True))
        # Since Rust 1.73 the message is on the line under `panicked at file:line:col:`.
        at = i + 1 if message and i + 1 < len(block) and block[i + 1].strip() else i
        if new is not None:
            return RustFailure(message, new.group("file"), bounded_int(new.group("line")), at)
        return RustFailure(_one_line([rest, message]), at=at)
    # No panic: the block's first line of output says what failed (a test's returned `Error: ...`, a doctest's
    # `error[E0425]: ...`), not its `---- x stdout ----` header.
    first = next((i for i, line in enumerate(block) if line.strip() and not BLOCK.match(line)), None)
    if first is not None:
        return RustFailure(block[first].strip(), at=first)
    return RustFailure(next((line.strip() for line in block if line.strip()), ""))


def _detail(lines: Sequence[str], first: bool = False) -> list[str]:
    """The panic message's lines: up to the `note: run with RUST_BACKTRACE` line or a blank line."""
    out: list[str] = []
    for line in lines[:12]:
        if _NOTE.match(line.strip()) or (not line.strip() and (out or not first)) or BLOCK.match(line):
            break
        if line.strip():
            out.append(line.strip())
    return out


def _one_line(parts: Sequence[str]) -> str:
    text = " ".join(" ".join(p.split()) for p in parts if p)
    return text if len(text) <= 500 else cut_raw(text, 499) + "…"
