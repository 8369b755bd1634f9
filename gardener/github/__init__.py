"""GitHub side of gardener: the PyGithub client adapter and the local sandbox server."""
