"""The hidden metadata block: format, escaping, tolerant parsing, keeping a person's edits."""

import json
import re

from gardener.tracker import markers
from gardener.tracker.markers import Marker

NASTY = ("t--x>y<!--", "a---b", "-->", "end-", "ok -- fine", "tests/test_a.py::test[a->b]", "ünïcode 🚀")


def payload_text(block: str) -> str:
    m = re.fullmatch(r"<!-- gardener:(.*) -->", block)
    assert m, block
    return m.group(1)


def test_block_has_the_design_format_and_core_fields_first():
    block = markers.render(Marker(sig="8e41982bd33b", tests=("t1",), count=3, first_seen="2025-09-11T13:04:47+00:00",
                                  last_seen="2025-09-11T13:04:58+00:00"))
    data = json.loads(payload_text(block))
    assert list(data)[:7] == ["v", "sig", "sig_v", "tests", "count", "first_seen", "last_seen"]
    assert data["v"] == 1 and data["sig"] == "8e41982bd33b" and data["sig_v"] == "sig-v1"


def test_payload_never_contains_a_double_dash_or_greater_than_whatever_the_tests_are_called():
    marker = Marker(sig="abc", tests=NASTY, errs=("--",), finding="f--1")
    text = payload_text(markers.render(marker))
    assert "--" not in text and ">" not in text and "<" not in text
    assert markers.parse("body\n\n" + markers.render(marker)) == marker


def test_every_field_round_trips():
    marker = Marker(sig="abc", sig_v="sig-v1", tests=("a", "b"), tests_total=7, count=4, first_seen="x",
                    last_seen="y", finding="f-1", ev="e" * 16, errs=("1234abcd",), prio="P1", prio_managed=False,
                    links=((3, 1000003), (4, 1000004)), bh="b" * 16, commented="z", dup_of=2, supersedes=1,
                    aka=("old",))
    assert markers.parse(markers.compose("text", marker)) == marker


def test_parse_tolerates_line_breaks_spaces_unknown_and_mistyped_fields():
    body = ('Some text\n<!--   gardener:\n  {"sig": "abc", "count": "many", "tests": "nope",\n'
            '   "links": [[1, 2], "x", [0, 3]], "future_field": {"a": 1}}\n-->\ntrailing words a person added')
    marker = markers.parse(body)
    assert marker == Marker(sig="abc", links=((1, 2),))


def test_unreadable_or_missing_blocks_read_as_none():
    assert markers.parse(None) is None
    assert markers.parse("no block here") is None
    assert markers.parse("<!-- gardener:{not json} -->") is None
    assert markers.parse('<!-- gardener:{"count": 1} -->') is None  # no signature: not ours to match
    assert markers.parse('<!-- gardener:["sig"] -->') is None


def test_the_last_readable_block_wins_over_a_quoted_one():
    quoted = markers.render(Marker(sig="other"))
    own = markers.render(Marker(sig="mine"))
    assert markers.parse(f"> quoted from another issue:\n{quoted}\n\nours:\n{own}").sig == "mine"
    assert markers.parse(f"{quoted}\n<!-- gardener:{{broken -->").sig == "other"


def test_split_returns_the_visible_text_without_the_block():
    visible, marker = markers.split(markers.compose("Hello\n\nworld", Marker(sig="abc")))
    assert visible == "Hello\n\nworld" and marker is not None and marker.sig == "abc"


def test_older_signature_versions_are_kept_as_aliases():
    assert Marker(sig="new", aka=("old1", "old2")).digests() == {"new", "old1", "old2"}


def test_digest_ignores_crlf_and_trailing_spaces_the_web_editor_adds():
    assert markers.digest("a  \nb\n") == markers.digest("a\r\nb")
    assert markers.digest("a\nb") != markers.digest("a\nc")


def test_next_body_rewrites_text_gardener_wrote_but_keeps_a_persons_edit():
    old = Marker(sig="abc", count=1)
    first, written = markers.next_body(None, "gardener text v1", old)
    assert written.bh == markers.digest("gardener text v1")
    again, _ = markers.next_body(first, "gardener text v2", Marker(sig="abc", count=2))
    assert markers.split(again)[0] == "gardener text v2"

    edited = first.replace("gardener text v1", "a person rewrote this")
    kept, meta = markers.next_body(edited, "gardener text v2", Marker(sig="abc", count=2))
    visible, parsed = markers.split(kept)
    assert visible == "a person rewrote this"
    assert parsed is not None and parsed.count == 2 and meta.bh == written.bh  # the edit stays detected


def test_linked_maps_blocker_numbers_to_rest_ids():
    assert Marker(sig="a", links=((443, 9001),)).linked() == {443: 9001}
