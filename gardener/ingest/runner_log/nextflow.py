"""Nextflow's report of a failed process, fed one clean line at a time, turned into an incident Result.

When a pipeline process fails Nextflow prints one block for it (often twice: live, then at the end):

    Error executing process > 'ALIGNMENT:BWAMEM2_MEM (gene)'
    Caused by:
      Process `ALIGNMENT:BWAMEM2_MEM (gene)` terminated with an error exit status (1)
    Command executed:
      bwa-mem2 mem ... | samtools sort -o gene.bam -
    Command exit status:
      1
    Command output:
      (empty)
    Command error:
      * Reading reference genome..
      [E::main_mem] fail to open file `reads_1.fastq.gz'.
    Work dir:
      /work/c7/14b617...

`Error executing process` only says that a process failed; what explains it is the first line of the
command's own error output that reports an error (a warning or progress line does not), else Nextflow's
`Caused by:` line. The Result is an incident (not a test): its line is that explaining line, its message that
line, its details the block's cause, exit status and error output, and the same process printed again is one
Result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePath

from gardener import regex as re
from gardener.ingest.excerpt import Excerpt
from gardener.ingest.runner_log import reader_hints
from gardener.ingest.runner_log.console import ReaderBase
from gardener.ingest.runner_log.results import log_id
from gardener.model import Result, Source

HEADER = re.lazy(r"^Error executing process > '(?P<process>[^']+)'")
SECTION = re.lazy(
    r"^(?P<name>Caused by|Command executed|Command exit status|Command output|Command error|Work dir|Tip):"
)
# A line of the command's error output that reports an error (htslib's `[E::f]`, `Error:`, `failed`, ...).
ERRORISH = re.lazy(
    r"(?i)^\s*(?:\[E::|\[ERROR\]|ERROR\b|Error\b|FATAL\b|Exception\b|Traceback\b)|\b(?:error|fail(?:ed|s|ure)?|fatal"
    r"|exception|not found|no such file|cannot|can't|unable to|denied|killed|abort(?:ed)?|segmentation fault)\b"
)
NOT_ERROR = re.lazy(r"(?i)^\s*(?:WARN(?:ING)?\b|INFO\b|\[W::|\[I::|\[M::)")
MAX_BLOCK_LINES = 400
MAX_RESULTS = 1000


@dataclass(slots=True)
class _Block:
    process: str
    start: int
    timestamp: datetime | None
    section: str = ""
    cause: tuple[int, str] | None = None  # Nextflow's `Caused by:` line
    error: tuple[int, str] | None = None  # the command's first error line
    lines: int = 0
    excerpt: Excerpt = field(default_factory=Excerpt)


class NextflowReader(ReaderBase):
    """Feed (line number, clean text, timestamp); `finish()` returns one incident Result per failed process."""

    HINTS = reader_hints.NEXTFLOW

    def __init__(self, path: str, kind: str) -> None:
        super().__init__(path, kind)
        self._stem = PurePath(path).stem
        self._block: _Block | None = None
        self._results: dict[str, Result] = {}

    def idle(self) -> bool:
        return self._block is None

    def feed(self, number: int, text: str, timestamp: datetime | None) -> bool:
        if (m := HEADER.match(text)) is not None:
            self._close()
            self._block = _Block(m.group("process"), number, timestamp)
            self._block.excerpt.add(text, number)
            return True
        block = self._block
        if block is None:
            return False
        block.lines += 1
        if (m := SECTION.match(text)) is not None:
            block.section = m.group("name")
            if block.section in ("Work dir", "Tip"):
                self._close()
                return True
        elif text.strip() and not text[:1].isspace():
            self._close()  # Nextflow's own next line: the block is over
            return False
        elif block.section == "Caused by" and block.cause is None and text.strip():
            block.cause = (number, text.strip())
        elif block.section == "Command error" and block.error is None and _explains(text):
            block.error = (number, text.strip())
        if block.section != "Command executed":
            block.excerpt.add(text, number)
        if block.lines > MAX_BLOCK_LINES:
            self._close()
        return True

    def _close(self) -> None:
        block, self._block = self._block, None
        if block is None:
            return
        where = block.error or block.cause or (block.start, f"Error executing process > '{block.process}'")
        line, message = where
        rid = log_id(self._stem, "nextflow-process", message, block.process)
        self.claimed.append((block.start, block.excerpt.last_number or block.start))
        self.failing_lines.append(line)
        if rid in self._results or len(self._results) >= MAX_RESULTS:
            return  # printed again at the end of the run
        self._results[rid] = Result(
            id=rid,
            outcome="error",
            source=Source(self.path, self.kind), source_line=line,
            message=message,
            error_type="nextflow-process",
            details=block.excerpt.render(),
            timestamp=block.timestamp,
            properties=(("subject", block.process),),
        )

    def interrupt(self) -> None:
        """The output around Nextflow moved on (a new CI step): close what is open."""
        self._close()

    def finish(self) -> tuple[Result, ...]:
        self._close()
        return tuple(self._results.values())


def _explains(text: str) -> bool:
    return NOT_ERROR.match(text) is None and ERRORISH.search(text) is not None
