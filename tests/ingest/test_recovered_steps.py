"""Errors a job went on from (runner_log/recovered.py): a step that ended well is not why the job failed."""

from __future__ import annotations

from pathlib import Path

from gardener.ingest import runner_log


def _parse(tmp_path: Path, text: str) -> list[tuple[str, int | None]]:
    path = tmp_path / "job.log"
    path.write_text(text, encoding="utf-8")
    return [(r.error_type, r.source_line) for r in runner_log.parse(path).results if r.is_failing]


def test_an_install_error_the_step_recovered_from_is_not_a_cause_on_actions(tmp_path: Path) -> None:
    found = _parse(
        tmp_path,
        "##[group]Run npm ci\nnpm ci\n##[endgroup]\n"
        "Phantom installation failed { Error: EACCES: permission denied, link '/tmp/phantomjs'\n"
        "Retrying install...\nInstalling phantomjs succeeded\nadded 1167 packages in 31s\n"
        "##[group]Run npx mocha\nnpx mocha\n##[endgroup]\n"
        "  1 failing\n\n  1) Router\n       resolves nested routes:\n"
        "     TypeError: Cannot read properties of undefined (reading 'path')\n"
        "      at resolve (src/router.js:22:19)\n"
        "##[error]Process completed with exit code 1.\n",
    )
    assert found == [("TypeError", 15)]


def test_a_travis_step_without_an_exit_line_ended_well(tmp_path: Path) -> None:
    found = _parse(
        tmp_path,
        "Using worker: worker-linux-docker-4b1a.prod.travis-ci.org:travis-linux-9\n"
        "travis_fold:start:install\r\x1b[0K$ pip install -r requirements.txt\n"
        "ERROR: Failed building wheel for pyyaml\n"
        "Successfully installed pyyaml-5.4.1\n"
        "travis_fold:end:install\r\x1b[0K$ make lint\n"
        "src/app.py:3:1: F401 'os' imported but unused\n"
        'The command "make lint" exited with 2.\n',
    )
    assert [kind for kind, _ in found] == ["lint"]


def test_a_full_disk_in_an_earlier_step_stays_a_cause(tmp_path: Path) -> None:
    found = _parse(
        tmp_path,
        "##[group]Run docker pull big/image\n##[endgroup]\n"
        "write /var/lib/docker/tmp/x: no space left on device\n"
        "##[group]Run make test\n##[endgroup]\n"
        "cc1: fatal error: cannot write src/a.o\n"
        "##[error]Process completed with exit code 2.\n",
    )
    assert found[0][0] == "disk-full"


def test_without_an_in_step_exit_line_nothing_is_dropped(tmp_path: Path) -> None:
    # GitLab says the job failed after its sections: no step is known to have failed.
    found = _parse(
        tmp_path,
        "section_start:1717000033:step_script\r\x1b[0KExecuting step_script\n"
        "$ ./deploy.sh\nError: deploy target not set\n"
        "section_end:1717000040:step_script\r\x1b[0K\n"
        "ERROR: Job failed: exit code 1\n",
    )
    assert found and found[0] == ("error", 3)


def test_an_earlier_failure_the_failed_step_may_follow_from_is_kept(tmp_path: Path) -> None:
    # `|| true` hid the failed pull; the tests then cannot reach the service: the pull is the cause.
    found = _parse(
        tmp_path,
        "##[group]Run docker compose up -d api || true\n##[endgroup]\n"
        "Error response from daemon: manifest for ghcr.io/acme/api:4f1c2e9 not found: manifest unknown\n"
        "##[group]Run ./smoke.sh\n##[endgroup]\n"
        "curl: (7) Failed to connect to localhost port 8000: Connection refused\n"
        "##[error]Process completed with exit code 7.\n",
    )
    assert [kind for kind, _ in found] == ["manifest-unknown", "connection-refused"]
