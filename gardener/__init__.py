"""gardener: turns red CI output into findings, a worklog and tidy GitHub issues."""

__version__ = "0.1.0"
