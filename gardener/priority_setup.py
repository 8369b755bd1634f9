"""An exception raised where every test runs, not inside one test. The labelling rule (tests/data/classify/README.md,
"Labelling guide: priority", and the thirteenth set's labels): a runtime exception is P2 when one test raises it, P1
when the run cannot test anything past it. Besides the runner crashing (priority_runner.py), the text shows that when
the exception was raised:

- in the tests' set-up, which every test runs before its body: a JUnit 5 extension's or JUnit 4's `beforeEach` /
  `@Before`, xUnit's `setUp`, mocha's and jest's `beforeEach` hooks, RSpec's `before(:each)`, a pytest fixture (the
  `@pytest.fixture` decorator quoted above the raising line, or the raise located in a `conftest.py`);
- by the build tool's test task itself: Gradle's `Execution failed for task ':x:test'.` answered by a platform
  exception (`> java.lang.NullPointerException`), not by `There were failing tests`;
- as a test runner's own internal error (tox's `py311: internal error`, pytest's `INTERNALERROR>`).

`outside_test_body` is pure and reads only the text; priority.py applies it to runtime exceptions at P2.
"""

from __future__ import annotations

from gardener import regex as re
from gardener.redact.text import cut_raw

_SETUP_HOOK = re.lazy(
    r"\b(?:invokeBeforeEachCallbacks|invokeBeforeAllCallbacks|beforeEach|beforeAll|BeforeEach|BeforeAll)\b"
    r"|\"before (?:each|all)\" hook|\bbefore\(:(?:each|all|example|context)\)|^\s*@Before(?:Each|All|Class)?\b"
    r"|\bin setUp(?:Class|Module)?\b|\.setUp\(|\bTestInitialize\b|\bOneTimeSetUp\b|\bsetup_method\b"
    r"|^\s*@pytest\.fixture\b|\bconftest\.py:\d+: \w*(?:Error|Exception)\b|\berror at setup of\b|\bERROR at setup\b",
    re.MULTILINE,
)
# Gradle's task failure answered directly by a platform exception (not by its `There were failing tests` summary).
_TASK_EXCEPTION = re.lazy(
    r"Execution failed for task '(?P<task>[^'\n]+)'\.\s*\n\s*> "
    r"(?P<exc>(?:java|kotlin|javax)\.[\w.$]*(?:Exception|Error))"
)
# A test's title (jest's `● suite › name`, its verbose `✕ name (5 ms)`): a set-up word there is the test's name.
_TITLE = re.lazy(r"^\s*[●✕×]\s")
# Jest's code frame: the quoted source lines (`  10 |   beforeEach(...)`) and the one it marks (`> 12 |   it(...)`).
_FRAME_LINE = re.lazy(r"^\s*(?:> ?)?\d+ \|")
_MARKED_LINE = re.lazy(r"^\s*> ?\d+ \|")
_CARET_LINE = re.lazy(r"^\s*\|")
_OPENS_TEST = re.lazy(r"\b(?:it|test|specify)(?:\.\w+)?\(")
_FRAME_SPAN = 1200  # how far a code frame is read after a hook it quotes (jest shows a few lines)
_FRAME_LINES = 12
_MAX_MENTIONS = 20  # hook words looked at before giving up: a hostile text of thousands costs no more
# A task that runs tests (`:app:test`, `:integrationTest`, `:app:testDebugUnitTest`): its last name says so.
_TEST_TASK = re.lazy(r"(?i)(?:^|:)[\w-]*test[\w-]*$")
_INTERNAL_ERROR = re.lazy(r"(?m)^\s*(?:[\w.-]+: )?internal error\s*$|^INTERNALERROR>")


def outside_test_body(text: str) -> str:
    """Why the exception in `text` stops every test rather than one, in words; '' when the text does not show it."""
    if (m := _TASK_EXCEPTION.search(text)) is not None:
        task, exc = m.group("task"), m.group("exc").rsplit(".", 1)[-1]
        said = f"the build tool's task `{task}` itself failed with a {exc}"
        if _TEST_TASK.search(task) is None:  # `:compileJava` crashed (lombok on a newer JDK): no tests of its own
            return f"{said}, so the build stopped before any test ran"
        return f"{said}, not a failing test, so none of its tests reported a result"
    if (m := _set_up_hook(text)) is not None:
        return (f"it was raised in the tests' set-up (`{cut_raw(m.group(0).strip(), 60)}`), which every test runs "
                "before its body, so every test fails on it")
    if (m := _INTERNAL_ERROR.search(text)) is not None:
        return f"the test runner reported an internal error (`{cut_raw(m.group(0).strip(), 60)}`) and stopped"
    return ""


def _set_up_hook(text: str) -> re.Match[str] | None:
    """The first set-up hook `text` names as where it raised: not a test's title that holds the word, nor a hook a
    code frame quotes above the failing test's own line."""
    for n, m in enumerate(_SETUP_HOOK.finditer(text)):
        if n == _MAX_MENTIONS:
            break
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        line = text[start:end if end >= 0 else len(text)]
        if _TITLE.search(line):
            continue
        frame = text[start:start + _FRAME_SPAN].split("\n", _FRAME_LINES)
        if _FRAME_LINE.search(line) and not _marks_inside_hook(frame):
            continue
        return m
    return None


def _marks_inside_hook(frame: list[str]) -> bool:
    """Whether the code frame from the hook's line on (`frame[0]`) marks a line of the hook: the marked line comes
    before any test the frame opens after the hook."""
    for i, line in enumerate(frame):
        if _MARKED_LINE.search(line):
            return i == 0 or not _OPENS_TEST.search(line)
        if i and (_OPENS_TEST.search(line) or not (_FRAME_LINE.search(line) or _CARET_LINE.search(line))):
            return False
    return False
