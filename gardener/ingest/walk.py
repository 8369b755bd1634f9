"""Finding the files PATHs name: safe walks over hostile trees.

- No symlink is followed out of the directory it was found in: inside a walked directory (or
  below a glob's fixed prefix) a link to a file outside it is skipped with a note, and a link to a
  directory is never descended (its target, when inside, is walked as itself), so a symlink loop
  cannot make a walk endless.
- Each file is read once, however many PATHs, globs or links reach it (by device and inode).
- Only regular files are read: a FIFO, socket or device is skipped with a note, never opened
  (opening a FIFO blocks until a writer comes).
- A directory that cannot be listed, or a PATH that cannot be examined (permission denied), is an
  error for that path alone; the walk goes on.

A PATH named explicitly may itself be a symlink anywhere: the user chose it.
"""

from __future__ import annotations

import fnmatch
import glob
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from gardener.errors import InputError

# Documentation beside the reports (a README, notes) is prose about them, not test output; named
# explicitly on the command line such a file is still read.
PROSE_SUFFIXES = frozenset({".md", ".markdown", ".rst", ".adoc"})


@dataclass(frozen=True, slots=True)
class Skipped:
    """A path deliberately not read, with why (a note, not an error)."""

    reason: str


Problem = InputError | Skipped


def expand(paths: Iterable[str]) -> Iterator[tuple[Path, Problem | None]]:
    """Files named by PATHs: files as given, directories recursed (sorted), globs expanded.

    A PATH that names nothing, or a directory with no files, yields an error in its place so the
    caller can report it beside everything that was read.
    """
    seen: set[tuple[int, int]] = set()
    for raw in paths:
        yield from _one(raw, seen)


def _one(raw: str, seen: set[tuple[int, int]]) -> Iterator[tuple[Path, Problem | None]]:
    path = Path(raw)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        yield path, InputError(raw, _os_reason(exc))
        return
    if info is None:
        if os.path.islink(path):
            yield path, InputError(raw, "broken symlink: its target does not exist")
        elif glob.has_magic(raw):
            yield from _glob(raw, seen)
        else:
            yield path, InputError(raw, "no such file or directory")
    elif stat.S_ISDIR(info.st_mode):
        found = False
        for entry, problem in _walk(path, seen):
            found = found or not isinstance(problem, Skipped)  # a file, or an error said already
            yield entry, problem
        if not found:
            yield path, InputError(raw, "directory holds no reports")
    else:
        yield from _file(path, info, seen)


def _file(path: Path, info: os.stat_result, seen: set[tuple[int, int]]) -> Iterator[tuple[Path, Problem | None]]:
    if not stat.S_ISREG(info.st_mode):
        yield path, Skipped(f"skipped: {_file_type(info.st_mode)}, not a regular file")
        return
    identity = (info.st_dev, info.st_ino)
    if identity not in seen:
        seen.add(identity)
        yield path, None


def _walk(
    root: Path,
    seen: set[tuple[int, int]],
    descend: Callable[[Path], bool] = lambda _: True,
    keep_prose: bool = False,
) -> Iterator[tuple[Path, Problem | None]]:
    """Every file under `root` (sorted, depth first), hidden files and (unless kept) prose left out."""
    real_root = os.path.realpath(root)
    stack = [root]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            yield directory, InputError(str(directory), _os_reason(exc))
            continue
        subdirs = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                if entry.is_symlink():
                    yield from _link(path, real_root, seen, keep_prose)
                elif entry.is_dir(follow_symlinks=False):
                    if descend(path):
                        subdirs.append(path)
                elif keep_prose or path.suffix.lower() not in PROSE_SUFFIXES:
                    yield from _file(path, entry.stat(follow_symlinks=False), seen)
            except OSError as exc:
                yield path, InputError(str(path), _os_reason(exc))
        stack.extend(reversed(subdirs))


def _link(
    path: Path, real_root: str, seen: set[tuple[int, int]], keep_prose: bool
) -> Iterator[tuple[Path, Problem | None]]:
    target = os.path.realpath(path)
    if os.path.commonpath([real_root, target]) != real_root:
        yield path, Skipped("skipped: symlink to outside the directory it is in, not followed")
        return
    try:
        info = os.stat(target)
    except FileNotFoundError:
        yield path, Skipped("skipped: broken symlink")
        return
    if stat.S_ISDIR(info.st_mode):
        return  # inside the walked tree: walked as itself, never twice, never in a loop
    if not keep_prose and (Path(target).suffix.lower() in PROSE_SUFFIXES or path.suffix.lower() in PROSE_SUFFIXES):
        return
    yield from _file(path, info, seen)


def _glob(raw: str, seen: set[tuple[int, int]]) -> Iterator[tuple[Path, Problem | None]]:
    """A glob matched over a safe walk of its fixed leading directories (`**` any depth)."""
    parts = Path(raw).parts
    fixed = 0
    while fixed < len(parts) - 1 and not glob.has_magic(parts[fixed]):
        fixed += 1
    base = Path(*parts[:fixed]) if fixed else Path()
    pattern = tuple(parts[fixed:])

    def relative(path: Path) -> tuple[str, ...]:
        return path.parts[len(base.parts) :]

    def descend(directory: Path) -> bool:  # only where the pattern can still match
        return _match_start(pattern, relative(directory)) or _matches_prefix(pattern, relative(directory))

    matched = False
    if base.is_dir():
        for path, problem in _walk(base, set(), descend, keep_prose=True):
            if problem is None:
                parts = relative(path)
                # Prose is read when the pattern names it, not as part of a directory it matched.
                prose = path.suffix.lower() in PROSE_SUFFIXES
                if not (_match(pattern, parts) if prose else _matches_prefix(pattern, parts)):
                    continue
                try:
                    info = os.stat(path)
                except OSError as exc:
                    yield path, InputError(str(path), _os_reason(exc))
                    continue
                matched = True  # even if read already through another PATH
                if (info.st_dev, info.st_ino) in seen:
                    continue
                seen.add((info.st_dev, info.st_ino))
            elif not descend(path):
                continue
            yield path, problem
    if not matched:
        yield Path(raw), InputError(raw, "pattern matches no files")


def _matches_prefix(pattern: tuple[str, ...], parts: tuple[str, ...]) -> bool:
    """Whether the pattern matches the path or a directory above it (a matched directory's files)."""
    return any(_match(pattern, parts[:n]) for n in range(1, len(parts) + 1))


def _match_start(pattern: tuple[str, ...], parts: tuple[str, ...]) -> bool:
    if not parts:
        return True
    if not pattern:
        return False
    if pattern[0] == "**":
        return True
    return fnmatch.fnmatchcase(parts[0], pattern[0]) and _match_start(pattern[1:], parts[1:])


def _match(pattern: tuple[str, ...], parts: tuple[str, ...]) -> bool:
    """fnmatch per component, `**` for any number of them."""

    @cache
    def step(i: int, j: int) -> bool:  # memoised: many `**` stay linear in path depth times pattern
        if i == len(pattern):
            return j == len(parts)
        if pattern[i] == "**":
            return step(i + 1, j) or (j < len(parts) and step(i, j + 1))
        return j < len(parts) and fnmatch.fnmatchcase(parts[j], pattern[i]) and step(i + 1, j + 1)

    return step(0, 0)


def _file_type(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "cannot be read: permission denied"
    return f"cannot be read: {exc.strerror or exc}"
