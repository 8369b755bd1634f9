"""Compiler, configuration and analyzer diagnostics named by their shape, for tools no rule names.

line_category.py names a line by its words; some diagnostics say what they are only by where their parts sit,
or in words the looser entries of its table read as something else:

- a place on its own line and the message indented under it (GHC's `Utility/Exception.hs:27:18:` then `    Could
  not find module ...`; gfortran and older GHC print the same): the project's source does not compile, whatever
  the message's words (a missing module there is one the compiler cannot see, not a package an install lost),
  unless the place is in a package manager's cache (a fetched dependency's source); GHC's missing module pasted
  without its place is known by GHC's own hint lines under it (`It is a member of the hidden package`);
- a configuration language's error with its place under it (Terraform's and OpenTofu's `Error: Unsupported
  argument` then `on main.tf line 4, in module "x":`): the project's configuration does not validate. An error a
  provider's API returned names its resource first (`with aws_s3_bucket.logs,`): that is no configuration error;
- an exception that carries a script's compile errors (Gradle's Kotlin DSL `ScriptCompilationException`, Groovy's
  `MultipleCompilationErrorsException` under a build script or a Jenkinsfile): a build script does not compile;
- the entries of xcodebuild's `The following build commands failed:` list that compile (`CompileSwift`, `CompileC`,
  `SwiftCompile`, `Ld`): the project's sources do not build, even when no compiler line was pasted;
- go vet's findings (`arg x for printf verb %s of wrong type`, `composite literal uses unkeyed fields`), alone or
  as gometalinter and golangci-lint report them with the analyzer's name after them (`... (vet)`, `(errcheck)`):
  a static check, not a test's assertion or a compiler's error.

`shape_of` is asked before line_category's table: these shapes are surer than the loose words the table would
otherwise find in the same line. Pure; RE2 (gardener.regex), compiled on first use.
"""

from __future__ import annotations

from collections.abc import Sequence

from gardener import regex as re
from gardener.fetched_paths import FETCHED
from gardener.redact.text import cut_raw

# Google Cloud Build's step prefix (`Step #2 - "tf plan": `) and a box-drawn message's left edge (`│ `).
_STEP_PREFIX = re.lazy(r'^\s*(?:Step #\d+(?: - "[^"\n]*")?: )?(?:[│|]\s?)?')

# A source place alone on its line: `path.ext:line:col:` (the column is required: a Go test's `x_test.go:41:` log
# place has none).
_BARE_PLACE = re.lazy(
    r"^\s*(?P<path>[\w./\\@+-]+\.(?:hs|lhs|purs|idr|agda|f|f90|f95|f03|f08|for|c|cc|cpp|cxx|h|hpp|ml|mli|elm"
    r"|d|nim|zig|ada|adb|ads|pas)):\d+:\d+:\s*$")

_CONFIG_ERROR = re.lazy(r"^Error: [A-Z][\w ,'\"-]*$")
_CONFIG_PLACE = re.lazy(r"^on (?P<path>\S+\.(?:tf|tofu|hcl|tfvars)) line \d+")
_RESOURCE_FIRST = re.lazy(r"^with [\w.\[\]\"-]+,$")

# (Not the Kotlin Gradle plugin's `CompilationErrorException: Compilation error. See log for more details` nor Gradle's
# `CompilationFailedException: Compilation failed; see the compiler error output`: wrappers over the diagnostics above.)
_COMPILATION_EXCEPTION = re.lazy(
    r"\b(?:\w+\.)*(?:ScriptCompilation(?:Exception|Error)|MultipleCompilationErrorsException)\b")

# The list's heading, or the count closing it (`(2 failures)`).
_XCODE_FAILED_LIST = re.lazy(r"^\s*`?The following build commands failed:\s*$|^\s*\([1-9]\d* failures?\)\s*$")
_XCODE_COMPILE = re.lazy(
    r"^\s*(?P<step>CompileSwift(?:Sources)?|SwiftCompile|CompileC|CompileXIB|CompileStoryboard|SwiftEmitModule"
    r"|EmitSwiftModule|SwiftDriver(?:JobDiscovery|\\ Compilation)?|Ld|MergeSwiftModule) \S")

_VET_WORDS = re.lazy(
    r"\bfor printf verb %\w+ of wrong type\b|\bwrong type for (?:printf|Printf) verb\b"
    r"|\bpossible formatting directive in \w+ call\b|\bcomposite literal uses unkeyed fields\b"
    r"|\bpasses lock by value\b|\bcopies lock(?: value)?\b|\bcall has possible Printf formatting directive\b")
# golangci-lint's and gometalinter's analyzer name closing a finding (`(errcheck)`, `(vet)`); `typecheck` is the
# compiler's own errors, which stay a compile error.
_LINTER_SUFFIX = re.lazy(
    r"\.go:\d+:\d*:?\s*(?:\w+:\s*)?\S[^\n]*\((?:vet|govet|errcheck|staticcheck|gosimple|unused|ineffassign|deadcode"
    r"|golint|revive|gocritic|gosec|structcheck|varcheck|misspell|goimports|gofmt|gofumpt|lll|dupl|unconvert"
    r"|unparam|nakedret|prealloc|stylecheck|exhaustive|errorlint|wrapcheck|goconst|gocyclo|funlen|nolintlint"
    r"|whitespace|bodyclose|noctx|godot|gomnd|mnd|maligned|interfacer|megacheck|predeclared|errname|forcetypeassert"
    r"|thelper|tparallel|paralleltest|testpackage|wsl|nlreturn|goerr113|err113|gci|dogsled|asciicheck|copyloopvar"
    r"|exportloopref|usestdlibvars|perfsprint|intrange|protogetter|sloglint|contextcheck|containedctx)\)\s*$")


# Elixir's compiler (1.15 on): `error: undefined variable "deps"` (a parenthesis-less call read as a variable), with its
# place under it in the older format (`  mix.exs:9: Mod.project/0`) or in a box (`└─ lib/x.ex:10:16: Mod.f/0`); its
# closing `** (CompileError) lib/x.ex: cannot compile module X`.
_ELIXIR_ERROR = re.lazy(r"^error: undefined (?:variable|function) \S")
_ELIXIR_PLACE = re.lazy(r"^\s*(?:└─\s*)?(?P<path>\S+\.exs?):\d+(?::\d+)?:? ")
_COMPILE_ERROR_RAISED = re.lazy(r"^\*\* \(CompileError\) (?P<path>\S+\.exs?):")
# The dependency directories of the tools whose diagnostics are named here: mix's `deps/`, Gleam's `build/packages/`.
_TOOL_DEPS = re.lazy(r"(?:^|[/\\])(?:deps|build[/\\]packages)[/\\]")

# A build generator's configuration error in the project's own definition: Meson's (`meson.build:37:0: ERROR: Unknown
# variable "cc".`, before 0.40 `Meson encountered an error in file meson.build, line 87, column 5:` and the message
# under it); MSBuild's errors loading a project file (`App.csproj(1,1): error MSB4041: The default XML namespace ...`).
_MESON_ERROR = re.lazy(
    r"^(?P<path>(?:\S*[/\\])?meson\.build):\d+:\d+: ERROR: |^Meson encountered an error in file (?P<old>\S+), line \d+")
_NOT_FOUND = re.lazy(r"(?i)\bnot found\b|\bcould not find\b|\bno such (?:file|program)\b|\bnot installed\b")
_PROJECT_FILE_ERROR = re.lazy(
    r"(?P<path>[\w.:/\\@+ -]+\.(?:csproj|vbproj|fsproj|vcxproj|proj|sln|props|targets))\(\d+,\d+\): "
    r"(?:error|Error) MSB(?:4024|4025|4041|4057|4066|4067|4068):")
_PACKAGES = re.lazy(r"(?i)[/\\](?:packages|\.nuget)[/\\]")


# rustc's and codespan's diagnostic with its place under it (`error: Unknown variable` then `┌─ /x/y.gleam:71:3`).
_BARE_DIAGNOSTIC = re.lazy(r"^\s*(?:fatal )?error(?:\[\w+\])?: \S")
_BOXED_PLACE = re.lazy(r"^\s*(?:-->|┌─|╭─\[?)\s*(?P<path>\S+):\d+")


# xcpretty's compile error (its formatter drops clang's and swiftc's `error:` label): `❌  /x/App.c:5:70: expected
# identifier`.
_XCPRETTY_ERROR = re.lazy(r"^❌\s+(?P<path>\S+\.\w+):\d+:\d+: \S")
# The Dart analyzer's (`flutter analyze`, `dart analyze`) count of what it found, its exit code's reason when no
# finding is shown: `72 issues found. (ran in 17.8s)`.
_ANALYZER_COUNT = re.lazy(r"^[1-9]\d* issues? found\.(?: \(ran in [\d.]+s\))?$")
# A type checker's count of its errors, its exit code's reason when no diagnostic is shown: tsc's and vue-tsc's
# `Found 135 errors in 13 files.` / `Found 1 error in src/x.ts:3` (with `--watch`'s `[6:53:23 PM] ` before it), mypy's
# `Found 3 errors in 2 files (checked 176 source files)`. (ruff's bare `Found 1 error.` names no files: a linter's.)
_TYPECHECK_COUNT = re.lazy(r"^(?:\[[^\]\n]*\] )?Found [1-9]\d* errors? in (?:[1-9]\d* files?\b|\S+:\d+)")
# A Python linter's code saying the file does not parse (pycodestyle's and flake8's `E999 SyntaxError: ...`, which ruff
# keeps, pylint's `E0001`): a syntax error, not a style finding (lint.linter's veto is the same shape).
_UNPARSED = re.lazy(r"\.pyi?:\d+:\d+: (?:E999 (?:SyntaxError|IndentationError|TabError)|E0001)\b")
# tsc's table of the files it counted, under that count (`Errors  Files`, then `     2  src/x.vue:57` rows).
_TYPECHECK_TABLE = re.lazy(r"^Errors\s+Files$")
# GHC's missing module with its own words under it (`It is a member of the hidden package ‘directory-1.2.2.0’`,
# `Perhaps you need to add ‘directory’ to the build-depends in your .cabal file`, `Use -v to see a list of the files
# searched for`), pasted without its place: a module the compiler cannot see (an undeclared or misspelt one), not a
# package an install lost.
_GHC_MISSING_MODULE = re.lazy(r"^Could not find module [‘`'][\w.]+[’']$")
_GHC_MODULE_HINT = re.lazy(
    r"^(?:It is a member of the hidden package [‘`']|Perhaps you need to add [‘`'][\w-]+[’'] to the build-depends"
    r"|Use -v(?: \(or `:set -v` in ghci\))? to see a list of the files searched for)")


def _bare(text: str) -> str:
    return _STEP_PREFIX.sub("", text, count=1).strip()


def _place_above(before: Sequence[str]) -> str | None:
    """The bare source place on the nearest non-blank line above, if that is what it is."""
    for text in reversed(before):
        if text.strip():
            found = _BARE_PLACE.search(text)
            return found.group("path") if found else None
    return None


def _configuration_place(after: Sequence[str]) -> str | None:
    """The configuration file a diagnostic's place under it names, unless a resource is named first."""
    for text in after[:6]:
        bare = _bare(text)
        if _RESOURCE_FIRST.search(bare):
            return None
        if (found := _CONFIG_PLACE.search(bare)) is not None:
            return found.group("path")
    return None


def shape_of(line: str, before: Sequence[str] = (), after: Sequence[str] = ()) -> tuple[str, str] | None:
    """(category, the words that decided it) for a diagnostic these shapes name, else None (pure)."""
    text = line.strip()
    if not text:
        return None
    if (place := _place_above(before)) is not None:
        if FETCHED.search(place):
            return "dependency-install-failure", f"{cut_raw(text, 80)} (in a fetched dependency's source)"
        return "compile-error", f"{cut_raw(text, 80)} (the message under its source place `{place}`)"
    bare = _bare(line)
    if _CONFIG_ERROR.search(bare) and (path := _configuration_place(after)) is not None:
        return "compile-error", f"{cut_raw(bare, 80)} (the configuration error's place `{path}` under it)"
    if _BARE_DIAGNOSTIC.search(text) and (place := next(
            (f.group("path") for a in after[:2] if (f := _BOXED_PLACE.search(a))), None)) is not None and (
            FETCHED.search(place) or _TOOL_DEPS.search(place)):
        return "dependency-install-failure", f"{cut_raw(text, 80)} (in a fetched dependency's `{place}`)"
    if (named := _elixir(text, after) or _configuration(text, after)) is not None:
        return named
    if _GHC_MISSING_MODULE.search(text) and any(_GHC_MODULE_HINT.search(a.strip()) for a in after[:3]):
        return "compile-error", f"{cut_raw(text, 80)} (GHC's missing module: not one the build declares or can see)"
    if (xcpretty := _XCPRETTY_ERROR.search(text)) is not None:
        if FETCHED.search(xcpretty.group("path")):
            return "dependency-install-failure", f"{cut_raw(text, 80)} (in a fetched dependency's source)"
        return "compile-error", f"{cut_raw(text, 80)} (xcpretty's compile error)"
    if (unparsed := _UNPARSED.search(text)) is not None:
        return "syntax-error", f"{unparsed.group(0).split(': ', 1)[1]} (a linter's code for a file that does not parse)"
    if _ANALYZER_COUNT.search(text):
        return "lint-failure", f"{text} (the Dart analyzer's count of its findings)"
    if _TYPECHECK_COUNT.search(text) or (_TYPECHECK_TABLE.search(text) and any(
            _TYPECHECK_COUNT.search(b.strip()) for b in before[-3:])):
        return "compile-error", f"{cut_raw(text, 80)} (a type checker's count of its errors)"
    if (found := _COMPILATION_EXCEPTION.search(text)) is not None:
        return "compile-error", found.group(0)
    if any(_XCODE_FAILED_LIST.search(b) for b in (text, *before)) and (step := next(
            (f for t in (text, *before) if (f := _XCODE_COMPILE.search(t))), None)) is not None:
        # An entry of the list, or the wrapper under it (`(2 failures)`, the script's `failed with error code: 65`).
        return "compile-error", f"{step.group('step')} (a compile command xcodebuild lists as failed)"
    if (vet := _VET_WORDS.search(text)) is not None:
        return "lint-failure", f"{vet.group(0)} (go vet's check)"
    if _LINTER_SUFFIX.search(text) is not None:
        return "lint-failure", f"{text[text.rfind('('):].strip()} (the analyzer that reported it)"
    return None


def _elixir(text: str, after: Sequence[str]) -> tuple[str, str] | None:
    """Elixir's compile error: the project's, or in a dependency mix fetched (`deps/jsx/mix.exs`)."""
    raised = _COMPILE_ERROR_RAISED.search(text)
    if raised is None and not _ELIXIR_ERROR.search(text):
        return None
    place = raised.group("path") if raised else next(
        (f.group("path") for a in after[:6] if (f := _ELIXIR_PLACE.search(a))), "")
    if place and _TOOL_DEPS.search(place):
        return "dependency-install-failure", f"{cut_raw(text, 80)} (in the fetched dependency's `{place}`)"
    return "compile-error", f"{cut_raw(text, 80)} (the Elixir compiler's)"


def _configuration(text: str, after: Sequence[str]) -> tuple[str, str] | None:
    """A build generator's error in the project's own build definition, unless it says a thing is not found."""
    if (meson := _MESON_ERROR.search(text)) is not None:
        said = (text, *after[:1]) if meson.group("old") else (text,)
        if any(_NOT_FOUND.search(t) for t in said):
            return "dependency-install-failure", f"{cut_raw(text, 80)} (a dependency Meson looked for is not found)"
        return "compile-error", f"{cut_raw(text, 80)} (the project's meson.build does not configure)"
    if (project := _PROJECT_FILE_ERROR.search(text)) is not None and not _PACKAGES.search(project.group("path")):
        return "compile-error", f"{cut_raw(text, 80)} (MSBuild cannot load the project file)"
    return None


def is_findings_count(text: str) -> bool:
    """True for an analyzer's or a type checker's count of its findings (`72 issues found.`, `Found 3 errors in 2
    files`): it names the check that failed, but the findings it counts, when shown, are the better evidence."""
    return _ANALYZER_COUNT.search(text.strip()) is not None or _TYPECHECK_COUNT.search(text.strip()) is not None
