"""apt refusing a public repository's index caught mid-sync (round 10's apt scenario): a third party's inconsistent
mirror, P1 with its host named (priority_evidence's MIRROR_SYNC), and deps.apt's title names the repository.

Real text: r-lib/actions#51 (`E: Failed to fetch https://packages.microsoft.com/ubuntu/16.04/prod/dists/xenial/main/
binary-amd64/Packages.bz2  Hash Sum mismatch`; a maintainer: "issues in the upstream PPAs, they should be resolved
without any changes to the workflows"), microsoft/linux-package-repositories#100 (`File has unexpected size (17314 !=
17306). Mirror sync in progress?`), datastax-archive/azure-resource-manager-dse#55 (`W: Failed to fetch
http://repos.azulsystems.com/... Hash Sum mismatch`), DynamoRIO/dynamorio#5851 (`Err:8 https://packages.microsoft.com/
... Packages` / `Hash Sum mismatch`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.config import Config
from tests.rules.excerpt_first import first_finding_of

RLIB = (
    "Run sudo apt-get update\n"
    "E: Failed to fetch https://packages.microsoft.com/ubuntu/16.04/prod/dists/xenial/main/binary-amd64/Packages.bz2  "
    "Hash Sum mismatch\n"
    "E: Some index files failed to download. They have been ignored, or old ones used instead.\n"
    "##[error]Process completed with exit code 100.\n"
)
SYNC = (
    "Reading package lists...\n"
    "E: Failed to fetch https://packages.microsoft.com/ubuntu/20.04/prod/dists/focal/main/binary-armhf/Packages.gz  "
    "File has unexpected size (17314 != 17306). Mirror sync in progress? [IP: 40.85.80.91 443]\n"
    "E: Some index files failed to download. They have been ignored, or old ones used instead.\n"
)
AZUL = (
    "Fetched 6,205 B in 2s (2,295 B/s)\n"
    "W: Failed to fetch http://repos.azulsystems.com/ubuntu/dists/stable/main/binary-amd64/Packages  "
    "Hash Sum mismatch\n"
    "E: Some index files failed to download. They have been ignored, or old ones used instead.\n"
)


@pytest.mark.parametrize(("text", "host"), [
    (RLIB, "packages.microsoft.com"), (SYNC, "packages.microsoft.com"), (AZUL, "repos.azulsystems.com"),
])
def test_a_public_mirror_mid_sync_is_a_p1_third_party(text: str, host: str, config: Config, tmp_path: Path) -> None:
    f = first_finding_of(text, config, tmp_path)
    assert (f.category, f.rule_id, f.priority) == ("dependency-install-failure", "deps.apt", "P1")
    assert f"`{host}`" in f.title and host in f.priority_reason and "does not own" in f.priority_reason


# Near-misses: the team's own apt cache on a private address, and a package that is not in the index (a 404: the
# index is stale or the name wrong, nothing mid-sync) keep the install failure's P0.
@pytest.mark.parametrize("text", [
    "E: Failed to fetch http://10.0.3.7:3142/archive.ubuntu.com/ubuntu/dists/jammy/main/binary-amd64/Packages.xz  "
    "Hash Sum mismatch\nE: Some index files failed to download. They have been ignored, or old ones used instead.\n",
    "E: Failed to fetch http://azure.archive.ubuntu.com/ubuntu/pool/main/libp/libpq/libpq-dev_14.9-0ubuntu0.22.04.1_"
    "amd64.deb  404  Not Found [IP: 52.147.219.192 80]\n"
    "E: Unable to fetch some archives, maybe run apt-get update or try with --fix-missing?\n",
])
def test_own_mirror_or_missing_package_is_no_third_party(text: str, config: Config, tmp_path: Path) -> None:
    f = first_finding_of(text, config, tmp_path)
    assert (f.category, f.priority) == ("dependency-install-failure", "P0"), (f.priority, f.priority_reason)
    assert "does not own" not in f.priority_reason
