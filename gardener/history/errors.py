"""The one error the history store raises: a single line naming the store and what is wrong."""

from __future__ import annotations

from gardener.errors import GardenerError


class HistoryError(GardenerError):
    """The store cannot be used (corrupt, written by a newer gardener, unreachable) or a query is malformed."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"history {where}: {reason}")
        self.where = where
        self.reason = reason
