"""Rule files: validation with line numbers, user rules first, precedence and vetoes, explain data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gardener.errors import InputError
from gardener.normalize import mask
from gardener.rules.engine import Evidence, evaluate
from gardener.rules.loader import builtin_rules, load_rules_file, parse_rules
from gardener.rules.template import render
from tests.rules.helpers import log_incident

USER_PACK = """
[[rules]]
id = "acme.flaky-ldap"
category = "connection-refused"
precedence = 200
match.text = '''ldap://(?P<host>[\\w.-]+):(?P<port>\\d+) unreachable'''
title = "LDAP {host} down"
"""


def test_builtin_pack_loads_and_names_the_taxonomy() -> None:
    rules = builtin_rules()
    assert {"docker-build-failure", "registry-access-failure", "unclassified"} <= set(rules.categories)
    assert rules.categories["docker-build-failure"].priority == "P0"
    assert rules.categories["import-collection-error"].layer == "collection"
    assert len({r.id for r in rules.rules}) == len(rules.rules)


def test_user_rules_come_first_and_replace_by_id(tmp_path: Path) -> None:
    f = tmp_path / "rules.toml"
    f.write_text(USER_PACK + '\n[[rules]]\nid = "disk.no-space"\ncategory = "unclassified"\nmatch.text = "never"\n')
    user = load_rules_file(f)
    merged = builtin_rules().with_user_rules(user.rules)
    assert merged.rules[0].id == "acme.flaky-ldap"
    assert [r.category for r in merged.rules if r.id == "disk.no-space"] == ["unclassified"]
    verdict = evaluate(merged, Evidence.of(log_incident("ldap://dir.acme.local:389 unreachable")))
    assert verdict.winner is not None and verdict.winner.rule.id == "acme.flaky-ldap"
    assert ("host", "dir.acme.local") in verdict.winner.captures


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("[[rules]]\nid = 'x'\ncategory = 'nope'\nmatch.text = 'a'\n", "line 1: rule x: category 'nope'"),
        ("\n\n[[rules]]\nid = 'x'\ncategory = 'unclassified'\nmatch.text = '(unclosed'\n",
         "line 3: rule x.match.text: bad regex"),
        ("[[rules]]\nid = 'x'\ncategory = 'unclassified'\n", "match needs at least one field"),
        ("[[rules]]\nid = 'x'\ncategory = 'unclassified'\nmatch.body = 'a'\n", "unknown field"),
        ("[[rules]]\nid = 'x'\ncategory = 'unclassified'\nmatch.text = 'a'\ncolour = 1\n", "unknown key 'colour'"),
        ("[[rules]]\nid = 'x'\ncategory = 'unclassified'\nmatch.text = 'a'\ntitle = '{img}'\n",
         "{img} is not a named group"),
        ("[[rules]]\nid = 'x'\ncategory = 'unclassified'\nmatch.text = 'a'\n[[rules]]\nid = 'x'\n"
         "category = 'unclassified'\nmatch.text = 'b'\n", "line 5: rule id 'x' is defined twice"),
        ("[[rules]]\nid = 'x'\ncategory = \n", "line 3"),
        ("[categories.mine]\npriority = 'P9'\narea = 'a'\nlayer = 'test'\n", "line 1: categories.mine.priority"),
        ("[[rules]]\nid = 'x'\ncategory = 'unclassified'\nmatch.text = 'a'\nweak = 'yes'\n",
         "rule x.weak: must be true or false"),
        ("[[rules]]\nid = 'x'\ncategory = 'unclassified'\nmatch.text = 'a'\ntitle = '{endpoints}'\n",
         "{endpoints} is not a named group"),
    ],
)
def test_bad_rule_files_name_the_line(tmp_path: Path, text: str, needle: str) -> None:
    f = tmp_path / "bad.toml"
    f.write_text(text)
    with pytest.raises(InputError) as err:
        load_rules_file(f)
    assert str(f) in str(err.value) and needle in str(err.value)


def test_precedence_and_veto_are_explained() -> None:
    text = (
        "#5 ERROR: Could not find a version that satisfies the requirement nope==1\n"
        "ERROR: failed to solve: process \"/bin/sh -c pip install nope==1\" did not complete successfully: exit code: 1"
    )
    verdict = evaluate(builtin_rules(), Evidence.of(log_incident(text)))
    assert verdict.winner is not None and verdict.winner.rule.id == "deps.pip-resolution"
    losers = dict((h.rule.id, why) for h, why in verdict.losers())
    assert "lower precedence" in losers["docker.buildkit-step-failed"]
    go = evaluate(builtin_rules(), Evidence.of(log_incident(
        "panic: runtime error: invalid memory address or nil pointer dereference\n"
        "[signal SIGSEGV: segmentation violation]"
    )))
    assert go.winner is not None and go.winner.rule.category == "runtime-exception"
    assert any(h.rule.id == "crash.native" and why.startswith("vetoed by") for h, why in go.losers())


def test_templates_fill_captures_with_fallbacks_and_filters() -> None:
    caps = {"path": ["C:\\src\\docker"], "image": ["a", "b", "a"]}
    assert render("Missing {path|basename} dir", caps) == "Missing docker dir"
    assert render("{image*}", caps) == "a, b"
    assert render("{service?the stack}", caps) == "the stack"
    assert render("{service}", caps) == "unknown"
    # `port`: a fixed service port is kept out of the masks in a key only; an ephemeral one is not.
    assert render("{port|port}", {"port": ["5432"]}) == "5432"
    assert mask(render("refused :{port|port}", {"port": ["5432"]}, key=True)) == "refused :5432"
    assert mask(render("refused :{port|port}", {"port": ["49152"]}, key=True)) == "refused :<n>"


def test_an_optional_phrase_reads_as_a_sentence_with_or_without_its_capture() -> None:
    template = "conftest {path|basename} cannot be imported{module+: importing `%` fails}"
    assert render(template, {"path": ["tests/conftest.py"], "module": ["schemathesis"]}) == (
        "conftest conftest.py cannot be imported: importing `schemathesis` fails")
    assert render(template, {"path": ["tests/conftest.py"]}) == "conftest conftest.py cannot be imported"
    assert render("fails{test+ in }", {"test": ["TestA", "TestB"]}) == "fails in TestA"
    assert render("fails{test*+ in %}{limit+ after %?}", {"test": ["TestA", "TestB"]}) == "fails in TestA, TestB"


def test_no_shipped_sentence_glues_a_captured_value_onto_a_word() -> None:
    """`cannot be imported{module?}` renders `importedschemathesis`: an optional value needs a phrase."""
    glued = []
    for rule in builtin_rules().rules:
        for name in ("title", "root_cause", "remediation"):
            template = getattr(rule, name)
            values = {n: ["VALUE"] for n in re.findall(r"\{(\w+)", template)}
            if re.search(r"\wVALUE", render(template, values)):
                glued.append(f"{rule.id}.{name}: {template}")
    assert glued == []


def test_parse_rules_reports_unknown_top_level_keys() -> None:
    with pytest.raises(InputError, match="unknown top-level key 'rule'"):
        parse_rules("[[rule]]\nid='x'\n", "inline.toml", base=builtin_rules())
