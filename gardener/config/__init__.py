"""Configuration: `gardener.toml` ([gardener] table) or `[tool.gardener]` in pyproject.toml.

Every error names the file, the key and what is wrong; unknown keys are errors. Each section
is parsed by one small function registered in SECTIONS, so a new section is one entry.

    [gardener]
    templates_dir = ".github/gardener/templates"
    [gardener.classify]
    masks = [{ pattern = 'req-[0-9a-f]+', replace = '<req>' }]   # after the built-in masks
    rules_files = ["ci/gardener-rules.toml"]                      # same format as the shipped pack
    [[gardener.rules]]            # user rules, before the shipped pack; same id replaces a shipped rule
    [gardener.categories.NAME]    # user categories (or overrides of a shipped category's defaults)
    [[gardener.commands]] / [[gardener.scopes]] / [[gardener.areas]]   (see config/run.py)
    [gardener.github]             # the tracker policy (see config/github.py)
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from gardener import regex as re
from gardener.config.github import parse_github
from gardener.config.over_time import parse_over_time
from gardener.config.run import parse_areas, parse_commands, parse_scopes
from gardener.config.sources import SourcesPolicy, parse_sources
from gardener.errors import ConfigError, InputError
from gardener.model import CommandSpec, OverTimePolicy, TrackerPolicy
from gardener.normalize import ProjectMask
from gardener.rules.loader import builtin_rules, load_rules_file, rules_from_data
from gardener.rules.model import RuleSet
from gardener.scopes import AreaSpec, ScopeSpec

CONFIG_NAMES = ("gardener.toml", "pyproject.toml")


@dataclass(frozen=True, slots=True)
class Config:
    source: str = "<defaults>"
    base_dir: Path = field(default_factory=Path.cwd)
    templates_dir: Path | None = None
    masks: tuple[ProjectMask, ...] = ()
    rules_files: tuple[str, ...] = ()
    rules: RuleSet = field(default_factory=builtin_rules)
    commands: tuple[CommandSpec, ...] = ()
    scopes: tuple[ScopeSpec, ...] = ()
    areas: tuple[AreaSpec, ...] = ()
    github: TrackerPolicy = field(default_factory=TrackerPolicy)
    sources: SourcesPolicy = field(default_factory=SourcesPolicy)
    over_time: OverTimePolicy = field(default_factory=OverTimePolicy)


def _parse_templates_dir(raw: object, source: str, cfg: Config) -> Config:
    if not isinstance(raw, str) or not raw:
        raise ConfigError(source, "templates_dir", "must be a non-empty string (a directory path)")
    path = Path(raw)
    return replace(cfg, templates_dir=path if path.is_absolute() else cfg.base_dir / path)


def _parse_masks(raw: object, source: str) -> tuple[ProjectMask, ...]:
    if not isinstance(raw, list):
        raise ConfigError(source, "classify.masks", "must be an array of { pattern, replace } tables")
    masks = []
    for i, item in enumerate(raw):
        where = f"classify.masks[{i}]"
        if not isinstance(item, dict):
            raise ConfigError(source, where, "must be a table { pattern = '...', replace = '...' }")
        unknown = sorted(set(item) - {"pattern", "replace"})
        if unknown:
            raise ConfigError(source, f"{where}.{unknown[0]}", "unknown key; expected pattern, replace")
        pattern, repl = item.get("pattern"), item.get("replace", "<masked>")
        if not isinstance(pattern, str) or not pattern:
            raise ConfigError(source, f"{where}.pattern", "must be a non-empty regex string")
        if not isinstance(repl, str):
            raise ConfigError(source, f"{where}.replace", "must be a string")
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise ConfigError(source, f"{where}.pattern", f"not a valid regex: {exc}") from None
        masks.append(ProjectMask(compiled, repl.replace("\\", "\\\\")))
    return tuple(masks)


def _parse_classify(raw: object, source: str, cfg: Config) -> Config:
    if not isinstance(raw, dict):
        raise ConfigError(source, "classify", "must be a table")
    unknown = sorted(set(raw) - {"masks", "rules_files"})
    if unknown:
        raise ConfigError(source, f"classify.{unknown[0]}", "unknown key; expected masks, rules_files")
    masks = _parse_masks(raw.get("masks", []), source)
    files = raw.get("rules_files", [])
    if not isinstance(files, list) or not all(isinstance(f, str) and f for f in files):
        raise ConfigError(source, "classify.rules_files", "must be a list of file paths")
    return replace(cfg, masks=masks, rules_files=tuple(files))


Section = Callable[[object, str, Config], Config]

SECTIONS: dict[str, Section] = {
    "templates_dir": _parse_templates_dir,
    "classify": _parse_classify,
    "commands": lambda raw, src, cfg: replace(cfg, commands=parse_commands(raw, src)),
    "scopes": lambda raw, src, cfg: replace(cfg, scopes=parse_scopes(raw, src)),
    "areas": lambda raw, src, cfg: replace(cfg, areas=parse_areas(raw, src)),
    "github": lambda raw, src, cfg: replace(cfg, github=parse_github(raw, src)),
    "sources": lambda raw, src, cfg: replace(cfg, sources=parse_sources(raw, src, cfg.base_dir)),
    "over_time": lambda raw, src, cfg: replace(cfg, over_time=parse_over_time(raw, src)),
}
# Parsed together after the sections above: they share the rule loader and its line numbers.
RULE_KEYS = ("rules", "categories")


def parse_config(
    table: Mapping[str, Any], source: str, base_dir: Path, text: str = "", prefix: str = "gardener"
) -> Config:
    """A Config from the [gardener] table of an already-parsed TOML file."""
    unknown = sorted(set(table) - set(SECTIONS) - set(RULE_KEYS))
    if unknown:
        expected = ", ".join(sorted((*SECTIONS, *RULE_KEYS)))
        raise ConfigError(source, unknown[0], f"unknown key; expected one of {expected}")
    cfg = Config(source=source, base_dir=base_dir)
    for key, parse in SECTIONS.items():
        if key in table:
            cfg = parse(table[key], source, cfg)
    rules = builtin_rules()
    for name in cfg.rules_files:
        path = Path(name) if Path(name).is_absolute() else base_dir / name
        if not path.is_file():
            raise ConfigError(source, "classify.rules_files", f"{name}: no such file")
        user = load_rules_file(path, base=rules)
        rules = rules.with_user_rules(user.rules, user.categories)
    if any(k in table for k in RULE_KEYS):
        data = {k: table[k] for k in RULE_KEYS if k in table}
        try:
            user = rules_from_data(data, source, text, base=rules, prefix=prefix)
        except InputError as exc:
            raise ConfigError(source, "rules", exc.reason) from None
        rules = rules.with_user_rules(user.rules, user.categories)
    return replace(cfg, rules=rules)


def _read_toml(path: Path) -> tuple[dict[str, Any], str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), "-", f"cannot be read: {exc}") from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), "-", f"not valid TOML: {exc}") from None


def load_config(path: Path | None = None, start: Path | None = None) -> Config:
    """The config in `path`, or the first gardener.toml / pyproject.toml [tool.gardener] found
    from `start` (default: the current directory) upwards; defaults when there is none."""
    if path is not None:
        return _load_file(path, explicit=True)
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file():
                cfg = _load_file(candidate, explicit=False)
                if cfg is not None:
                    return cfg
    return Config(base_dir=here)


def _load_file(path: Path, explicit: bool) -> Config:
    if not path.is_file():
        raise ConfigError(str(path), "-", "no such config file")
    data, text = _read_toml(path)
    base = path.resolve().parent
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("gardener") if isinstance(tool, dict) else None
        if table is None:
            return Config(base_dir=base) if not explicit else Config(source=str(path), base_dir=base)
        prefix = "tool.gardener"
    else:
        unknown = sorted(set(data) - {"gardener"})
        if unknown:
            raise ConfigError(str(path), unknown[0], "unknown top-level key; settings live under [gardener]")
        table = data.get("gardener", {})
        prefix = "gardener"
    if not isinstance(table, dict):
        raise ConfigError(str(path), prefix, "must be a table")
    return parse_config(table, str(path), base, text, prefix)
