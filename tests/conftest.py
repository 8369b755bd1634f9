"""Suite-wide fixtures.

`gardener run` records history by default; the suite's other tests run it in many folders and compare
documents and issue bodies across runs, so history is off for them (GARDENER_NO_HISTORY=1, also seen by
the subprocesses they start) unless a test takes it back (the tests under tests/history do).
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_history_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GARDENER_NO_HISTORY", "1")
    monkeypatch.delenv("GARDENER_HISTORY_URL", raising=False)
