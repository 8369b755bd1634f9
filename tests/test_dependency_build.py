"""A code-level failure inside a package manager's build of a dependency is the dependency's install failure
(gardener/dependency_build.py, read by generic_rule.named_of / named_verdict), and its key before key-v7.

Each excerpt is written in the shape of real output from public threads (cited beside it, none cited by a labelled
set); names and paths are changed, the shape is the tool's own. The boundary cases are where the same words must not
make a failure a dependency's: the project's own package built by its package manager, a fetched library's code
failing at run time, a build that succeeded before the project's own error.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.classify import analyse
from gardener.config import Config
from gardener.dependency_build import building_words, dependency_words
from gardener.key_changes import KeyInput, older_keys
from tests.factories import result
from tests.rules.excerpt_first import first_finding_of


def _first(tmp_path: Path, text: str) -> tuple[str, str, str]:
    first = first_finding_of(text, Config(), tmp_path)
    return first.category, first.priority, first.root_cause


# (excerpt, why) in the shape of a cited thread: each is a dependency's build failing (dependency-install-failure P0).
DEPENDENCY_BUILDS: list[tuple[str, str]] = [
    # spack's build of a spec: the compiler's error in its stage, then `==> Error: ProcessError` (spack/spack#2439,
    # spack/spack#49902).
    ("==> Installing libfoo-1.4.2-k3xq7yq3gm4mfwyrvxu2kzqjfcyd2a6q [12/31]\n"
     "==> libfoo: Executing phase: 'build'\n"
     "     41    /tmp/ci/spack-stage/spack-stage-libfoo-1.4.2-k3xq7yq3gm4mfwyrvxu2kzqjfcyd2a6q/spack-src/src/io.c"
     ":88:5: "
     "error: implicit declaration of function 'fdatasync'\n"
     "==> Error: ProcessError: Command exited with status 2:\n"
     "    'make' '-j8'\n"
     "See build log for details:\n"
     "  /tmp/ci/spack-stage/spack-stage-libfoo-1.4.2-k3xq7yq3gm4mfwyrvxu2kzqjfcyd2a6q/spack-build-out.txt\n",
     "spack"),
    # vcpkg's build of a port: MSVC's error in its buildtrees, then BUILD_FAILED (microsoft/vcpkg#26776,
    # polatory/polatory#76).
    ("-- Building x64-windows-rel\n"
     "C:\\src\\vcpkg\\buildtrees\\libbar\\src\\v2.1.0-3f1c2a\\include\\bar\\core.h(212): error C2039: "
     "'invoke_result_t':"
     " is not a member of 'std'\n"
     "error: building libbar:x64-windows failed with: BUILD_FAILED\n"
     "Elapsed time to handle libbar:x64-windows: 41 s\n"
     "Please ensure you're using the latest port files with `git pull` and `vcpkg update`.\n",
     "vcpkg"),
    # R installing a package from source: gcc's error, then R's own words (rspatial/terra#1488, igraph/rigraph#217).
    ("* installing *source* package 'geobaz' ...\n"
     "** libs\n"
     "g++ -std=gnu++17 -I\"/usr/share/R/include\" -DNDEBUG -fpic -O2 -c raster.cpp -o raster.o\n"
     "raster.cpp:17:10: fatal error: gdal_priv.h: No such file or directory\n"
     "compilation terminated.\n"
     "make: *** [/usr/lib/R/etc/Makeconf:200: raster.o] Error 1\n"
     "ERROR: compilation failed for package 'geobaz'\n"
     "* removing '/usr/local/lib/R/site-library/geobaz'\n"
     "Warning message:\n"
     "In install.packages(\"geobaz\") :\n"
     "  installation of package ‘geobaz’ had non-zero exit status\n",
     "R"),
    # Gleam compiling a Hex dependency under build/packages/ (Comamoca/garnet#6).
    ("  Compiling argv\n  Compiling gleam_stdlib\n  Compiling bundlekit\n"
     "error: Unknown module\n"
     "  ┌─ /home/ci/app/build/packages/bundlekit/src/bundlekit/internal.gleam:1:1\n"
     "  │\n"
     "1 │ import gleam/regex\n"
     "  │ ^^^^^^^^^^^^^^^^^^\n\n"
     "No module has been found with the name `gleam/regex`.\n",
     "gleam"),
    # MacPorts building a port the install needs (mxe/mxe#3181, macports/macports-ports#1953).
    ("--->  Building libqux\n"
     ":info:build src/qux.c:51:3: error: use of undeclared identifier 'MAP_ANONYMOUS'\n"
     ":info:build make: *** [qux.o] Error 1\n"
     "Error: Failed to build libqux: command execution failed\n"
     "Error: See /opt/local/var/macports/logs/_opt_local_ports_devel_libqux/libqux/main.log for details.\n",
     "macports"),
    # Homebrew building a dependency formula from source (tgtakaoka/homebrew-mspgcc#3, Homebrew/homebrew-core#192565).
    ("==> Installing acme dependency: libbaz\n"
     "==> make install\n"
     "Last 15 lines from /Users/ci/Library/Logs/Homebrew/libbaz/02.make:\n"
     "src/baz.c:120:5: error: call to undeclared function 'fdatasync'\n"
     "make[1]: *** [baz.o] Error 1\n"
     "make: *** [all] Error 2\n",
     "homebrew"),
    # mix building an Erlang dependency with rebar3: the rebar3 crash is the dependency's build (mix's own words in
    # `mix deps.compile`, as in gleam-lang/mix_gleam#31 with another build tool).
    ("===> Compiling lagerx\n"
     "===> Uncaught error in rebar_core. Run with DEBUG=1 to see stacktrace or consult rebar3.crashdump\n"
     "===> When submitting a bug report, please include the output of `rebar3 report \"your command\"`\n"
     "** (Mix) Could not compile dependency :lagerx, \"/home/ci/.mix/rebar3 bare compile --paths "
     "\"/home/ci/app/_build/dev/lib/*/ebin\"\" command failed. You can recompile this dependency with "
     "\"mix deps.compile lagerx\"\n",
     "mix"),
]


@pytest.mark.parametrize(("text", "tool"), DEPENDENCY_BUILDS, ids=[t for _, t in DEPENDENCY_BUILDS])
def test_a_failure_inside_a_dependency_build_is_the_dependency_install(tmp_path: Path, text: str, tool: str) -> None:
    category, priority, _ = _first(tmp_path, text)
    assert (category, priority) == ("dependency-install-failure", "P0"), tool


# The same words where the failure is not a dependency's.
NOT_DEPENDENCY_BUILDS: list[tuple[str, str, str]] = [
    # cabal building the project itself (its own module does not type-check): the project's compile error.
    ("   Building acmewiki-0.7.3...\n"
     "   [ 4 of 19] Compiling Acme.Types ( Acme/Types.hs, dist/build/Acme/Types.o )\n\n"
     "   Acme/Types.hs:315:66:\n"
     "       Couldn't match expected type `Either FilePath L.ByteString'\n"
     "              against inferred type `L.ByteString'\n"
     "   cabal: Error: some packages failed to install:\n"
     "   acmewiki-0.7.3 failed during the building phase. The exception was:\n"
     "   ExitFailure 1\n",
     "compile-error", "cabal-own-package"),
    # A tool running a fetched crate's code panics at run time: a runtime exception, not a build.
    ("     Running `target/debug/report`\n"
     "thread 'main' panicked at /home/ci/.cargo/registry/src/index.crates.io-6f17d22bba15001f/junitfmt-0.2.1/src/"
     "main.rs"
     ":91:21:\n"
     "called `Option::unwrap()` on a `None` value\n"
     "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n",
     "runtime-exception", "cargo-runtime-panic"),
    # pip built a dependency's wheel (progress, then done) before the project's own syntax error.
    ("  Building wheel for sgmlx (pyproject.toml): started\n"
     "  Building wheel for sgmlx (pyproject.toml): finished with status 'done'\n"
     "Successfully built sgmlx\n"
     "Successfully installed sgmlx-1.0.0\n"
     "$ python app/main.py\n"
     "  File \"/home/ci/app/main.py\", line 12\n"
     "    print \"hello\"\n"
     "    ^^^^^^^^^^^^^\n"
     "SyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)?\n",
     "syntax-error", "pip-progress-then-own-syntax"),
]


@pytest.mark.parametrize(("text", "category", "case"), NOT_DEPENDENCY_BUILDS,
                         ids=[c for *_, c in NOT_DEPENDENCY_BUILDS])
def test_the_same_words_outside_a_dependency_build_name_the_code(tmp_path: Path, text: str, category: str,
                                                                 case: str) -> None:
    assert _first(tmp_path, text)[0] == category, case


def test_a_local_crates_build_script_is_the_projects() -> None:
    # cargo says a workspace crate's path in the backticks; a registry crate has none.
    assert building_words(["error: failed to run custom build command for `acme-sys v0.1.0 (/src/acme-sys)`"]) is None
    assert building_words(["error: failed to run custom build command for `openssl-sys v0.9.77`"]) is not None


def test_a_panic_in_a_versioned_crates_build_script_is_the_dependencys() -> None:
    line = ("[libz-sys 1.1.8] thread 'main' panicked at 'no zlib', /home/ci/.cargo/registry/src/x/libz-sys-1.1.8/"
            "build.rs:63:9")
    assert dependency_words("runtime-exception", line, [], []) == "in a fetched dependency's source"
    assert dependency_words("assertion-failure", line, [], []) is None  # only the code's own failures move


def test_a_rule_overruled_by_the_dependency_build_answers_to_its_key_before() -> None:
    # runtime.jvm-js-exception named rebar3's crash a runtime exception (key-v6); the mix wrapper under it makes it
    # the dependency's build (key-v7, a generic verdict): the key before is the runtime rule's.
    text = next(t for t, tool in DEPENDENCY_BUILDS if tool == "mix")
    line = text.split("\n")[1]
    analysis = analyse([result("job.log::build", message=line, details=text, kind="log")], Config())
    (f,) = analysis.findings
    assert (f.rule_id, f.category) == ("generic.dependency-install-failure", "dependency-install-failure")
    assert "Could not compile dependency :lagerx" in f.root_cause
    back = dict(older_keys(KeyInput(analysis.clusters[f.id].lead)))
    assert "key-v6" in back and back["key-v6"] != analysis.clusters[f.id].lead.key


def test_a_generic_verdict_the_build_context_moves_keeps_its_key() -> None:
    # No rule named gleam's diagnostic before either: the generic layer's key (its explaining line) is unchanged.
    text = next(t for t, tool in DEPENDENCY_BUILDS if tool == "gleam")
    line = "error: Unknown module"
    analysis = analyse([result("job.log::build", message=line, details=text, kind="log")], Config())
    (f,) = analysis.findings
    assert f.category == "dependency-install-failure"
    assert "key-v6" not in dict(older_keys(KeyInput(analysis.clusters[f.id].lead)))


# A bare error header names what the lines under it say: stack's coded header over its build-plan failure (the
# shape of stack's own error codes, `Error: [S-4804]`), R CMD check's `... ERROR` over its missing packages
# (YosefLab/scone#25, r-hub/rhub#438).
HEADERS = [
    ("Error: [S-4804]\n"
     "       Stack failed to construct a build plan.\n\n"
     "       While constructing the build plan, Stack encountered the following errors:\n"
     "       In the dependencies for acme-0.1.0.0:\n"
     "           pandocx-3.1 from Stack configuration does not match ^>=3.2 (latest matching version is 3.2.1)\n",
     "dependency-install-failure"),
    ("* checking package namespace information ... OK\n"
     "* checking package dependencies ... ERROR\n"
     "Packages required but not available:\n"
     "  'EDASeqx' 'RUVSeqx' 'diptestx'\n\n"
     "See section 'The DESCRIPTION file' in the 'Writing R Extensions' manual.\n",
     "dependency-install-failure"),
]


@pytest.mark.parametrize(("text", "category"), HEADERS, ids=["stack", "r-cmd-check"])
def test_a_bare_error_header_is_named_by_the_lines_under_it(tmp_path: Path, text: str, category: str) -> None:
    assert _first(tmp_path, text)[0] == category


def test_the_header_itself_as_the_evidence_line_takes_the_words_under_it() -> None:
    text = HEADERS[0][0]
    analysis = analyse([result("job.log::build", message="Error: [S-4804]", details=text, kind="log")], Config())
    (f,) = analysis.findings
    assert f.category == "dependency-install-failure"
    assert "under the error's header" in f.root_cause
