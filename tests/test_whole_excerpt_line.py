"""A pasted excerpt read whole (no incident, but a rule recognises it) keeps the line that decided the rule."""

from __future__ import annotations

from pathlib import Path

from gardener.config import Config
from gardener.whole_excerpt import ingest_for_classify


def test_the_whole_excerpt_points_at_the_line_that_decided_its_rule(tmp_path: Path) -> None:
    path = tmp_path / "excerpt.txt"
    path.write_text(
        "> Task :app:spotlessKotlinCheck\n"
        "  src/main/kotlin/App.kt\n"
        "      @@ -1,3 +1,3 @@\n"
        "  Run './gradlew :app:spotlessApply' to fix these violations.\n",
        encoding="utf-8",
    )
    failing = [r for r in ingest_for_classify([str(path)], Config().rules).results if r.is_failing]
    assert [(r.source_line, r.message) for r in failing] == [
        (4, "Run './gradlew :app:spotlessApply' to fix these violations.")
    ]
