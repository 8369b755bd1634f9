from pathlib import Path

import pytest

from gardener import render
from gardener.errors import TemplateError


def test_shipped_templates_are_found_from_the_source_checkout():
    assert (render.shipped_templates_dir() / "worklog.md.j2").is_file()


def test_user_template_shadows_the_shipped_one(tmp_path: Path):
    (tmp_path / "comment.md.j2").write_text("custom {{ comment.headline }}\n")
    env = render.environment(tmp_path)
    assert render.render(env, "comment.md.j2", {"comment": {"headline": "hi"}}) == "custom hi\n"


def test_user_template_can_extend_the_shipped_one_and_change_one_block(tmp_path: Path):
    (tmp_path / "comment.md.j2").write_text(
        '{% extends "gardener/comment.md.j2" %}{% block comment %}only {{ comment.headline }}{% endblock %}'
    )
    env = render.environment(tmp_path)
    assert render.render(env, "comment.md.j2", {"comment": {"headline": "this"}, "ci": {}}) == "only this\n"


def test_undefined_variable_names_template_and_line(tmp_path: Path):
    (tmp_path / "summary.md.j2").write_text("line one\n{{ run.nope }}\n")
    env = render.environment(tmp_path)
    with pytest.raises(TemplateError) as err:
        render.render(env, "summary.md.j2", {"run": {}})
    assert err.value.name == "summary.md.j2"
    assert err.value.line == 2
    assert "nope" in str(err.value)


def test_syntax_error_names_template_and_line(tmp_path: Path):
    (tmp_path / "worklog.md.j2").write_text("ok\n\n{% for x in %}\n")
    with pytest.raises(TemplateError) as err:
        render.render(render.environment(tmp_path), "worklog.md.j2", {})
    assert err.value.line == 3
    assert "worklog.md.j2:3" in str(err.value)


def test_template_source_and_listing_show_overrides(tmp_path: Path):
    (tmp_path / "worklog.md.j2").write_text("mine\n")
    rows = dict(render.list_templates(tmp_path))
    assert rows["worklog.md.j2"].endswith("worklog.md.j2") and rows["summary.md.j2"] == "shipped"
    assert render.template_source("worklog.md.j2", tmp_path) == "mine\n"
    assert "Executive Summary" in render.template_source("worklog.md.j2")
    with pytest.raises(TemplateError, match="no template named"):
        render.template_source("nope.j2")


def test_tidy_keeps_markdown_hard_breaks_and_collapses_blank_runs():
    assert render._tidy("a  \n\n\n\nb \n\n") == "a  \n\nb\n"
