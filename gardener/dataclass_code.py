"""What `@dataclass` compiles, compiled once per interpreter instead of at every start of the CLI.

The dataclass decorator writes each class's `__init__`, `__repr__`, `__eq__`, `__hash__`, `__setattr__`
and `__delattr__` as source text and compiles it with `exec` every time the class is defined: for the
~110 models `gardener run` imports that is ~590 texts parsed and compiled on every start (~40 ms of CPU
on Python 3.11, a fifth of a run on the bundled example), the same texts each time. Python caches the
bytecode of modules in __pycache__, not this.

`install()`, called by the CLI's entry point (never on import: the library and the pytest plugin leave
the interpreter as they found it), shadows `exec` inside the dataclasses module with one that looks the
text up in a table of the code objects compiled before, keyed by the text itself. The same text
compiled by the same interpreter with the same flags is the same code, so a hit changes nothing but the
time. The table lives beside gardener's own bytecode (gardener/__pycache__/dataclass-code.<tag>.bin,
headed by the interpreter's bytecode magic number) and is trusted as the .pyc files there are: whoever
can write one can write the other. A file that does not read back is a miss; new entries are written at
exit, atomically, unless bytecode writing is off (PYTHONDONTWRITEBYTECODE) or the folder is read-only.
"""

from __future__ import annotations

import atexit
import builtins
import contextlib
import marshal
import os
import sys
from pathlib import Path
from types import CodeType
from typing import Any

# The table loads when the first class is defined (`--help` defines none), tempfile when the table is
# written. Keys are the texts themselves, not a digest: exact, and hashlib would load OpenSSL (~4 MiB of
# a JUnit ingest's peak RSS) to save ~200 KB of table.

_MAX_ENTRIES = 4000  # past this (code long gone from many edits of a checkout), keep what this process used


class CodeTable:
    """Code objects by their source text, read from and written to one file."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.codes: dict[str, CodeType] = {}
        self.used: set[str] = set()
        self.hits = self.misses = 0
        self._loaded = False

    def code(self, source: str) -> CodeType:
        if not self._loaded:
            self._load()
        self.used.add(source)
        found = self.codes.get(source)
        if found is not None:
            self.hits += 1
            return found
        self.misses += 1
        # dont_inherit: compiled with no flags of this module (its `annotations` future would turn the
        # generated signatures' annotations into strings); exec(source) compiles it the same way.
        found = self.codes[source] = compile(source, "<string>", "exec", dont_inherit=True)
        return found

    def _load(self) -> None:
        from importlib.util import MAGIC_NUMBER

        self._loaded = True
        if self.path is None:
            return
        try:
            data = self.path.read_bytes()
            if data[: len(MAGIC_NUMBER)] == MAGIC_NUMBER:
                table = marshal.loads(data[len(MAGIC_NUMBER) :])
                if isinstance(table, dict):
                    self.codes = {k: v for k, v in table.items() if isinstance(k, str) and isinstance(v, CodeType)}
        except (OSError, ValueError, EOFError, TypeError):
            self.codes = {}

    def save(self) -> None:
        """Write the table when this process compiled anything new (atomically; a failure is no error)."""
        if self.path is None or not self.misses or sys.dont_write_bytecode:
            return
        import tempfile
        from importlib.util import MAGIC_NUMBER

        codes = self.codes
        if len(codes) > _MAX_ENTRIES:
            codes = {k: v for k, v in codes.items() if k in self.used}
        tmp: str | None = None
        try:
            self.path.parent.mkdir(exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".dataclass-code-", suffix=".tmp")
            os.chmod(tmp, Path(__file__).stat().st_mode & 0o666)  # readable as the .pyc beside it (py_compile's rule)
            with os.fdopen(fd, "wb") as out:
                out.write(MAGIC_NUMBER + marshal.dumps(codes))
            os.replace(tmp, self.path)
            tmp = None
        except (OSError, ValueError):
            pass
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)


def default_path() -> Path | None:
    """gardener/__pycache__/dataclass-code.<cache tag>.bin; None when the interpreter caches no bytecode."""
    tag = sys.implementation.cache_tag
    if tag is None:
        return None
    return Path(__file__).resolve().parent / "__pycache__" / f"dataclass-code.{tag}.bin"


_installed: CodeTable | None = None


def install(path: Path | None = None) -> CodeTable:
    """Compile dataclass methods through the table from now on in this process (once; later calls
    return the table installed)."""
    global _installed
    if _installed is not None:
        return _installed
    import dataclasses

    table = CodeTable(default_path() if path is None else path)

    def exec_cached(source: Any, globals: Any = None, locals: Any = None, /) -> None:
        if globals is None:  # exec's defaults: the caller's namespaces (dataclasses always passes its own)
            caller = sys._getframe(1)
            globals, locals = caller.f_globals, caller.f_locals if locals is None else locals
        if isinstance(source, str):
            source = table.code(source)
        builtins.exec(source, globals, locals)

    # A module global named `exec` is found before the builtin by dataclasses' own code, and by no one else.
    dataclasses.exec = exec_cached  # type: ignore[attr-defined]
    atexit.register(table.save)
    _installed = table
    return table
