"""Tests of the GitHub side: the sandbox server and, later, the PyGithub client adapter."""
