"""What session 11's key changes (key-v9) read to give the keys before them (key_changes.py)."""

from __future__ import annotations

from gardener import regex as re

# deps.more-package-managers' key-v9 veto: nix's own hash mismatch (deps.nix-hash-mismatch names it).
_NIX_HASH_MISMATCH = re.lazy(r"hash mismatch (?:in fixed-output derivation|importing path) '/nix/store/")


def nix_hash_mismatch_veto(vetoed_by: str) -> bool:
    """Whether the text that vetoed deps.more-package-managers is key-v9's nix hash-mismatch veto."""
    return _NIX_HASH_MISMATCH.search(vetoed_by) is not None
