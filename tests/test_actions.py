"""gardener inside GitHub Actions, in a simulated runner: env vars, temp files for the step summary
and outputs, and a reader that treats output lines exactly as the runner does (workflow commands,
`::stop-commands::`), so an injected command in test output is caught if it would ever act."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from gardener import actions
from gardener.actions.annotations import MAX_PER_KIND
from gardener.actions.commands import command, escape_data, escape_property, guarded, mask_commands
from gardener.config import Config
from gardener.garden.setup import run_ctx
from gardener.pipeline import RunOptions, run
from gardener.view.common import Ctx

TOKEN = "ghs_" + "A1b2C3d4E5f6G7h8I9j0" * 2
INJECTED = "::set-env name=X::y\n::add-mask::foo\n  ::add-path::/evil\n##[set-output name=z;]1"
WORDS = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima")


def runner_commands(output: str) -> list[tuple[str, str, str]]:
    """(command, properties, data) for every line the runner would act on.

    A line is a command when, left-trimmed, it starts with `::`; between `::stop-commands::TOKEN`
    and `::TOKEN::` nothing is a command except that resume line.
    """
    acted: list[tuple[str, str, str]] = []
    stopped_by: str | None = None
    for raw in output.splitlines():
        line = raw.strip()
        if stopped_by is not None:
            if line == f"::{stopped_by}::":
                stopped_by = None
            continue
        found = re.match(r"::([A-Za-z-]+)(?: ([^:]*))?::(.*)\Z", line)
        if not found:
            continue
        name, props, data = found[1], found[2] or "", found[3]
        if name == "stop-commands":
            stopped_by = data
            continue
        acted.append((name, props, data))
    return acted


def parse_outputs(text: str) -> dict[str, str]:
    """$GITHUB_OUTPUT as the runner reads it: `name<<DELIM` ... `DELIM` blocks."""
    values: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        name, _, delimiter = line.partition("<<")
        body = []
        for value_line in lines:
            if value_line == delimiter:
                break
            body.append(value_line)
        else:
            raise AssertionError(f"unterminated output {name}")
        values[name] = "\n".join(body)
    return values


def junit(tmp_path: Path) -> Path:
    """12 distinct assertion failures (P2 warnings) and 11 missing modules (P1 errors), one with an
    injection attempt in its message and text."""
    cases = []
    for i, w in enumerate(WORDS):
        cases.append(
            f'<testcase classname="tests.test_a" name="test_{w}" file="tests/test_a.py" line="{i + 1}">'
            f'<failure message="AssertionError: assert &apos;{w}&apos; == &apos;x&apos;" type="AssertionError">'
            f"E       AssertionError: assert '{w}' == 'x'\n\ntests/test_a.py:{i + 3}: AssertionError</failure>"
            "</testcase>"
        )
    for i in range(11):
        in_message = "&#10;" + INJECTED.replace("\n", "&#10;") if i == 0 else ""
        in_text = INJECTED if i == 0 else ""
        cases.append(
            f'<testcase classname="tests.test_m{i}" name="test_imp" file="tests/test_m{i}.py">'
            f'<error message="ModuleNotFoundError: No module named &apos;pkg{i}&apos;{in_message}">'
            f"E   ModuleNotFoundError: No module named 'pkg{i}'\n{in_text}</error></testcase>"
        )
    path = tmp_path / "junit.xml"
    path.write_text('<?xml version="1.0"?>\n<testsuites><testsuite name="pytest">\n' + "\n".join(cases)
                    + "\n</testsuite></testsuites>\n", encoding="utf-8")
    return path


def actions_environ(tmp_path: Path) -> dict[str, str]:
    summary = tmp_path / "step-summary.md"
    summary.write_text("## an earlier step\n", encoding="utf-8")
    (tmp_path / "output.txt").write_text("", encoding="utf-8")
    return {
        "GITHUB_ACTIONS": "true",
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(tmp_path / "output.txt"),
        "GITHUB_WORKSPACE": str(tmp_path),
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": "octo/shop",
        "GITHUB_RUN_ID": "4242",
        "GITHUB_SHA": "0123456789abcdef0123456789abcdef01234567",
        "GITHUB_REF_NAME": "main",
        "GITHUB_TOKEN": TOKEN,
    }


# -- escaping and commands ---------------------------------------------------------------------------


def test_data_and_properties_are_escaped_by_the_workflow_command_rules():
    assert escape_data("50%\r\nnext") == "50%25%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    line = command("error", "first\n::set-env name=X::y", {"file": "a,b.py", "line": 3, "title": "P1: x", "col": None})
    assert line == "::error file=a%2Cb.py,line=3,title=P1%3A x::first%0A::set-env name=X::y"
    assert runner_commands(line) == [("error", "file=a%2Cb.py,line=3,title=P1%3A x", "first%0A::set-env name=X::y")]


def test_guarded_text_cannot_issue_commands_even_if_it_knows_the_markers():
    token = "gardener-0123"
    text = f"{INJECTED}\n::{token}::\n::set-env name=AFTER::1\n::stop-commands::other"
    lines = list(guarded(text, token))
    assert runner_commands("\n".join(lines)) == []
    assert lines[0] == f"::stop-commands::{token}" and lines[-1] == f"::{token}::"


def test_masks_cover_tokens_and_each_line_of_a_multiline_secret():
    secret = "-----BEGIN KEY-----\nMIIEpAIBAAKCAQEA\n-----END KEY-----"
    lines = mask_commands([TOKEN, secret, "abc"])
    masked = {data for name, _, data in runner_commands("\n".join(lines)) if name == "add-mask"}
    assert TOKEN in masked and "MIIEpAIBAAKCAQEA" in masked and "-----BEGIN KEY-----" in masked
    assert "abc" not in masked  # too short to mask without hiding ordinary words
    assert all("\n" not in line for line in lines)


# -- environment facts ---------------------------------------------------------------------------------


def test_outside_actions_nothing_is_published():
    assert actions.actions_env({}) is None
    assert actions.actions_env({"GITHUB_ACTIONS": "false", "GITHUB_OUTPUT": "/x"}) is None


def test_run_url_commit_and_branch_come_from_the_environment_and_are_checked(tmp_path):
    ctx = actions.ci_ctx(actions_environ(tmp_path))
    assert ctx.run_url == "https://github.com/octo/shop/actions/runs/4242"
    assert ctx.commit == "0123456789abcdef0123456789abcdef01234567" and ctx.branch == "main"
    assert TOKEN in ctx.secrets
    hostile = {**actions_environ(tmp_path), "GITHUB_SHA": "not-a-sha; rm -rf", "GITHUB_HEAD_REF": "x`\n@admin #1"}
    ctx = actions.ci_ctx(hostile)
    assert ctx.commit is None
    assert ctx.branch is not None and "`" not in ctx.branch and "\n" not in ctx.branch and "@admin" not in ctx.branch


def test_the_failed_runs_facts_override_the_gardening_jobs_own(tmp_path):
    environ = {**actions_environ(tmp_path), "GARDENER_RUN_URL": "https://github.com/octo/shop/actions/runs/7",
               "GARDENER_COMMIT": "abcdef1", "GARDENER_BRANCH": "release"}
    ctx = run_ctx({**environ, "GITHUB_TOKEN": "kept-token-value"})
    assert ctx.run_url == "https://github.com/octo/shop/actions/runs/7"
    assert (ctx.commit, ctx.branch) == ("abcdef1", "release")
    assert "kept-token-value" in ctx.secrets
    assert actions.run_url({"GARDENER_RUN_URL": "https://x/runs/1 evil"}) is None


# -- publishing ----------------------------------------------------------------------------------------


def gardened(tmp_path: Path, environ: dict[str, str]):
    options = RunOptions(paths=(str(junit(tmp_path)),), out_dir=tmp_path / "out")
    return run(options, Config(base_dir=tmp_path), actions.ci_ctx(environ))


def test_publish_writes_summary_outputs_and_capped_escaped_annotations(tmp_path):
    environ = actions_environ(tmp_path)
    env = actions.actions_env(environ)
    assert env is not None
    out = gardened(tmp_path, environ)
    lines = actions.publish(env, out, actions.ci_ctx(environ))

    summary = Path(environ["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")
    assert summary.startswith("## an earlier step\n")  # appended, never replacing other steps' text
    assert out.summary_path.read_text(encoding="utf-8") in summary

    outputs = parse_outputs(Path(environ["GITHUB_OUTPUT"]).read_text(encoding="utf-8"))
    assert outputs == {"findings": "23", "created": "0", "updated": "0", "reopened": "0",
                       "worklog": str(out.worklog_path), "summary": str(out.summary_path), "plan": str(out.plan_path)}

    acted = runner_commands("\n".join(lines))
    kinds = [name for name, _, _ in acted]
    assert kinds.count("error") == MAX_PER_KIND and kinds.count("warning") == MAX_PER_KIND
    assert set(kinds) == {"error", "warning"}  # the injected set-env / add-mask never act
    assert lines[-1] == "gardener: 1 error(s), 2 warning(s) not annotated (GitHub shows at most 10 per kind)"
    assert all("\n" not in line and "\r" not in line for line in lines)
    injected = next(data for name, props, data in acted if "test_m0.py" in props)
    assert "%0A" in injected and "::set-env" not in injected.replace("%0A", "\n").splitlines()[0]
    props = dict(p.split("=", 1) for name, props, _ in acted if name == "warning" for p in props.split(","))
    assert props["file"] == "tests/test_a.py" and props["title"].startswith("P2 Assertion failure%3A ")


def test_a_full_step_summary_is_not_overfilled(tmp_path):
    environ = actions_environ(tmp_path)
    Path(environ["GITHUB_STEP_SUMMARY"]).write_bytes(b"x" * (actions.STEP_SUMMARY_LIMIT - 100))
    env = actions.actions_env(environ)
    assert env is not None
    lines = actions.publish(env, gardened(tmp_path, environ), Ctx())
    assert Path(environ["GITHUB_STEP_SUMMARY"]).stat().st_size == actions.STEP_SUMMARY_LIMIT - 100
    assert any(line.startswith("gardener: the step summary is full") for line in lines)


def test_a_long_summary_is_cut_on_a_line_with_its_code_fence_closed():
    text = "# Summary\n\n```\n" + "a log line é\n" * 200_000 + "```\n\nafter\n"
    cut = actions.fit_summary(text, 100_000, Path("/tmp/FAILING-TEST-GARDENER-SUMMARY.md"))
    assert len(cut.encode("utf-8")) <= 100_000
    assert cut.startswith("# Summary\n") and "FAILING-TEST-GARDENER-SUMMARY.md" in cut.splitlines()[-1]
    fences = [line for line in cut.splitlines() if line.startswith("```")]
    assert len(fences) == 2  # opened by the text, closed before the note
    assert actions.fit_summary("short\n", 100, Path("s.md")) == "short\n"


def test_annotation_paths_are_relative_to_the_workspace(tmp_path):
    from gardener.actions.annotations import location
    from tests.factories import finding, result

    inside = finding("f-1", "assertion-failure", results=(result(file=str(tmp_path / "tests" / "t.py")),))
    outside = finding("f-2", "assertion-failure", results=(result(file="/elsewhere/t.py"),))
    assert location(inside, str(tmp_path)) == ("tests/t.py", None)
    assert location(outside, str(tmp_path)) == (None, None)


# -- end to end: `gardener run` in a simulated Actions step ----------------------------------------------


def test_gardener_run_in_actions_cannot_be_hijacked_by_test_output(tmp_path):
    environ = actions_environ(tmp_path)
    report = junit(tmp_path)
    # A path is untrusted too (artifact names, globs): a rejected one is echoed in a warning, its
    # newlines shown as `\n` (gardener.shown), and inside stop-commands besides.
    hostile = tmp_path / "missing\n::set-env name=FROM_PATH::1\n.xml"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GARDENER_", "GH_"))} | environ
    done = subprocess.run(
        [sys.executable, "-m", "gardener", "run", "--out", str(tmp_path / "out"), "--annotate-reports", str(report),
         str(hostile)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stdout
    assert "missing\\n::set-env name=FROM_PATH::1\\n.xml" in done.stdout  # shown on one line
    assert "\n::set-env" not in done.stdout
    assert "junit.xml: annotated 23 failed testcase(s)" in done.stdout
    acted = runner_commands(done.stdout)
    assert acted[0] == ("add-mask", "", TOKEN)  # before anything else is printed
    names = {name for name, _, _ in acted}
    assert names == {"add-mask", "error", "warning"}
    assert [data for name, _, data in acted if name == "add-mask"] == [TOKEN]  # not the injected "foo"
    assert TOKEN not in done.stdout.replace(f"::add-mask::{TOKEN}", "")
    outputs = parse_outputs(Path(environ["GITHUB_OUTPUT"]).read_text(encoding="utf-8"))
    assert outputs["findings"] == "23" and Path(tmp_path, outputs["worklog"]).is_file()
    summary = Path(environ["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")
    assert "# " in summary and TOKEN not in summary


def test_with_json_stdout_stays_one_object_and_commands_go_to_stderr(tmp_path):
    environ = actions_environ(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GARDENER_", "GH_"))} | environ
    done = subprocess.run(
        [sys.executable, "-m", "gardener", "run", "--json", "--out", str(tmp_path / "out"), str(junit(tmp_path))],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["findings"]) == 23
    assert {name for name, _, _ in runner_commands(done.stderr)} == {"add-mask", "error", "warning"}
