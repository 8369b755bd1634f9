"""syntax.yaml-parse: a YAML parser's own verdict that a file does not parse is a syntax error, whichever tool loaded
the file (corpus24's device-tree binding bot, where yamllint's `(syntax)` line made it a lint finding; PyYAML's and
Psych's exceptions were read as runtime exceptions, Helm's as unclassified).

Real shapes: huggingface/smolagents#1841 (doc-builder on Actions: `yaml.scanner.ScannerError: mapping values are not
allowed here` / `in "<unicode string>", line 40, column 29:`), apiaryio/apiblueprint.org#60 (`rake validate-tools`:
`Psych::SyntaxError: (data/tools.yaml): could not find expected ':' while scanning a simple key at line 268 column 3`),
milvus-io/milvus-helm#203 (`helm lint`: `[ERROR] templates/hpa.yaml: unable to parse YAML: error converting YAML to
JSON: yaml: line 6: did not find expected key`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.config import Config
from tests.corpus_scoring import classified
from tests.rules.excerpt_first import first_finding_of

SMOLAGENTS_1841 = (
    "yaml.scanner.ScannerError: mapping values are not allowed here\n"
    '  in "<unicode string>", line 40, column 29:\n'
    "        title: Human-in-the-Loop: x\n"
    "                                ^\n"
    "Error: Process completed with exit code 1.\n"
)
APIBLUEPRINT_60 = (
    "$ rake validate-tools\n"
    "rake aborted!\n"
    "Psych::SyntaxError: (data/tools.yaml): could not find expected ':' while scanning a simple key at line 268 "
    "column 3\n"
    'The command "rake validate-tools" exited with 1.\n'
)
MILVUS_HELM_203 = (
    "==> Linting milvus-helm/charts/milvus\n"
    "[ERROR] templates/hpa.yaml: unable to parse YAML: error converting YAML to JSON: yaml: line 6: did not find "
    "expected key\n"
    "\n"
    "Error: 1 chart(s) linted, 1 chart(s) failed\n"
)


@pytest.mark.parametrize(("text", "file"), [
    (SMOLAGENTS_1841, ""),
    (APIBLUEPRINT_60, "data/tools.yaml"),
    (MILVUS_HELM_203, "templates/hpa.yaml"),
])
def test_a_yaml_parser_failing_is_a_syntax_error(text: str, file: str, config: Config, tmp_path: Path) -> None:
    f = first_finding_of(text, config, tmp_path)
    assert (f.category, f.priority, f.rule_id) == ("syntax-error", "P1", "syntax.yaml-parse"), f
    assert file in f.title, f.title


# Near-misses: a parsed document whose tag no constructor knows (openSUSE/openSUSE-docs-revamped#48, mkdocs.yml's
# `!!python/name:`), and yamllint's `(syntax)` finding with no consumer failing on the file (netdata/netdata#8295's
# standard format; the parsable one as the device-tree bot prints it): the linter's report, not this rule's.
@pytest.mark.parametrize("text", [
    "yaml.constructor.ConstructorError: could not determine a constructor for the tag "
    "'tag:yaml.org,2002:python/name:materialx.emoji.twemoji'\n"
    '  in "/home/apinter/Project/git/openSUSE-docs-revamped/project/mkdocs.yml", line 51, column 22\n'
    "Error: Process completed with exit code 1.\n",
    "$ yamllint .travis.yml\n.travis.yml\n"
    "  173:51    error    syntax error: mapping values are not allowed here (syntax)\n"
    'The command "yamllint .travis.yml" exited with 1.\n',
    "yamllint warnings/errors:\n"
    "./Documentation/devicetree/bindings/net/onnn,s2500.yaml:22:49: [error] syntax error: mapping values are not "
    "allowed here (syntax)\nmake: *** [Makefile:1364: dt_binding_check] Error 2\n",
])
def test_a_constructor_or_a_linter_alone_is_not_it(text: str, config: Config, tmp_path: Path) -> None:
    path = tmp_path / "excerpt.txt"
    path.write_text(text, encoding="utf-8")
    findings = classified(path, config)
    assert findings and all(f.rule_id != "syntax.yaml-parse" for f in findings)
