"""Hostile and good zip archives, built byte by byte in tmp dirs (no fixture file could be trusted more)."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" tests="2" failures="1" errors="0">
<testcase classname="tests.test_api" name="test_ok" file="tests/test_api.py" time="0.1"/>
<testcase classname="tests.test_api" name="test_orders" file="tests/test_api.py" time="0.2">
<failure message="assert 500 == 200">tests/test_api.py:12: AssertionError</failure></testcase>
</testsuite></testsuites>
"""


def good(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("junit/results.xml", JUNIT)
    return path


def zip_slip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("ok.xml", JUNIT)
        z.writestr("../../escaped.txt", "pwned")
    return path


def absolute(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        info = zipfile.ZipInfo("x")
        info.filename = "/etc/evil.txt"  # ZipInfo() strips a leading slash; the attribute keeps it
        z.writestr(info, "pwned")
    return path


def symlink(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        info = zipfile.ZipInfo("link")
        info.create_system = 3
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        z.writestr(info, "/etc/passwd")
    return path


def ratio_bomb(path: Path, size: int = 20 * 1024 * 1024) -> Path:
    """One entry of `size` zeros: deflate packs it about 1000:1."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z, z.open("zeros.txt", "w") as out:
        block = b"\0" * (1024 * 1024)
        for _ in range(size // len(block)):
            out.write(block)
    return path


def member_bomb(path: Path, members: int = 10_001) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for i in range(members):
            z.writestr(f"f{i}.txt", "")
    return path


def not_a_zip(path: Path) -> Path:
    path.write_text("this is a plain text file named like an archive\n")
    return path
