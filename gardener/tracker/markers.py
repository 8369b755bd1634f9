"""The hidden metadata block at the end of every gardener issue: how an issue is recognised again.

    <!-- gardener:{"v":1,"sig":"8e41982bd33b","sig_v":"sig-v1","tests":[...],"count":3,...} -->

Pure: no I/O. The payload is compact JSON whose `-` runs, `<` and `>` are written as JSON escapes,
so it never contains `--` or `>` and cannot end the HTML comment early, whatever test names hold.
Parsing is tolerant of human edits: whitespace and line breaks inside the block, text after it,
missing or mistyped fields (defaults), unknown fields (ignored), an earlier quoted block (the last
block that parses wins). A block that does not parse at all reads as no block.

Besides the identity (`sig`, `sig_v`, older digests in `aka`) the block records what gardener did,
so a rerun can tell news from repetition without reading comments or timelines: the evidence
fingerprint (`ev`), error-text digests (`errs`), the priority label gardener set (`prio`) and whether
it still manages it, the blocked-by links it made (`links`: [number, REST id]), a digest of the
visible text it last wrote (`bh`: a person's edit is detected and kept), when it last commented, and
the related issues it listed (`rel`, kept across runs with different focus words).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields, replace
from typing import Any

from gardener import regex as re

VERSION = 1
_BLOCK = re.lazy(r"<!--\s*gardener:(.*?)-->", re.DOTALL)
_DASH_RUN = re.lazy(r"--+")


@dataclass(frozen=True, slots=True)
class Marker:
    sig: str
    sig_v: str = "sig-v1"
    tests: tuple[str, ...] = ()
    tests_total: int = 0
    count: int = 0
    first_seen: str = ""
    last_seen: str = ""
    finding: str = ""
    ev: str = ""
    errs: tuple[str, ...] = ()
    prio: str = ""
    prio_managed: bool = True
    links: tuple[tuple[int, int], ...] = ()
    bh: str = ""
    commented: str = ""
    dup_of: int | None = None
    supersedes: int | None = None
    rel: tuple[tuple[int, str], ...] = ()  # related human-filed issues shown in the body: [number, title]
    aka: tuple[str, ...] = field(default=())
    stab: str = ""  # stability last told on the issue (new, broken, flaky): a change is news, a repeat is not

    def digests(self) -> frozenset[str]:
        """Every digest this issue answers to: its signature and those of older signature versions."""
        return frozenset((self.sig, *self.aka))

    def linked(self) -> dict[int, int]:
        """Blocker issue number -> REST id, for the blocked-by links gardener made."""
        return dict(self.links)


# Order of keys in the payload: the DESIGN.md §4 core first, then the bookkeeping.
_ORDER = tuple(f.name for f in fields(Marker))
_DEFAULTS = {f.name: f.default for f in fields(Marker)}
_CORE = ("sig", "sig_v", "tests", "count", "first_seen", "last_seen")


def payload(marker: Marker) -> dict[str, Any]:
    out: dict[str, Any] = {"v": VERSION}
    for name in _ORDER:
        value = getattr(marker, name)
        if name in _CORE or value != _DEFAULTS[name]:
            out[name] = _jsonable(value)
    return out


def _jsonable(value: Any) -> Any:
    return [_jsonable(x) for x in value] if isinstance(value, tuple) else value


def render(marker: Marker) -> str:
    text = json.dumps(payload(marker), ensure_ascii=True, separators=(",", ":"))
    # Only string contents can hold these characters in JSON, and escapes keep the JSON valid.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e")
    text = _DASH_RUN.sub(lambda m: "\\u002d" * (len(m[0]) - 1) + "-", text)  # no `--` is left
    return f"<!-- gardener:{text} -->"


def parse(body: str | None) -> Marker | None:
    """The metadata of an issue body: its last readable block, or None."""
    for match in reversed(list(_BLOCK.finditer(body or ""))):
        marker = from_payload(_loads(match.group(1)))
        if marker is not None:
            return marker
    return None


def split(body: str | None) -> tuple[str, Marker | None]:
    """(the visible text without the block, the metadata)."""
    text = body or ""
    matches = list(_BLOCK.finditer(text))
    for match in reversed(matches):
        marker = from_payload(_loads(match.group(1)))
        if marker is not None:
            return (text[: match.start()] + text[match.end():]).strip(), marker
    return text.strip(), None


def compose(visible: str, marker: Marker) -> str:
    return f"{visible.rstrip()}\n\n{render(marker)}\n"


def digest(visible: str) -> str:
    """A digest of visible text that survives the web editor's CRLFs and trailing spaces."""
    norm = "\n".join(line.rstrip() for line in visible.replace("\r\n", "\n").strip().splitlines())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]


def next_body(current: str | None, visible: str, marker: Marker) -> tuple[str, Marker]:
    """The body to write and the metadata it carries.

    gardener rewrites the visible text only while it is the text gardener last wrote; once a
    person has edited it, their text stays and only the hidden block is refreshed.
    """
    if current is not None:
        shown, old = split(current)
        if old is not None and old.bh and digest(shown) != old.bh:
            kept = replace(marker, bh=old.bh)
            return compose(shown, kept), kept
    fresh = replace(marker, bh=digest(visible))
    return compose(visible, fresh), fresh


def _loads(text: str) -> Any:
    try:
        return json.loads(text.strip())
    except ValueError:
        return None


def from_payload(data: Any) -> Marker | None:
    if not isinstance(data, dict) or not isinstance(data.get("sig"), str) or not data["sig"].strip():
        return None
    return Marker(
        sig=data["sig"].strip(),
        sig_v=_str(data, "sig_v") or "sig-v1",
        tests=_strs(data, "tests"),
        tests_total=_int(data, "tests_total") or 0,
        count=_int(data, "count") or 0,
        first_seen=_str(data, "first_seen"),
        last_seen=_str(data, "last_seen"),
        finding=_str(data, "finding"),
        ev=_str(data, "ev"),
        errs=_strs(data, "errs"),
        prio=_str(data, "prio"),
        prio_managed=data.get("prio_managed") is not False,
        links=_links(data.get("links")),
        bh=_str(data, "bh"),
        commented=_str(data, "commented"),
        dup_of=_int(data, "dup_of"),
        supersedes=_int(data, "supersedes"),
        rel=_related(data.get("rel")),
        aka=_strs(data, "aka"),
        stab=_str(data, "stab"),
    )


def _str(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""


def _int(data: dict[str, Any], key: str) -> int | None:
    value = data.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _strs(data: dict[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key)
    return tuple(x for x in value if isinstance(x, str)) if isinstance(value, list) else ()


def _links(value: Any) -> tuple[tuple[int, int], ...]:
    if not isinstance(value, list):
        return ()
    out = []
    for item in value:
        if (isinstance(item, list) and len(item) == 2
                and all(isinstance(x, int) and not isinstance(x, bool) and x > 0 for x in item)):
            out.append((item[0], item[1]))
    return tuple(out)


def _related(value: Any) -> tuple[tuple[int, str], ...]:
    if not isinstance(value, list):
        return ()
    return tuple((item[0], item[1]) for item in value
                 if isinstance(item, list) and len(item) == 2 and isinstance(item[0], int)
                 and not isinstance(item[0], bool) and item[0] > 0 and isinstance(item[1], str))
