"""line_category's resolver, lock file and CI timeout words (gardener/line_words_more.py): each phrase names its
category in more than one tool's or project's output (the labelled sets' items, or the public threads cited beside
the lines here, none cited by a set), and the boundary lines where similar words must not.
"""

from __future__ import annotations

import pytest

from gardener.line_category import name_line

# (line, category), each in the shape of a cited thread or of labelled items from two projects or more.
NAMED: list[tuple[str, str]] = [
    # conda (ml-jku/cloob#6, PKU-YuanGroup/MagicTime#4).
    ("Solving environment: failed", "dependency-install-failure"),
    # R CMD check (YosefLab/scone#25, r-hub/rhub#438; corpus15's r-cmd-check item).
    ("Packages required but not available:", "dependency-install-failure"),
    ("Package required but not available: ‘ggplotx’", "dependency-install-failure"),
    # Poetry and pub (corpus3 and corpus12 items), uv (corpus10), stack (corpus3, corpus15).
    ("And because acme depends on libx (^0.2.16), version solving failed.", "dependency-install-failure"),
    ("× No solution found when resolving dependencies:", "dependency-install-failure"),
    ("Error: While constructing the build plan, the following exceptions were encountered:",
     "dependency-install-failure"),
    # Bundler and CocoaPods (corpus3, corpus12, corpus13, corpus15).
    ('[!] CocoaPods could not find compatible versions for pod "AcmeKit":', "dependency-install-failure"),
    # cargo's resolver and toolchain floor (corpus3, corpus10), yarn (corpus3), apt (corpus3, corpus10, corpus15).
    ("error: failed to select a version for the requirement `clapx = \"^4.3.10\"`", "dependency-install-failure"),
    ("error: package `ccx v1.0.106` cannot be built because it requires rustc 1.67 or newer",
     "dependency-install-failure"),
    ('error Couldn\'t find any versions for "@acme/grid" that matches "10.3.0"', "dependency-install-failure"),
    ("E: Package 'php5' has no installation candidate", "dependency-install-failure"),
    ("E: Unable to locate package build-essentialx", "dependency-install-failure"),
    # Fetched content's checksums: Go modules (corpus3, corpus15), nix (corpus12), npm (corpus10).
    ("go: github.com/acme/x@v0.3.0: verifying module: checksum mismatch", "dependency-install-failure"),
    ("error: hash mismatch in fixed-output derivation '/nix/store/abc-src.drv':", "dependency-install-failure"),
    # ... and a fetched file's, in each fetcher's documented words: MacPorts (corpus16's two MacPorts threads),
    # Homebrew's `brew fetch`, pip's --require-hashes mode, Bazel's http_archive.
    ("Error: Checksum (sha256) mismatch for acme-0.6.3.tar.gz", "dependency-install-failure"),
    ("Error: SHA256 mismatch", "dependency-install-failure"),
    ("ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE. If you have updated the package "
     "versions, please update the hashes.", "dependency-install-failure"),
    ("java.io.IOException: Error downloading [https://x.test/acme.tar.gz] to /tmp/acme.tar.gz: Checksum was 0a1b but "
     "wanted 9f8e", "dependency-install-failure"),
    # A toolchain the environment lacks, as the tool probing for it says: autoconf (corpus16's Termux build, and the
    # classic `gcc` missing on a fresh image), a tool asking whether its helper is installed (spago, corpus16).
    ("configure: error: C compiler cannot create executables", "dependency-install-failure"),
    ("configure: error: C++ compiler cannot create executables", "dependency-install-failure"),
    ("✘ Failed to find purs. Have you installed it, and is it in your PATH?", "dependency-install-failure"),
    ("Error: could not run `protoc`: is it installed?", "dependency-install-failure"),
    # Node's child_process: the executable a script spawns is not installed (corpus18's pnpm workspace; `spawn git
    # ENOENT` and `spawnSync python ENOENT` are the same error for other tools).
    ("spawn ENOENT", "dependency-install-failure"),
    ("Error: spawn git ENOENT", "dependency-install-failure"),
    ("Error: spawnSync python3 ENOENT", "dependency-install-failure"),
    # Lock files out of date: pnpm, npm ci, Poetry (corpus3, corpus10, corpus15).
    ('ERR_PNPM_OUTDATED_LOCKFILE  Cannot install with "frozen-lockfile" because pnpm-lock.yaml is not up to date with '
     "package.json", "dependency-install-failure"),
    ("npm ERR! `npm ci` can only install packages when your package.json and package-lock.json are in sync.",
     "dependency-install-failure"),
    # CMake's find_package and Gradle's artifact lookup (corpus3 items from several projects).
    ('Could not find a package configuration file provided by "acme_egm" with any of', "dependency-install-failure"),
    ("> Could not find com.acme.support:appcompat-v7:20.0.0.", "dependency-install-failure"),
    ("npm ERR! 404  '@acme/agent@~1.0.2' is not in the npm registry.", "dependency-install-failure"),
    # CI systems' job limits: Azure Pipelines (Azure/azure-sdk-for-js#22911, microsoft/azure-pipelines-agent#3842),
    # CircleCI (corpus12, corpus15), AppVeyor (corpus13).
    ("##[error]The job running on agent Azure Pipelines 4 ran longer than the maximum time of 120 minutes.",
     "timeout-hang"),
    ("Too long with no output (exceeded 10m0s): context canceled", "timeout-hang"),
    ("Build execution time has reached the maximum allowed time for your plan (60 minutes).", "timeout-hang"),
]


@pytest.mark.parametrize(("line", "category"), NAMED)
def test_the_words_name_their_category(line: str, category: str) -> None:
    named = name_line(line)
    assert named is not None and named.category == category, line


# Where similar words are not a resolver's or a CI limit's.
NOT_NAMED_SO: list[tuple[str, str]] = [
    ("AssertionError: hash mismatch between cached and fresh digest", "dependency-install-failure"),
    ("lockfile is up to date, resolution step is skipped", "dependency-install-failure"),
    # A schema migration's checksum (Flyway) is no fetched file's; a test comparing digests is a test.
    ("Migration checksum mismatch for migration version 14", "dependency-install-failure"),
    ("AssertionError: expected sha256 of the upload to match, got a mismatch", "dependency-install-failure"),
    # A compiler that ran and reported the code is no missing toolchain.
    ("checking whether the C compiler works... yes", "dependency-install-failure"),
    # A file the code opens that is not there is no missing tool.
    ("Error: ENOENT: no such file or directory, open '/app/config.json'", "dependency-install-failure"),
]


@pytest.mark.parametrize(("line", "category"), NOT_NAMED_SO)
def test_similar_words_do_not(line: str, category: str) -> None:
    named = name_line(line)
    assert named is None or named.category != category, line


# A timeout as a setting is no timeout (Jenkins' `# timeout=10` in several projects' consoles, golangci-lint's
# `--timeout=5m`, Azure's `TimeoutInMinutes: 60`, buildbot's step repr in corpus15).
SETTINGS = [
    " > git rev-parse --is-inside-work-tree # timeout=10",
    "  args: --timeout=5m ./...",
    "TimeoutInMinutes: 60",
    "stopping currentStep Compile(command=['make', '-j8'], env={}, timeout=86400, haltOnFailure=True,",
]


@pytest.mark.parametrize("line", SETTINGS)
def test_a_timeout_setting_is_no_timeout(line: str) -> None:
    named = name_line(line)
    assert named is None or named.category != "timeout-hang", line


@pytest.mark.parametrize("line", ["Error: Timeout of 2000ms exceeded.", "job timed out after timeout=600 seconds"])
def test_a_timeout_beside_a_setting_is_still_one(line: str) -> None:
    named = name_line(line)
    assert named is not None and named.category == "timeout-hang", line
