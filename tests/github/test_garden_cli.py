"""The command line: `gardener demo`, dry-run plans, --apply, and secrets never leaving the machine."""

import re

import github

from gardener.sandbox import Sandbox
from tests.github.gardening import REPO, gardener_cmd, outage
from tests.github.helpers import make_client

TOKEN = "ghp_" + "Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2"  # the shape of a real token


def test_demo_twice_on_the_same_state_files_once_then_changes_nothing(tmp_path):
    state, out = tmp_path / "state", tmp_path / "reports"
    first = gardener_cmd("demo", "--state", str(state), "--out", str(out), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "seeded 9 human-filed issues" in first.stdout
    numbers = re.findall(r"^  #(\d+) P\d ", first.stdout, re.MULTILINE)
    assert len(numbers) == 3
    chain = re.search(r"^  #(\d+) blocked by #(\d+)$", first.stdout, re.MULTILINE)
    assert chain and chain.group(2) == numbers[0]  # the docker build issue blocks the pulls
    assert re.search(r"^  #\d+ .*WebSocket.*\[P0, websocket\]$", first.stdout, re.MULTILINE)
    assert "worklog: " in first.stdout and list(out.glob("FAILING-TEST-GARDENER-WORKLOG-WEBSOCKET-*.md"))

    second = gardener_cmd("demo", "--state", str(state), "--out", str(out), cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert "sandbox already seeded" in second.stdout and "no changes; every issue is up to date" in second.stdout
    assert re.findall(r"^  #(\d+) P\d ", second.stdout, re.MULTILINE) == numbers
    with Sandbox(state=state / "sandbox.json") as sb:
        issues = list(make_client(sb.url).get_repo("netra/apex").get_issues(state="all"))
    assert len(issues) == 9 + 3


def test_a_dry_run_prints_the_plan_terraform_style_and_writes_nothing(sandbox, tmp_path):
    result = gardener_cmd("run", "--repo", REPO, "--github-url", sandbox.url, "--out", str(tmp_path / "out"),
                          str(outage(tmp_path)), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert sum(1 for line in lines if line.startswith('+ create   "')) == 5
    link = r"→ link     new issue for f-\w+ blocked by new issue for f-\w+"
    links = sum(1 for line in lines if re.match(link, line))
    assert links >= 2  # the build blocks the pulls and the refused tests (and the pulls may block them too)
    assert "dry run: nothing written" in result.stdout
    assert re.search(rf"^Plan: create 5, update \d, reopen 0, link {links}, ", result.stdout, re.MULTILINE)
    assert sandbox.count("POST") == sandbox.count("PATCH") == 0
    assert (tmp_path / "out" / "plan.json").is_file()


def test_apply_needs_a_token_and_says_so(sandbox, tmp_path):
    result = gardener_cmd("run", "--apply", "--repo", REPO, "--github-url", sandbox.url, str(outage(tmp_path)),
                          cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == ("gardener: environment: GITHUB_TOKEN: --apply needs a token in GITHUB_TOKEN "
                                     "or GH_TOKEN")


def test_no_token_secret_or_live_mention_reaches_an_issue_a_comment_or_the_terminal(tmp_path):
    inputs = outage(tmp_path)
    log = inputs / "runner.log"
    leak = f"@octocat please look; auth {TOKEN} unable to prepare context:"
    log.write_text(log.read_text(encoding="utf-8").replace("unable to prepare context:", leak), encoding="utf-8")
    config = tmp_path / "gardener.toml"
    config.write_text("[gardener.github]\nwrite_interval = 0\n", encoding="utf-8")
    with Sandbox([REPO], token=TOKEN) as sb:
        result = gardener_cmd("run", "--apply", "--repo", REPO, "--github-url", sb.url, "--config", str(config),
                              "--out", str(tmp_path / "out"), "--json", str(inputs),
                              env={"GITHUB_TOKEN": TOKEN}, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        gh = github.Github(base_url=sb.url, auth=github.Auth.Token(TOKEN), retry=None)
        issues = list(gh.get_repo(REPO).get_issues(state="all"))
        posted = [i.title + i.body for i in issues] + [c.body for i in issues for c in i.get_comments()]
    outputs = [result.stdout, result.stderr, *(p.read_text(encoding="utf-8") for p in (tmp_path / "out").iterdir())]
    build = next(i for i in issues if i.title.startswith("Missing orders-api directory"))
    assert "octocat" in build.body  # the evidence is there, neutralised
    for text in posted + outputs:
        assert TOKEN not in text and TOKEN[:12] not in text
        assert not re.search(r"(?<![\w`])@octocat", text)
