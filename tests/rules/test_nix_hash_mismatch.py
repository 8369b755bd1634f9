"""deps.nix-hash-mismatch wins nix's own hash mismatch (round 10's nix scenario): deps.more-package-managers, which
also read it (precedence 70 over 66), vetoes it since key-v9, so the finding names the derivation without its store
hash (which moves with every input) instead of `A dependency cannot be installed`.

Real text: gwaithimirdain/narya#70 (`error: hash mismatch in fixed-output derivation '/nix/store/ssmw...-180.diff.drv':`
then `specified:`/`got:` and `error: 1 dependencies of derivation ... failed to build`), vnprc/hashpool#23 (devenv's
`...-source.drv`), input-output-hk/devx#247 (`...-head.hackage.ghc.haskell.org.drv`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.config import Config
from tests.corpus_scoring import classified
from tests.rules.excerpt_first import first_finding_of

NARYA = (
    "error: hash mismatch in fixed-output derivation '/nix/store/ssmwixlg89pc8v4jsrzp6v5v655jq0n4-180.diff.drv':\n"
    "         specified: sha256-eP7PRxnoKuxfwXoRQN8YsHwaZA0zNsOdzVzYUga87eM=\n"
    "            got:    sha256-vxve8ArNenX/hK1WuVHMaPCghARinkVgdi+v5iLs/aM=\n"
    "error: 1 dependencies of derivation '/nix/store/h3vym2kzpbmpcqfc75j0f907pnp0r5hx-base-static-x86_64-unknown-"
    "linux-musl-v0.17.1.drv' failed to build\n"
)
HASHPOOL = (
    "• Building shell ...\n• Using Cachix: devenv\n"
    "error: hash mismatch in fixed-output derivation '/nix/store/lj8j0ic0jgrnv2f9rpl7bxq7rhm90d51-source.drv':\n"
    "         specified: sha256-iPVtR06DdheYRfZ/Edm1hu3JLoXAu5obddTQ38cqljs=\n"
    "            got:    sha256-OLSCaj1CAK3L29VZIW4ZB4TGD/PLQrUjbctYvtrzzyE=\n"
    "error: 1 dependencies of derivation '/nix/store/pawxv8wy819mqsijwrq77g97qzmg6s6h-bitcoind-sv2.drv' "
    "failed to build\n"
)
DEVX = (
    "    error: hash mismatch in fixed-output derivation '/nix/store/nzqbf3y4kqanwi2rq5h1n27qglhlmvmk-head.hackage.ghc."
    "haskell.org.drv':\n"
    "             specified: sha256-7jhEysaHgczdNolOCuE9K6ZpLD3KJzsGSlgPHlZOvlg=\n"
    "                got:    sha256-yFGpWo9ulwBEUyzTLKJBtbCWi7Ly4NEtocBRogdew9g=\n"
)


@pytest.mark.parametrize(("text", "derivation"), [
    (NARYA, "180.diff"), (HASHPOOL, "source"), (DEVX, "head.hackage.ghc.haskell.org"),
])
def test_nix_hash_mismatch_names_the_derivation(text: str, derivation: str, config: Config, tmp_path: Path) -> None:
    f = first_finding_of(text, config, tmp_path)
    assert (f.category, f.rule_id) == ("dependency-install-failure", "deps.nix-hash-mismatch")
    assert derivation in f.title and "/nix/store/" not in f.signature.text, (f.title, f.signature.text)


# Near-miss: the other package managers deps.more-package-managers reads keep it (CocoaPods, conan).
@pytest.mark.parametrize("text", [
    '[!] CocoaPods could not find compatible versions for pod "Firebase/Core":\n  In Podfile:\n',
    "ERROR: Missing prebuilt package for 'zlib/1.3.1'\n",
])
def test_other_package_managers_stay_with_their_rule(text: str, config: Config, tmp_path: Path) -> None:
    path = tmp_path / "excerpt.txt"
    path.write_text(text, encoding="utf-8")
    assert [f.rule_id for f in classified(path, config)][:1] == ["deps.more-package-managers"]
