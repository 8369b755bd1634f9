"""The issue vocabulary the planner, the views and the GitHub adapter share: the hidden marker that
carries a finding's key in an issue body, and the labels gardener manages. Pure: no I/O, no PyGithub."""
