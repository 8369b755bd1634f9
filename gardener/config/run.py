"""Config sections `gardener run` needs: commands, scopes and areas, validated.

Each parser takes the raw TOML value and the file it came from, and raises ConfigError naming
the file, the key (with its index, e.g. `commands[2].timeout`) and what is wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from gardener.errors import ConfigError
from gardener.model import CommandSpec
from gardener.scopes import AreaSpec, Check, Doc, ScopeSpec, Selector

T = TypeVar("T")


def _table_list(raw: object, source: str, key: str) -> list[Mapping[str, Any]]:
    if not isinstance(raw, list) or not all(isinstance(x, dict) for x in raw):
        raise ConfigError(source, key, "must be an array of tables ([[gardener." + key + "]])")
    return raw


def _check_keys(table: Mapping[str, Any], allowed: set[str], source: str, where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ConfigError(source, f"{where}.{unknown[0]}", f"unknown key; expected one of {', '.join(sorted(allowed))}")


def _str(table: Mapping[str, Any], key: str, source: str, where: str, required: bool = False) -> str | None:
    value = table.get(key)
    if value is None:
        if required:
            raise ConfigError(source, f"{where}.{key}", "is required")
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise ConfigError(source, f"{where}.{key}", "must be a non-empty string")
    return value


def _strs(table: Mapping[str, Any], key: str, source: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise ConfigError(source, f"{where}.{key}", "must be a string or an array of strings")
    return tuple(value)


def _unique_names(items: tuple[T, ...], name_of: Callable[[T], str], source: str, key: str) -> tuple[T, ...]:
    seen: set[str] = set()
    for i, item in enumerate(items):
        name = name_of(item)
        if name in seen:
            raise ConfigError(source, f"{key}[{i}].name", f"duplicate name {name!r}")
        seen.add(name)
    return items


COMMAND_KEYS = {"name", "run", "scope", "timeout", "reports", "output", "env", "cwd", "focus_arg", "shell"}


def parse_commands(raw: object, source: str) -> tuple[CommandSpec, ...]:
    specs = []
    for i, t in enumerate(_table_list(raw, source, "commands")):
        where = f"commands[{i}]"
        _check_keys(t, COMMAND_KEYS, source, where)
        timeout = t.get("timeout", 1800)
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
            raise ConfigError(source, f"{where}.timeout", "must be a positive number of seconds")
        env = t.get("env", {})
        if not isinstance(env, dict) or not all(isinstance(v, str) for v in env.values()):
            raise ConfigError(source, f"{where}.env", "must be a table of string values")
        shell = t.get("shell", False)
        if not isinstance(shell, bool):
            raise ConfigError(source, f"{where}.shell", "must be true or false")
        specs.append(CommandSpec(
            name=_str(t, "name", source, where, required=True) or "",
            run=_str(t, "run", source, where, required=True) or "",
            scope=_str(t, "scope", source, where),
            timeout_s=float(timeout),
            reports=_strs(t, "reports", source, where),
            output=_str(t, "output", source, where),
            env=tuple(sorted(env.items())),
            cwd=_str(t, "cwd", source, where),
            focus_arg=t["focus_arg"] if isinstance(t.get("focus_arg"), str) else None,
            shell=shell,
        ))
    return _unique_names(tuple(specs), lambda s: s.name, source, "commands")


def _selector(t: Mapping[str, Any], source: str, where: str) -> Selector:
    return Selector(
        paths=_strs(t, "paths", source, where),
        markers=_strs(t, "markers", source, where),
        commands=_strs(t, "commands", source, where),
    )


def parse_scopes(raw: object, source: str) -> tuple[ScopeSpec, ...]:
    scopes = []
    for i, t in enumerate(_table_list(raw, source, "scopes")):
        where = f"scopes[{i}]"
        _check_keys(t, {"name", "paths", "markers", "commands"}, source, where)
        scopes.append(ScopeSpec(_str(t, "name", source, where, required=True) or "", _selector(t, source, where)))
    return _unique_names(tuple(scopes), lambda s: s.name, source, "scopes")


def _pairs(t: Mapping[str, Any], key: str, fields: tuple[str, str], source: str, where: str) -> list[tuple[str, str]]:
    items = t.get(key, [])
    if not isinstance(items, list):
        raise ConfigError(source, f"{where}.{key}", "must be an array")
    pairs = []
    for j, item in enumerate(items):
        if isinstance(item, str) and fields[0] == "name":
            pairs.append((item, ""))
            continue
        if not isinstance(item, dict) or not isinstance(item.get(fields[0]), str):
            raise ConfigError(source, f"{where}.{key}[{j}]", f"must be a table with a string {fields[0]!r}")
        _check_keys(item, set(fields), source, f"{where}.{key}[{j}]")
        second = item.get(fields[1], "")
        if not isinstance(second, str) or (fields[1] == "url" and not second):
            raise ConfigError(source, f"{where}.{key}[{j}].{fields[1]}", "must be a non-empty string")
        pairs.append((item[fields[0]], second))
    return pairs


def parse_areas(raw: object, source: str) -> tuple[AreaSpec, ...]:
    areas = []
    for i, t in enumerate(_table_list(raw, source, "areas")):
        where = f"areas[{i}]"
        _check_keys(t, {"name", "paths", "markers", "commands", "impact", "share", "checks", "docs"}, source, where)
        areas.append(AreaSpec(
            name=_str(t, "name", source, where, required=True) or "",
            select=_selector(t, source, where),
            impact=_str(t, "impact", source, where) or "",
            share=_str(t, "share", source, where) or "",
            checks=tuple(Check(n, d) for n, d in _pairs(t, "checks", ("name", "description"), source, where)),
            docs=tuple(Doc(n, u) for n, u in _pairs(t, "docs", ("title", "url"), source, where)),
        ))
    return _unique_names(tuple(areas), lambda a: a.name, source, "areas")
