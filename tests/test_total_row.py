"""A results table's total row (`ALL | ✖ Failed | ... (accumulated)`) only counts the rows above it: the first finding
is on a failed row (locator._SUMMARY).

Tables are cuts of real Bitcoin Core functional-test runs (test/functional/test_runner.py), source above each.
"""

from __future__ import annotations

from pathlib import Path

from gardener.ingest.runner_log.locator import rank
from tests.corpus_scoring import first_finding

# https://github.com/aureleoules/bitcoin-core-ci-logs/blob/7b1e628ebb97c999f71228698d769e5e680c9a2b/logs/2022/06/20/
# pulls/20892/6 (corpus21 item 14).
CIRRUS = [
    "wallet_createwallet.py --usecli                    | ✖ Failed  | 11 s",
    "wallet_disable.py                                  | ✖ Failed  | 1 s",
    "wallet_txn_doublespend.py --mineblock              | ✖ Failed  | 8 s",
    "",
    "ALL                                                | ✖ Failed  | 13345 s (accumulated) ",
    "Runtime: 1002 s",
]

# A public file quoting a Bitcoin Core functional-test run, indented (the team's code index holds it as file id
# 10167317123 and does not name its repository).
RPC_BIND = [
    "        wallet_upgradewallet.py --legacy-wallet            | ○ Skipped | 1 s",
    "        rpc_bind.py --ipv4                                 | ✖ Failed  | 3 s",
    "        rpc_bind.py --ipv6                                 | ✖ Failed  | 4 s",
    "        rpc_bind.py --nonloopback                          | ✖ Failed  | 6 s",
    "",
    "        ALL                                                | ✖ Failed  | 3761 s (accumulated)",
    "        Runtime: 963 s",
]


def test_the_total_row_is_no_evidence(tmp_path: Path) -> None:
    for table in (CIRRUS, RPC_BIND):
        _, line = first_finding(tmp_path, table)
        assert line is not None and "✖ Failed" in table[line - 1] and "ALL" not in table[line - 1]


def test_a_failed_test_named_all_is_still_a_row() -> None:
    # Near-miss: a row whose test is named like the total (`all_tests.py`) and a table cell's `ALL` mid-line.
    assert rank("all_tests.py                     | ✖ Failed  | 3 s") > 0
    assert rank("rpc_bind.py ALL | ✖ Failed  | 3 s") > 0
    assert rank(CIRRUS[4]) == 0
