"""More of line_category's words, for failures of kinds every ecosystem has (generic-deps, session 9).

line_category names a line by words most tools share. These are the words of two kinds of failure that recur across
package managers and CI systems in the labelled sets, each in several tools' own phrasing, so a tool nobody wrote a
rule for, phrasing it the same way, is still named:

- a resolver or lock file that cannot give the dependencies: `version solving failed` (Poetry, pub), `No solution
  found when resolving dependencies` (uv), `Solving environment: failed` (conda), `failed to construct a build plan`
  (stack), `could not find compatible versions` (Bundler, CocoaPods), `failed to select a version` (cargo),
  `Couldn't find any versions for` (yarn), `has no installation candidate` / `Unable to locate package` (apt), a
  fetched module's checksum (Go's `verifying x@v1: checksum mismatch`, nix's `hash mismatch in fixed-output
  derivation`, npm's `integrity checksum failed`; and, in the same sense, MacPorts' `Checksum (sha256) mismatch for
  x.tar.gz`, Homebrew's `SHA256 mismatch`, pip's `THESE PACKAGES DO NOT MATCH THE HASHES`, Bazel's `Checksum was x but
  wanted y`: a fetched file is not the one recorded), a lock file out of date (`pnpm-lock.yaml is not up to date`, npm
  ci's `can only install packages when your package.json ...`, `changed significantly since poetry.lock`), a toolchain
  too old for a package (cargo's `cannot be built because it requires rustc`), `Could not find a package
  configuration file` (CMake), a Maven coordinate not found (`Could not find group:artifact:1.0.`), a package not in
  the registry (npm), `Packages required but not available` (R CMD check);
- a toolchain the build environment lacks or cannot run, in the words of the tool that probes for it: autoconf's
  `C compiler cannot create executables` (as its `no acceptable C compiler found`, which a rule names), and a tool
  that asks whether its helper is installed (spago's `Failed to find purs. Have you installed it, and is it in your
  PATH?`, `... is it installed?`), or Node's `spawn x ENOENT` (a child process whose executable is not there, as a
  shell's `command not found`);
- a timeout in a CI system's words: `ran longer than the maximum time` (Azure Pipelines), `Too long with no output`
  (CircleCI), `reached the maximum allowed time` (AppVeyor).

Pure; RE2 (gardener.regex), compiled on first use.
"""

from __future__ import annotations

from gardener import regex as re

DEPENDENCY_MORE = re.lazy(
    r"(?i)\bversion solving (?:has )?failed\b|\bno solution found when resolving\b"
    r"|\bsolving environment: failed\b"
    r"|\b(?:failed to construct|while constructing) (?:a |the )?build plan\b|\bcould not find compatible versions\b"
    r"|\bfailed to select a version for\b|\bcouldn.t find any versions for\b"
    r"|\bhas no installation candidate\b|\bunable to locate package\b"
    r"|\bverifying \S+: checksum mismatch\b|\bhash mismatch (?:in fixed-output derivation|importing path)\b"
    r"|\bintegrity checksum failed\b"
    # (MacPorts names the algorithm in parentheses; Flyway's `Migration checksum mismatch for migration version` is a
    # schema's, not a fetched file's, and has none.)
    r"|\bChecksum \(\w+\) mismatch for\b|\b(?:SHA-?(?:1|256|512)|MD5|rmd160) mismatch\b|\bdo not match the hashes\b"
    r"|\bChecksum was \w+ but wanted\b"
    r"|\bC(?:\+\+)? compiler cannot create executables\b|\bhave you installed (?:it|them)\b|\bis it installed\?"
    r"|\bis it (?:in|on) (?:your |the )?PATH\b"
    r"|\bspawn(?:Sync)? (?:\S+ )?ENOENT\b"
    r"|\block(?:file|\.yaml| file)? is not up[ -]to[ -]date\b|\bcan only install packages when your package\.json"
    r"|\bchanged significantly since \S+\.lock\b"
    r"|\bcannot be built because it requires\b"
    r"|\bcould not find a package configuration file\b|\bCould not find [\w.-]+:[\w.-]+:[\w.+-]+\."
    r"|\bis not in (?:this|the \w+) registry\b|\bpackages? required but not available\b"
)

TIMEOUT_MORE = re.lazy(
    r"(?i)\bran longer than the maximum time\b|\btoo long with(?:out| no) output\b"
    r"|\breached the maximum allowed time\b"
)


# A timeout as a setting, not as an event: Jenkins' `git fetch ... # timeout=10`, buildbot's step repr `timeout=86400`,
# golangci-lint's `--timeout=5m`, Azure's `TimeoutInMinutes: 60`, a call's `next(timeout=0.1)`, Playwright's
# `Timeout: 5000ms` under a failed expectation (corpus5, corpus6, corpus8, corpus12, corpus15 items).
_TIMEOUT_SETTING = re.lazy(
    r"(?i)(?:--|\b)timeout(?:InMinutes|[-_]?(?:minutes|ms|secs?|seconds))?\s*[=:]\s*[\d.]+\s*(?:ms|h|m|s|min|minutes"
    r"|secs?|seconds)?\b|--timeout\s+[\d.]+\w*"
)
_TIMEOUT_WORDS = re.lazy(r"(?i)time[ _-]?out|timed out|deadline")


def only_a_timeout_setting(line: str) -> bool:
    """Whether every timeout word on `line` is a setting's name (`timeout=10`), so the line says nothing timed out."""
    if _TIMEOUT_SETTING.search(line) is None:
        return False
    return _TIMEOUT_WORDS.search(_TIMEOUT_SETTING.sub(" ", line)) is None
