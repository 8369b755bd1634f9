"""`gardener sandbox serve` as a user runs it: a real process, stopped by a signal, restarted on its state."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from github.GithubException import UnknownObjectException

from gardener.sandbox.server import is_loopback, parse_repos
from tests.github.helpers import make_client


@contextmanager
def serving(*args: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "gardener", "sandbox", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), (url, proc.stderr.read() if proc.stderr else "")
        yield proc, url
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_serve_prints_its_url_stops_cleanly_and_restarts_on_its_state(tmp_path: Path, stop_signal: int) -> None:
    state = tmp_path / "state.json"
    with serving("--state", str(state), "--repo", "octo/demo", "--repo", "octo/docs") as (proc, url):
        repo = make_client(url).get_repo("octo/demo")
        repo.create_issue(title="filed by hand", labels=["bug"]).create_comment("first comment")
        proc.send_signal(stop_signal)
        _, err = proc.communicate(timeout=10)
        assert proc.returncode == 0, err
        assert "stopped" in err and str(state) in err
    assert [i["title"] for i in json.loads(state.read_text())["issues"]] == ["filed by hand"]

    with serving("--state", str(state)) as (proc, url):
        gh = make_client(url)
        again = gh.get_repo("octo/demo").get_issue(1)
        assert (again.title, again.comments, [lb.name for lb in again.labels]) == ("filed by hand", 1, ["bug"])
        assert gh.get_repo("octo/docs").get_issues().totalCount == 0
        with pytest.raises(UnknownObjectException):
            gh.get_repo("gardener/sandbox").get_issues().totalCount  # noqa: B018 - no default repo added
        assert gh.get_repo("octo/demo").create_issue(title="next").number == 2
        proc.terminate()
        proc.communicate(timeout=10)
        assert proc.returncode == 0


def test_serve_with_a_token_refuses_other_tokens(tmp_path: Path) -> None:
    from github.GithubException import BadCredentialsException

    with serving("--token", "s3cret") as (proc, url):
        with pytest.raises(BadCredentialsException):
            make_client(url, "guess").get_repo("gardener/sandbox").get_issues().totalCount  # noqa: B018
        assert make_client(url, "s3cret").get_repo("gardener/sandbox").full_name == "gardener/sandbox"
        proc.terminate()


def test_a_corrupt_state_file_is_a_one_line_error_and_left_alone(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.write_text('{"format": "something else"}')
    done = subprocess.run(
        [sys.executable, "-m", "gardener", "sandbox", "serve", "--state", str(state)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        f'gardener: {state}: corrupt sandbox state: not a sandbox state (expected "format": "gardener-sandbox-state")'
    ]
    assert state.read_text() == '{"format": "something else"}'


def test_a_bad_repo_name_is_refused(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "gardener", "sandbox", "serve", "--repo", "no-slash"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 1 and "--repo: expected OWNER/NAME" in done.stderr


def test_loopback_and_repo_parsing() -> None:
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "192.168.1.5", "::", "example.com"))
    assert parse_repos(["octo/demo", "a-b/c.d_e"]) == (("octo", "demo"), ("a-b", "c.d_e"))


def test_the_server_side_never_imports_pygithub() -> None:
    probe = "import sys, gardener.sandbox; print(sorted(m for m in sys.modules if m.split('.')[0] == 'github'))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
