"""The compiled-pack cache (gardener/rules/pack_cache.py): a hit is the very pack a parse gives, any change
to the pack is a miss, and a broken or unwritable cache is never an error."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from gardener.rules import pack_cache
from gardener.rules.loader import compile_all, parse_builtin, parse_rules
from gardener.rules.pattern import DeferredPattern

PACK = resources.files("gardener.rules").joinpath("builtin.toml").read_text(encoding="utf-8")


def counting_parse() -> tuple[list[str], object]:
    calls: list[str] = []

    def parse(text: str):  # type: ignore[no-untyped-def]
        calls.append(text)
        return parse_builtin(text)

    return calls, parse


def test_a_hit_is_the_pack_a_parse_gives(tmp_path: Path) -> None:
    env = {"GARDENER_CACHE": str(tmp_path)}
    calls, parse = counting_parse()
    fresh = pack_cache.cached_pack(PACK, parse, env)  # type: ignore[arg-type]
    again = pack_cache.cached_pack(PACK, parse, env)  # type: ignore[arg-type]
    assert len(calls) == 1  # the second came from the file
    assert len(list((tmp_path / "rules").glob("pack-*.json"))) == 1
    assert again == fresh  # categories, rules, every pattern's source, flags, needles
    assert again.rules and again.categories
    for a, b in zip(fresh.rules, again.rules, strict=True):
        assert a.gate == b.gate
        assert [p.fold for f in a.match for p in f] == [p.fold for f in b.match for p in f]
    assert again.needles.keys() == fresh.needles.keys()
    assert again.opened_by == fresh.opened_by and again.ungated == fresh.ungated


def test_the_pack_as_bytes_is_the_same_entry_and_parses_as_its_text(tmp_path: Path) -> None:
    # builtin_rules passes the file's bytes (a hit never decodes them); a text and its UTF-8 share one key.
    env = {"GARDENER_CACHE": str(tmp_path)}
    assert pack_cache.pack_key(PACK.encode("utf-8")) == pack_cache.pack_key(PACK)
    calls, parse = counting_parse()
    fresh = pack_cache.cached_pack(PACK.encode("utf-8"), parse, env)  # type: ignore[arg-type]
    assert calls == [PACK]  # a miss parses the decoded text
    again = pack_cache.cached_pack(PACK, parse, env)  # type: ignore[arg-type]
    assert len(calls) == 1 and again == fresh


def test_cached_patterns_compile_on_first_use_and_match_as_parsed_ones(tmp_path: Path) -> None:
    env = {"GARDENER_CACHE": str(tmp_path)}
    fresh = pack_cache.cached_pack(PACK, parse_builtin, env)
    again = pack_cache.cached_pack(PACK, parse_builtin, env)
    p = next(p for r in again.rules for f in r.match for p in f if "(?!" in p.regex.pattern)
    assert isinstance(p.regex, DeferredPattern)
    with pytest.raises(AttributeError):
        object.__getattribute__(p.regex, "_compiled")  # not compiled yet
    text = "ERROR: connect ECONNREFUSED 127.0.0.1:5432\nError response from daemon: pull access denied for x"
    for a, b in zip(fresh.rules, again.rules, strict=True):
        for pa, pb in zip((p for f in a.match for p in f), (p for f in b.match for p in f), strict=True):
            assert [m.span() for m in pa.regex.finditer(text)] == [m.span() for m in pb.regex.finditer(text)]
            assert pa.regex.groupindex == pb.regex.groupindex
    assert compile_all(again) > 800


def test_any_change_to_the_pack_is_a_miss(tmp_path: Path) -> None:
    env = {"GARDENER_CACHE": str(tmp_path)}
    pack_cache.cached_pack(PACK, parse_builtin, env)
    edited = PACK.replace('precedence = 50', 'precedence = 51', 1)
    assert edited != PACK
    calls, parse = counting_parse()
    got = pack_cache.cached_pack(edited, parse, env)  # type: ignore[arg-type]
    assert calls == [edited]
    assert got == parse_builtin(edited) != parse_builtin(PACK)
    assert pack_cache.pack_key(edited) != pack_cache.pack_key(PACK)


def test_the_key_covers_the_code_that_reads_packs() -> None:
    names = {p.name for p in pack_cache._CODE}
    assert {"loader.py", "pattern.py", "prefilter.py", "model.py", "regex.py", "template.py"} <= names


@pytest.mark.parametrize("junk", ["", "{", '{"format": "gardener-rule-pack-1"}', '{"format": "x"}',
                                  '{"format": "gardener-rule-pack-1", "categories": {}, "rules": [{"id": 1}]}'])
def test_a_broken_entry_is_a_miss_and_is_rewritten(tmp_path: Path, junk: str) -> None:
    env = {"GARDENER_CACHE": str(tmp_path)}
    key = pack_cache.pack_key(PACK)
    assert key is not None
    entry = tmp_path / "rules" / f"pack-{key[:32]}.json"
    entry.parent.mkdir(parents=True)
    entry.write_text(junk, encoding="utf-8")
    calls, parse = counting_parse()
    got = pack_cache.cached_pack(PACK, parse, env)  # type: ignore[arg-type]
    assert len(calls) == 1 and got == parse_builtin(PACK)
    assert pack_cache.load(entry.read_text(encoding="utf-8")) == got


def test_an_unwritable_cache_is_no_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    got = pack_cache.cached_pack(PACK, parse_builtin, {"GARDENER_CACHE": str(blocker)})
    assert got == parse_builtin(PACK)
    assert not list(tmp_path.glob("**/pack-*.json"))


def test_user_packs_validate_every_pattern_when_parsed() -> None:
    from gardener.errors import InputError

    with pytest.raises(InputError, match="lookbehind"):
        parse_rules('[categories.x]\npriority = "P1"\narea = "a"\nlayer = "test"\n'
                    '[[rules]]\nid = "r"\ncategory = "x"\nmatch = { message = "(?<=a)b" }\n', "u.toml")


def test_a_field_json_cannot_hold_means_no_cache_not_an_error(tmp_path: Path) -> None:
    from dataclasses import replace

    fresh = parse_builtin(PACK)
    odd = replace(fresh.rules[0], blocks=(object(),))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        pack_cache.dump(replace(fresh, rules=(odd,)))  # type: ignore[call-arg]

    def parse(text: str):  # type: ignore[no-untyped-def]
        return replace(fresh, rules=(odd, *fresh.rules[1:]))  # type: ignore[call-arg]

    got = pack_cache.cached_pack(PACK, parse, {"GARDENER_CACHE": str(tmp_path)})  # type: ignore[arg-type]
    assert got.rules[0] is odd
    assert not list(tmp_path.glob("**/pack-*.json"))


def test_a_deferred_pattern_answers_as_the_compiled_one() -> None:
    p = DeferredPattern(r"(?P<port>\d+) refused", 8)
    assert p.groupindex == {"port": 1}  # compiles now
    assert p.search("5432 refused")["port"] == "5432"
    assert p.match("5432 refused") is not None and p.match("x 5432 refused") is None  # delegated
    assert [m.group(0) for m in p.finditer("1 refused\n2 refused")] == ["1 refused", "2 refused"]
    assert p == DeferredPattern(r"(?P<port>\d+) refused", 8) and hash(p) == hash(DeferredPattern(p.pattern, 8))
    import pickle

    assert pickle.loads(pickle.dumps(p)) == p
    with pytest.raises(AttributeError):
        _ = p._nope
