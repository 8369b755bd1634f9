import pytest

from gardener.errors import ConfigError
from gardener.sources.runref import parse_run


def test_github_com_run_urls_with_attempt_and_job():
    ref = parse_run("https://github.com/acme/shop/actions/runs/123")
    assert (ref.repo, ref.run_id, ref.attempt, ref.job_id) == ("acme/shop", 123, None, None)
    assert ref.api_url == "https://api.github.com"
    assert ref.html_url == "https://github.com/acme/shop/actions/runs/123"
    assert parse_run("https://github.com/acme/shop/actions/runs/123/attempts/2").attempt == 2
    job = parse_run("https://github.com/acme/shop/actions/runs/123/job/456")
    assert (job.run_id, job.job_id) == (123, 456)
    both = parse_run("https://github.com/acme/shop/actions/runs/9/attempts/3/job/7/")
    assert (both.attempt, both.job_id) == (3, 7)


def test_enterprise_and_sandbox_hosts_use_api_v3_and_drop_credentials():
    ghes = parse_run("https://ghe.example.com/o/r/actions/runs/5")
    assert ghes.api_url == "https://ghe.example.com/api/v3"
    local = parse_run("http://user:secret@127.0.0.1:4567/o/r/actions/runs/5")
    assert local.api_url == "http://127.0.0.1:4567/api/v3"
    assert "secret" not in (local.html_url or "")
    api = parse_run("https://api.github.com/repos/o/r/actions/runs/77")
    assert (api.repo, api.run_id) == ("o/r", 77)


def test_a_run_id_needs_a_repository():
    assert parse_run("42", "o/r").repo == "o/r"
    with pytest.raises(ConfigError, match="needs --repo"):
        parse_run("42")
    with pytest.raises(ConfigError, match="OWNER/NAME"):
        parse_run("42", "not a repo")


@pytest.mark.parametrize("bad", ["https://github.com/o/r/pull/3", "ftp://github.com/o/r/actions/runs/1",
                                 "github.com/o/r/actions/runs/1", "https://github.com/o/r/actions/runs/x", ""])
def test_anything_else_is_refused_with_one_line(bad):
    with pytest.raises(ConfigError) as info:
        parse_run(bad)
    assert "\n" not in str(info.value)


def test_repo_option_must_agree_with_the_url():
    with pytest.raises(ConfigError, match="differs"):
        parse_run("https://github.com/o/r/actions/runs/1", "x/y")
