"""The filesystem walk on random trees of files, directories, FIFOs and symlinks (loops, links out,
broken links): it ends, reads each file at most once, never reads outside the directory walked, never
yields a FIFO to be opened, and every regular file inside is either read or named in a problem.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from gardener.ingest.walk import expand

NAMES = ("a", "b", "c.xml", "d.log", ".hidden", "notes.md")

# A node: ("file"|"fifo"|"dir"|"link", name, link target index or children)
entries = st.recursive(
    st.tuples(st.sampled_from(("file", "fifo", "link")), st.sampled_from(NAMES), st.integers(0, 30)),
    lambda children: st.tuples(st.just("dir"), st.sampled_from(NAMES), st.lists(children, max_size=4)),
    max_leaves=12,
)


def build(root: Path, nodes: list[tuple[object, ...]], made: list[Path]) -> None:
    for kind, name, extra in nodes:
        path = root / str(name)
        if path.exists() or path.is_symlink() or path in made:  # a name taken (also by a planned link)
            continue
        if kind == "dir":
            path.mkdir()
            made.append(path)
            assert isinstance(extra, list)
            build(path, extra, made)
        elif kind == "file":
            path.write_text("<testsuite/>\n")
            made.append(path)
        elif kind == "fifo":
            os.mkfifo(path)
        else:
            made.append(path)  # links are made once every target exists


def link_all(made: list[Path], outside: Path, targets: list[int]) -> None:
    """Each planned link points at any node of the tree (itself and its ancestors too), outside, or nowhere."""
    candidates = [*made, outside, outside.parent, Path("/nonexistent/x")]
    pending = [p for p in made if not p.exists() and not p.is_symlink()]
    for path, index in zip(pending, targets, strict=False):
        os.symlink(candidates[index % len(candidates)], path)


@given(st.lists(entries, max_size=6), st.lists(st.integers(0, 50), max_size=40))
def test_walks_end_read_each_file_once_and_stay_inside(nodes: list[tuple[object, ...]], targets: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        root = base / "root"
        root.mkdir()
        outside = base / "outside.xml"
        outside.write_text("<testsuite/>\n")
        made: list[Path] = []
        build(root, list(nodes), made)
        link_all(made, outside, targets)
        real_root = os.path.realpath(root)
        for paths in ([str(root)], [str(root / "**")], [str(root / "**" / "*")], [str(root), str(root / "**" / "*")]):
            read = [p for p, problem in expand(paths) if problem is None]
            identities = [(os.stat(p).st_dev, os.stat(p).st_ino) for p in read]
            assert len(identities) == len(set(identities))  # each file once
            for path in read:
                assert Path(path).is_file()  # never a FIFO, never a directory
                assert os.path.commonpath([real_root, os.path.realpath(path)]) == real_root
