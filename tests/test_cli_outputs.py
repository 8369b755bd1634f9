"""Issue 10 items 7 and 8: output paths gardener cannot write are gardener errors (exit 1, one
line), and names gardener prints never carry a line break or a control code (workflow commands).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gardener import jsonout
from gardener.shown import printable

FAILING = ('<testsuite name="s" tests="1"><testcase classname="tests.test_a" name="test_one">'
           '<failure message="assert 1 == 2" type="AssertionError">assert 1 == 2</failure></testcase></testsuite>')


def gardener(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GARDENER_", "GH_"))}
    return subprocess.run([sys.executable, "-m", "gardener", *args], capture_output=True, text=True, timeout=60,
                          cwd=cwd, env=base | (env or {}))


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "junit.xml"
    path.write_text(FAILING, encoding="utf-8")
    return path


def one_line_error(done: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gardener: "), done.stderr
    assert "unexpected" not in lines[0] and "Traceback" not in done.stderr
    for needle in needles:
        assert needle in lines[0]


def test_out_that_is_a_file(tmp_path, report):
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    one_line_error(gardener("run", "--out", "taken/sub", str(report), cwd=tmp_path), "taken", "cannot write")
    done = gardener("run", "--out", "taken", str(report), cwd=tmp_path)  # click's own check: a usage error
    assert done.returncode == 2 and "Invalid value for '--out'" in done.stderr


def test_out_that_is_a_device(tmp_path, report):
    one_line_error(gardener("run", "--out", os.devnull, str(report), cwd=tmp_path), os.devnull, "not a directory")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes anywhere")
def test_out_that_is_not_writable(tmp_path, report):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        one_line_error(gardener("run", "--out", "locked/out", str(report), cwd=tmp_path), "locked", "permission")
    finally:
        locked.chmod(0o700)


def test_out_that_cannot_be_created_under_a_read_only_path(tmp_path, report):
    # /proc refuses new directories to everyone, root included.
    one_line_error(gardener("run", "--out", "/proc/gardener-out", str(report), cwd=tmp_path), "/proc/gardener-out")


def test_step_summary_that_is_a_directory(tmp_path, report):
    (tmp_path / "summary-dir").mkdir()
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(tmp_path / "summary-dir"),
           "GITHUB_WORKSPACE": str(tmp_path)}
    done = gardener("run", "--out", "out", str(report), cwd=tmp_path, env=env)
    assert done.returncode == 1, done.stderr
    assert "summary-dir: cannot write: is a directory" in done.stderr
    assert "unexpected" not in done.stderr and "Traceback" not in done.stderr
    assert (tmp_path / "out" / "plan.json").is_file()  # the documents were written before


HOSTILE = "x\n::warning::pwned\n.xml"


@pytest.mark.parametrize("command", ["ingest", "classify"])
def test_a_file_name_carrying_a_workflow_command_is_shown_on_one_line(tmp_path, report, command):
    hostile = tmp_path / HOSTILE
    hostile.write_text(FAILING, encoding="utf-8")
    missing = tmp_path / "gone\r\n::error::also\x1b[31m.xml"
    done = gardener(command, str(report), str(hostile), str(missing), cwd=tmp_path, env={"GITHUB_ACTIONS": "true"})
    assert done.returncode == 1  # the missing one
    for stream in (done.stdout, done.stderr):
        lines = stream.splitlines()
        assert not [line for line in lines if line.lstrip().startswith("::")], stream
        assert "\x1b" not in stream and "\r" not in stream
    assert "gone\\r\\n::error::also\\x1b[31m.xml" in done.stderr
    if command == "ingest":
        assert "x\\n::warning::pwned\\n.xml" in done.stdout


def test_printable_escapes_every_line_break_and_control_code():
    assert printable("a\nb\r\tc\x1b[0m\x00\x7f\x85\u2028\u2029\u202e") == \
        "a\\nb\\r\\tc\\x1b[0m\\x00\\x7f\\x85\\u2028\\u2029\\u202e"
    assert printable("plain/päth ü.xml") == "plain/päth ü.xml"


# -- --json is streamed and byte-identical to json.dumps(indent=2) ----------------------------------------


PAYLOADS = [
    {},
    {"a": []},
    {"a": [], "b": {}, "c": {"d": [1, 2.5, None], "e": {}}, "f": "x\u2028\x1b\"\\"},
    {"results": [{"id": f"t{i}", "duration_s": i / 7, "tiny": {700: 1e-7, 1200: 1.7e-05}.get(i, 0.5),
                  "big": 2**70 if i == 3 else 1, "source": {"path": "ü/p", "line": None}, "l": [[], {}]}
                 for i in range(1500)]},
]


@pytest.mark.parametrize("with_orjson", [True, False])
@pytest.mark.parametrize("payload", PAYLOADS)
def test_json_writer_is_byte_identical_to_the_standard_library(payload, with_orjson, monkeypatch):
    if not with_orjson:
        monkeypatch.setattr(jsonout, "_orjson", None)
    elif jsonout._orjson is None:
        pytest.skip("orjson is not installed")
    out = io.StringIO()
    jsonout.write_json(payload, out)
    assert out.getvalue() == json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


class Pieces(io.StringIO):
    """An output that records each write as it happens (to see when the writer writes)."""

    def __init__(self) -> None:
        super().__init__()
        self.pieces: list[str] = []

    def write(self, s: str) -> int:
        self.pieces.append(s)
        return len(s)


def test_json_writer_takes_a_generator_and_writes_before_it_ends():
    sink = Pieces()
    written = sink.pieces

    def items():
        for i in range(2000):
            if i == 1500:
                assert written, "nothing written after 1,500 items: the output is built whole"
            yield {"i": i}

    jsonout.write_json({"results": items()}, sink)
    assert json.loads("".join(written)) == {"results": [{"i": i} for i in range(2000)]}


def test_json_writer_spells_floats_of_every_magnitude_as_the_standard_library():
    import random

    rnd = random.Random(5)
    values = [rnd.random() * 10.0 ** e * rnd.choice((1, -1)) for e in range(-30, 31) for _ in range(40)]
    values += [round(v, 3) for v in values] + [0.0, -0.0, 1e16, 1e15, 0.0001, 0.00001, 5e-324, 2**63, 2**64 - 1]
    payload = {"results": [{"duration_s": v, "text": "took 0.00001e5 s"} if i % 97 == 0 else {"duration_s": v}
                           for i, v in enumerate(values)]}
    out = io.StringIO()
    jsonout.write_json(payload, out)
    assert out.getvalue() == json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def test_out_that_cannot_hold_the_attempt_logs_of_execute(tmp_path):
    (tmp_path / "gardener.toml").write_text(
        f'[[gardener.commands]]\nname = "unit"\nrun = "{sys.executable} -c \\"open(\'ran\', \'w\')\\""\n',
        encoding="utf-8")
    one_line_error(gardener("run", "--execute", "--out", os.devnull, cwd=tmp_path), os.devnull, "not a directory")
    assert not (tmp_path / "ran").exists()  # said before any command ran


def test_json_writer_keeps_orjson_for_strings_that_only_look_like_floats(monkeypatch):
    # Finding ids and digests hold "0e", "5E": without a float in the batch, orjson's text is exact.
    if jsonout._orjson is None:
        pytest.skip("orjson is not installed")
    payload = {"findings": [{"id": f"f-{i:04d}e{i:x}", "count": i, "tests": ["t 0.00001e5"], "n": None}
                            for i in range(600)]}
    expected = json.dumps(payload, indent=2, ensure_ascii=False) + "\n"

    class NoStdlib:
        def encode(self, value):
            raise AssertionError("fell back to the standard library")

    monkeypatch.setattr(jsonout, "_STDLIB", NoStdlib())
    out = io.StringIO()
    jsonout.write_json(payload, out)
    assert out.getvalue() == expected


def test_json_writer_writes_a_large_item_in_a_batch_of_its_own():
    # A finding with 20,000 tests is encoded alone, not with the next 511 findings: the text of one batch
    # (and so peak memory) stays small whatever the findings hold.
    sink = Pieces()
    written = sink.pieces

    def items():
        yield {"id": "big", "tests": [f"t{i}" for i in range(20_000)]}
        assert written, "the large finding waited for a whole batch of findings"
        for i in range(3):
            yield {"id": f"small{i}", "tests": ["t"]}

    jsonout.write_json({"findings": items()}, sink)
    expected = {"findings": [{"id": "big", "tests": [f"t{i}" for i in range(20_000)]},
                             *({"id": f"small{i}", "tests": ["t"]} for i in range(3))]}
    assert json.loads("".join(written)) == expected
