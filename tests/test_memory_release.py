"""gardener.memory: free C-heap pages go back to the system where glibc can do it, and nothing breaks elsewhere."""

from __future__ import annotations

import ctypes
import subprocess
import sys
from pathlib import Path

import pytest

from gardener.memory import release_free_heap


def _glibc() -> bool:
    try:
        return sys.platform.startswith("linux") and hasattr(ctypes.CDLL(None), "gnu_get_libc_version")
    except OSError:
        return False


def test_release_free_heap_trims_where_glibc_is_and_is_a_no_op_elsewhere() -> None:
    assert release_free_heap() is _glibc()
    assert release_free_heap() is _glibc()  # the lookup is kept: a second call answers the same


_HOLE_BELOW_A_LIVE_BLOCK = """
import ctypes, sys
from gardener.memory import release_free_heap

def rss():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))

libc = ctypes.CDLL(None)
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
blocks = [libc.malloc(64 * 1024 - 64) for _ in range(256)]  # 16 MiB under the mmap threshold: in the heap
for b in blocks:
    ctypes.memset(b, 1, 64 * 1024 - 64)  # touched: resident
# A live block above them keeps glibc from trimming the top by itself: too big for any free chunk below, so it
# comes from the top of the heap (and under the mmap threshold, so not mapped on its own).
keep = libc.malloc(100 * 1024)
for b in blocks:
    libc.free(b)
before = rss()
trimmed = release_free_heap()
print(keep > max(blocks), trimmed, before - rss())
"""


@pytest.mark.skipif(not _glibc(), reason="malloc_trim is glibc's")
def test_freed_heap_below_live_blocks_is_returned() -> None:
    """A hole left below a live block (what RE2's Set compile leaves) stays resident until trimmed; in a fresh
    process, whose heap holds no other holes the blocks could land in."""
    out = subprocess.run([sys.executable, "-c", _HOLE_BELOW_A_LIVE_BLOCK], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[1]).stdout.split()
    above, trimmed, released_kib = out[0] == "True", out[1] == "True", int(out[2])
    assert above and trimmed
    assert released_kib > 8 * 1024  # most of the 16 MiB is no longer resident
