"""A GitHub-REST-compatible issue and Actions server on loopback: the demo's tracker and every GitHub test's.

Standard library only; it must never import PyGithub (only gardener/github/client.py does).
"""

from gardener.sandbox.serve import serve
from gardener.sandbox.server import Sandbox, SandboxConfig

__all__ = ["Sandbox", "SandboxConfig", "serve"]
