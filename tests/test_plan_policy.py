"""Policy inputs of the plan: the [gardener.github] section, where the tracker is, when to retry."""

import pytest

from gardener.config import load_config
from gardener.errors import ConfigError
from gardener.garden.setup import run_ctx
from gardener.github.client_retry import Failure, Pacer, judge, rate_limit_wait
from gardener.github.settings import DEFAULT_API_URL, resolve
from gardener.model import TrackerPolicy

POLICY = TrackerPolicy()


def write(tmp_path, text):
    path = tmp_path / "gardener.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_github_section_sets_the_policy(tmp_path):
    cfg = load_config(write(tmp_path, '[gardener.github]\napply = true\nrepo = "octo/demo"\nmax_new_issues = 3\n'
                                      'comment_cooldown_days = 1.5\nreopen_window_days = 30\nbot_label = "ci-bot"\n'
                                      'write_interval = 0\nmax_wait = 5\n'))
    g = cfg.github
    assert (g.apply, g.repo, g.max_new_issues, g.comment_cooldown_days, g.reopen_window_days) == (
        True, "octo/demo", 3, 1.5, 30.0)
    assert (g.bot_label, g.write_interval_s, g.max_wait_s) == ("ci-bot", 0.0, 5.0)
    assert load_config(write(tmp_path, "[gardener]\n")).github == TrackerPolicy()


@pytest.mark.parametrize(("line", "message"), [
    ("nope = 1", "github.nope: unknown key"),
    ("max_new_issues = 2.5", "github.max_new_issues: must be an integer from 0 to 1000"),
    ("comment_cooldown_days = -1", "github.comment_cooldown_days: must be a number from 0 to 3650"),
    ('apply = "yes"', "github.apply: must be true or false"),
    ('repo = "just-a-name"', "github.repo: expected OWNER/NAME"),
    ('bot_label = "a,b"', "github.bot_label: must be a label name"),
    ('api_url = "ftp://x"', "github.api_url: must be an http(s) URL"),
])
def test_bad_values_name_the_file_and_key(tmp_path, line, message):
    path = write(tmp_path, f"[gardener.github]\n{line}\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value).startswith(f"{path}: {message}")


def test_the_repository_comes_from_the_option_config_or_actions_only_when_applying():
    env = {"GITHUB_REPOSITORY": "acme/shop", "GITHUB_TOKEN": "t0ken-value"}
    assert resolve(None, None, POLICY, env, apply=False) is None  # a local dry run never reaches out
    s = resolve(None, None, POLICY, env, apply=True)
    assert (s.repo, s.api_url, s.token) == ("acme/shop", DEFAULT_API_URL, "t0ken-value")
    assert "t0ken-value" not in repr(s)
    s = resolve("octo/demo", "http://127.0.0.1:9/", POLICY, {"GH_TOKEN": "other"}, apply=False)
    assert (s.repo, s.api_url, s.token) == ("octo/demo", "http://127.0.0.1:9", "other")
    assert resolve(None, None, TrackerPolicy(repo="x/y"), {"GITHUB_API_URL": "https://ghe.local/api/v3"},
                   apply=False).api_url == "https://ghe.local/api/v3"


def test_apply_without_a_repository_or_token_is_a_clear_error():
    with pytest.raises(ConfigError, match="needs a repository"):
        resolve(None, None, POLICY, {"GITHUB_TOKEN": "t"}, apply=True)
    with pytest.raises(ConfigError, match="needs a token in GITHUB_TOKEN or GH_TOKEN"):
        resolve("octo/demo", None, POLICY, {}, apply=True)
    with pytest.raises(ConfigError, match="expected OWNER/NAME"):
        resolve("not a repo", None, POLICY, {}, apply=False)


def test_ci_facts_come_from_github_actions_variables():
    env = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/shop", "GITHUB_RUN_ID": "42",
           "GITHUB_SHA": "a" * 40, "GITHUB_REF_NAME": "main"}
    ctx = run_ctx(env)
    assert (ctx.run_url, ctx.commit, ctx.branch) == ("https://github.com/acme/shop/actions/runs/42", "a" * 40, "main")
    empty = run_ctx({})
    assert (empty.run_url, empty.commit, empty.branch) == (None, None, None)


def fail(status, message="", **headers):
    return Failure(status, {k.replace("_", "-"): v for k, v in headers.items()}, message)


def test_rate_limits_wait_as_github_says_but_never_past_max_wait():
    assert rate_limit_wait(fail(403, "secondary rate limit", retry_after="7"), now=0) == 7.0
    assert rate_limit_wait(fail(403, "API rate limit exceeded", x_ratelimit_remaining="0",
                                x_ratelimit_reset="1010"), now=1000) == 11.0
    assert rate_limit_wait(fail(429), now=0) == 60.0
    assert rate_limit_wait(fail(403, "Resource not accessible by integration"), now=0) is None
    assert judge(fail(429, retry_after="2"), 1, POLICY, 0, 1.0).action == "retry"
    stop = judge(fail(403, x_ratelimit_remaining="0", x_ratelimit_reset="4000"), 1, POLICY, 0, 1.0)
    assert stop.action == "stop" and "longer than max_wait" in stop.why


def test_server_errors_back_off_exponentially_and_other_refusals_are_final():
    waits = [judge(fail(502), n, POLICY, 0, 1.0) for n in (1, 2, 3, 4)]
    assert [v.action for v in waits] == ["retry", "retry", "retry", "refuse"]
    assert [v.wait_s for v in waits[:3]] == [1.0, 2.0, 4.0]
    assert judge(fail(None, "ConnectionError"), 1, POLICY, 0, 1.0).action == "retry"
    assert judge(fail(422, "Validation Failed"), 1, POLICY, 0, 1.0).action == "refuse"
    assert judge(fail(401, "Bad credentials"), 1, POLICY, 0, 1.0).action == "stop"


def test_the_pacer_spaces_writes():
    clock, slept = [100.0], []

    def sleep(s):
        slept.append(s)
        clock[0] += s

    pacer = Pacer(1.0, sleep, lambda: clock[0])
    pacer.wait()
    clock[0] += 0.25
    pacer.wait()
    pacer.wait()
    assert slept == [0.75, 1.0]


def test_only_a_tracker_on_this_machine_counts_as_loopback():
    from gardener.github.settings import is_loopback

    assert is_loopback("http://127.0.0.1:8080") and is_loopback("http://localhost:1/api/v3")
    assert is_loopback("http://[::1]:9")
    assert not is_loopback("https://api.github.com") and not is_loopback("https://10.0.0.5/api/v3")
