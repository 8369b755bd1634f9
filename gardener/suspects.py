"""Ranking a broken finding's suspect commits: those touching a file its evidence names come first.

The evidence names files in several ways: the test file (a result's file, or its id before `::`), stack
frames in the error details (`File "x.py", line 3`, `at x.js:12:5`, `x.go:40`), and, for build and
dependency failures, a Dockerfile or a lock file mentioned anywhere in it. A commit file matches an evidence
file when one path ends with the other (reports often name files relative to another root). Pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from gardener import regex as re  # RE2: linear time on untrusted text
from gardener.model import Finding, SuspectCommit

_SOURCE = r"[A-Za-z0-9_./\\-]+\.(?:py|js|jsx|ts|tsx|go|rs|java|kt|rb|cs|c|cc|cpp|h|php|swift|scala)"
_FRAME = re.lazy(r'File\s+"([^"\n]+)"|(' + _SOURCE + r')(?::\d+)')
_BUILD = re.lazy(r"(?:^|[^\w.-])((?:[\w.-]+/)*(?:Dockerfile(?:\.[\w-]+)?|[\w.-]+\.Dockerfile|docker-compose\.ya?ml|"
                    r"package-lock\.json|yarn\.lock|pnpm-lock\.yaml|poetry\.lock|uv\.lock|Pipfile\.lock|"
                    r"requirements[\w.-]*\.txt|Cargo\.lock|go\.sum|go\.mod|Gemfile\.lock|composer\.lock))(?:[^\w-]|$)")
MAX_TEXT = 200_000  # of each result's text looked at


def _norm(path: str) -> str:
    return path.replace("\\", "/").lstrip("./").strip()


def evidence_files(f: Finding) -> frozenset[str]:
    files: set[str] = set()
    for r in f.results:
        if r.file:
            files.add(_norm(r.file))
        if r.is_test and "::" in r.id:
            files.add(_norm(r.id.split("::", 1)[0]))
        text = f"{r.message}\n{r.details}"[:MAX_TEXT]
        for m in _FRAME.finditer(text):
            files.add(_norm(m.group(1) or m.group(2)))
        for m in _BUILD.finditer(text):
            files.add(_norm(m.group(1)))
    return frozenset(p for p in files if p and not p.startswith("<"))


def matches(changed: str, named: str) -> bool:
    a, b = _norm(changed), _norm(named)
    return a == b or a.endswith("/" + b) or b.endswith("/" + a)


def touched(files: Iterable[str], evidence: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted({f for f in files for e in evidence if matches(f, e)}))


def rank(commits: Sequence[SuspectCommit], evidence: frozenset[str]) -> tuple[SuspectCommit, ...]:
    """Commits touching evidence files first (newest first among them), then the rest newest first; each
    keeps the evidence files it touched in `touches`."""
    marked = [replace(c, touches=touched(c.touches, evidence)) for c in commits]
    newest_first = list(reversed(marked))
    return tuple([c for c in newest_first if c.touches] + [c for c in newest_first if not c.touches])
