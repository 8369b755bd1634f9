"""compile.elixir-warnings-as-errors: under `mix compile --warnings-as-errors` the compiler's first warning is what
fails the build (round 11's Elixir scenario, where mix's closing verdict keyed `Code does not compile` before).

Real shapes: elixir-lang/elixir#14192 (Elixir 1.18.1's boxed `warning: Logger.warn/1 is deprecated. Use
Logger.warning/2 instead` / `└─ lib/warn_bug.ex:20:10: WarnBug (module)` / `Compilation failed due to warnings while
using the --warnings-as-errors option`), code-corps/code-corps-api#1244 (the older two-line `warning: String.strip/1 is
deprecated, use String.trim/1` / `  lib/inch_ex/git.ex:36`, a dependency's, with the flag on), lexical-lsp/lexical#383
(`Logger.warn` deprecated in Elixir 1.15 failing its CI under the flag).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.config import Config
from tests.corpus_scoring import classified, evidence_lines
from tests.rules.excerpt_first import first_finding_of

VERDICT = "Compilation failed due to warnings while using the --warnings-as-errors option\n"
ELIXIR_14192 = (
    "❯❯ mix compile --force --warnings-as-errors\n"
    "Compiling 1 file (.ex)\n"
    "\n"
    "10:33:53.940 [warning] abc\n"
    "    warning: Logger.warn/1 is deprecated. Use Logger.warning/2 instead\n"
    "    │\n"
    ' 20 │   Logger.warn("abc")\n'
    "    │          ~\n"
    "    │\n"
    "    └─ lib/warn_bug.ex:20:10: WarnBug (module)\n"
    "\n" + VERDICT
)
CODE_CORPS = (
    "==> inch_ex\n"
    "Compiling 15 files (.ex)\n"
    "warning: String.strip/1 is deprecated, use String.trim/1\n"
    "  lib/inch_ex/git.ex:36\n"
    "\n"
    "warning: Kernel.to_char_list/1 is deprecated, use Kernel.to_charlist/1\n"
    "  lib/inch_ex/reporter/local.ex:33\n"
    "\n" + VERDICT
)


@pytest.mark.parametrize(("text", "warning", "first_line"), [
    (ELIXIR_14192, "Logger.warn/1 is deprecated", "    warning: Logger.warn/1"),
    (CODE_CORPS, "String.strip/1 is deprecated", "warning: String.strip/1"),
])
def test_the_first_warning_is_the_failure(text: str, warning: str, first_line: str, config: Config,
                                          tmp_path: Path) -> None:
    f = first_finding_of(text, config, tmp_path)
    assert (f.category, f.rule_id) == ("compile-error", "compile.elixir-warnings-as-errors")
    assert warning in f.title, f.title
    lines = text.split("\n")
    assert next(lines[n - 1] for n in evidence_lines(f, text)).startswith(first_line), f


# Near-misses: the same warnings in a build without the flag (it passed), and the runtime Logger's own `[warning]`
# line beside the verdict (#14192's `10:33:48.677 [warning] abc`, which the flag does not count).
@pytest.mark.parametrize("text", [
    ELIXIR_14192.replace(VERDICT, "Generated warn_bug app\n"),
    CODE_CORPS.replace(VERDICT, "Generated inch_ex app\n"),
    "Compiling 1 file (.ex)\n\n10:33:48.677 [warning] abc\n" + VERDICT,
])
def test_warnings_without_the_verdict_are_not_it(text: str, config: Config, tmp_path: Path) -> None:
    path = tmp_path / "excerpt.txt"
    path.write_text(text, encoding="utf-8")
    assert all(f.rule_id != "compile.elixir-warnings-as-errors" for f in classified(path, config))
