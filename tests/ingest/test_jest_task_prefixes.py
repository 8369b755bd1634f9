"""jest's console output behind a workspace task runner's prefixes (Turborepo, pnpm -r, nx / lerna --stream),
and what a timed-out test's file printed on its console."""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.ingest import runner_log
from gardener.ingest.runner_log.jest_lines import CONSOLE_5XX
from gardener.model import Result

BLOCK = """\
FAIL src/cart.test.ts
  cart
    ✕ totals the lines (4 ms)

  ● cart › totals the lines

    expect(received).toBe(expected) // Object.is equality

    Expected: 12
    Received: 11

      at Object.<anonymous> (src/cart.test.ts:9:23)

Test Suites: 1 failed, 1 total
Tests:       1 failed, 1 total
"""


def _results(tmp_path: Path, text: str, name: str = "job.log") -> dict[str, Result]:
    log = tmp_path / name
    log.write_text(text, encoding="utf-8")
    results = runner_log.parse(log).results
    assert results == runner_log.parse_every_line(log).results  # the prefilter's hints wake the reader
    return {r.id: r for r in results if r.is_test}


def _prefixed(prefix: str, text: str) -> str:
    return "".join(f"{prefix}{line}".rstrip() + "\n" for line in text.splitlines())


@pytest.mark.parametrize("prefix", [
    "web:test: ",  # Turborepo
    "@acme/web:test: ",  # Turborepo, a scoped package
    "@acme/web:test:unit: ",  # Turborepo, a task name with a colon
    "packages/web test: ",  # pnpm -r run
    "@acme/web: ",  # lerna / nx --stream
    "[web]: ",  # yarn workspaces foreach
])
def test_a_prefixed_failure_is_read_as_without_the_prefix(tmp_path: Path, prefix: str) -> None:
    plain = _results(tmp_path, BLOCK, "plain.log")
    prefixed = _results(tmp_path, _prefixed(prefix, BLOCK))
    assert list(prefixed) == list(plain) == ["src/cart.test.ts::cart::totals the lines"]
    (p,), (q,) = prefixed.values(), plain.values()
    assert (p.message, p.source_line, p.line, p.details) == (q.message, q.source_line, q.line, q.details)


def test_interleaved_tasks_keep_their_own_blocks(tmp_path: Path) -> None:
    other = BLOCK.replace("cart", "search").replace("12", "3").replace("11", "2")
    web, api = _prefixed("web:test: ", BLOCK).splitlines(), _prefixed("api:test: ", other).splitlines()
    mixed = [line for pair in zip(web, api, strict=True) for line in pair]
    found = _results(tmp_path, "\n".join(mixed) + "\n")
    cart = found["src/cart.test.ts::cart::totals the lines"]
    search = found["src/search.test.ts::search::totals the lines"]
    assert "Received: 11" in cart.details and "Received: 2" not in cart.details
    assert "Received: 2" in search.details and "Received: 11" not in search.details


def test_a_line_that_only_looks_like_a_prefix_is_not_one(tmp_path: Path) -> None:
    # `Error: FAIL ...` is no task's output: no jest line came behind `Error:`, and its rest is no report.
    text = "Error: something broke\n" + BLOCK
    assert list(_results(tmp_path, text)) == ["src/cart.test.ts::cart::totals the lines"]
    # A prefixed line that is not jest's (a build tool's) wakes nothing.
    assert _results(tmp_path, "web:build: FAILED to compile\nweb:build: error TS2304\n", "other.log") == {}


TIMEOUT = """\
  console.warn
    [pay] POST https://api.pay.example.com/v1/payouts -> 503 Service Unavailable (attempt 1/3), retrying in 2000ms

      at Client.request (src/client.ts:88:15)

FAIL src/payouts.test.ts (9.1 s)
  payouts
    ✕ creates a payout (5003 ms)
    ✕ rejects a bad amount (3 ms)

  ● payouts › creates a payout

    thrown: "Exceeded timeout of 5000 ms for a test.

      at it (src/payouts.test.ts:22:3)

  ● payouts › rejects a bad amount

    expect(received).toThrow()

      at Object.<anonymous> (src/payouts.test.ts:30:9)

Test Suites: 1 failed, 1 total
"""


def test_a_timed_out_test_keeps_what_its_file_printed_on_the_console(tmp_path: Path) -> None:
    for name, text in (("plain.log", TIMEOUT), ("turbo.log", _prefixed("pay:test: ", TIMEOUT))):
        found = _results(tmp_path, text, name)
        waited = dict(found["src/payouts.test.ts::payouts::creates a payout"].properties)
        assert waited[CONSOLE_5XX].startswith("[pay] POST https://api.pay.example.com/v1/payouts -> 503"), name
        # A test that failed on its own assertion says why itself: nothing added.
        assert CONSOLE_5XX not in dict(found["src/payouts.test.ts::payouts::rejects a bad amount"].properties)


def test_console_output_after_the_header_goes_with_that_file(tmp_path: Path) -> None:
    # jest buffers a file's console output and prints it under the file's header (not in band).
    header, _, rest = TIMEOUT.partition("FAIL src/payouts.test.ts (9.1 s)\n")
    found = _results(tmp_path, "PASS src/other.test.ts\nFAIL src/payouts.test.ts (9.1 s)\n" + header + rest)
    assert "503 Service Unavailable" in dict(found["src/payouts.test.ts::payouts::creates a payout"].properties)[
        CONSOLE_5XX]
