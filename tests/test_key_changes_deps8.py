"""key-v6's declared changes for the rules rules-deps-2 widened (gardener/key_changes.py, gardener/widened_v6.py): a
failure a widened rule now wins answers to the key the rule that won it before gave; one it won before keeps its key."""

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


TSC_RELATIVE = ("node_modules/modbus-serial/ServerSerial.d.ts:5:37 - error TS7016: Could not find a declaration file "
                "for module './servers/pipe'. '/x/node_modules/modbus-serial/servers/pipe.js' implicitly has an 'any' "
                "type.")
TSC_TYPES = "/app/node_modules/@acme/kit/index.d.ts:1:23 - error TS2688: Cannot find type definition file for 'node'."
COPY_CUT = "Step 3/5 : COPY build/app.tar /opt/\nCOPY failed: stat /var/lib/docker/tmp/docker-builder7513/build/app.t"
COPY_WHOLE = ("Step 3/5 : COPY build/app.tar /opt/\nCOPY failed: stat /var/lib/docker/tmp/docker-builder7513/build/"
              "app.tar: no such file or directory")


def test_a_compile_error_in_a_relative_node_modules_path_answers_to_the_compile_key_before() -> None:
    # Won by rules-code-2's deps.tsc-error-in-node-modules (new in key-v6) over the widened
    # deps.dependency-does-not-compile, whose evidence before did not match it: the key before is the compile rule's.
    f, cluster = _one(TSC_RELATIVE.split("\n")[0], TSC_RELATIVE)
    assert f.rule_id == "deps.tsc-error-in-node-modules"
    back = dict(older_keys(KeyInput(cluster.lead)))
    # what c0935a8 gave (compile.diagnostic), checked against that checkout
    assert back["key-v5"].startswith("does not compile: node_modules/modbus-serial/ServerSerial.d.ts: Could not find")


def test_declarations_missing_a_type_package_answer_to_the_dependency_key_before() -> None:
    f, cluster = _one(TSC_TYPES.split("\n")[0], TSC_TYPES)
    assert f.category == "compile-error"
    back = dict(older_keys(KeyInput(cluster.lead)))
    assert back["key-v5"].startswith("dependency does not compile")


def test_a_copy_line_cut_short_answers_to_the_key_before_and_a_whole_one_keeps_its_key() -> None:
    f, cluster = _one("COPY failed: stat /var/lib/docker/tmp/docker-builder7513/build/app.t", COPY_CUT)
    assert f.rule_id == "docker.copy-source-missing"
    back = dict(older_keys(KeyInput(cluster.lead)))
    assert "key-v5" in back and back["key-v5"] != cluster.lead.key
    f, cluster = _one(COPY_WHOLE.split("\n")[1], COPY_WHOLE)
    assert f.rule_id == "docker.copy-source-missing"
    assert "key-v5" not in dict(older_keys(KeyInput(cluster.lead)))


def test_a_new_family_rule_answers_to_the_key_no_rule_gave_before() -> None:
    text = "Error: Failed installing dependency: https://luarocks.org/luasec-0.9-1.src.rock - Could not find header"
    f, cluster = _one(text, text)
    assert f.rule_id == "deps.luarocks"
    back = dict(older_keys(KeyInput(cluster.lead)))
    assert "key-v5" in back and back["key-v5"] != cluster.lead.key


def test_a_failed_run_step_pasted_through_html_keeps_the_key_no_rule_gave_it() -> None:
    # docker.buildkit-step-failed keys by the line, as no rule did: its category changes, its key does not.
    text = ("The command &#x27;&#x2F;bin&#x2F;sh -c make build&#x27; returned a non-zero code: 2\n"
            "##[error]Bash exited with code '2'.")
    f, cluster = _one(text.split("\n")[0], text)
    assert f.rule_id == "docker.buildkit-step-failed"
    assert list(older_keys(KeyInput(cluster.lead))) == []
