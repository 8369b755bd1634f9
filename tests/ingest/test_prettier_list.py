"""prettier's bare file list in check mode (runner_log/prettier_list.py)."""

from __future__ import annotations

from pathlib import Path

from gardener.ingest import runner_log


def _failing(tmp_path: Path, text: str) -> list[tuple[str, int | None, str]]:
    path = tmp_path / "job.log"
    path.write_text(text, encoding="utf-8")
    return [(r.error_type, r.source_line, r.message) for r in runner_log.parse(path).results if r.is_failing]


def test_the_listed_files_are_one_lint_incident_at_the_first_path(tmp_path: Path) -> None:
    found = _failing(
        tmp_path,
        '> prettier --list-different "src/**/*.js"\n\nsrc/index.js\nsrc/utils/date.js\n'
        "npm ERR! code ELIFECYCLE\nnpm ERR! errno 1\n",
    )
    assert found[0] == ("lint", 3, "prettier check: src/index.js is not formatted (and 1 more files)")
    assert len(found) == 1  # npm's wrapper lines after the list say the same failure


def test_a_write_run_or_a_clean_check_lists_nothing(tmp_path: Path) -> None:
    assert _failing(tmp_path, "$ prettier --write src\nsrc/index.js 41ms\n") == []
    clean = "$ npx prettier --check .\nChecking formatting...\nAll matched files use Prettier code style!\n"
    assert _failing(tmp_path, clean) == []


def test_a_linters_file_header_is_not_prettiers_list(tmp_path: Path) -> None:
    found = _failing(
        tmp_path,
        "> eslint . && prettier --check .\n\n/home/runner/work/a/a/src/app.js\n"
        "  3:1  error  'x' is defined but never used  no-unused-vars\n\n1 problem (1 error, 0 warnings)\n",
    )
    assert [(kind, line) for kind, line, _ in found][:1] == [("lint", 4)]
