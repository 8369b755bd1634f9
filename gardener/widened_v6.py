"""What builtin rules that session 8 widened matched before (key-v6): each predicate reads a failure's evidence text
and says whether the rule's evidence as key-v5 had it matched, so key_changes.evidence_widened can give the key the
rule that won then gave a failure the wider rule wins now.

Pure; RE2 (gardener.regex), compiled on first use; called only for failures the widened rule wins.
"""

from __future__ import annotations

from gardener import regex as re

# deps.dependency-does-not-compile read only an absolute node_modules path (`/app/node_modules/x.ts:3:1`), any text
# before it on the line, and neither Dart's `x.dart:3:1: Error:` nor tsc's `x.d.ts:5:37 - error TS7016:`.
_FETCHED_V5 = re.lazy(
    r"(?m)^[^\n]*\berror\[E\d{4}\]: [^\n]*\n[^\n]*--> [^\n]*[/\\.]cargo[/\\]registry[/\\]src[/\\]"
    r"|^[^\n]*(?:[/\\.]cargo[/\\]registry[/\\]src[/\\]|[/\\]node_modules[/\\]|/go/pkg/mod/|[/\\]site-packages[/\\]"
    r"|\.m2/repository/|\.pub-cache[/\\]|[/\\]Pub[/\\]Cache[/\\]hosted[/\\]|[/\\]zig[/\\]p[/\\][0-9a-f]{16,}[/\\])"
    r"[^\n]*(?::\d+(?::\d+)?|: \(\d+, ?\d+\)|\(\d+,\d+\))(?::|\s|$)"
)
_FETCHED_ALSO_V5 = re.lazy(r"(?m)(?:\berror(?:\[E\d+\])?:|^e: |: error |Unresolved reference|cannot find symbol)")


def fetched_compile_v5(text: str) -> bool:
    return _FETCHED_V5.search(text) is not None and _FETCHED_ALSO_V5.search(text) is not None


# docker.copy-source-missing read the legacy builder's COPY line only whole (its `: no such file or directory`).
_COPY_V5 = re.lazy(
    r"(?i)(?:COPY|ADD) failed: (?:stat [^\n]*?: (?:no such file or directory|file does not exist)"
    r"|file not found in build context|forbidden path outside the build context|no source files were specified)"
    r"|failed to compute cache key|failed to calculate checksum of ref|(?m:ERROR: \"/?[^\"]+\":? not found: not found)"
)


def copy_source_v5(text: str) -> bool:
    return _COPY_V5.search(text) is not None

