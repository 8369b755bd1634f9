"""key-v8's declared changes for rules-infra's rules (gardener/key_changes.py, gardener/widened_v8.py): a failure a new
rule now wins answers to the key the rule (or no rule) that decided it before gave, and one oom.exit-137 won before
keeps its key."""

from __future__ import annotations

from gardener.classify import analyse
from gardener.cluster import Cluster
from gardener.config import Config
from gardener.key_changes import KeyInput, older_keys
from gardener.model import Finding
from tests.factories import result


def _one(message: str, details: str) -> tuple[Finding, Cluster]:
    analysis = analyse([result("job.log::build", message=message, details=details)], Config())
    ((f,),) = [analysis.findings]
    return f, analysis.clusters[f.id]


def test_a_registry_that_does_not_answer_answers_to_the_timeout_key_before() -> None:
    line = ('Get "https://mirror.example.net/v2/": net/http: request canceled while waiting for connection '
            "(Client.Timeout exceeded while awaiting headers)")
    f, cluster = _one(line, f"Step 1/9 : FROM mirror.example.net/library/alpine:3.20\n{line}")
    assert f.rule_id == "registry.unreachable"
    back = dict(older_keys(KeyInput(cluster.lead)))
    assert back["key-v7"] != cluster.lead.key  # key-v7 keyed it by the timeout rule's words, not the registry


def test_a_kill_beside_a_timeout_option_answers_to_the_key_no_rule_gave_before() -> None:
    text = "python eval.py --timeout 120\nProcess finished with exit code 137 (interrupted by signal 9:SIGKILL)"
    f, cluster = _one(text.split("\n")[1], text)
    assert f.rule_id == "oom.exit-137"
    back = dict(older_keys(KeyInput(cluster.lead)))
    assert "key-v7" in back and back["key-v7"] != cluster.lead.key


def test_a_kill_without_a_timeout_word_keeps_its_key() -> None:
    text = "python eval.py --split dev\nProcess finished with exit code 137 (interrupted by signal 9:SIGKILL)"
    f, cluster = _one(text.split("\n")[1], text)
    assert f.rule_id == "oom.exit-137"
    assert "key-v7" not in dict(older_keys(KeyInput(cluster.lead)))


def test_a_refused_layer_upload_answers_to_the_auth_key_before() -> None:
    text = ("layer 1/1: 5094d62: not present, uploading\n"
            "error: POST failed; expected status {202} but got 401: Unauthorized")
    f, cluster = _one(text.split("\n")[-1], text)
    assert f.rule_id == "registry.push-denied"
    back = dict(older_keys(KeyInput(cluster.lead)))
    assert "key-v7" in back and back["key-v7"] != cluster.lead.key


def test_twine_verbose_refusal_answers_to_the_key_before() -> None:
    text = ("Uploading acme-1.0.tar.gz\nINFO     Response from https://test.pypi.org/legacy/:\n"
            "         400 Bad Request\nINFO     <html>\n"
            "  <title>400 Only one sdist may be uploaded per release.</title>")
    f, cluster = _one(text.split("\n")[-1], text)
    assert f.rule_id == "registry.publish-refused"
    back = dict(older_keys(KeyInput(cluster.lead)))
    assert "key-v7" in back and back["key-v7"] != cluster.lead.key


def test_actions_exit_143_answers_to_the_cancellation_key_before() -> None:
    line = "##[error]Process completed with exit code 143."
    f, cluster = _one(line, f"Run ./ci/test.sh\n{line}")
    assert f.rule_id != "ci.operation-canceled"
    back = dict(older_keys(KeyInput(cluster.lead)))
    assert back["key-v7"] == "The operation was canceled"
