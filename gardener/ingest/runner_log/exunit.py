"""ExUnit's console report (`mix test`), fed one clean line at a time.

ExUnit prints each failure as soon as it happens, as a numbered block between the progress dots:

      1) test removes buckets on exit (KV.RegistryTest)
         test/kv/registry_test.exs:19
         ** (exit) exited in: GenServer.call(#PID<0.115.0>, :stop, 5000)
         stacktrace:
           (elixir) lib/gen_server.ex:357: GenServer.call/3
           test/kv/registry_test.exs:23

then `7 tests, 2 failures`. A `setup_all` failure (`1) KV.RegistryTest: failure on setup_all callback, all
tests have been invalidated`) is an error of the whole module. Ids are `file::Module::test name`, the test's
file from the line under its header (`Module::test name` when there is none), as gardener names the same test
in junit_formatter's report (its testcase's file, classname and name), so the two are one result. The
message is what the block says before `stacktrace:` (the raised exception, or the assertion with its code,
left and right), the evidence line its first line, the place the first frame of the project's own code (a
frame naming an app, `(elixir) lib/...`, is a dependency's), else the test's own line.
"""

from __future__ import annotations

from datetime import datetime

from gardener import regex as re
from gardener.ingest.runner_log import reader_hints
from gardener.ingest.runner_log.listing import ListingReader

HEADER = re.lazy(
    r"^(?P<indent>\s+)\d+\) (?:(?P<kind>test|doctest|property|feature) (?P<name>\S.*?) \((?P<module>[A-Z][\w.]*)\)"
    r"|(?P<setup>[A-Z][\w.]*): failure on setup_all callback\b.*?)\s*$"
)
LOCATION = re.lazy(r"^\s*(?P<file>[^\s:]+\.exs?):(?P<line>\d+)\s*$")
STACKTRACE = re.lazy(r"^\s*stacktrace:\s*$")
FRAME = re.lazy(r"^\s*(?P<app>\([\w.]+(?: [\w.-]+)?\) )?(?P<file>[^\s:()]+\.(?:exs?|erl)):(?P<line>\d+)")
RAISED = re.lazy(r"^\s*\*\* \((?P<type>[\w.]+)\)")
ASSERTION = re.lazy(r"^\s*(?:Assertion with \S+ failed|Assertion failed|Expected truthy, got|Expected false or nil, got"
                    r"|match \(=\) failed|Expected exception |No message matching |Assertion was not )")


class ExUnitReader(ListingReader):
    """Feed (line number, clean text, timestamp); `finish()` returns the failing tests' Results."""

    HINTS = reader_hints.EXUNIT

    def __init__(self, path: str, kind: str) -> None:
        super().__init__(path, kind)
        self._indent = 0
        self._location: tuple[str, int] | None = None  # the test's own line, under its header

    def idle(self) -> bool:
        return self.block is None

    def feed(self, number: int, text: str, timestamp: datetime | None) -> bool:
        if (m := HEADER.match(text)) is not None:
            if m.group("setup"):
                test, outcome = m.group("setup"), "error"
            else:
                test, outcome = f"{m.group('module')}::{m.group('kind')} {m.group('name')}", "failed"
            self.open(test, number, text, timestamp, "error" if outcome == "error" else "failed")
            self._indent, self._location = len(m.group("indent")), None
            return True
        block = self.block
        if block is None:
            return False
        stripped = text.strip()
        if stripped and len(text) - len(text.lstrip()) <= self._indent:  # the dots, `Finished in`, the totals
            self.close()
            return False
        if not self.keep(block, number, text):
            return False
        if not stripped:
            return True
        if block.lines == 1 and (loc := LOCATION.match(text)) is not None:
            self._location = (loc.group("file"), int(loc.group("line")))
            block.test = f"{loc.group('file')}::{block.test}"  # as junit_formatter's report names it (its file)
        elif STACKTRACE.match(text):
            block.done = True
        elif block.done:
            frame = FRAME.match(text)
            if frame is not None and not frame.group("app"):
                block.place(frame.group("file"), int(frame.group("line")))
        else:
            # The first exception named (`** (EXIT from #PID<0.312.0>) an exception was raised:` names none: the
            # linked process's own, on the next line, is the cause), or an assertion's first line.
            if not block.error_type and (raised := RAISED.match(text)) is not None:
                block.error_type = raised.group("type")
            elif not block.error_type and not block.message and ASSERTION.match(text):
                block.error_type = "ExUnit.AssertionError"
            block.say(number, stripped)
        return True

    def close(self) -> None:
        if self.block is not None and self._location is not None:
            self.block.place(*self._location)
        super().close()
