"""What session 11 (key-v9) changed in builtin rules' evidence, as predicates key_changes.py reads to give a failure the
key it had before: which text a veto added in key-v9 matched, and what a widened rule's evidence matched before.

Pure; RE2 (gardener.regex), compiled on first use.
"""

from __future__ import annotations

from gardener import regex as re

# deps.more-package-managers' key-v9 veto: nix's own hash mismatch (deps.nix-hash-mismatch names it).
_NIX_HASH_MISMATCH = re.lazy(r"hash mismatch (?:in fixed-output derivation|importing path) '/nix/store/")


def nix_hash_mismatch_veto(vetoed_by: str) -> bool:
    """Whether the text that vetoed deps.more-package-managers is key-v9's nix hash-mismatch veto."""
    return _NIX_HASH_MISMATCH.search(vetoed_by) is not None


# compile.msbuild-project's evidence before key-v9 (VSBuild's `Solution not found using search pattern` was added).
_MSBUILD_PROJECT_V8 = re.lazy(
    r"\): error : Project '[^'\n]+' targets '[^'\n]+'\. It cannot be referenced"
    r"|\berror MSB(?:3202|4019|4024|4025|4057|4066|4126): "
)


def msbuild_project_v8(text: str) -> bool:
    """Whether compile.msbuild-project's evidence before key-v9 matched `text`."""
    return _MSBUILD_PROJECT_V8.search(text) is not None
