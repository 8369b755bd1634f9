"""Free C-heap pages handed back to the operating system, where the C library can do it (glibc).

RE2 compiles a rule pack's pattern Sets with a large scratch space that it frees when done; the compiled
Sets themselves are allocated after it, so the freed space sits below them in the heap and glibc keeps it
mapped (it returns only the top of the heap by itself). On a 100,000-failure classify that is about 4 MiB of
the peak RSS. `malloc_trim(0)` returns every whole free page wherever it is; nothing live moves.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

_TRIM: list[Callable[[int], int] | None] = []  # found on first use: [malloc_trim], or [None] where there is none


def release_free_heap() -> bool:
    """Hand the C heap's free pages back to the system; False where the C library has no malloc_trim
    (macOS, Windows, musl): nothing is done there."""
    if not _TRIM:
        _TRIM.append(_find_trim())
    trim = _TRIM[0]
    if trim is None:
        return False
    trim(0)
    return True


def _find_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
        return trim
    except (OSError, AttributeError):
        return None
