"""The state file: atomic saves, restarts that continue, and damaged files that are reported, never reset."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from gardener.errors import GardenerError, InputError
from gardener.sandbox import Sandbox
from tests.github.helpers import RawHttp


def saved(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_every_write_is_on_disk_and_no_temporary_file_is_left(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with Sandbox(("octo/demo",), state=state) as sb:
        assert saved(state)["repos"][0]["name"] == "demo"  # written at start, before any request
        http = RawHttp(sb.url, sb.token)
        http("POST", "/repos/octo/demo/issues", {"title": "first", "labels": ["bug"]})
        assert [i["title"] for i in saved(state)["issues"]] == ["first"]
        http("POST", "/repos/octo/demo/issues/1/comments", {"body": "note"})
        assert [c["body"] for c in saved(state)["comments"]] == ["note"]
        http("GET", "/repos/octo/demo/issues")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]


def test_readers_never_see_a_half_written_file(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    seen: list[int] = []
    stop = threading.Event()

    def read_repeatedly() -> None:
        while not stop.is_set():
            seen.append(len(saved(state)["issues"]))  # raises on a torn file

    with Sandbox(("octo/demo",), state=state) as sb:
        http = RawHttp(sb.url, sb.token)
        reader = threading.Thread(target=read_repeatedly)
        reader.start()
        try:
            for n in range(60):
                http("POST", "/repos/octo/demo/issues", {"title": f"issue {n}", "body": "x" * 2000})
        finally:
            stop.set()
            reader.join()
    assert seen and seen == sorted(seen) and seen[-1] <= 60


def test_restart_continues_numbers_ids_and_repositories(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with Sandbox(("octo/demo",), state=state) as sb:
        http = RawHttp(sb.url, sb.token)
        ids = [http("POST", "/repos/octo/demo/issues", {"title": f"t{n}"}).body["id"] for n in range(3)]
        sb.reset(data=True)  # forgets the issues, not the counters
    with Sandbox(("octo/extra",), state=state) as sb:
        http = RawHttp(sb.url, sb.token)
        assert http("GET", "/repos/octo/demo").status == 200  # remembered
        assert http("GET", "/repos/octo/extra").status == 200  # added
        again = http("POST", "/repos/octo/demo/issues", {"title": "again"}).body
        assert again["number"] == 4 and again["id"] > max(ids)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("", "not JSON"),
        ("{", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        ("[]", "not a sandbox state"),
        ('{"format": "gardener-sandbox-state", "version": 99}', "unsupported state version 99"),
        ('{"format": "gardener-sandbox-state", "version": 1, "users": {}}', "next_id"),
    ],
)
def test_a_damaged_file_is_a_one_line_error(tmp_path: Path, content: str | bytes, reason: str) -> None:
    state = tmp_path / "state.json"
    state.write_bytes(content if isinstance(content, bytes) else content.encode())
    before = state.read_bytes()
    with pytest.raises(InputError) as caught:
        Sandbox(("octo/demo",), state=state).start()
    message = str(caught.value)
    assert message.startswith(f"{state}: corrupt sandbox state") and reason in message
    assert "\n" not in message
    assert state.read_bytes() == before  # never silently reset


def good_state(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    state = tmp_path / "state.json"
    with Sandbox(("octo/demo",), state=state) as sb:
        http = RawHttp(sb.url, sb.token)
        http("POST", "/repos/octo/demo/issues", {"title": "a", "labels": ["bug"]})
        http("POST", "/repos/octo/demo/issues", {"title": "b"})
        blocker = http("GET", "/repos/octo/demo/issues/2").body["id"]
        http("POST", "/repos/octo/demo/issues/1/dependencies/blocked_by", {"issue_id": blocker})
    return state, saved(state)


def test_inconsistent_records_are_reported(tmp_path: Path) -> None:
    state, data = good_state(tmp_path)
    damage = {
        "issues[0] lacks 'title'": lambda d: d["issues"][0].pop("title"),
        "issues[0].number has the wrong type": lambda d: d["issues"][0].update(number="1"),
        "issues[1].labels has the wrong type": lambda d: d["issues"][1].update(labels=["bug"]),
        "is not above the largest id": lambda d: d.update(next_id=5),
        "is not below next_number": lambda d: d["repos"][0].update(next_number=2),
        "links to unknown issue id": lambda d: d["issues"][1].__setitem__("blocked_by", [42]),
        "unknown label id": lambda d: d["labels"].clear(),
        "unknown repository": lambda d: d["repos"].clear(),
        "users must map": lambda d: d.update(users=[]),
        "comments must be a list": lambda d: d.update(comments=None),
    }
    for reason, spoil in damage.items():
        broken = json.loads(json.dumps(data))
        spoil(broken)
        state.write_text(json.dumps(broken), encoding="utf-8")
        with pytest.raises(InputError) as caught:
            Sandbox(("octo/demo",), state=state).start()
        assert reason in str(caught.value)


def test_an_unwritable_state_path_is_a_gardener_error(tmp_path: Path) -> None:
    with pytest.raises(GardenerError, match="cannot write sandbox state"):
        Sandbox(("octo/demo",), state=tmp_path / "missing-dir" / "state.json").start()
    with pytest.raises(GardenerError, match="cannot read sandbox state"):
        Sandbox(("octo/demo",), state=tmp_path).start()
