"""What PATHs name (gardener/ingest/walk.py): directories, globs, links, special files, errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gardener.errors import InputError
from gardener.ingest.walk import Skipped, expand


def names(paths: list[str], cwd: Path) -> list[tuple[str, str]]:
    """(path, what) for each entry: 'read', the error reason or the skip note (run from `cwd`)."""
    assert Path.cwd() == cwd
    out = []
    for path, problem in expand(paths):
        what = "read" if problem is None else problem.reason
        out.append((str(path), what))
    return out


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r" / "sub").mkdir(parents=True)
    (tmp_path / "r" / "a.xml").write_text("<testsuite/>")
    (tmp_path / "r" / "notes.md").write_text("prose")
    (tmp_path / "r" / ".hidden.xml").write_text("<testsuite/>")
    (tmp_path / "r" / "sub" / "b.log").write_text("log")
    (tmp_path / "r" / "sub" / "README.md").write_text("prose")
    return tmp_path


def test_a_directory_is_walked_sorted_without_hidden_files_or_prose(tree: Path) -> None:
    assert names(["r"], tree) == [("r/a.xml", "read"), ("r/sub/b.log", "read")]


def test_a_glob_reads_prose_it_names_and_walks_directories_it_matches(tree: Path) -> None:
    assert names(["r/*.md"], tree) == [("r/notes.md", "read")]
    assert names(["r/*"], tree) == [("r/a.xml", "read"), ("r/notes.md", "read"), ("r/sub/b.log", "read")]
    assert names(["r/**/*.log"], tree) == [("r/sub/b.log", "read")]
    assert names(["*/a.xml"], tree) == [("r/a.xml", "read")]


def test_each_file_is_read_once_however_often_it_is_named(tree: Path) -> None:
    (tree / "r" / "sub" / "same.xml").symlink_to("../a.xml")
    os.link(tree / "r" / "a.xml", tree / "r" / "hard.xml")
    got = names(["r/a.xml", "r", "r/**/*.xml", "r/sub/same.xml"], tree)
    assert got == [("r/a.xml", "read"), ("r/sub/b.log", "read")]


def test_nothing_named_is_an_error_in_its_place(tree: Path) -> None:
    assert names(["missing.xml", "r/*.nope", "r/sub/../../empty"], tree) == [
        ("missing.xml", "no such file or directory"),
        ("r/*.nope", "pattern matches no files"),
        ("r/sub/../../empty", "no such file or directory"),
    ]
    (tree / "empty").mkdir()
    assert names(["empty"], tree) == [("empty", "directory holds no reports")]


def test_special_files_and_links_out_are_skipped_with_a_note(tree: Path) -> None:
    os.mkfifo(tree / "r" / "pipe.log")
    (tree / "outside.xml").write_text("<testsuite/>")
    (tree / "r" / "out.xml").symlink_to("../outside.xml")
    (tree / "r" / "gone.xml").symlink_to("nowhere.xml")
    (tree / "r" / "up").symlink_to("..")
    (tree / "r" / "again").symlink_to("sub")
    got = dict(names(["r"], tree))
    assert got["r/pipe.log"] == "skipped: a FIFO (named pipe), not a regular file"
    assert got["r/out.xml"] == "skipped: symlink to outside the directory it is in, not followed"
    assert got["r/gone.xml"] == "skipped: broken symlink"
    assert got["r/up"] == "skipped: symlink to outside the directory it is in, not followed"
    assert "r/again" not in got  # a link to a directory inside is never descended: its target is walked
    assert [p for p, _ in expand(["r"]) if _ is None] == [Path("r/a.xml"), Path("r/sub/b.log")]
    # Named explicitly, a link is the user's choice; a FIFO is still never opened.
    assert names(["r/out.xml", "r/pipe.log"], tree) == [
        ("r/out.xml", "read"),
        ("r/pipe.log", "skipped: a FIFO (named pipe), not a regular file"),
    ]
    problems = [p for _, p in expand(["r/gone.xml"])]
    assert isinstance(problems[0], InputError) and problems[0].reason == "broken symlink: its target does not exist"
    assert all(not isinstance(p, Skipped) for p in problems)
