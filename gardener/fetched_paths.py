"""Where package managers keep the sources they fetched: a diagnostic located in there is the dependency's, not the
project's. One list, read by line_category (line words) and diagnostic_shapes (compiler places)."""

from __future__ import annotations

from gardener import regex as re

FETCHED = re.lazy(
    r"[/\\](?:\.pub-cache|\.cargo[/\\]registry|node_modules|site-packages|go[/\\]pkg[/\\]mod|\.m2[/\\]repository"
    r"|\.nuget[/\\]packages|\.opam|\.cabal[/\\]packages|\.stack[/\\]|\.gradle[/\\]caches|zig[/\\]p|\.dub[/\\]packages"
    r"|dist-newstyle[/\\]src)[/\\]"
    # NuGet's per-package folders, `<id>.<version>/` (packages.config's `packages/`, Cake's `tools/` and `addins/`).
    r"|[/\\](?:packages|tools|addins)[/\\][A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)*\.\d+\.\d+\.\d+(?:\.\d+)?(?:-[\w.-]+)?[/\\]")
