"""Round 10 (fuzz-10): hostile inputs against the code no fuzzer had seen (the diagnostic shapes, the words of a
dependency's build, the XCTest and BuildKit readers, encoded secrets), one reproducer per defect, through the real
CLI where a user meets it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

# A GitLab token: its shape needs twenty characters after `glpat-`, so a head of it cut shorter is no token to
# redaction. BODY is twelve characters of what only the whole token may show.
TOKEN = "glpat-Zq9Xw7V3fuzzTOKENbody01"
BODY = TOKEN[6:18]


def _gardener(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "GARDENER_NO_HISTORY"}
    return subprocess.run([sys.executable, "-m", "gardener", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, check=False, env=env)


# A finding's root cause quotes the line's words that named it, cut to a width first (80 characters for a diagnostic's
# shape, 100 for a package manager's build words, 120 for the quote): the cut fell inside a token, and the head left
# had no token's shape any more, so redaction passed it to explain, the worklog and the summary. Now every such cut
# is redact.text.cut_raw, which never ends inside a word.
CUT_LOGS = {
    "ghc-shape": "Utility/Exception.hs:27:18:\n    Could not find module " + "m" * 33 + f" {TOKEN} here\n"
                 "cabal: Failed to build\n",
    "nix-build-words": f"error: builder for '/nix/store/{'a' * 41}-{TOKEN}.drv' failed with exit code 1;\n"
                       "       > src/lib.rs:4:5: error[E0425]: cannot find value `x` in this scope\n",
}


@pytest.mark.parametrize("name", sorted(CUT_LOGS))
def test_a_token_cut_by_a_quoted_words_width_shows_none_of_its_body(tmp_path: Path, name: str) -> None:
    (tmp_path / "build.log").write_text(CUT_LOGS[name], encoding="utf-8")
    explain = _gardener("explain", "build.log", cwd=tmp_path)
    run = _gardener("run", "--no-history", "--out", "o", "build.log", cwd=tmp_path)
    assert explain.returncode == 0 and run.returncode == 0, explain.stderr + run.stderr
    assert "own words" in explain.stdout  # the quote is there: the check is not vacuous
    documents = [p.read_text(encoding="utf-8") for p in (tmp_path / "o").glob("*.md")]
    for shown in (explain.stdout, run.stdout, *documents):
        assert BODY not in shown


# Round 9 joined a token split by a zero-width space, joiner or BOM, but Unicode has more characters a browser and a
# terminal never draw (its Default_Ignorable_Code_Point property): a soft hyphen, an invisible separator, a
# variation selector, a tag character. One inside a token showed the whole token in the worklog, no shape matched.
INVISIBLE = ("\u00ad", "\u2063", "\u034f", "\ufe0f", "\U000e0041")
GITHUB_TOKEN = "ghp_Zq9Xw7V3fuzzTOKENbody0000000000001"


def test_a_token_split_by_any_invisible_character_is_redacted(tmp_path: Path) -> None:
    split = " ".join(f"{GITHUB_TOKEN[:10]}{ch}{GITHUB_TOKEN[10:]}" for ch in INVISIBLE)
    (tmp_path / "build.log").write_text(f"Error: auth failed for {split}\nProcess completed with exit code 1.\n",
                                        encoding="utf-8")
    run = _gardener("run", "--no-history", "--out", "o", "build.log", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    worklog = next((tmp_path / "o").glob("*WORKLOG*.md")).read_text(encoding="utf-8")
    assert "auth failed for" in worklog
    assert worklog.count("[REDACTED:github-token]") >= len(INVISIBLE)


# The same cut one stage earlier: a reader keeps a long line, message or block to a size (a log excerpt's line to
# 1,000 characters, a JUnit failure's text to its head and tail) by slicing the raw text, so a token across the cut
# left a head (or a tail) redaction does not know in `ingest --json` and the worklog. They cut with cut_raw and
# tail_raw now, as explain's matched line, a Go test's message and cargo's joined lines do.
def _long_log(tmp_path: Path) -> str:
    line = ("Error: connection refused while fetching " + "w " * 480)[:981] + TOKEN + " tail"
    (tmp_path / "build.log").write_text(f"step one\n{line}\nProcess completed with exit code 1.\n", encoding="utf-8")
    return "build.log"


def _long_junit(tmp_path: Path) -> str:
    message = ("AssertionError: " + "w " * 600)[:1012] + TOKEN + " " + "z " * 300 + "w " * 503
    message = message[:len(message) - 1036] + TOKEN + message[len(message) - 1036 + len(TOKEN):]
    (tmp_path / "r.xml").write_text(f'<testsuite><testcase classname="c" name="t"><failure message="{message}">'
                                    f"{message}</failure></testcase></testsuite>", encoding="utf-8")
    return "r.xml"


@pytest.mark.parametrize("make", [_long_log, _long_junit], ids=["log-excerpt-line", "junit-head-and-tail"])
def test_a_token_across_a_readers_size_cut_shows_none_of_its_body(tmp_path: Path, make: Callable[[Path], str]) -> None:
    name = make(tmp_path)
    ingest = _gardener("ingest", "--json", name, cwd=tmp_path)
    run = _gardener("run", "--no-history", "--out", "o", name, cwd=tmp_path)
    assert ingest.returncode == 0 and run.returncode == 0, ingest.stderr + run.stderr
    assert "www" not in ingest.stdout and "w w w" in ingest.stdout  # the long text is there: the check is not vacuous
    documents = [p.read_text(encoding="utf-8") for p in (tmp_path / "o").glob("*.md")]
    for shown in (ingest.stdout, run.stdout, *documents):
        assert not any(TOKEN[i:i + 8] in shown for i in range(6, len(TOKEN) - 7))


# The Actions runner reads a line as a workflow command when it starts with `::` after .NET's TrimStart(), which
# takes every Unicode white space (`ActionCommand.TryParseV2`: "the message needs to start with the keyword after
# trim leading space"). Neutralising looked only past ASCII blanks, so a failure's line led by a no-break or an
# ideographic space kept a live `::add-mask::` or `::error` in the worklog; it now looks past every one.
UNICODE_BLANKS = ("\u00a0", "\u3000", "\u2003", "\u205f", "\u1680")


def test_a_workflow_command_after_any_unicode_space_is_neutralised(tmp_path: Path) -> None:
    text = "\n".join(f"{blank}::add-mask::value{i}" for i, blank in enumerate(UNICODE_BLANKS))
    (tmp_path / "r.xml").write_text(f'<testsuite><testcase classname="c" name="t"><failure message="{UNICODE_BLANKS[1]}'
                                    f'::error title=x::boom">{text}</failure></testcase></testsuite>', encoding="utf-8")
    run = _gardener("run", "--no-history", "--out", "o", "r.xml", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    documents = [p.read_text(encoding="utf-8") for p in (tmp_path / "o").glob("*.md")]
    assert any("add-mask::value4" in d for d in documents)  # the lines are shown: the check is not vacuous
    for shown in (run.stdout, *documents):
        assert [line for line in shown.splitlines() if line.lstrip().startswith("::")] == []


# TeamCity reads a service message (`##teamcity[setParameter name='x' value='y']`, `##teamcity[buildStatus ...]`,
# JetBrains' documented format) from a build's standard output as Azure reads `##vso[`: a failure's text quoting one
# reached the terminal and the worklog live, where gardener running as a TeamCity step would set its parameters.
# It is broken like `##vso[` now.
def test_a_teamcity_service_message_in_a_failure_is_neutralised(tmp_path: Path) -> None:
    line = "##teamcity[buildStatus status='SUCCESS' text='fine']"
    (tmp_path / "r.xml").write_text(f'<testsuite><testcase classname="c" name="t"><failure message="{line}">x {line}'
                                    "</failure></testcase></testsuite>", encoding="utf-8")
    run = _gardener("run", "--no-history", "--out", "o", "r.xml", cwd=tmp_path)
    explain = _gardener("explain", "r.xml", cwd=tmp_path)
    assert run.returncode == 0 and explain.returncode == 0, run.stderr + explain.stderr
    documents = [p.read_text(encoding="utf-8") for p in (tmp_path / "o").glob("*.md")]
    assert any("buildStatus" in d for d in documents)  # the message is shown: the check is not vacuous
    for shown in (run.stdout, explain.stdout, *documents):
        assert "##teamcity[" not in shown.lower()
