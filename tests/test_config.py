"""Config: gardener.toml or [tool.gardener]; every error names the file, the key and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.classify import find
from gardener.config import Config, load_config
from gardener.errors import ConfigError
from tests.rules.helpers import failing_test

FULL = """
[gardener]
templates_dir = "tpl"

[gardener.classify]
masks = [{ pattern = 'tenant-[a-z]+', replace = '<tenant>' }]

[[gardener.rules]]
id = "acme.ldap"
category = "connection-refused"
precedence = 200
match.text = '''ldap server (?P<host>\\S+) unreachable'''
title = "LDAP {host} unreachable"

[gardener.categories.acme-quota]
priority = "P1"
area = "resources"
layer = "environment"

[[gardener.rules]]
id = "acme.quota"
category = "acme-quota"
match.text = "quota exceeded"
"""


def test_defaults_when_there_is_no_config(tmp_path: Path) -> None:
    cfg = load_config(start=tmp_path)
    assert cfg.source == "<defaults>"
    assert cfg.rules.rule("disk.no-space") is not None


def test_gardener_toml_sections(tmp_path: Path) -> None:
    (tmp_path / "gardener.toml").write_text(FULL)
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    cfg = load_config(start=sub)
    assert cfg.source == str(tmp_path / "gardener.toml")
    assert cfg.templates_dir == tmp_path.resolve() / "tpl"
    assert cfg.rules.rules[0].id == "acme.ldap"
    (ldap,) = find([failing_test("t.py::a", "ldap server dir.acme unreachable for tenant-blue")], cfg)
    assert (ldap.category, ldap.title) == ("connection-refused", "LDAP dir.acme unreachable")
    (quota,) = find([failing_test("t.py::b", "quota exceeded for tenant-red")], cfg)
    assert quota.label == "failing-test-resources-P1-acme-quota"


def test_project_masks_apply_to_signatures(tmp_path: Path) -> None:
    (tmp_path / "gardener.toml").write_text(FULL)
    cfg = load_config(tmp_path / "gardener.toml")
    a = find([failing_test("t.py::a", "boom for tenant-blue")], cfg)
    b = find([failing_test("t.py::a", "boom for tenant-red")], cfg)
    assert a[0].id == b[0].id and "<tenant>" in a[0].signature.text


def test_pyproject_tool_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.gardener.classify]\nmasks = []\n')
    cfg = load_config(start=tmp_path)
    assert cfg.source.endswith("pyproject.toml")


def test_pyproject_without_a_gardener_table_gives_defaults(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert load_config(start=tmp_path).source == "<defaults>"


def test_rules_files_are_loaded_relative_to_the_config(tmp_path: Path) -> None:
    (tmp_path / "ci").mkdir()
    (tmp_path / "ci" / "rules.toml").write_text(
        '[[rules]]\nid = "acme.x"\ncategory = "unclassified"\nprecedence = 300\nmatch.text = "xyzzy"\n')
    (tmp_path / "gardener.toml").write_text('[gardener.classify]\nrules_files = ["ci/rules.toml"]\n')
    cfg = load_config(tmp_path / "gardener.toml")
    assert cfg.rules.rules[0].id == "acme.x"


@pytest.mark.parametrize(
    ("text", "key", "reason"),
    [
        ("[gardener]\ncolour = 1\n", "colour", "unknown key"),
        ("[other]\nx = 1\n", "other", "unknown top-level key"),
        ("[gardener.classify]\nmask = []\n", "classify.mask", "unknown key"),
        ("[gardener.classify]\nmasks = [{ pattern = '(' }]\n", "classify.masks[0].pattern", "not a valid regex"),
        ("[gardener.classify]\nmasks = [{ pattern = 'a', with = 'b' }]\n", "classify.masks[0].with", "unknown key"),
        ("[gardener.classify]\nrules_files = ['missing.toml']\n", "classify.rules_files", "no such file"),
        ("[gardener]\ntemplates_dir = 3\n", "templates_dir", "must be a non-empty string"),
        ("[[gardener.rules]]\nid = 'x'\ncategory = 'nope'\nmatch.text = 'a'\n", "rules", "line 1: rule x: category"),
        ("[gardener\n", "-", "not valid TOML"),
    ],
)
def test_errors_name_file_key_and_problem(tmp_path: Path, text: str, key: str, reason: str) -> None:
    path = tmp_path / "gardener.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert err.value.source == str(path)
    assert err.value.option == key
    assert reason in err.value.reason


def test_an_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such config file"):
        load_config(tmp_path / "nope.toml")


def test_default_config_is_constructible() -> None:
    assert Config().masks == ()
