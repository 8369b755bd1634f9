"""Collision's code frame (the PHP console Laravel and Pest print failures with: `  ➜  10▕ ->assertOk()`, `11▕ ...`) is
quoted test code, and a test runner's closing `Tests: 1 failed, ...` count only counts: the exception message above
the frame is the evidence (locator._CODE_FRAME, locator._SUMMARY).

Sources above each text: lines kept verbatim, runs of lines cut.
"""

from __future__ import annotations

from pathlib import Path

from gardener.ingest.runner_log.locator import is_quoted_source, rank
from tests.corpus_scoring import first_finding

# https://github.com/EduardoPatricio488/gestaodecustos/blob/19c31d1eccbf0496bee486d2cec3d548cddac13a/ci-failure.log
# (corpus21 item 7): a Pest feature test renders a Blade view that needs the Vite manifest the job never built.
PEST_VITE = [
    "#103 /home/runner/work/gestaodecustos/gestaodecustos/vendor/bin/pest(119): include('...')",
    "#104 {main}",
    "",
    "----------------------------------------------------------------------------------",
    "",
    "Vite manifest not found at: /home/runner/work/gestaodecustos/gestaodecustos/public/build/manifest.json (View: "
    "/home/runner/work/gestaodecustos/gestaodecustos/resources/views/partials/head.blade.php)",
    "",
    "  at tests/Feature/Auth/AuthenticationTest.php:10",
    "      6▕ test('login screen can be rendered', function () {",
    "      7▕     $response = $this->get('/login');",
    "  ➜  10▕         ->assertOk()",
    "     11▕         ->assertSeeVolt('pages.auth.login');",
    "     12▕ });",
    "",
    "",
    "  Tests:    1 failed, 32 passed, 113 pending (69 assertions)",
    "  Duration: 2.17s",
]


def test_the_exception_above_collisions_frame_is_the_evidence(tmp_path: Path) -> None:
    _, line = first_finding(tmp_path, PEST_VITE)
    assert line == 6


def test_collisions_frame_lines_are_quoted_source() -> None:
    assert is_quoted_source(PEST_VITE[10].strip()) and is_quoted_source(PEST_VITE[11])
    # Near-miss: a compiler's frame line its marker points at stays evidence (tsc/esbuild `> 96 | ...` style).
    assert not is_quoted_source("    > 96 |       console.error(\"Dashboard handler error:\", e);")
    assert not is_quoted_source("  at tests/Feature/Auth/AuthenticationTest.php:10")


def test_a_runners_closing_count_is_no_evidence() -> None:
    # Pest's (above) and Jest's (`Tests:       1 failed, 1 passed, 2 total`, Jest's summary reporter) closing counts.
    assert rank(PEST_VITE[15]) == 0
    assert rank("Tests:       1 failed, 1 passed, 2 total") == 0
    # Near-miss: a runner's line naming the failed test is not a count.
    assert rank("FAIL tests/unit/cart.test.ts > Cart > totals") > 0
