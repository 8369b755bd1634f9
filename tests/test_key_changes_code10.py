"""key-v8's declared change for lint.linter's new veto (session 10, rules-code): a Python linter's code saying a file
does not parse (flake8's E999) is a syntax error, so the linter rule no longer wins it; its key before was
lint.linter's, and older_keys gives it. Another code of the same linter keeps the linter rule and its key. testthat's
own `Error: Test failures` no longer decides an R error (runtime.r-error-halted-toplevel's veto): the failing test's
block does, and the key before is the R error rule's."""

from __future__ import annotations

from gardener.classify import analyse
from gardener.cluster import Cluster
from gardener.config import Config
from gardener.key_changes import KeyInput, older_keys
from gardener.model import Finding
from tests.factories import result

UNPARSED = "./docs/app/service.py:22:157: E999 SyntaxError: invalid syntax"
# The linter rule decided on the first such line of the output; the generic layer keys by the result's own line.
SECOND = "./utils/md2rst.py:3:9: E999 SyntaxError: invalid syntax"
STYLE = "./docs/app/service.py:22:80: E501 line too long (120 > 79 characters)"


def _one(first: str, line: str) -> tuple[Finding, Cluster]:
    details = f"$ flake8 . --count --select=E9,F63,F7,F82 --show-source --statistics\n{first}\n{line}\n2\n"
    analysis = analyse([result("job.log::lint", message=line, details=details, kind="log")], Config())
    ((f,), *_) = [analysis.findings]
    return f, analysis.clusters[f.id]


def test_a_file_that_does_not_parse_is_a_syntax_error_and_answers_to_the_linter_key_before() -> None:
    f, cluster = _one(UNPARSED, SECOND)
    assert f.rule_id != "lint.linter" and f.category == "syntax-error"
    back = dict(older_keys(KeyInput(cluster.lead)))
    assert "key-v7" in back and back["key-v7"] != cluster.lead.key
    assert "service.py" in back["key-v7"]  # the linter rule's deciding line


def test_another_code_keeps_the_linter_rule_and_its_key() -> None:
    f, cluster = _one(STYLE.replace("22:80", "9:80"), STYLE)
    assert f.rule_id == "lint.linter"
    assert "key-v7" not in dict(older_keys(KeyInput(cluster.lead)))


# The runner log's incident for testthat's own stop: the lines around it, the failing test's block above them.
TESTTHAT_END = """[1] 2 - 3 == -1

[ FAIL 1 | WARN 0 | SKIP 0 | PASS 10 ]
Error: Test failures
Execution halted"""


def test_testthats_own_stop_is_no_r_error_and_answers_to_that_rules_key_before() -> None:
    analysis = analyse([result("job.log::test", message="Error: Test failures", details=TESTTHAT_END, kind="log")],
                       Config())
    f = analysis.findings[0]
    assert f.rule_id != "runtime.r-error-halted-toplevel" and f.category != "runtime-exception"
    back = dict(older_keys(KeyInput(analysis.clusters[f.id].lead)))
    assert "key-v7" in back and back["key-v7"] != analysis.clusters[f.id].lead.key


def test_an_r_error_of_the_code_keeps_its_rule() -> None:
    text = "Error: object 'cart' not found\nExecution halted"
    analysis = analyse([result("job.log::test", message="Error: object 'cart' not found", details=text, kind="log")],
                       Config())
    assert analysis.findings[0].rule_id == "runtime.r-error-halted-toplevel"


# A diagnostic no rule names, in a NuGet per-package folder (corpus18's Cake recipe under tools/): key-v8's generic
# layer names it the dependency's (fetched_paths.py) where key-v7's named it a compile error, both keyed by the same
# evidence line, so the key does not change and nothing is declared.
CAKE = ("Error: Error(s) occurred when compiling build script:\n"
        "/src/app/tools/Acme.Cake.Recipe.1.0.88/parameters.cake(147,45): error CS1061: 'IBuildProvider' does not "
        "contain a definition for 'IsHosted' and no accessible extension method 'IsHosted' could be found")


def test_a_generic_name_moved_to_the_dependency_keeps_its_key() -> None:
    line = CAKE.split("\n")[1]
    analysis = analyse([result("job.log::build", message=line, details=CAKE, kind="log")], Config())
    f = analysis.findings[0]
    assert (f.rule_id, f.category) == ("generic.dependency-install-failure", "dependency-install-failure")
    lead = analysis.clusters[f.id].lead
    assert lead.key == line and not dict(older_keys(KeyInput(lead)))
