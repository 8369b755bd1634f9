"""Rules longlogs-11 added for long CI logs (issue 12), each pinned by real text from two or more projects and a
near-miss that must not match; sources cited per case.

deps.framework-targeting-pack-missing: MSBuild's MSB3644 as an error (the build machine lacks the .NET Framework
targeting pack) is a missing build prerequisite; the same code as a warning (the 4.0 toolset falls back to the GAC and
goes on) is not a failure at all. compile.msbuild-project (widened): the VSBuild task finding no solution to build.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.config import Config
from tests.corpus_scoring import classified

# Azure Pipelines hosted windows-2022 agent, VSBuild of ClicInsight (ashishbhatt-afk/TF-Azure--RG 185fe0f,
# `1_Job (1).txt`; corpus22 c22-azure-msb3644-006): the annotation, then MSBuild's own line.
_AZURE_CLICINSIGHT = [
    "2022-04-13T16:46:03.2315539Z   Building solution configuration \"Release|Any CPU\".",
    "2022-04-13T16:46:03.3868473Z ##[error]C:\\Program Files\\Microsoft Visual Studio\\2022\\Enterprise\\MSBuild\\"
    "Current\\Bin\\Microsoft.Common.CurrentVersion.targets(1220,5): Error MSB3644: The reference assemblies for "
    ".NETFramework,Version=v4.6.1 were not found. To resolve this, install the Developer Pack (SDK/Targeting Pack) for "
    "this framework version or retarget your application. You can download .NET Framework Developer Packs at "
    "https://aka.ms/msbuild/developerpacks",
]
# dotnet build on Linux, pasted in t3hbb/NSGenCS's README (b9971f1).
_DOTNET_NSGENCS = [
    "  Determining projects to restore...",
    "  Restored /home/user/NSGenCS/Thread_Hijack/Payload.csproj (in 92 ms).",
    "/usr/share/dotnet/sdk/3.1.420/Microsoft.Common.CurrentVersion.targets(1177,5): error MSB3644: The reference "
    "assemblies for .NETFramework,Version=v4.5 were not found. To resolve this, install the Developer Pack "
    "(SDK/Targeting Pack) for this framework version or retarget your application. You can download .NET Framework "
    "Developer Packs at https://aka.ms/msbuild/developerpacks [/home/user/NSGenCS/Thread_Hijack/Payload.csproj]",
]
# An older SDK's quoted form, pasted in hzexe/Hzexe.QQMusic's README.
_DOTNET_QQMUSIC = [
    "/home/android/dotnet/sdk/2.2.101/Microsoft.Common.CurrentVersion.targets(1179,5): error MSB3644: The reference "
    "assemblies for framework \".NETFramework,Version=v4.5\" were not found. To resolve this, install the SDK or "
    "Targeting Pack for this framework version or retarget your application to a version of the framework for which "
    "you have the SDK or Targeting Pack installed.",
]
# Near-miss: the MSBuild 4.0 toolset's warning (a console pasted in a C# tool's comment, find_string id 1167471046):
# the build goes on from the GAC.
_WARNING_ONLY = [
    "C:\\windows\\Microsoft.NET\\Framework\\v4.0.30319\\Microsoft.Common.targets(983,5): warning MSB3644: The "
    "reference assemblies for framework \".NETFramework,Version=v4.0\" were not found. To resolve this, install the "
    "SDK or Targeting Pack for this framework version or retarget your application to a version of the framework "
    "for which you have the SDK or Targeting Pack installed.",
]


def _first(tmp_path: Path, lines: list[str]) -> tuple[str, str, str, int | None] | None:
    path = tmp_path / "job.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = classified(path, Config())
    if not found:
        return None
    first = found[0]
    return first.rule_id, first.category, first.priority, first.results[0].source_line


@pytest.mark.parametrize(("lines", "line"), [(_AZURE_CLICINSIGHT, 2), (_DOTNET_NSGENCS, 3), (_DOTNET_QQMUSIC, 1)])
def test_msb3644_error_is_a_missing_targeting_pack(tmp_path: Path, lines: list[str], line: int) -> None:
    want = ("deps.framework-targeting-pack-missing", "dependency-install-failure", "P0", line)
    assert _first(tmp_path, lines) == want


def test_msb3644_warning_is_not_the_rule(tmp_path: Path) -> None:
    found = _first(tmp_path, _WARNING_ONLY)
    assert found is None or found[0] != "deps.framework-targeting-pack-missing"


# compile.msbuild-project, widened in key-v9: Azure Pipelines' Visual Studio Build task finding no solution in the
# checked-out sources is a missing build input (the seventeenth/twenty-second sets' convention), compile-error P1.
# mikolajroszak/orangefinansepl f2691c4, `1_Job.txt` (a VSTS hosted agent, 2018; corpus22 c22-azure-msbuild-004).
_VSBUILD_ORANGEFINANSE = [
    "2018-07-01T11:29:37.6142889Z Task         : Visual Studio Build",
    "2018-07-01T11:29:37.6143199Z Description  : Build with MSBuild and set the Visual Studio version property",
    "2018-07-01T11:29:37.6143412Z Version      : 1.126.0",
    "2018-07-01T11:29:42.2986392Z ##[error]Solution not found using search pattern 'D:\\a\\1\\s\\**\\*.sln'.",
    "2018-07-01T11:29:42.3108532Z ##[section]Finishing: Build solution **\\*.sln",
]
# A blog post's raw log of an Azure Functions CI pipeline, 2020 (find_string id 56705871197, the networknerd series'
# part 5); the post runs the log's lines together, split here at its timestamps.
_VSBUILD_NETWORKNERD = [
    "2020-07-03T21:58:45.8180561Z ##[section]Starting: Build solution",
    "2020-07-03T21:58:45.8302350Z Task : Visual Studio build",
    "2020-07-03T21:58:45.8302985Z Version : 1.166.2",
    "2020-07-03T21:58:48.0082862Z ##[error]Solution not found using search pattern 'D:\\a\\1\\s\\**\\*.sln'.",
    "2020-07-03T21:58:48.0421403Z ##[section]Finishing: Build solution",
]


@pytest.mark.parametrize("lines", [_VSBUILD_ORANGEFINANSE, _VSBUILD_NETWORKNERD])
def test_vsbuild_without_a_solution_is_a_missing_build_input(tmp_path: Path, lines: list[str]) -> None:
    assert _first(tmp_path, lines) == ("compile.msbuild-project", "compile-error", "P1", 4)


def test_vsbuild_error_quoted_in_prose_is_not_the_rule(tmp_path: Path) -> None:
    # Near-miss: a write-up quoting the error inside a sentence with typographic quotes (a translated Medium post,
    # find_string id 15510147335) is no task's error line.
    line = "酷毙了。现在这个`Solution not found using search pattern ‘d:\\a\\1\\s\\**\\*.sln’`错误已经过去了！"
    found = _first(tmp_path, [line])
    assert found is None or found[0] != "compile.msbuild-project"


# deps.node-configure-no-compiler: Node.js's configure finding no working compiler, keyed with autoconf's.
# Node.js CI's osx1010 agent, kept by nodejs/node-core-utils as a fixture (88b99f3,
# test/fixtures/jenkins/no-compiler-error/...19307.txt; corpus21 c21-jenkins-no-cc-001).
_NODE_CI_OSX = [
    "+ make run-ci -j 2",
    "python ./configure ",
    "WARNING: failed to autodetect C compiler version (CC=/bin/xlc)",
    "ERROR: No acceptable C compiler found!",
    "",
    "       Please make sure you have a C compiler installed on your system and/or",
    "       consider adjusting the CC environment variable if you installed",
    "       it in a non-standard prefix.",
    "make: *** [build-ci] Error 1",
]
# Node.js CI's FreeBSD agent as nodejs/build#194 quotes it (the later wording).
_NODE_CI_FREEBSD = [
    "python ./configure ",
    "WARNING: failed to autodetect C++ compiler version (CXX=g++)",
    "WARNING: failed to autodetect C compiler version (CC=gcc)",
    "Node.js configure error: No acceptable C compiler found!",
    "",
    "        Please make sure you have a C compiler installed on your system and/or",
]


@pytest.mark.parametrize(("lines", "line"), [(_NODE_CI_OSX, 4), (_NODE_CI_FREEBSD, 4)])
def test_node_configure_without_a_compiler_is_a_missing_prerequisite(tmp_path: Path, lines: list[str],
                                                                     line: int) -> None:
    assert _first(tmp_path, lines) == ("deps.node-configure-no-compiler", "dependency-install-failure", "P0", line)


def test_node_configure_keys_with_autoconfs_missing_compiler(tmp_path: Path) -> None:
    # autoconf's wording (RTimothyEdwards/magic#214) is the older rule's; both key the missing C compiler alike.
    autoconf = ["checking for gcc... no", "checking for cc... no",
                "configure: error: no acceptable C compiler found in $PATH"]
    keys = []
    for lines in (_NODE_CI_OSX, autoconf):
        path = tmp_path / "job.log"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        keys.append(classified(path, Config())[0].signature)
    assert keys[0] == keys[1]


def test_a_compiler_version_warning_alone_is_not_the_rule(tmp_path: Path) -> None:
    # Near-miss: configure only warning that it could not read the compiler's version (the same fixture's line) goes on.
    found = _first(tmp_path, ["python ./configure ", "WARNING: failed to autodetect C compiler version (CC=/bin/xlc)"])
    assert found is None or found[0] != "deps.node-configure-no-compiler"
