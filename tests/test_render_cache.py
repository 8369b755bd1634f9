"""Compiled templates are kept between runs (render.py): a hit renders exactly what compiling gives, an edited
template is compiled again, errors still name the template and line, and a folder that is not private is
never loaded from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gardener import render
from gardener.errors import TemplateError


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GARDENER_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("GARDENER_NO_TEMPLATE_CACHE", raising=False)
    return tmp_path / "cache" / "templates"


def counting(env: Any) -> list[str]:
    compiled: list[str] = []
    original = env.compile

    def compile_(source: str, name: str | None = None, filename: str | None = None, **kw: Any) -> Any:
        compiled.append(name or "")
        return original(source, name, filename, **kw)

    env.compile = compile_
    return compiled


def test_a_hit_renders_what_compiling_does_without_compiling(cache: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "comment.md.j2").write_text("{% for x in xs %}- {{ x }}\n{% endfor %}{{ 'done' | upper }}\n")
    ctx = {"xs": ["a", "b"]}
    first = render.environment(tmp_path / "t")
    made = counting(first)
    out = render.render(first, "comment.md.j2", ctx)
    assert made == ["comment.md.j2"] and list(cache.glob("__jinja2_*.cache"))
    second = render.environment(tmp_path / "t")
    again = counting(second)
    assert render.render(second, "comment.md.j2", ctx) == out == "- a\n- b\nDONE\n"
    assert again == []  # read back, not compiled
    monkeypatch.setenv("GARDENER_NO_TEMPLATE_CACHE", "1")
    assert render.render(render.environment(tmp_path / "t"), "comment.md.j2", ctx) == out


def test_an_edited_template_is_compiled_again(cache: Path, tmp_path: Path) -> None:
    (tmp_path / "comment.md.j2").write_text("one {{ v }}\n")
    assert render.render(render.environment(tmp_path), "comment.md.j2", {"v": 1}) == "one 1\n"
    (tmp_path / "comment.md.j2").write_text("two {{ v }}\n")
    env = render.environment(tmp_path)
    made = counting(env)
    assert render.render(env, "comment.md.j2", {"v": 1}) == "two 1\n"
    assert made == ["comment.md.j2"]


def test_errors_from_cached_code_still_name_template_and_line(cache: Path, tmp_path: Path) -> None:
    (tmp_path / "summary.md.j2").write_text("line one\n{{ run.nope }}\n")
    for _ in range(2):  # compiled, then read back from the cache
        with pytest.raises(TemplateError) as err:
            render.render(render.environment(tmp_path), "summary.md.j2", {"run": {}})
        assert (err.value.name, err.value.line) == ("summary.md.j2", 2)


def test_a_folder_others_can_write_is_never_used(cache: Path) -> None:
    cache.mkdir(parents=True)
    cache.chmod(0o777)
    assert render.template_cache() is None
    cache.chmod(0o700)
    assert render.template_cache() is not None


def test_the_key_names_jinja_and_the_options() -> None:
    a = render._CompiledTemplates("/nonexistent")
    key = a.get_cache_key("x.j2", "/t/x.j2")
    assert key.endswith(a.flavour) and len(a.flavour) == 16
