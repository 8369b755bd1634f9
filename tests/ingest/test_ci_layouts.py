"""GitLab CI traces and Jenkins pipeline consoles: their commands as steps, their sections as boundaries."""

from __future__ import annotations

from pathlib import Path

from gardener.ingest import pytest_text, runner_log
from gardener.ingest.runner_log.gitlab_services import default_alias, service_alias

LOGS = Path(__file__).parent.parent / "data" / "logs"


def test_gitlab_script_commands_are_steps_and_the_last_one_failed_with_the_job() -> None:
    steps = runner_log.parse(LOGS / "gitlab-trace.log").steps
    assert [(s.name, s.status, s.exit_code) for s in steps] == [
        ("pip install -r requirements-dev.txt", "SUCCESS", 0),
        ("pytest tests/integration -p no:cacheprovider", "FAILED", 4),  # the job's `exit code 4`
        ("ls reports || true", "SUCCESS", 0),  # after_script: never the failed command
    ]
    failed = steps[1]
    assert failed.shell == "" and failed.command == failed.name
    assert failed.key_error == "tests/integration/conftest.py - ModuleNotFoundError: No module named 'MySQLdb'"


def test_gitlab_conftest_import_error_is_a_result_and_nothing_after_it_is_an_incident() -> None:
    results = runner_log.parse(LOGS / "gitlab-trace.log").results
    conftest = next(r for r in results if r.id == "tests/integration/conftest.py")
    assert (conftest.outcome, conftest.error_type) == ("error", "ModuleNotFoundError")
    assert conftest.message == "ModuleNotFoundError: No module named 'MySQLdb'"
    assert conftest.details.startswith("ImportError while loading conftest")
    # `ERROR: No files to upload` (upload after the failure) and `ERROR: Job failed` (the wrapper) are not causes.
    assert [r.error_type for r in results if r.id.startswith("log:")] == ["service-unhealthy"]


def test_gitlab_service_that_did_not_start_is_one_incident_naming_service_image_and_address() -> None:
    results = runner_log.parse(LOGS / "gitlab-trace.log").results
    (service,) = [r for r in results if r.error_type == "service-unhealthy"]
    assert service.message == (
        "Service mysql (mysql:8.0) probably didn't start properly: health check error: timeout "
        "waiting for 172.17.0.4:3306"
    )
    assert service.id.startswith("log:gitlab-trace:service-unhealthy:mysql-")
    props = dict(service.properties)
    assert (props["service"], props["image"], props["endpoint"]) == ("mysql", "mysql:8.0", "172.17.0.4:3306")
    assert "running /docker-entrypoint-initdb.d/seed.sql" in service.details  # the service's own log


def test_gitlab_names_of_service_containers_and_images() -> None:
    assert service_alias("runner-zxwgkjap-project-48213-concurrent-0-1c2d3e4f5a6b7c8d-postgres-0") == "postgres"
    assert service_alias("runner-abc123-project-1-concurrent-0-redis-0") == "redis"
    assert default_alias("registry.example.com/team/postgres:16.3") == "postgres"
    assert default_alias("localhost:5000/mysql") == "mysql"


def test_an_error_in_one_gitlab_section_is_not_explained_by_the_next(tmp_path: Path) -> None:
    path = tmp_path / "trace.log"
    path.write_text(
        "Running with gitlab-runner 16.11.1 (535ced5f)\n"
        "section_start:1717000033:step_script\r\x1b[0KExecuting step_script\n"
        "$ ./deploy.sh\n"
        "Error: deploy target not set\n"
        "section_end:1717000040:step_script\r\x1b[0K\n"
        "section_start:1717000040:after_script\r\x1b[0KRunning after_script\n"
        "$ curl -fsS https://status.internal/ping\n"
        "curl: (6) Could not resolve host: status.internal\n"
        "section_end:1717000041:after_script\r\x1b[0K\n"
        "ERROR: Job failed: exit code 1\n",
        encoding="utf-8",
    )
    parsed = runner_log.parse(path)
    assert [(r.error_type, r.message) for r in parsed.results] == [
        ("error", "Error: deploy target not set"),
        ("dns", "curl: (6) Could not resolve host: status.internal"),
    ]
    assert [(s.name, s.status) for s in parsed.steps] == [
        ("./deploy.sh", "FAILED"),
        ("curl -fsS https://status.internal/ping", "SUCCESS"),
    ]


def test_jenkins_shell_steps_are_named_by_their_first_command() -> None:
    steps = runner_log.parse(LOGS / "jenkins-cargo.log").steps
    assert [(s.name, s.status, s.exit_code, s.shell) for s in steps] == [
        ("cargo --version", "SUCCESS", 0, "sh"),
        ("cargo test --workspace --no-fail-fast", "FAILED", 101, "sh"),  # inside catchError: reported at once
        ("docker push registry.example.com/imgtool:0.3.1", "FAILED", 1, "sh"),  # reported at the pipeline's end
    ]
    assert steps[0].command == "cargo --version\ncargo build --locked"
    assert steps[1].key_error.startswith("imgtool::resize::tests::keeps_ratio - assertion `left == right` failed")


def test_jenkins_push_refusal_is_one_incident_with_the_repository_above_it() -> None:
    results = runner_log.parse(LOGS / "jenkins-cargo.log").results
    (denied,) = [r for r in results if r.error_type == "registry-denied"]
    assert denied.message == "denied: permission_denied: The token provided does not match expected scopes."
    assert "The push refers to repository [registry.example.com/imgtool]" in denied.details
    assert dict(denied.properties)["also"] == "exit-code"  # the pipeline's final `script returned exit code 1`


def test_pytest_output_with_only_a_conftest_import_error(tmp_path: Path) -> None:
    path = tmp_path / "pytest.txt"
    path.write_text(
        "ImportError while loading conftest '/home/dev/app/tests/conftest.py'.\n"
        "tests/conftest.py:3: in <module>\n"
        "    import factory\n"
        "E   ModuleNotFoundError: No module named 'factory'\n",
        encoding="utf-8",
    )
    (result,) = pytest_text.parse(path).results
    assert (result.id, result.outcome, result.error_type) == ("tests/conftest.py", "error", "ModuleNotFoundError")
    assert (result.file, result.line) == ("tests/conftest.py", 3)
