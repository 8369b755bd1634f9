"""A failure inside a package manager's build of a dependency: the dependency's, not the project's code.

The labelling rule (tests/data/classify/README.md: "a compile error inside a dependency (a pub-cache or
cargo-registry crate, a `.d.ts` under `node_modules`, ...) -> dependency-install-failure P0") holds whatever the
tool: a compiler's diagnostic, a syntax error or a panic is the dependency's when the log shows it was raised while
a package manager built or installed a package the project needs. Two kinds of evidence say so, without a rule per
tool:

- the step's own words: the package manager says its build of a package the project needs failed
  (`** (Mix) Could not compile dependency :cuttlefish`, cargo's `failed to run custom build command for
  `openssl-sys v0.9.77`` with no local path, nix's `builder for '/nix/store/...-pantry-0.4.0.1.drv' failed`, pip's
  `Failed building wheel for x`, RubyGems' `Failed to build gem native extension`, R's `installation of package
  'x' had non-zero exit status`, spack's `==> Error: ProcessError: ...`, vcpkg's `error: building x:x64-windows
  failed with: BUILD_FAILED`, cabal's `Failed to build x-1.2 (which is required by ...)`, MacPorts' `Failed to build
  x: command execution failed`, Homebrew's `Last 15 lines from .../Logs/Homebrew/x/02.make:`); its progress lines are
  not enough (`Building wheel for x (pyproject.toml): started` is as often followed by `done`);
- where the failing code lives: a fetched package's source tree (`FETCHED_MORE`, beside fetched_paths.FETCHED)
  for a compiler's diagnostic; for a panic only a versioned crate's build script, since a tool that runs a fetched
  library's code fails at run time (a panic located in `.cargo/registry/src/` is a runtime exception).

A package built as the project itself (cabal's `Building gitit-0.7.3.8...`, Homebrew building the formula, opam's
error box around the package's own source) is not named here: those are the project's compile errors
(tests/data/classify corpus3/corpus4/corpus13 labels).

Pure; every pattern is RE2 (gardener.regex) and compiled on first use.
"""

from __future__ import annotations

from collections.abc import Sequence

from gardener import regex as re
from gardener.redact.text import cut_raw

# A category of the code itself: inside a dependency's build it is the dependency's failure.
CODE_LEVEL = frozenset(("compile-error", "syntax-error", "runtime-exception"))

# A package manager's words that its build of a package the project depends on failed (never its progress lines:
# `Building wheel for x (pyproject.toml): started` is followed by `done` as often as not).
_BUILDING = re.lazy(
    # mix building a dependency with any tool (`"mix compile"`, rebar3, make).
    r"\bCould not compile dependency :\w+"
    # cargo: a registry crate's build script (a local crate says its path: `foo v0.1.0 (/src/foo)`).
    r"|\bfailed to run custom build command for `[\w-]+ v[\w.+-]+`"
    # nix: the builder of a derivation, or the dependencies of one, failed.
    r"|\bbuilder for '/nix/store/[^'\n]+\.drv' failed|\bdependenc(?:y|ies) of derivation '[^'\n]+' failed to build"
    # pip building or installing a distribution from source.
    r"|\bBuilding wheel for [\w.-]+ \((?:setup\.py|pyproject\.toml)\)(?: \.\.\. error| did not run successfully)"
    r"|\bFailed building wheel for [\w.-]+|\bRunning setup\.py install for [\w.-]+ \.\.\. error"
    # RubyGems / Bundler building a gem's native extension.
    r"|\bFailed to build gem native extension|\bError installing [\w.-]+:"
    # R installing a package (install.packages, remotes, R CMD INSTALL).
    r"|\binstallation of package [‘'][^’'\n]+[’'] had non-zero exit status"
    r"|\bERROR: (?:compilation|configuration) failed for package [‘'][\w.]+[’']"
    # spack's build of a spec (its stage, its ProcessError), vcpkg's of a port, cabal's of a dependency.
    r"|^\s*==> Error: (?:ProcessError|Failed to install [\w.@+-]+)|\bspack-build-out\.txt\b"
    r"|\b[Bb]uilding (?:package )?[\w-]+(?:\[[^\]\n]*\])?:[\w-]+ failed with: BUILD_FAILED"
    r"|\bFailed to build [\w-]+-[\d.]+ \(which is required by"
    # MacPorts' and Homebrew's build of a port or formula (`Error: Failed to build glib2: command execution failed`,
    # `Last 15 lines from ~/Library/Logs/Homebrew/libx/02.make:`, `BuildError: Failed executing: make`).
    r"|\bFailed to build [\w.+-]+: command execution failed|\bLast \d+ lines from \S*[/\\]Logs[/\\]Homebrew[/\\]"
    r"|\bBuildError: Failed executing:"
)

# A versioned crate's build script (`openssl-sys-0.9.77/build/main.rs`, `untrusted-0.7.0/build.rs`): a fetched crate's,
# since a workspace's own crates live in unversioned directories.
_VERSIONED_BUILD_SCRIPT_PATTERN = r"[/\\][\w-]+-\d+\.\d+\.\d+[\w.+-]*[/\\]build(?:\.rs|[/\\]main\.rs):\d+"
_VERSIONED_BUILD_SCRIPT = re.lazy(_VERSIONED_BUILD_SCRIPT_PATTERN)
# A fetched package's source tree that fetched_paths.FETCHED does not list: Gleam's `build/packages/`, a FreeBSD
# port's vendored `cargo-crates/`, Bundler's `vendor/bundle/` and RubyGems' `gems/3.1.0/gems/`, vcpkg's `buildtrees/`,
# spack's stage, pip's temporary build directories, and the temporary directory Haskell Stack unpacks a snapshot or
# Hackage package into to build it (`/tmp/stack25346/wai-app-static-3.1.6.1/`; a project's own package is built where
# it sits).
FETCHED_MORE = re.lazy(
    r"[/\\](?:build[/\\]packages|cargo-crates|vendor[/\\]bundle|gems[/\\]\d[\w.]*[/\\](?:bundler[/\\])?gems"
    r"|vcpkg[/\\]buildtrees|spack-stage|pip-(?:install|req-build|build-env)-\w+"
    r"|stack\d+[/\\][\w.-]+-\d+(?:\.\d+)*)[/\\]"
    r"|" + _VERSIONED_BUILD_SCRIPT_PATTERN
)

# How many lines around the explaining line are read for the build it sits in (a nix builder's `last 25 log lines`).
BEFORE_LINES = 40
AFTER_LINES = 12


def building_words(lines: Sequence[str]) -> str | None:
    """The words of the first of `lines` where a package manager says it builds or failed a dependency, else None."""
    for text in lines:
        found = _BUILDING.search(text)
        if found is not None:
            return cut_raw(found.group(0).strip(), 100)
    return None


def fetched_more(text: str) -> bool:
    """Whether `text` places something in a fetched package's tree that line_category's own list does not name."""
    return FETCHED_MORE.search(text) is not None


# A diagnostic's place on a line of its own above the message: GHC before 8 (`src/Main.hs:10:8:`, then the indented
# `Could not find module ‘Modules’`) and GHC 8+ (`Web/Hastodon.hs:71:1: error:`, 9.6+ adding `[GHC-87110]`).
_BARE_PLACE = re.lazy(r"^[ \t]*\S+:\d+:\d+(?:-\d+)?:(?:[ \t]+error:(?:[ \t]+\[[\w-]+\])?)?[ \t]*$")


def _place_above(before: Sequence[str]) -> tuple[str, ...]:
    """The nearest non-blank line of `before` when it is a diagnostic's bare place, else nothing."""
    last = next((text for text in reversed(before) if text.strip()), None)
    return (last,) if last is not None and _BARE_PLACE.search(last) else ()


def dependency_words(category: str, line: str, before: Sequence[str], after: Sequence[str]) -> str | None:
    """Why `line`, named `category` (a code-level one), is a dependency's failure, in words; else None (pure).

    A compiler's diagnostic is the dependency's when its place (on the line, just under it, or alone just above it) is
    in a fetched package's tree. An exception is not: a tool running a fetched library's code (a panic located in
    `.cargo/git/checkouts/`) fails at run time, unless the code is a versioned crate's build script. Either is the
    dependency's when the lines around it (`before`, `after`) show a package manager building a dependency."""
    if category not in CODE_LEVEL:
        return None
    places = (line,) if category == "runtime-exception" else (line, *after[:3], *_place_above(before))
    if any(fetched_more(text) for text in places) and (
            category != "runtime-exception" or _VERSIONED_BUILD_SCRIPT.search(line)):
        return "in a fetched dependency's source"
    words = building_words((line, *reversed(before), *after))
    return f"while `{words}`" if words is not None else None


_AROUND_CHARS = 8_000  # how far either side of the line its context is read: a hostile run of huge lines costs no more


def around(details: str, first: str) -> tuple[list[str], list[str]]:
    """Up to BEFORE_LINES lines before the first line of `details` holding `first`, and AFTER_LINES after it."""
    at = details.find(first) if first else -1
    if at < 0:
        return [], []
    before = details[max(0, at - _AROUND_CHARS):at].split("\n")[-BEFORE_LINES - 1:-1]
    after = details[at:at + _AROUND_CHARS].split("\n")[1:AFTER_LINES + 1]
    return before, after
