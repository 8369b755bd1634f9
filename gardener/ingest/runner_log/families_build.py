"""Anchor rules for build, analysis and cloud-tool lines the other family tables miss (issue 12, rules-families).

Each line is the tool's own report of what failed: gfortran's diagnostic (`Error: 'x' at (1) is not a member
of ...`, under its `file.F90:12:5:` location and a caret line), a C/C++ compiler driver refusing its input
(`clang++: error: no such file or directory: 'libunwind-x86.a'`), the Android Gradle plugin's native-build
errors (`> [CXX1409] ... expected buildFiles file ...` under Gradle's `What went wrong:`; not its notices),
`dart analyze`'s report lines (`info - lib/a.dart:3:5 - message - lint_name`, also as melos prefixes them), the
AWS CLI's service errors (`An error occurred (NoCredentials): Unable to locate credentials`). They are
SPECIFIC: they say what is wrong. The driver's `linker command failed` and melos' `ScriptException: The script x
failed to execute.` only say that something above failed: WRAPPERs. Patterns stay within RE2's syntax.
"""

from __future__ import annotations

from gardener.ingest.runner_log.anchor_rule import SPECIFIC, WRAPPER, Rule, rule

FIRST: tuple[Rule, ...] = (
    # The driver's closing line of a failed link (ld's own lines above it say why).
    rule(
        "compile-error",
        r"^\S*(?:clang|gcc|g\+\+|c\+\+)[\w.+-]*(?:\.exe)?: error: (?:linker|ld) command failed",
        WRAPPER,
        joins=True,
    ),
    rule(
        "compile-error",
        r"^Error: .+ at \(\d\)|^\S*(?:clang|gcc|g\+\+|c\+\+)[\w.+-]*(?:\.exe)?: (?:fatal )?error: \S"
        # (Gradle's `> ` is peeled first.) The plugin also prints notices with codes (`[CXX5304] This version only
        # understands SDK XML versions up to 3`): only a message saying what is wrong or missing anchors.
        r"|^\[CXX\d{4}\] .*(?:\berror\b|\bexpected\b|\bnot found\b|\bdoes not exist\b|\bfailed\b|\bmissing\b"
        r"|\binvalid\b|\bunable to\b|\bcannot\b|\bcould not\b)",
        SPECIFIC,
        joins=True,
    ),
    # dart analyze's lints (`  info - lib/a.dart:3:5 - msg - lint`; melos adds `[pkg]: `) and its older bullet
    # form; its errors are compile errors (families_lint.py reads them without melos' prefix).
    rule(
        "lint",
        r"^(?:\[[\w.-]+\]:)?\s*(?:info|warning) - \S+\.dart:\d+:\d+ - "
        r"|^\s*(?:info|warning) • .+ • \S+\.dart:\d+:\d+ • ",
        SPECIFIC,
        joins=True,
    ),
    rule(
        "compile-error",
        r"^\[[\w.-]+\]:\s*error - \S+\.dart:\d+:\d+ - |^\s*error • .+ • \S+\.dart:\d+:\d+ • ",
        SPECIFIC,
        joins=True,
    ),
    rule("exit-code", r"^ScriptException: The script \S+ failed to execute", WRAPPER),
    # A build tool on PATH that is not the one the build expects (`/anaconda3/bin/x86_64-apple-darwin13.4.0-ar: illegal
    # option -- n`, GNU ar's `invalid option -- 'x'`): the toolchain, not the code.
    rule(
        "toolchain",
        r"^(?P<subject>\S*(?:\bar|ranlib|libtool))(?:\.exe)?: (?:illegal|invalid|unrecognized) option",
        SPECIFIC,
        joins=True,
    ),
    # A Quarkus build step that threw (`[error]: Build step x.QuteProcessor#analyzeTemplates threw an exception: ...`):
    # under Maven's `Failed to execute goal` wrapper, it says what failed.
    rule("build-step", r"\[error\]: Build step \S+ threw an exception: ", SPECIFIC, joins=True),
    # A download the build makes answering an error (CMake FetchContent's curl under MSBuild: `CUSTOMBUILD : The
    # requested URL returned error : 504`); git's 401/403 form is anchors.py's auth. A 404 only in a fetch step (a
    # script probing a URL goes on when it is not there).
    rule(
        "download",
        r"The requested URL returned error ?: ?(?:5\d\d\b|404\b.*(?:-populate|_deps|[Ss]ubbuild))",
        SPECIFIC,
        joins=True,
    ),
    # MSBuild rejecting the project's build definition (`Microsoft.Common.CurrentVersion.targets(1891,5): error :
    # Project '..\x.csproj' targets 'net10.0' ...`, `error MSB3202: The project file ... was not found`). Not its
    # wrappers of a failed task or test run (MSB3073, MSB4181, `error : One or more tests failed`).
    rule(
        "compile-error",
        r"\): error : Project '[^']+' targets '[^']+'\. It cannot be referenced"
        r"|\berror MSB(?:3202|4019|4024|4025|4057|4066|4126): ",
        SPECIFIC,
        joins=True,
    ),
    # makepkg (`==> ERROR: x.tar.gz was not found in the build directory and is not a URL.`, `==> ERROR: A failure
    # occurred in build().`).
    rule("makepkg", r"^==> ERROR: \S", SPECIFIC, joins=True),
    # rustfmt --check's hunk header (`Diff in /w/src/lib.rs:1673:`, older `Diff in /w/src/lib.rs at line 12:`).
    rule("lint", r"^Diff in (?P<subject>\S+\.rs)(?::\d+:| at line \d+:)$", SPECIFIC, joins=True),
    # The AWS CLI / SDKs (`aws: [ERROR]: An error occurred (ExpiredToken) when calling the X operation: ...`).
    rule(
        "cloud-api",
        r"\bAn error occurred \((?P<subject>\w+)\)(?: when calling the \w+ operation)?: "
        r"|\bUnable to locate credentials\b",
        SPECIFIC,
        joins=True,
    ),
)

# Words (lower case) one of which every line above contains.
HINT_WORDS = (
    " at (", "error: ", "[cxx", "diff in ", " option", ".dart:", "scriptexception", "an error occurred (",
    "unable to locate credentials", "build step", "cannot be referenced", "error msb", "==> error",
)  # fmt: skip
