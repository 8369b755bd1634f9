"""A tool that crashed on its own bug and says so is a runtime exception that stopped the run (P1), even where its
crash has an assertion's shape (gardener/tool_crash.py, read by priority.py and generic_rule.named_verdict); and a Go
panic's trace through the module cache is a runtime exception, not a dependency that does not compile.

Excerpts are written in the shape of real output from public threads (cited beside each, none cited by a labelled
set); names and paths are changed.
"""

from __future__ import annotations

from pathlib import Path

from gardener.classify import analyse
from gardener.config import Config
from gardener.key_changes import KeyInput, older_keys
from gardener.tool_crash import own_bug
from tests.factories import result
from tests.rules.excerpt_first import first_finding_of


def _first(tmp_path: Path, text: str) -> tuple[str, str, str]:
    first = first_finding_of(text, Config(), tmp_path)
    return first.category, first.priority, first.priority_reason


# LuaRocks failing its own internal check while it builds a rock (luarocks/luarocks#1095, #1316 for the banner).
LUAROCKS_ASSERT = (
    "Installing https://luarocks.org/lpegx-1.0.2-1.src.rock\n\n"
    "Error: LuaRocks 3.8.0 bug (please report at https://github.com/luarocks/luarocks/issues).\n"
    "Arch.: linux-x86_64\n"
    "/usr/local/share/lua/5.4/luarocks/manif/writer.lua:418: assertion failed!\n"
    "stack traceback:\n"
    "\t[C]: in function 'assert'\n"
    "\t/usr/local/share/lua/5.4/luarocks/manif/writer.lua:418: in function "
    "'luarocks.manif.writer.remove_from_manifest'\n"
    "\t/usr/local/share/lua/5.4/luarocks/build.lua:378: in function 'luarocks.build.build_rockspec'\n"
)
# The same banner over a plain run-time error of the tool's own code (luarocks/luarocks#1316).
LUAROCKS_RUNTIME = (
    "$ luarocks search inifilex\n\n"
    "Error: LuaRocks 3.7.0 bug (please report at https://github.com/luarocks/luarocks/issues).\n"
    "Arch.: linux-x86_64\n"
    "/home/ci/.luarocks/share/lua/5.4/ssl/https.lua:66: attempt to index a nil value (local 'params')\n"
    "stack traceback:\n"
    "\t[C]: in function 'socket.http.request'\n"
)


def test_an_assertion_in_a_tool_that_says_it_is_its_own_bug_is_its_crash(tmp_path: Path) -> None:
    category, priority, why = _first(tmp_path, LUAROCKS_ASSERT)
    assert (category, priority) == ("runtime-exception", "P1")
    assert "its own bug" in why


def test_a_tools_runtime_error_under_its_bug_banner_stopped_the_run(tmp_path: Path) -> None:
    assert _first(tmp_path, LUAROCKS_RUNTIME)[:2] == ("runtime-exception", "P1")


def test_a_test_runner_asking_for_a_report_after_a_failed_test_is_no_crash(tmp_path: Path) -> None:
    # Julia's own test suite asks for a report after a failing test: a test's assertion, not the tool's crash.
    text = ("Test Failed at /home/ci/julia/test/strings/basic.jl:57\n"
            "  Expression: length(s) == 4\n"
            "   Evaluated: 5 == 4\n"
            "ERROR: A test has failed. Please submit a bug report (https://github.com/JuliaLang/julia/issues)\n"
            "including error messages above and the output of versioninfo():\n")
    assert own_bug(text) == ""
    assert _first(tmp_path, text)[0] == "assertion-failure"


def test_an_assertion_overruled_as_a_crash_answers_to_the_assertion_rules_key_before() -> None:
    line = "/usr/local/share/lua/5.4/luarocks/manif/writer.lua:418: assertion failed!"
    analysis = analyse([result("job.log::build", message=line, details=LUAROCKS_ASSERT, kind="log")], Config())
    (f,) = analysis.findings
    assert (f.rule_id, f.category) == ("generic.runtime-exception", "runtime-exception")
    lead = analysis.clusters[f.id].lead
    back = dict(older_keys(KeyInput(lead)))
    assert "key-v6" in back and back["key-v6"] != lead.key


# A Go server's panic whose goroutine trace passes through the module cache (maxcnunes/gaper#9, bcicen/grmon#8 for the
# trace's shape; c15-go-004 logs it through a router).
GO_PANIC = (
    "panic: runtime error: invalid memory address or nil pointer dereference\n"
    "[signal SIGSEGV: segmentation violation code=0x1 addr=0x28 pc=0x1385f7c]\n\n"
    "goroutine 154 [running]:\n"
    "github.com/acme/relay.(*Server).handle(0xc0000f9ec0, 0x105a2f0)\n"
    "\t/home/ci/app/server.go:76 +0x19c\n"
    "github.com/go-chi/chi/v5.(*Mux).routeHTTP(0xc0001ae000, {0x105a2f0, 0xc000228000}, 0xc0000b6000)\n"
    "\t/go/pkg/mod/github.com/go-chi/chi/v5@v5.0.8/mux.go:444 +0x1f8\n"
)


def test_a_go_panic_through_the_module_cache_is_a_runtime_exception(tmp_path: Path) -> None:
    assert _first(tmp_path, GO_PANIC)[0] == "runtime-exception"


def test_a_compile_error_in_a_fetched_crate_is_still_the_dependencys(tmp_path: Path) -> None:
    # The veto reads a panic's words, not the cache's path: a dependency that does not compile stays one.
    text = ("   Compiling fsx v0.4.3\n"
            "error[E0308]: mismatched types\n"
            "  --> /home/ci/.cargo/registry/src/index.crates.io-6f17d22bba15001f/fsx-0.4.3/src/lib.rs:98:9\n"
            "   |\n"
            "98 |         libc::fallocate(fd, 0, 0, len)\n"
            "   |         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ expected `i64`, found `u64`\n")
    assert _first(tmp_path, text)[0] == "dependency-install-failure"


# A tool's crash whose line names nothing of its own: Verilator's internal check (corpus16's OpenTitan lint job), and
# the compilers' crash banners under a message that names nothing (gcc's `Please submit a full bug report`, clang's
# `PLEASE submit a bug report to`, GHC's `panic! (the 'impossible' happened)`).
VERILATOR_INTERNAL = (
    "> ./lint.sh\n"
    "%Error: Internal Error: ../src/acme_top.sv:103:55: ../V3EmitC.cpp:2056: Wide Op w/ no temp, perhaps missing op\n"
    "  103 |     assign rdata_nointeg[i*32 +: 32] = rdata[i*39 +: 32];\n"
    "      |                                                       ^\n"
    "                        ... See the manual and https://verilator.org for more assistance.\n"
)
GHC_PANIC = (
    "[3 of 9] Compiling Acme.Parse\n"
    "ghc: panic! (the 'impossible' happened)\n"
    "  (GHC version 9.2.4:\n"
    "\tlookupIdSubst\n"
    "Please report this as a GHC bug:  https://www.haskell.org/ghc/reportabug\n"
)


def test_a_tool_that_says_it_crashed_on_its_own_bug_is_a_runtime_exception_that_stopped_the_run(
        tmp_path: Path) -> None:
    for text in (VERILATOR_INTERNAL, GHC_PANIC):
        category, priority, why = _first(tmp_path, text)
        assert (category, priority) == ("runtime-exception", "P1"), text
        assert "own bug" in why


def test_an_internal_error_a_server_replies_or_a_test_runners_report_request_is_no_crash() -> None:
    assert own_bug('json: {"error":{"message":"internal error","type":"InternalServerError","code":500}}') == ""
    assert own_bug("HTTP 500 Internal Server Error: upstream failed") == ""
    assert own_bug("ERROR: A test has failed. Please submit a bug report (https://github.com/JuliaLang/julia)") == ""
    assert own_bug("PLEASE submit a bug report to https://github.com/llvm/llvm-project/issues/ and include the crash")
    assert own_bug("Please submit a full bug report, with preprocessed source (by using -freport-bug).")


# RuboCop's cops raising while they inspect a file (session 11): its own bug, whichever cop and project. Quoted from
# rubocop/rubocop#8714 (a Rakefile and a lib file), rubocop/rubocop#512 (qless, `rubocop -a`) and
# rubocop/rubocop-rspec#385 (codemasters-chess, the RSpec cops; two of its four error lines).
RUBOCOP_COP_ERRORS = (
    "An error occurred while Layout/LineLength cop was inspecting /Users/user/Desktop/directory_name/Rakefile:8:0.\n"
    "An error occurred while Layout/LineLength cop was inspecting "
    "/Users/user/Desktop/directory_name/lib/file_name.rb:19:6.\n"
)
RUBOCOP_QLESS = (
    "3 errors occurred:\n"
    "An error occurred while AndOr cop was inspecting /Users/dan/SEOmoz/qless/qless/lib/qless/queue.rb.\n"
    "An error occurred while AndOr cop was inspecting /Users/dan/SEOmoz/qless/qless/lib/qless/queue.rb.\n"
    "An error occurred while AndOr cop was inspecting /Users/dan/SEOmoz/qless/qless/lib/qless/server.rb.\n"
    "Errors are usually caused by RuboCop bugs.\n"
    "Please, report your problems to RuboCop's issue tracker.\n"
    "Mention the following information in the issue report:\n"
    "0.13.1 (using Parser 2.0.0.pre8, running on ruby 1.9.3 x86_64-darwin11.2.0)\n"
)
RUBOCOP_RSPEC_COPS = (
    "4 errors occurred:\n"
    "An error occurred while RSpec/OverwritingSetup cop was inspecting "
    "/Users/Christopher/Source/Ruby/codemasters-chess/spec/helpers/users_helper_spec.rb:13:0.\n"
    "An error occurred while RSpec/ScatteredLet cop was inspecting "
    "/Users/Christopher/Source/Ruby/codemasters-chess/spec/helpers/users_helper_spec.rb:13:0.\n"
    "Errors are usually caused by RuboCop bugs.\n"
    "Please, report your problems to RuboCop's issue tracker.\n"
)
# Near miss: RuboCop reporting an offense it found (rubocop/rubocop#1335): the code's, not RuboCop's, fault.
RUBOCOP_OFFENSE = (
    "Inspecting 1 file\nC\n\nOffenses:\n\n"
    "test.rb:1:81: C: Line is too long. [85/80]\n"
    "puts abcdefghijklmnopqrstuvwxyz, foobarfoobarfoobar(MyModule::SomeClassWithALongName)\n\n"
    "1 file inspected, 1 offense detected\n"
)


def test_a_rubocop_cop_that_raised_is_rubocops_crash(tmp_path: Path) -> None:
    for text in (RUBOCOP_COP_ERRORS, RUBOCOP_QLESS, RUBOCOP_RSPEC_COPS):
        category, priority, why = _first(tmp_path, text)
        assert (category, priority) == ("runtime-exception", "P1"), text
        assert "own bug" in why


def test_an_offense_rubocop_reports_is_no_crash(tmp_path: Path) -> None:
    assert own_bug(RUBOCOP_OFFENSE) == ""
    category, _, _ = _first(tmp_path, RUBOCOP_OFFENSE)
    assert category == "lint-failure"
