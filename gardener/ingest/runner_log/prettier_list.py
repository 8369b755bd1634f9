"""prettier's file list in check mode: the files it would reformat, printed one bare path a line.

`prettier --list-different` (`-l`), and `prettier --check` before 2.0, print nothing but the path
of each file that is not formatted, then exit 1:

    > prettier --list-different "src/**/*.js"
    src/index.js
    src/utils/date.js
    npm ERR! code ELIFECYCLE

No line of that list says "error", so no anchor rule can see it: the paths mean something only
after the command that printed them. This reader arms on a prettier command line in check mode and
reads the bare paths that follow as one incident (`error_type` "lint") whose evidence line is the
first path. Paths `[warn]`-prefixed (prettier 2's `--check`) are left to the anchor rules.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import PurePath

from gardener import regex as re
from gardener.ingest.excerpt import Excerpt
from gardener.ingest.runner_log import reader_hints
from gardener.ingest.runner_log.console import ReaderBase
from gardener.model import Result, Source

ERROR_TYPE = "lint"
_COMMAND = re.lazy(r"\bprettier(?:\.cmd|\.js)?\b[^\n]*?(?:--list-different|--check|\s-l\b|\s-c\b)")
_PATH = re.lazy(r"^\s*(?P<path>[\w@.\\/-]+\.[A-Za-z][\w]{0,9})\s*$")
# A linter's report line under a file header (`  3:1  error  ...`): the path above was not prettier's.
_REPORT = re.lazy(r"^\s+\d+:\d+\s")
_WAIT = 6  # lines after the command within which the first path must come (npm echoes a few lines first)
MAX_FILES = 5000


class PrettierListReader(ReaderBase):
    """Fed every clean line; one failing result per list of unformatted files. Idle until a prettier
    command line arms it (its hint); then it hears every line until the list is over."""

    HINTS = reader_hints.PRETTIER_LIST

    def idle(self) -> bool:
        return not self._armed_at and not self._files

    def __init__(self, path: str, kind: str) -> None:
        super().__init__(path, kind)
        self._armed_at = 0  # the command's line while waiting for or reading the list, else 0
        self._files: list[tuple[int, str]] = []
        self._results: list[Result] = []

    def feed(self, number: int, text: str, timestamp: datetime | None) -> bool:
        if not self._armed_at:
            if "prettier" in text and _COMMAND.search(text) is not None:
                self._armed_at = number
            return False
        m = _PATH.match(text)
        if m is not None and len(self._files) < MAX_FILES:
            self._files.append((number, m.group("path")))
            return True
        if self._files or number - self._armed_at > _WAIT:
            if _REPORT.match(text) is not None:
                self._files = []  # the paths headed a linter's report (`eslint . && prettier -c .`)
            self._close()  # the list is over (or never came)
            return self.feed(number, text, timestamp)
        return False

    def interrupt(self) -> None:
        self._close()

    def finish(self) -> tuple[Result, ...]:
        self._close()
        return tuple(self._results)

    def _close(self) -> None:
        files, self._files, self._armed_at = self._files, [], 0
        if not files:
            return
        first_line, first = files[0]
        more = f" (and {len(files) - 1} more files)" if len(files) > 1 else ""
        message = f"prettier check: {first} is not formatted{more}"
        excerpt = Excerpt()
        for n, path in files[:20]:
            excerpt.add(path, n)
        names = " ".join(path for _, path in files)
        digest = hashlib.sha256(names.encode()).hexdigest()[:6]
        self._results.append(
            Result(
                id=f"log:{PurePath(self.path).stem}:{ERROR_TYPE}:prettier-{digest}",
                outcome="error",
                source=Source(self.path, self.kind), source_line=first_line,
                message=message,
                error_type=ERROR_TYPE,
                details=excerpt.render(),
                file=first,
            )
        )
        self.claimed.append((first_line, files[-1][0]))
        self.failing_lines.extend(n for n, _ in files)
