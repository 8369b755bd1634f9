"""What one line of Maven surefire / failsafe console output is, and what it says about a test.

Pure patterns and the per-test record surefire.py fills in; nothing here reads a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from gardener import regex as re
from gardener.ingest.excerpt import Excerpt
from gardener.model import Outcome

# Maven prefixes every line with its level; surefire before 2.19 under Maven 3.0-3.3 did not.
_LEVEL = r"^(?:\[(?:ERROR|WARNING|WARN|INFO)\])?"
_LEVEL_PREFIX = re.lazy(r"^\[(?:ERROR|WARNING|WARN|INFO)\]")
_TEST = r"[\w.$]+?(?:\([^)]*\))?(?:\[[^\]]*\])?"
PER_TEST = re.lazy(
    r"^(?:\[\w+\]\s+)?(?P<test>\S.*?)\s+(?:--\s+)?Time elapsed: \S+ s(?:ec)?\s+<<< (?P<what>FAILURE|ERROR)!\s*$"
)
_OLD_STYLE = re.lazy(r"^(?P<method>[^()\s]+)\((?P<cls>[\w.$]+)\)$")
TOTALS = re.lazy(
    r"^(?:\[\w+\]\s+)?Tests run: (?P<run>\d+), Failures: (?P<f>\d+), Errors: (?P<e>\d+), Skipped: (?P<s>\d+)"
)
RUNNING = re.lazy(_LEVEL + r"\s*Running (?P<cls>[\w.$]+)\s*$")
RESULTS = re.lazy(_LEVEL + r"\s*Results\s*:\s*$")
# surefire 2 lists its first entry on the header's own line: `Failed tests:   bar(com.acme.FooTest): msg`.
SECTION = re.lazy(
    _LEVEL + r"\s*(?P<name>Failures|Errors|Flakes|Failed tests|Tests in error)\s*:(?:\s*$|\s+(?P<first>\S.*?)\s*$)"
)
# A module of Maven's reactor summary the build skipped after an earlier module failed.
REACTOR_SKIPPED = re.lazy(_LEVEL + r"\s*(?P<module>\S.*?)\s*\.{2,}\s*SKIPPED\s*$")
# A module of the reactor summary that failed (`[INFO] acme-core ..... FAILURE [ 14.208 s]`).
REACTOR_FAILED = re.lazy(_LEVEL + r"\s*(?P<module>\S.*?)\s*\.{2,}\s*FAILURE(?:\s*\[[^\]]*\])?\s*$")
# Maven's header before each module's output: `[INFO] Building acme-core 1.0.0-SNAPSHOT  [2/4]`, its name as the
# reactor summary gives it (not a plugin's `Building jar: target/x.jar`).
MODULE_HEADER = re.lazy(r"^\[INFO\] Building (?P<name>\S(?:.*?[^:\s])?) [^\s:]+(?:\s+\[\d+/\d+\])?\s*$")
# The project a goal failed on: `... (default-test) on project acme-core: There are test failures.`
FAILED_ON_PROJECT = re.lazy(r"\bon project (?P<project>[\w.-]+): ")
RUN = re.lazy(_LEVEL + r"\s+Run (?P<n>\d+): (?P<rest>.*?)\s*$")
# `FooTest.bar:71 msg` (surefire 2.19+), `bar(com.acme.FooTest): msg` (older: the name, a colon, the message).
_ENTRY_BODY = r"(?P<test>" + _TEST + r")(?::\d+)?:?\s+(?P<rest>\S.*?)\s*$"
ENTRY = re.lazy(_LEVEL + r"\s{2,}" + _ENTRY_BODY)
FIRST_ENTRY = re.lazy(_ENTRY_BODY)
FQN_ENTRY = re.lazy(_LEVEL + r"\s?(?P<test>[a-z_][\w$]*(?:\.[\w$]+)+\.[\w$]+(?:\(.*\))?(?:\[.*\])?)\s*$")
_EXCEPTION = re.lazy(
    r"^(?P<type>(?:[\w$]+\.)*[\w$]*(?:Error|Exception|Failure|Throwable|Failed)\w*)(?::\s*(?P<msg>.*))?$"
)
GOAL_FAILED_BY_TESTS = re.lazy(
    r"^\[ERROR\] Failed to execute goal \S*(?:surefire|failsafe)\S* .*There are test failures"
)
SECTION_OUTCOME: dict[str, Outcome] = {
    "Failures": "failed",
    "Failed tests": "failed",
    "Errors": "error",
    "Tests in error": "error",
    "Flakes": "flaky",
}


def without_level(text: str) -> str:
    """The line without Maven's `[ERROR]`-style prefix."""
    return _LEVEL_PREFIX.sub("", text, count=1)


def split_test(text: str) -> tuple[str, str]:
    """(class, method) from `com.acme.FooTest.bar`, `bar(com.acme.FooTest)` or `FooTest.bar(int)[2]`."""
    if m := _OLD_STYLE.match(text):
        return m.group("cls"), m.group("method")
    cut = min((i for i in (text.find("("), text.find("[")) if i >= 0), default=len(text))
    dot = text.rfind(".", 0, cut)
    return (text[:dot], text[dot + 1 :]) if dot > 0 else ("", text)


def base_method(method: str) -> str:
    """`bar` from `bar(int)[2]`."""
    cut = min((i for i in (method.find("("), method.find("[")) if i >= 0), default=len(method))
    return method[:cut]


@dataclass(slots=True)
class ConsoleTest:
    """Everything the console said about one test."""

    cls: str
    method: str
    line: int
    timestamp: datetime | None
    outcome: Outcome = "failed"
    message: str = ""
    error_type: str = ""
    reported: int = 0  # `<<< FAILURE!` reports seen
    failed_runs: int = 0  # `Run n:` lines of the Results section
    passed_runs: int = 0
    last_line: int = 0
    has_stack: bool = False
    excerpt: Excerpt = field(default_factory=Excerpt)
    module: str = ""  # the reactor module whose header came before it ("" when the log showed none)

    def note(self, message: str) -> None:
        """The first explanation seen is kept: `java.lang.AssertionError: x` gives type and message."""
        text = message.strip().removeprefix("» ").strip()
        if self.message or not text:
            return
        if m := _EXCEPTION.match(text):
            self.error_type, self.message = m.group("type"), (m.group("msg") or m.group("type")).strip()
        else:
            self.message = text

    @property
    def attempts(self) -> int:
        listed = self.failed_runs + self.passed_runs
        return listed if listed else max(self.reported, 1)
