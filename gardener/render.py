"""Jinja2 rendering: the user's template directory shadows the shipped templates.

A user template may `{% extends "gardener/NAME" %}` to change one block of the shipped one.
StrictUndefined turns a misspelt variable into an error naming the template and line, raised
before anything is written.

Compiling the templates cost ~40 ms of every run, so their compiled code is kept (Jinja's bytecode
cache) in templates/ under the gardener cache folder (gardener/cachedir.py), created private (0700):
marshalled code, trusted as Python trusts its __pycache__. Jinja reuses an entry only while the
template's source checksum is the same; the key also names Jinja's version and the options below,
which shape the generated code, so no entry outlives what compiled it. Set GARDENER_NO_TEMPLATE_CACHE
to compile every time.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2

from gardener.cachedir import user_cache_root
from gardener.errors import TemplateError
from gardener.view.markdown_safe import FILTERS

DOCUMENTS: tuple[str, ...] = ("worklog.md.j2", "summary.md.j2", "issue_body.md.j2", "comment.md.j2", "_macros.j2")


def shipped_templates_dir() -> Path:
    """templates/ inside the wheel (gardener/templates) or at the root of a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent / "templates"):
        if (candidate / "worklog.md.j2").is_file():
            return candidate
    raise TemplateError("worklog.md.j2", None, f"shipped templates not found next to {here}")


OPTIONS: dict[str, Any] = {
    "undefined": jinja2.StrictUndefined,
    "autoescape": False,  # markdown, not HTML: untrusted values go through the md/code/cell filters
    "keep_trailing_newline": True,
    "trim_blocks": False,
    "lstrip_blocks": False,
}


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache, its key also naming Jinja's version and the environment's options."""

    def __init__(self, directory: str) -> None:
        super().__init__(directory)
        self.flavour = hashlib.sha256(repr((jinja2.__version__, sorted(OPTIONS.items()))).encode()).hexdigest()[:16]

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return f"{super().get_cache_key(name, filename)}-{self.flavour}"


def template_cache(environ: Mapping[str, str] = os.environ) -> jinja2.BytecodeCache | None:
    """The compiled-template cache, or None when it is turned off or its folder cannot be made private."""
    if environ.get("GARDENER_NO_TEMPLATE_CACHE"):
        return None
    where = user_cache_root(environ) / "templates"
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = where.stat()
        if st.st_uid != os.getuid() or st.st_mode & 0o077:
            return None  # someone else's or shared: never load code from it
    except (OSError, AttributeError):  # AttributeError: no getuid (Windows): no cache there
        return None
    return _CompiledTemplates(str(where))


def environment(user_dir: Path | None = None) -> jinja2.Environment:
    shipped = jinja2.FileSystemLoader(str(shipped_templates_dir()))
    loaders: list[jinja2.BaseLoader] = []
    if user_dir is not None and user_dir.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(user_dir)))
    loaders += [jinja2.PrefixLoader({"gardener": shipped}), shipped]
    env = jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), bytecode_cache=template_cache(), **OPTIONS)
    env.filters.update(FILTERS)  # `code`, `md`, `cell`: untrusted text made inert (gardener/view/markdown_safe.py)
    return env


def render(env: jinja2.Environment, name: str, context: Mapping[str, Any]) -> str:
    try:
        text = env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(exc.filename or exc.name or name, exc.lineno, exc.message or "syntax error") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(name, None, f"template not found: {exc.name}") from None
    except jinja2.UndefinedError as exc:
        template, line = _failing_frame(exc, name)
        raise TemplateError(template, line, str(exc)) from None
    except (jinja2.TemplateError, TypeError, ValueError, AttributeError, KeyError) as exc:
        # Rendering only walks prepared values, so these are template mistakes (calling a
        # string, iterating a number): name the template line instead of a traceback.
        template, line = _failing_frame(exc, name)
        raise TemplateError(template, line, f"{type(exc).__name__}: {exc}") from None
    return _tidy(text)


def _failing_frame(exc: BaseException, default: str) -> tuple[str, int | None]:
    """The innermost template frame of a rendering error: Jinja maps its lines back to the source."""
    tb = exc.__traceback__
    found: tuple[str, int | None] = (default, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = (Path(filename).name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _tidy(text: str) -> str:
    """At most one blank line in a row, no trailing spaces beyond markdown's hard break, one final newline."""
    out: list[str] = []
    for line in text.splitlines():
        stripped = line.rstrip()
        if line.endswith("  ") and stripped:
            stripped += "  "
        if not stripped and out and not out[-1]:
            continue
        out.append(stripped)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


def list_templates(user_dir: Path | None) -> list[tuple[str, str]]:
    """(name, where) for every document template, showing which ones the user overrides."""
    rows = []
    for name in DOCUMENTS:
        user = user_dir / name if user_dir else None
        rows.append((name, str(user) if user and user.is_file() else "shipped"))
    return rows


def template_source(name: str, user_dir: Path | None = None) -> str:
    env = environment(user_dir)
    if env.loader is None:
        raise TemplateError(name, None, "no template loader")
    try:
        source, _, _ = env.loader.get_source(env, name)
    except jinja2.TemplateNotFound:
        raise TemplateError(name, None, f"no template named {name}; try one of {', '.join(DOCUMENTS)}") from None
    return source
