"""Reading rule packs: TOML text → validated RuleSet. Errors name the file and the line."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, cast

from gardener import regex as re
from gardener.errors import InputError
from gardener.model import LAYERS, PRIORITIES, Layer, Priority
from gardener.rules.endpoints import DERIVED_CAPTURES
from gardener.rules.model import FIELDS, SCOPES, Category, Pattern, Rule, RuleSet
from gardener.rules.pattern import DeferredPattern, compile_rule_pattern
from gardener.rules.prefilter import needles_of
from gardener.rules.template import names_in

CATEGORY_KEYS = {"priority", "area", "layer", "blocks", "title", "remediation"}
RULE_KEYS = {
    "id", "category", "precedence", "match", "also", "unless", "capture", "scope", "key", "title", "root_cause",
    "remediation", "priority", "area", "blocks", "layer", "wrapper", "weak",
}
_ID = re.lazy(r"^[a-z0-9][a-z0-9._-]*$")
_TOML_LINE = re.lazy(r"at line (\d+)")


class _Where:
    """Line numbers of `[[rules]]` / `[categories.x]` headers, for errors after parsing."""

    def __init__(self, text: str, prefix: str = "") -> None:
        self.rule_lines: list[int] = []
        self.category_lines: dict[str, int] = {}
        dot = f"{prefix}." if prefix else ""
        rules_header, category_header = f"[[{dot}rules]]", f"[{dot}categories."
        for n, line in enumerate(text.splitlines(), 1):
            s = line.strip().replace(" ", "")
            if s.startswith(rules_header):
                self.rule_lines.append(n)
            elif s.startswith(category_header):
                self.category_lines[s[len(category_header) :].split("]")[0].strip('"')] = n

    def rule(self, index: int) -> int | None:
        return self.rule_lines[index] if index < len(self.rule_lines) else None


def _fail(path: str, line: int | None, what: str) -> InputError:
    return InputError(path, f"line {line}: {what}" if line else what)


def parse_rules(text: str, path: str, base: RuleSet | None = None, origin: str = "user") -> RuleSet:
    """A rule pack from TOML text. `base` supplies categories a user pack may refer to."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_LINE.search(str(exc))
        raise _fail(path, int(m.group(1)) if m else None, f"not valid TOML: {exc}") from None
    return rules_from_data(data, path, text, base=base, origin=origin)


def rules_from_data(
    data: dict[str, Any], path: str, text: str = "", base: RuleSet | None = None, origin: str = "user", prefix: str = ""
) -> RuleSet:
    """A rule pack from parsed TOML (`text` is only used to find line numbers for errors)."""
    where = _Where(text, prefix)
    unknown = set(data) - {"categories", "rules", "version"}
    if unknown:
        raise _fail(path, None, f"unknown top-level key {sorted(unknown)[0]!r} (expected categories, rules)")
    categories = dict(base.categories) if base else {}
    raw_categories = data.get("categories", {})
    if not isinstance(raw_categories, dict):
        raise _fail(path, None, "categories: must be a table")
    for name, raw in raw_categories.items():
        categories[name] = _category(name, raw, path, where.category_lines.get(name))
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list):
        raise _fail(path, None, "rules: must be an array of tables ([[rules]])")
    rules: list[Rule] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_rules):
        rule = _rule(raw, path, where.rule(i), categories, origin)
        if rule.id in seen:
            raise _fail(path, where.rule(i), f"rule id {rule.id!r} is defined twice")
        seen.add(rule.id)
        rules.append(rule)
    return RuleSet(categories=categories, rules=tuple(rules))


def _category(name: str, raw: Any, path: str, line: int | None) -> Category:
    where = f"categories.{name}"
    if not isinstance(raw, dict):
        raise _fail(path, line, f"{where}: must be a table")
    unknown = set(raw) - CATEGORY_KEYS
    if unknown:
        raise _fail(path, line, f"{where}: unknown key {sorted(unknown)[0]!r}")
    priority = raw.get("priority")
    if priority not in PRIORITIES:
        raise _fail(path, line, f"{where}.priority: must be one of {', '.join(PRIORITIES)}")
    layer = raw.get("layer")
    if layer not in LAYERS:
        raise _fail(path, line, f"{where}.layer: must be one of {', '.join(LAYERS)}")
    return Category(
        name=name,
        priority=cast(Priority, priority),
        area=_string(raw, "area", path, line, where, required=True),
        layer=cast(Layer, layer),
        blocks=_strings(raw, "blocks", path, line, where),
        title=_string(raw, "title", path, line, where),
        remediation=_string(raw, "remediation", path, line, where),
    )


def _rule(raw: Any, path: str, line: int | None, categories: dict[str, Category], origin: str) -> Rule:
    if not isinstance(raw, dict):
        raise _fail(path, line, "rules: each entry must be a table")
    rid = raw.get("id")
    if not isinstance(rid, str) or not _ID.match(rid):
        raise _fail(path, line, "rule id: required, lower-case letters, digits, '.', '-' or '_'")
    where = f"rule {rid}"
    unknown = set(raw) - RULE_KEYS
    if unknown:
        raise _fail(path, line, f"{where}: unknown key {sorted(unknown)[0]!r}")
    category = raw.get("category")
    if category not in categories:
        raise _fail(path, line, f"{where}: category {category!r} is not defined")
    precedence = raw.get("precedence", 50)
    if not isinstance(precedence, int) or isinstance(precedence, bool):
        raise _fail(path, line, f"{where}: precedence must be an integer")
    match = _patterns(raw.get("match"), path, line, f"{where}.match")
    match += _patterns(raw.get("also"), path, line, f"{where}.also")
    if not match:
        raise _fail(path, line, f"{where}: match needs at least one field (one of {', '.join(FIELDS)})")
    unless = _patterns(raw.get("unless"), path, line, f"{where}.unless")
    capture = _patterns(raw.get("capture"), path, line, f"{where}.capture")
    scope = raw.get("scope", "shared")
    if scope not in SCOPES:
        raise _fail(path, line, f"{where}.scope: must be one of {', '.join(SCOPES)}")
    priority = raw.get("priority")
    if priority is not None and priority not in PRIORITIES:
        raise _fail(path, line, f"{where}.priority: must be one of {', '.join(PRIORITIES)}")
    layer = raw.get("layer")
    if layer is not None and layer not in LAYERS:
        raise _fail(path, line, f"{where}.layer: must be one of {', '.join(LAYERS)}")
    wrapper, weak = raw.get("wrapper", False), raw.get("weak", False)
    for name, flag in (("wrapper", wrapper), ("weak", weak)):
        if not isinstance(flag, bool):
            raise _fail(path, line, f"{where}.{name}: must be true or false")
    groups = {name for field in match + capture for p in field for name in p.regex.groupindex}
    templates = {k: _string(raw, k, path, line, where) for k in ("key", "title", "root_cause", "remediation")}
    for key, template in templates.items():
        missing = names_in(template) - groups - DERIVED_CAPTURES
        if missing:
            raise _fail(path, line, f"{where}.{key}: {{{sorted(missing)[0]}}} is not a named group of its match")
    return Rule(
        id=rid,
        category=category,
        precedence=precedence,
        match=tuple(match),
        unless=tuple(p for field in unless for p in field),
        capture=tuple(p for field in capture for p in field),
        scope=scope,
        priority=cast(Priority | None, priority),
        area=_string(raw, "area", path, line, where) or None,
        blocks=_strings(raw, "blocks", path, line, where) if "blocks" in raw else None,
        layer=cast(Layer | None, layer),
        wrapper=wrapper,
        weak=weak,
        origin=origin,
        **templates,
    )


def _patterns(raw: Any, path: str, line: int | None, where: str) -> list[tuple[Pattern, ...]]:
    if raw is None:
        return []
    if not isinstance(raw, dict):
        raise _fail(path, line, f"{where}: must be a table of field = regex or [regexes]")
    out: list[tuple[Pattern, ...]] = []
    for field, value in raw.items():
        if field not in FIELDS:
            raise _fail(path, line, f"{where}.{field}: unknown field (expected one of {', '.join(FIELDS)})")
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items or not all(isinstance(v, str) for v in items):
            raise _fail(path, line, f"{where}.{field}: must be a regex or a non-empty list of regexes")
        compiled = []
        for source in items:
            try:
                regex = compile_rule_pattern(source, re.MULTILINE)  # validates the pattern now
                needles, fold = needles_of(regex)
                compiled.append(Pattern(field, DeferredPattern(source, re.MULTILINE, regex), needles, fold))
            except re.error as exc:
                raise _fail(path, line, f"{where}.{field}: bad regex {source!r}: {exc}") from None
        out.append(tuple(compiled))
    return out


def _string(raw: dict[str, Any], key: str, path: str, line: int | None, where: str, required: bool = False) -> str:
    value = raw.get(key, "")
    if not isinstance(value, str) or (required and not value):
        raise _fail(path, line, f"{where}.{key}: must be a {'non-empty ' if required else ''}string")
    return value


def _strings(raw: dict[str, Any], key: str, path: str, line: int | None, where: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(path, line, f"{where}.{key}: must be a list of strings")
    return tuple(value)


def load_rules_file(path: Path, base: RuleSet | None = None) -> RuleSet:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot be read: {exc}") from None
    return parse_rules(text, str(path), base=base if base is not None else builtin_rules())


_BUILTIN: RuleSet | None = None


def parse_builtin(text: str) -> RuleSet:
    return parse_rules(text, "gardener/rules/builtin.toml", origin="builtin")


def builtin_rules() -> RuleSet:
    """The shipped rule pack: once per process, and parsed once per version of the pack and of this code
    (pack_cache.py keeps what parsing yields, by content hash)."""
    global _BUILTIN
    if _BUILTIN is None:
        from gardener.rules.pack_cache import cached_pack

        _BUILTIN = cached_pack(_builtin_bytes(), parse_builtin)
    return _BUILTIN


def _builtin_bytes() -> bytes:
    """builtin.toml as stored, read beside this module; through importlib.resources only when the package is not
    a folder (a zip import): importing that machinery (its readers, zipfile) cost ~3 ms of every run's start.
    Bytes: the cache key hashes them, and a hit never needs the text (cached_pack decodes it on a miss)."""
    try:
        return Path(__file__).with_name("builtin.toml").read_bytes()
    except OSError:
        from importlib import resources

        return resources.files("gardener.rules").joinpath("builtin.toml").read_bytes()


def compile_all(rules: RuleSet) -> int:
    """Compile every pattern of a pack now (they compile on first use otherwise); how many there are."""
    patterns = [p for r in rules.rules for p in (*(p for f in r.match for p in f), *r.unless, *r.capture)]
    for p in patterns:
        p.regex.search("")
    return len(patterns)
