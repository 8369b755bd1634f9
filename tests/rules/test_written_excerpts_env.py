"""The environment's families (rules-env, issue 12) on excerpts written after other public threads.

The open sets' misses in the environment categories (git's safe.directory check, Windows refusing a file, a compiler
killed in the user's locale, Gradle's daemon giving up, disk full under npm's warnings, a GitLab runner that cannot
pull its image, services nobody started) were fixed with rules written from the tools' own messages
(gardener/ingest/runner_log/families_env.py, the rules-env block of gardener/rules/builtin.toml, line_category.py).
Each excerpt in tests/data/rules/written_excerpts_env.jsonl follows the output of ANOTHER public thread than any
labelled set's item (`modelled_on`), with names, paths and values changed, so these tests check that a rule names
the mechanism rather than one item; where an older rule already names the same excerpt, `rule` says which. The
boundary cases pin where the same words belong to another category.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.config import Config
from gardener.line_category import name_line
from tests.rules.excerpt_first import (
    assert_explained_by_its_rule,
    assert_modelled_on_fresh_threads,
    first_finding_of,
    written,
)

ITEMS = written("written_excerpts_env")
# The labelled sets open for rule work (the clean held-out sets are not read here).
OPEN_SETS = ("corpus", "holdout2", *(f"corpus{n}" for n in range(3, 13)))


@pytest.mark.parametrize("item", ITEMS, ids=[str(i["id"]) for i in ITEMS])
def test_excerpt_is_explained_by_its_rule(item: dict[str, str], config: Config, tmp_path: Path) -> None:
    assert_explained_by_its_rule(item, config, tmp_path)


def test_every_excerpt_cites_a_thread_no_labelled_set_cites() -> None:
    assert_modelled_on_fresh_threads(ITEMS, OPEN_SETS)
    # Two or three excerpts for each family this helper added.
    mine = [i["rule"] for i in ITEMS]
    for rule in ("permission.git-dubious-ownership", "permission.windows-file-access", "oom.compiler-killed-signal",
                 "oom.runtime-own-words", "crash.runtime-reports", "network.service-not-there",
                 "registry.job-image-missing", "auth.client-and-service-refusals", "ci.npm-network",
                 "ci.runner-own-errors", "timeout.browser-runner-disconnect"):
        assert 2 <= mine.count(rule) <= 3, rule


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # gcc's driver naming a segmentation fault: an internal compiler error, not the OOM killer.
        ("c++: internal compiler error: Segmentation fault signal terminated program cc1plus\n"
         "Please submit a full bug report.\nmake[2]: *** [CMakeFiles/app.dir/build.make:76: main.o] Error 1",
         "segfault-crash"),
        # npm's warning that the disk is full explains the `cb() never called` that follows it.
        ("npm WARN tar ENOSPC: no space left on device, write\n\nnpm ERR! cb() never called!\n\n"
         "npm ERR! This is an error with npm itself.", "disk-full"),
        # npm's own network error class is the runner's network to the registry, not a service the tests need.
        ("npm ERR! code ETIMEDOUT\nnpm ERR! errno ETIMEDOUT\nnpm ERR! network connect ETIMEDOUT 104.16.0.35:443\n"
         "npm ERR! network This is most likely not a problem with npm itself", "ci-runner-failure"),
    ],
    ids=["gcc-segfault-not-oom", "npm-warn-enospc", "npm-network-is-the-runner"],
)
def test_the_family_where_its_words_say_so(text: str, category: str, config: Config, tmp_path: Path) -> None:
    assert first_finding_of(text, config, tmp_path).category == category


@pytest.mark.parametrize(
    ("text", "not_category"),
    [
        # A status-code assertion is an assertion failure even when the answer was a 401 (issue 12 item 7).
        ("    def test_login(client):\n        r = client.post('/login')\n>       assert r.status_code == 200\n"
         "E       assert 401 == 200\n\ntests/test_auth.py:8: AssertionError\nFAILED tests/test_auth.py::test_login - "
         "assert 401 == 200\n1 failed, 3 passed in 0.21s", "auth-error"),
        # meson's summary counting no timeouts names none.
        ("Summary of Failures:\n\n2/2 testsuite  FAIL  130.94s   (exit status 1)\n\nOk:                 1\n"
         "Fail:               1\nTimeout:            0\n\nFull log written to build/meson-logs/testlog.txt",
         "timeout-hang"),
    ],
    ids=["status-assertion-401", "meson-timeout-zero"],
)
def test_the_same_words_elsewhere_are_not_the_family(text: str, not_category: str, config: Config,
                                                     tmp_path: Path) -> None:
    assert first_finding_of(text, config, tmp_path).category != not_category


@pytest.mark.parametrize(
    ("line", "category"),
    [
        ("fatal: detected dubious ownership in repository at '/__w/app/app'", "permission-denied"),
        ("PermissionError: [WinError 32] The process cannot access the file because it is being used by another "
         "process: 'C:\\\\tmp\\\\x.log'", "permission-denied"),
        ("gcc: 致命错误：已杀死 signal terminated program cc1", "out-of-memory"),
        ("c++: fatal error: Morto signal terminated program lto1", "out-of-memory"),
        ("c++: internal compiler error: Segmentation fault signal terminated program cc1plus", "segfault-crash"),
        ("Gradle build daemon has been stopped: since the JVM garbage collector is thrashing", "out-of-memory"),
        ("PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes)",
         "out-of-memory"),
        ("memory allocation of 34359738368 bytes failed", "out-of-memory"),
        ("Unhandled exception. System.OutOfMemoryException: Insufficient memory", "out-of-memory"),
        ("sqlite3.OperationalError: database or disk is full", "disk-full"),
        ("    2: wasm trap: out of bounds memory access", "segfault-crash"),
        ("==2811==ERROR: AddressSanitizer: heap-use-after-free on address 0x602000000010", "segfault-crash"),
        ("thread 'main' has overflowed its stack", "segfault-crash"),
        ("ERROR: Preparation failed: Error: No such image: registry.example.org/ci:1", "registry-access-failure"),
        ("conn_test.go:39: driver: bad connection", "connection-refused"),
        ("Cypress could not verify that this server is running:", "connection-refused"),
        ("No connection could be made because the target machine actively refused it. (localhost:5432)",
         "connection-refused"),
        ("FATAL:  password authentication failed for user \"ci\"", "auth-error"),
        ("ERROR 1045 (28000): Access denied for user 'root'@'localhost' (using password: YES)", "auth-error"),
        ("git@github.com: Permission denied (publickey).", "auth-error"),
        ("##[error]We stopped hearing from agent Hosted Agent.", "ci-runner-failure"),
        ("The job exceeded the maximum allowed time of 00:30:00 and was stopped.", "timeout-hang"),
        ("Error: cannot allocate vector of size 2.1 Gb", "out-of-memory"),
        (" *** caught segfault ***", "segfault-crash"),
    ],
)
def test_line_category_names_the_environments_words(line: str, category: str) -> None:
    named = name_line(line)
    assert named is not None and named.category == category, (line, named)


@pytest.mark.parametrize("line", ["Timeout:            0", "Errors: 0", "Fail:               0"])
def test_a_count_of_none_names_nothing(line: str) -> None:
    assert name_line(line) is None

