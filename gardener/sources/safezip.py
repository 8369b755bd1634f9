"""Unzipping an artifact someone else's workflow uploaded: untrusted data, refused before it can hurt.

An archive is refused whole, with one line naming it and why, when its central directory shows an
entry with an absolute path, a drive letter or `..`, a symlink, an encrypted entry, more than
MAX_MEMBERS entries, more than MAX_TOTAL bytes uncompressed, or a compression ratio over MAX_RATIO
(the whole archive, or one large entry). The same limits are enforced again while streaming, because a
central directory can lie about sizes: a member that inflates past what it declared stops the
extraction and the partial output is removed. Files are only ever created inside `dest` (a fresh
folder of gardener's own), opened exclusively and without following links. Nothing extracted is
executed or given execute permission.
"""

from __future__ import annotations

import os
import shutil
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MAX_MEMBERS = 10_000
MAX_TOTAL = 1024**3  # 1 GiB uncompressed
MAX_RATIO = 100
RATIO_MIN_BYTES = 1024 * 1024  # a single entry's ratio is judged once it is this large
CHUNK = 64 * 1024


class UnsafeArchive(Exception):
    """Why an archive is refused, as one line (without the archive's name: the caller adds it)."""


@dataclass(frozen=True, slots=True)
class Extracted:
    files: tuple[Path, ...]
    total_bytes: int


def _safe_name(name: str) -> PurePosixPath:
    """The entry's path relative to the destination, or UnsafeArchive."""
    if "\x00" in name:
        raise UnsafeArchive(f"entry {name!r} has a NUL byte in its name")
    posix = name.replace("\\", "/")
    if posix.startswith("/") or (len(posix) > 1 and posix[1] == ":"):
        raise UnsafeArchive(f"entry {name!r} has an absolute path")
    parts = [p for p in posix.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        raise UnsafeArchive(f"entry {name!r} climbs out of the archive with '..'")
    return PurePosixPath(*parts) if parts else PurePosixPath(".")


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    return info.create_system == 3 and stat.S_ISLNK(mode)


def check(archive: zipfile.ZipFile) -> list[tuple[zipfile.ZipInfo, PurePosixPath]]:
    """The members to extract, from the central directory alone; UnsafeArchive when any limit is broken."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise UnsafeArchive(f"{len(infos)} entries, more than the limit of {MAX_MEMBERS}")
    total = compressed = 0
    members = []
    for info in infos:
        rel = _safe_name(info.filename)
        if _is_symlink(info):
            raise UnsafeArchive(f"entry {info.filename!r} is a symbolic link")
        if info.flag_bits & 0x1:
            raise UnsafeArchive(f"entry {info.filename!r} is encrypted")
        total += info.file_size
        compressed += info.compress_size
        if total > MAX_TOTAL:
            raise UnsafeArchive(f"more than {MAX_TOTAL // 1024**2} MiB uncompressed")
        if info.file_size >= RATIO_MIN_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise UnsafeArchive(f"entry {info.filename!r} has a compression ratio over {MAX_RATIO} "
                                f"({info.file_size} bytes from {info.compress_size})")
        if not info.is_dir() and str(rel) != ".":
            members.append((info, rel))
    if total >= RATIO_MIN_BYTES and total > MAX_RATIO * max(compressed, 1):
        raise UnsafeArchive(f"compression ratio over {MAX_RATIO} ({total} bytes from {compressed})")
    return members


def extract(zip_path: Path, dest: Path) -> Extracted:
    """Extract `zip_path` into `dest` (created, must not exist) within the limits; UnsafeArchive on refusal,
    with `dest` removed."""
    dest.mkdir(parents=True)
    try:
        return _extract(zip_path, dest)
    except BaseException:
        shutil.rmtree(dest, ignore_errors=True)
        raise


def _extract(zip_path: Path, dest: Path) -> Extracted:
    try:
        archive = zipfile.ZipFile(zip_path)
    except zipfile.BadZipFile:
        raise UnsafeArchive("not a zip archive") from None
    except OSError as exc:
        raise UnsafeArchive(f"cannot be read: {exc.strerror or exc}") from None
    root = os.path.realpath(dest)
    written: list[Path] = []
    total = 0
    with archive:
        for info, rel in check(archive):
            target = Path(root, *rel.parts)
            parent = os.path.realpath(target.parent)
            if os.path.commonpath([root, parent]) != root:  # belt and braces after _safe_name
                raise UnsafeArchive(f"entry {info.filename!r} would be written outside the folder")
            target.parent.mkdir(parents=True, exist_ok=True)
            total += _copy_member(archive, info, target, MAX_TOTAL - total)
            written.append(target)
    return Extracted(tuple(written), total)


def _copy_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, room: int) -> int:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(target, flags, 0o600)
    except FileExistsError:
        raise UnsafeArchive(f"entry {info.filename!r} appears twice") from None
    limit = min(info.file_size, room)
    done = 0
    try:
        with os.fdopen(fd, "wb") as out, archive.open(info) as src:
            while chunk := src.read(CHUNK):
                done += len(chunk)
                if done > limit:
                    raise UnsafeArchive(f"entry {info.filename!r} inflates past the {limit} bytes it declared")
                out.write(chunk)
    except zipfile.BadZipFile as exc:
        raise UnsafeArchive(f"entry {info.filename!r} is corrupt: {exc}") from None
    except (zlib.error, EOFError) as exc:
        raise UnsafeArchive(f"entry {info.filename!r} is corrupt: {exc}") from None
    return done

