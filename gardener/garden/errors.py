"""What a tracker write can fail with, as apply.py tells the cases apart.

`ActionRefused`: this one action cannot be done (a 404, a 422, retries spent on a flaky server);
it is recorded and the run goes on. `TrackerUnusable`: nothing more can be written in this run
(bad credentials, no push access, a rate limit that resets later than gardener may wait); the
remaining writes are recorded as not attempted.
"""

from __future__ import annotations

from gardener.errors import TrackerError


class ActionRefused(TrackerError):
    """The tracker refused or kept failing one request; `transient` when retrying later may work."""

    def __init__(self, message: str, *, status: int | None = None, transient: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.transient = transient


class TrackerUnusable(TrackerError):
    """No further write can succeed in this run."""
