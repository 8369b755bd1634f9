"""`dotnet test` console output (VSTest's logger: xUnit, NUnit, MSTest) read as test results."""

from __future__ import annotations

from pathlib import Path

from gardener.ingest import runner_log

# Modelled on NUnit under `dotnet test` (the format of dotnet/vstest's console logger).
NUNIT = """\
Starting test execution, please wait...
A total of 1 test files matched the specified pattern.
  Failed Shop.Tests.CartTests.Total_IncludesTax(0.2m) [31 ms]
  Error Message:
     Expected: 12.00m
  But was:  10.00m

  Stack Trace:
     at Shop.Tests.CartTests.Total_IncludesTax(Decimal rate) in /src/Shop.Tests/CartTests.cs:line 42

  Failed Shop.Tests.OrderTests.Submit_Persists [5 ms]
  Error Message:
   System.NullReferenceException : Object reference not set to an instance of an object.
  Stack Trace:
     at Shop.Orders.Submit() in /src/Shop/Orders.cs:line 17
     at Shop.Tests.OrderTests.Submit_Persists() in /src/Shop.Tests/OrderTests.cs:line 23

  Passed Shop.Tests.CartTests.Empty_IsZero [1 ms]
  Skipped Shop.Tests.CartTests.Slow_Path [< 1 ms]
Failed to restore the cache: it was not found
Failed!  - Failed:     2, Passed:     1, Skipped:     1, Total:     4, Duration: 40 ms - Shop.Tests.dll (net8.0)
"""


def test_each_test_is_a_result_named_as_the_junit_logger_names_it(tmp_path: Path) -> None:
    log = tmp_path / "test.log"
    log.write_text(NUNIT)
    parsed = runner_log.parse(log)
    tests = {r.id: r for r in parsed.results if r.is_test}
    assert set(tests) == {"Shop.Tests.CartTests::Total_IncludesTax(0.2m)", "Shop.Tests.OrderTests::Submit_Persists",
                          "Shop.Tests.CartTests::Empty_IsZero", "Shop.Tests.CartTests::Slow_Path"}
    tax = tests["Shop.Tests.CartTests::Total_IncludesTax(0.2m)"]
    assert tax.outcome == "failed" and tax.source_line == 5 and tax.message.startswith("Expected: 12.00m")
    assert (tax.file, tax.line) == ("/src/Shop.Tests/CartTests.cs", 42)
    npe = tests["Shop.Tests.OrderTests::Submit_Persists"]
    assert npe.error_type == "System.NullReferenceException" and npe.source_line == 13
    assert (tests["Shop.Tests.CartTests::Empty_IsZero"].outcome, tests["Shop.Tests.CartTests::Slow_Path"].outcome) == (
        "passed", "skipped")
    assert not [r for r in parsed.results if not r.is_test and r.is_failing]  # no incident repeats a test's report


def test_the_prefiltered_read_is_the_every_line_read(tmp_path: Path) -> None:
    log = tmp_path / "test.log"
    log.write_text("".join(f"2026-12-01T10:00:{i % 60:02d}.0000000Z {line}\n"
                           for i, line in enumerate(("noise line",) * 300 + tuple(NUNIT.splitlines()))))
    assert runner_log.parse(log, chunk_bytes=512) == runner_log.parse_every_line(log)
