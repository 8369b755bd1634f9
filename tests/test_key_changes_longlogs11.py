"""key-v9's declared changes for longlogs-11's rules (gardener/key_changes.py, gardener/widened_v9.py): a failure the
new or widened rule now wins answers to the key it had before; one the widened rule won before keeps its key. Lines from
the logs tests/rules/test_longlogs11_rules.py cites."""

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


def test_a_missing_targeting_pack_answers_to_the_key_no_rule_gave_before() -> None:
    line = ("/usr/share/dotnet/sdk/3.1.420/Microsoft.Common.CurrentVersion.targets(1177,5): error MSB3644: The "
            "reference assemblies for .NETFramework,Version=v4.5 were not found.")
    f, cluster = _one(line, line)
    assert f.rule_id == "deps.framework-targeting-pack-missing"
    back = dict(older_keys(KeyInput(cluster.lead)))
    assert "key-v8" in back and back["key-v8"] != cluster.lead.key


def test_vsbuild_without_a_solution_answers_to_the_key_before() -> None:
    line = "Solution not found using search pattern 'D:\\a\\1\\s\\**\\*.sln'."
    f, cluster = _one(line, line)
    assert f.rule_id == "compile.msbuild-project"
    back = dict(older_keys(KeyInput(cluster.lead)))
    assert "key-v8" in back and back["key-v8"] != cluster.lead.key


def test_an_msbuild_definition_error_the_rule_won_before_keeps_its_key() -> None:
    line = ("C:\\src\\App.csproj(12,3): error MSB4019: The imported project "
            "\"C:\\x\\Microsoft.WebApplication.targets\" was not found.")
    f, cluster = _one(line, line)
    assert f.rule_id == "compile.msbuild-project"
    assert "key-v8" not in dict(older_keys(KeyInput(cluster.lead)))


def test_node_configure_without_a_compiler_answers_to_the_key_before() -> None:
    line = "ERROR: No acceptable C compiler found!"
    warning = "WARNING: failed to autodetect C compiler version (CC=/bin/xlc)"
    f, cluster = _one(line, f"python ./configure \n{warning}\n{line}")
    assert f.rule_id == "deps.node-configure-no-compiler"
    back = dict(older_keys(KeyInput(cluster.lead)))
    assert "key-v8" in back and back["key-v8"] != cluster.lead.key
