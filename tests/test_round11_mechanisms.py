"""Mechanisms behind round 11's scenario fixes (tests/scenarios/data11), each with boundary cases from more than one
project's real text."""

from __future__ import annotations

import pytest

from gardener.priority_evidence import outage_of

# NuGet's restore names the source it could not load; .NET's HttpClient says the status on NU1301's next line.
# The two-line NU1301 form as DevExpress' and Azure Artifacts' feeds print it (401s, below), with nuget.org's 503.
NU1301_503 = (
    "/w/src/Tessera.Core/Tessera.Core.csproj : error NU1301: Unable to load the service index for source "
    "https://api.nuget.org/v3/index.json. [/w/Tessera.sln]\n"
    "/w/src/Tessera.Core/Tessera.Core.csproj : error NU1301:   Response status code does not indicate success: 503 "
    "(Service Unavailable). [/w/Tessera.sln]\n"
)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (NU1301_503, ("api.nuget.org", "503")),
        # Visual Studio's restore on .NET Framework (https://github.com/NuGet/Home/issues/6728): WebException's words.
        ("[nuget.org] Unable to load the service index for source https://api.nuget.org/v3/index.json.\n"
         "An error occurred while sending the request.\n"
         "The remote server returned an error: (502) Bad Gateway.", ("api.nuget.org", "502")),
        # Near misses. A private feed refusing expired credentials is no outage (a 401: DevExpress' feed, an Azure
        # Artifacts feed whose URL NuGet wraps onto the next line).
        ("error NU1301: Unable to load the service index for source https://nuget.devexpress.com/api/v3/index.json\n"
         "error NU1301:   Response status code does not indicate success: 401 (Unauthorized)", ("", "")),
        ("error NU1301: Unable to load the service index for source\n"
         "  https://pkgs.dev.azure.com/quadpay/_packaging/QuadPay/nuget/v3/index.json.\n"
         "error NU1301:   Response status code does not indicate success: 401 (Unauthorized).", ("", "")),
        # A test asserting its own client's 500 names no source: nobody's outage.
        ('Assert.AreEqual("Response status code does not indicate success: 500 (Internal Server Error).", '
         "ex.Message);", ("", "")),
        # The job's own feed (a private address) answering 503 is not a third party's.
        (NU1301_503.replace("https://api.nuget.org", "http://10.0.4.12:8081"), ("", "")),
    ],
)
def test_a_nuget_source_that_answers_5xx_is_an_outage_of_its_host(text: str, want: tuple[str, str]) -> None:
    assert outage_of(text) == want


@pytest.mark.parametrize(
    ("step", "runs_tests"),
    [
        # Round 11's OCaml job; ocaml/setup-ocaml's README (`opam exec -- dune runtest`); dune's own `dune test`.
        ("opam exec -- dune build @install @runtest", True),
        ("opam exec -- dune runtest", True),
        ("dune test --force", True),
        # Near misses: opam building a package (https://github.com/ocaml/dune/issues/8657: `dune build -p stdune -j 31
        # @install`) and a plain `dune build` compile no test.
        ("dune build -p stdune -j 31 @install", False),
        ("opam exec -- dune build", False),
    ],
)
def test_dune_s_runtest_alias_is_a_test_step(step: str, runs_tests: bool) -> None:
    from gardener.priority_evidence import _TEST_STEP

    assert bool(_TEST_STEP.search(step)) is runs_tests
