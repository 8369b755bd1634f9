"""The workflow and action files keep the rules their security rests on.

Schema validity and zizmor's audits run in .ci/run (check-jsonschema, zizmor --offline); these tests
pin down what those tools cannot know: which workflow triggers which, who may write issues, that the
failed run's artifacts are only read, and that no input reaches a script through `${{ }}`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from gardener.config import load_config

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
FILES = [*sorted(WORKFLOWS.glob("*.yml")), ROOT / "action.yml"]
PINNED = re.compile(r"^\s*-?\s*uses:\s*[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+\s*$")


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key `on` as a boolean
        data["on"] = data.pop(True)
    return data


def steps_of(doc: dict[str, Any]) -> list[dict[str, Any]]:
    if "runs" in doc:
        steps: list[dict[str, Any]] = doc["runs"]["steps"]
        return steps
    return [step for job in doc["jobs"].values() for step in job.get("steps", [])]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_actions_are_pinned_to_full_commit_shas_with_their_version(path):
    for line in path.read_text(encoding="utf-8").splitlines():
        if re.match(r"^\s*-?\s*uses:", line) and "uses: ./" not in line:
            assert PINNED.match(line), f"{path.name}: not pinned to a SHA with a # vX.Y.Z comment: {line.strip()}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_expression_is_expanded_inside_a_script(path):
    for step in steps_of(load(path)):
        assert "${{" not in step.get("run", ""), f"{path.name}: step {step.get('name')!r} expands ${{{{ }}}} in run:"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_checkouts_do_not_leave_credentials_behind(path):
    for step in steps_of(load(path)):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step.get("with", {}).get("persist-credentials") is False
            assert "ref" not in step.get("with", {})  # the workflow's own commit, never a run's head


def test_the_action_passes_every_input_through_env_and_exposes_the_outputs():
    action = load(ROOT / "action.yml")
    assert action["runs"]["using"] == "composite"
    inputs = set(action["inputs"])
    assert {"reports", "focus", "scope", "apply", "config", "fail-on", "github-token", "python-version"} <= inputs
    assert action["inputs"]["github-token"]["default"] == "${{ github.token }}"
    outputs = action["outputs"]
    for name in ("findings", "created", "updated", "reopened", "worklog", "summary", "plan"):
        assert outputs[name]["value"] == f"${{{{ steps.garden.outputs.{name} }}}}"
    used = " ".join(str(step.get("env", {})) + str(step.get("with", {})) for step in steps_of(action))
    for name in inputs:
        assert f"inputs.{name}" in used, f"input {name} never reaches a step"
    garden = next(step for step in steps_of(action) if step.get("id") == "garden")
    assert garden["env"]["GITHUB_TOKEN"] == "${{ inputs.github-token }}"
    install = next(step for step in steps_of(action) if "GARDENER_SOURCE" in step.get("env", {}))
    assert install["env"]["GARDENER_SOURCE"] == "${{ github.action_path }}"  # gardener from the action itself


def test_post_failure_gardening_follows_ci_and_treats_artifacts_as_data():
    ci = load(WORKFLOWS / "ci.yml")
    flow = load(WORKFLOWS / "gardener-on-failure.yml")
    trigger = flow["on"]["workflow_run"]
    assert trigger["workflows"] == [ci["name"]] and trigger["types"] == ["completed"]
    assert set(flow["on"]) == {"workflow_run"}
    (job,) = flow["jobs"].values()
    assert "github.event.workflow_run.conclusion == 'failure'" in job["if"]
    assert "head_repository.full_name == github.repository" in job["if"]  # not a fork's run
    assert flow["permissions"] == {}
    assert job["permissions"] == {"actions": "read", "contents": "read", "issues": "write"}

    upload = next(s for s in steps_of(ci) if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["if"] == "failure()" and "test" in upload["with"]["name"]  # a name --github-run reads
    # The run itself is read (--github-run): its failed jobs' logs and report artifacts, as data; nothing is
    # downloaded into the workspace by another action.
    assert not [s for s in job["steps"] if s.get("uses", "").startswith("actions/download-artifact@")]
    scripts = [s["run"] for s in job["steps"] if "run" in s]
    readers = [r for r in scripts if "--github-run" in r]
    assert readers == ['gardener run --github-run "$FAILED_RUN" --apply --out "$RUNNER_TEMP/gardener-reports"']
    garden = next(s for s in job["steps"] if s.get("run") == readers[0])
    assert garden["env"]["FAILED_RUN"] == "${{ github.event.workflow_run.html_url }}"
    assert garden["env"]["GARDENER_CACHE"].startswith("${{ runner.temp }}/")  # outside the checkout
    assert garden["env"]["GITHUB_TOKEN"] == "${{ github.token }}"


def test_scheduled_gardening_runs_the_configured_commands_with_apply():
    flow = load(WORKFLOWS / "gardener-scheduled.yml")
    assert flow["on"]["schedule"][0]["cron"] and "workflow_dispatch" in flow["on"]
    assert flow["permissions"] == {}
    (job,) = flow["jobs"].values()
    assert job["permissions"] == {"contents": "read", "issues": "write", "actions": "read"}
    script = next(s["run"] for s in job["steps"] if "gardener" in s.get("run", "") and "args" in s["run"])
    assert "run --execute --config .github/gardener/gardener.toml" in script and "--apply" in script
    config = load_config(ROOT / ".github" / "gardener" / "gardener.toml")
    assert config.commands and config.commands[0].reports


def test_the_gardening_workflows_never_edit_issues_at_once():
    groups = [load(WORKFLOWS / name)["concurrency"] for name in ("gardener-scheduled.yml", "gardener-on-failure.yml")]
    assert groups[0] == groups[1] == {"group": "gardener-issues", "cancel-in-progress": False}


def test_ci_is_read_only_and_runs_on_push_and_pull_request():
    ci = load(WORKFLOWS / "ci.yml")
    assert {"push", "pull_request"} <= set(ci["on"])
    assert ci["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in ci["jobs"].values())


def test_ci_run_validates_the_workflow_files():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml" in script
    assert "check-jsonschema --builtin-schema vendor.github-actions action.yml" in script
    assert re.search(r"^zizmor --offline .*--min-severity medium .github/workflows action.yml$", script, re.M)


def test_the_only_zizmor_suppression_is_the_required_workflow_run_trigger():
    ignores = [(path.name, line.strip()) for path in FILES
               for line in path.read_text(encoding="utf-8").splitlines() if "zizmor:" in line]
    assert len(ignores) == 1
    name, line = ignores[0]
    assert name == "gardener-on-failure.yml" and line.startswith("workflow_run: # zizmor: ignore[dangerous-triggers]")


def _cache_steps(steps):
    restore = [s for s in steps if s.get("uses", "").startswith("actions/cache/restore@")]
    save = [s for s in steps if s.get("uses", "").startswith("actions/cache/save@")]
    return restore, save


@pytest.mark.parametrize("where", ["gardener-scheduled.yml", "action.yml"])
def test_the_history_store_is_kept_in_the_cache_under_a_rolling_key_with_sync_as_fallback(where):
    data = load(ROOT / where if where == "action.yml" else WORKFLOWS / where)
    steps = data["runs"]["steps"] if where == "action.yml" else next(iter(data["jobs"].values()))["steps"]
    (restore,), (save,) = _cache_steps(steps)
    # Rolling: a new entry per run (caches are immutable), the newest restored by prefix.
    key = "gardener-history-${{ github.run_id }}-${{ github.run_attempt }}"
    assert restore["with"]["key"] == save["with"]["key"] == key
    assert restore["with"]["restore-keys"] == "gardener-history-"
    assert restore["with"]["path"] == save["with"]["path"] and restore["with"]["path"].endswith("history.sqlite")
    assert "always()" in save["if"]
    sync = next(s for s in steps if "history sync" in s.get("run", ""))
    assert sync["if"].endswith("steps.history.outputs.cache-matched-key == ''")
    assert steps.index(restore) < steps.index(sync) < steps.index(save)


def test_both_gardening_workflows_keep_one_history_store_in_the_same_cache():
    """actions/cache matches on the key AND the path: the two workflows must name the same file and key, or
    a failure gardened after CI would be forgotten by the next scheduled run (and flaky-vs-broken with it)."""
    stores = []
    for name in ("gardener-scheduled.yml", "gardener-on-failure.yml"):
        (job,) = load(WORKFLOWS / name)["jobs"].values()
        caches = [s for s in job["steps"] if s.get("uses", "").startswith("actions/cache/")]
        assert [s["uses"].split("@")[0] for s in caches] == ["actions/cache/restore", "actions/cache/save"], name
        assert caches[1]["if"] == "always()"  # a failing garden step still keeps what it recorded
        stores.append((job["env"]["GARDENER_HISTORY_URL"], *((s["with"]["path"], s["with"]["key"]) for s in caches)))
    assert stores[0] == stores[1]
    url, (path, key), _ = stores[0]
    assert url == path and key.startswith("gardener-history-")
