"""compile.scala3-diagnostic: Scala 3's diagnostic header names the file and the kind of error (round 10's sbt
scenario, where sbt's `(core / Compile / compileIncremental) Compilation failed` keyed the finding before).

Real shapes: the Scala 3 migration guide's incompatibility pages (scalacenter/scala-3-migration-guide, `[error] --
[E007] Type Mismatch Error: /home/.../type-infer.scala:11:41 `), sbt 2's macro notes (sbt/sbt's sudori,
`[error] -- [E007] Type Mismatch Error: sudori/core-macros/.../Cont.scala:119:13`), phaller/blocks' comment
(`[error] -- [E007] Type Mismatch Error: [...]/BlockTests.scala:37:61`); the header's format is dotty's
MessageRendering (`-- [E008] Not Found Error:`, a plain `-- Error:` without a code, `-- Warning:` for warnings).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.config import Config
from tests.corpus_scoring import classified, evidence_lines
from tests.rules.excerpt_first import first_finding_of

MIGRATION_GUIDE = (
    "[info] compiling 1 Scala source to /home/piquerez/scalacenter/scala-3-migration-guide/incompat/type-infer-10/"
    "target/scala-3.0.0-RC2/classes ...\n"
    "[error] -- [E007] Type Mismatch Error: /home/piquerez/scalacenter/scala-3-migration-guide/incompat/"
    "type-infer-10/src/main/scala-2.13/type-infer.scala:11:41 \n"
    "[error] 11 |      case Executing(observer) => notify(observer)\n"
    "[error]    |                                         ^^^^^^^^\n"
    "[error]    |                 Found:    (observer : Callback)\n"
    "[error]    |                 Required: Callback\n"
    "[error] one error found\n"
    "[error] (Compile / compileIncremental) Compilation failed\n"
)
SUDORI = (
    "[error] -- [E007] Type Mismatch Error: sudori/core-macros/src/main/scala-3/sbt/internal/util/appmacro/"
    "Cont.scala:119:13\n"
    "[error] 119 |            $i\n"
    "[error]     |             ^\n"
    "[error]     |  Found:    (i : sbt.internal.util.appmacro.MonadInstance & Singleton)\n"
    "[error]     |  Required: quoted.Expr[Any]\n"
    "[error] one error found\n"
)
PLAIN_ERROR = (  # no code: a plain `-- Error:` (MessageRendering without an ErrorMessageID)
    "[error] -- Error: /w/modules/api/src/main/scala/api/Routes.scala:7:2 \n"
    "[error] 7 |  given Encoder[Order] = deriveEncoder\n"
    "[error]   |  ^\n"
    "[error]   |  no given instance of type Encoder[Order] was found\n"
    "[error] one error found\n"
    "[error] (api / Compile / compileIncremental) Compilation failed\n"
)


@pytest.mark.parametrize(("text", "file", "kind"), [
    (MIGRATION_GUIDE, "type-infer.scala", "Type Mismatch Error"),
    (SUDORI, "Cont.scala", "Type Mismatch Error"),
    (PLAIN_ERROR, "Routes.scala", "Error"),
])
def test_the_header_names_the_file_and_the_error(text: str, file: str, kind: str, config: Config,
                                                 tmp_path: Path) -> None:
    f = first_finding_of(text, config, tmp_path)
    assert (f.category, f.rule_id) == ("compile-error", "compile.scala3-diagnostic")
    assert f"`{file}`" in f.title and kind in f.title, f.title
    lines = text.split("\n")
    assert next(lines[n - 1] for n in evidence_lines(f, text)).startswith("[error] -- "), f


# Near-misses: Scala 3's warnings share the header's shape, and a `--` line of another tool is no diagnostic.
@pytest.mark.parametrize("text", [
    "[warn] -- [E198] Unused Symbol Warning: /w/src/main/scala/app/Main.scala:3:19 \n"
    "[warn] 3 |import scala.util.Try\n[warn]   |                   ^^^\n[warn]   |                   unused import\n"
    "[error] (Compile / compileIncremental) Compilation failed\n",
    "[warn] -- Warning: /w/src/main/scala/app/Main.scala:9:6 \n[warn] 9 |  def f = g _\n",
    "-- Error: this is not a header\n",
])
def test_warnings_and_other_dashes_are_not_it(text: str, config: Config, tmp_path: Path) -> None:
    path = tmp_path / "excerpt.txt"
    path.write_text(text, encoding="utf-8")
    assert all(f.rule_id != "compile.scala3-diagnostic" for f in classified(path, config))
