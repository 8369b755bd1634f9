"""Whose code a stack trace runs through: the test runner's, the platform's, or the project's.

An exception whose every frame is the test runner's own code (or the language platform under it)
is the runner failing, not a test: jest-cli's reporter throwing, surefire's ForkedBooter hitting a
NullPointerException, a runner's own binary that cannot load its modules. One frame of the
project's code (a test, a module it imports, a setup file) makes it the project's failure again.
Priority uses this (priority.py); the judgement is pure and reads only the text.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from gardener import regex as re

Owner = Literal["runner", "platform", "project"]

# `at fn (path:1:2)`, `at path:1:2`, `at a.b.C.m(C.java:1)`, with Maven's or Actions' level tag before it.
_AT_FRAME = re.lazy(r"^[ \t>]*(?:\[[A-Z]+\][ \t]*|Error:[ \t]*)?at[ \t]+(?P<rest>\S[^\n]*?)[ \t]*$", re.MULTILINE)
# Java 9+ may put the module or class loader first (`java.base/java.lang.Thread.run`, `app//a.B.c`).
_JAVA_CALL = re.lazy(
    r"^(?:[\w.$@-]*/{1,2})?(?P<method>[\w$]+(?:\.[\w$<>]+)+)"
    r"\((?:[\w$]+\.(?:java|kt|scala|groovy):\d+|Native Method|Unknown Source)\)"
)
_JS_CALL = re.lazy(
    r"^(?:async[ \t]+)?(?:(?:new[ \t]+)?[^\s(]+(?:[ \t]+\[as [^\]]+\])?[ \t]+\()?(?P<path>[^()\s]+?)\)?$"
)
_PY_FRAME = re.lazy(r'^[ \t]*File "(?P<path>[^"]+)", line \d+', re.MULTILINE)

# The runners' own packages: JS packages under node_modules, JVM packages by prefix, Python packages.
_JS_RUNNER = re.lazy(
    r"(?:^|/)node_modules/(?:\.bin/(?:jest|mocha|vitest|ava|jasmine|karma|tap|cypress)(?:$|[/:])"
    r"|(?:jest|jest-[\w-]+|@jest/[\w-]+|mocha|vitest|@vitest/[\w-]+|jasmine|jasmine-core|karma|ava)/)"
)
_JVM_RUNNER = (
    "org.apache.maven.surefire.", "org.apache.maven.plugin.surefire.", "org.apache.maven.plugin.failsafe.",
    "org.junit.platform.launcher.", "org.gradle.api.internal.tasks.testing.", "worker.org.gradle.",
    "org.gradle.process.internal.worker.", "org.testng.internal.", "org.testng.TestRunner.", "org.testng.SuiteRunner.",
)  # fmt: skip
_PY_RUNNER = re.lazy(r"[/\\](?:_pytest|pluggy)[/\\]")
# A runner's command-line entry point: the script `npm test` starts.
_JS_ENTRY = re.lazy(r"(?:^|/)node_modules/(?:\.bin/[\w-]+(?:$|:)|(?:@[\w-]+/)?[\w-]+/bin/[\w.-]+(?:$|:))")
# The runner itself is what cannot be loaded: `Cannot find module '.../node_modules/jest/bin/jest.js'`,
# `Cannot find module 'jest-cli'`, `No module named pytest`.
_RUNNER_MISSING = re.lazy(
    r"Cannot find module '(?:[^'\n]*/)?(?:node_modules/)?(?:jest|jest-cli|@jest/core|mocha|vitest|ava|jasmine|karma)"
    r"(?:/bin/[\w.-]+)?'|No module named '?(?:pytest|_pytest)\b"
)
# The platform under everything: it says nothing about whose code failed.
_JVM_PLATFORM = ("java.", "javax.", "jdk.", "sun.", "com.sun.")
_PY_PLATFORM = re.lazy(r"^<frozen |[/\\]lib[/\\]python\d[\d.]*[/\\]")
_INSTALLED = ("site-packages", "dist-packages")  # under lib/pythonX: installed packages, not the platform


def _py_platform(path: str) -> bool:
    return any(m[0] == "<frozen " or not path.startswith(_INSTALLED, m.end()) for m in _PY_PLATFORM.finditer(path))


@dataclass(frozen=True, slots=True)
class Frames:
    runner: int
    platform: int
    project: int
    entry: int = 0  # of the runner's frames, how many are its command-line entry point

    @property
    def only_runner(self) -> bool:
        """At least one frame of the runner's own code and none of the project's."""
        return self.runner > 0 and self.project == 0


def _js_owner(path: str) -> Owner:
    if _JS_RUNNER.search(path):
        return "runner"
    # node's own modules: `node:internal/...`, `internal/module.js`, bare `module.js`, `<anonymous>`.
    if path.startswith(("node:", "internal/", "<")) or path in ("native", "anonymous") or "/" not in path:
        return "platform"
    return "project"


def frame_owner(rest: str) -> Owner | None:
    """Whose code one `at ...` frame is in; None when the text after `at` is no frame."""
    if m := _JAVA_CALL.match(rest):
        method = m.group("method")
        if method.startswith(_JVM_RUNNER):
            return "runner"
        return "platform" if method.startswith(_JVM_PLATFORM) else "project"
    if (m := _JS_CALL.match(rest)) and (":" in m.group("path") or "/" in m.group("path")):
        return _js_owner(m.group("path"))
    if rest.startswith(("process.", "node.js", "internal/", "node:")):
        return "platform"
    return None


@functools.lru_cache(maxsize=4096)  # a stack names a few files many times, and a run many stacks
def _py_owner(path: str) -> Owner:
    if _PY_RUNNER.search(path):
        return "runner"
    return "platform" if _py_platform(path) else "project"


def _owners(text: str) -> Iterator[tuple[Owner, str]]:
    """Each stack frame's owner, `at ...` frames first (with the text after `at`), then Python's."""
    for m in _AT_FRAME.finditer(text):
        # A Windows path (`C:\app\node_modules\jest-cli\src\x.js:78:22`) is owned as its POSIX form is.
        rest = m.group("rest").replace("\\", "/")
        owner = frame_owner(rest)
        if owner is not None:
            yield owner, rest
    for m in _PY_FRAME.finditer(text):
        yield _py_owner(m.group("path")), ""


def frames_of(text: str) -> Frames:
    """How many stack frames in `text` belong to the runner, the platform and the project."""
    counts = {"runner": 0, "platform": 0, "project": 0}
    entry = 0
    for owner, rest in _owners(text):
        counts[owner] += 1
        entry += owner == "runner" and bool(rest) and _JS_ENTRY.search(rest.rstrip(")")) is not None
    return Frames(counts["runner"], counts["platform"], counts["project"], entry)


def runner_own_stack(text: str) -> bool:
    """The stack trace in `text` runs only through the test runner's own code (and the platform):
    `frames_of(text).only_runner`, read only up to the first frame of the project's own code."""
    if "at " not in text and 'File "' not in text:
        return False
    runner = False
    for owner, _ in _owners(text):
        if owner == "project":
            return False
        runner = runner or owner == "runner"
    return runner


def runner_cannot_start(text: str) -> bool:
    """The test runner itself cannot be loaded: its own module is missing, or the module that fails
    to load is required by its entry point with no project code on the stack. No test can run."""
    if _RUNNER_MISSING.search(text):
        return True
    if "at " not in text:
        return False
    frames = frames_of(text)
    return frames.only_runner and frames.entry > 0
