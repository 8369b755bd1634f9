"""Console readers are imported when a log's lines call for them (issue 11 item 1: `run` cold start).

dispatch.READERS knows each reader by its module, class name and HINTS (reader_hints.py); the reader's
module is imported on the first line its hints match. The import graph is asserted, not the time: a
plain pytest log must not load RSpec's, PHPUnit's, vitest's... readers, and a log that calls for one
must load it and read it as before (test_log_prefilter.py holds `read` equal to every line to every
reader, which makes every reader up front).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gardener.ingest import runner_log
from gardener.ingest.runner_log.dispatch import READERS, LogRun, prefilter
from gardener.ingest.textfile import TextFile
from gardener.text import clean_line

PYTEST_LOG = """\
2024-05-01T08:00:00.1234567Z ##[group]Run python -m pytest -q
2024-05-01T08:00:00.2234567Z python -m pytest -q
2024-05-01T08:00:00.3234567Z ##[endgroup]
2024-05-01T08:00:01.0000000Z ============================= test session starts ==============================
2024-05-01T08:00:01.0000000Z collected 2 items
2024-05-01T08:00:02.0000000Z tests/test_cart.py .F                                                     [100%]
2024-05-01T08:00:02.0000000Z =================================== FAILURES ===================================
2024-05-01T08:00:02.0000000Z _________________________________ test_total _________________________________
2024-05-01T08:00:02.0000000Z     def test_total():
2024-05-01T08:00:02.0000000Z >       assert total([1, 2]) == 4
2024-05-01T08:00:02.0000000Z E       assert 3 == 4
2024-05-01T08:00:02.0000000Z tests/test_cart.py:7: AssertionError
2024-05-01T08:00:02.0000000Z =========================== short test summary info ============================
2024-05-01T08:00:02.0000000Z FAILED tests/test_cart.py::test_total - assert 3 == 4
2024-05-01T08:00:02.0000000Z ========================= 1 failed, 1 passed in 0.05s ==========================
2024-05-01T08:00:02.5000000Z ##[error]Process completed with exit code 1.
"""

RSPEC_LOG = """\
$ bundle exec rspec
..F

Failures:

  1) Cart totals the lines
     Failure/Error: expect(cart.total).to eq(4)

       expected: 4
            got: 3
     # ./spec/cart_spec.rb:7:in `block (2 levels) in <top (required)>'

Finished in 0.01 seconds (files took 0.1 seconds to load)
3 examples, 1 failure

Failed examples:

rspec ./spec/cart_spec.rb:5 # Cart totals the lines
"""

_PROBE = """
import json, sys
from pathlib import Path
from gardener.ingest import runner_log
parsed = runner_log.parse(Path(sys.argv[1]))
print(json.dumps({"modules": sorted(sys.modules), "ids": [r.id for r in parsed.results if r.is_failing]}))
"""


def _read_in_a_fresh_process(tmp_path: Path, text: str) -> tuple[set[str], list[str]]:
    log = tmp_path / "job.log"
    log.write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", _PROBE, str(log)], capture_output=True, text=True, timeout=60,
                          check=True)
    out = json.loads(done.stdout)
    return set(out["modules"]), out["ids"]


def _called_for(text: str) -> list[str]:
    """The modules of the readers whose hints match some clean line of `text`."""
    found = {i for line in text.splitlines() for i in prefilter().route(clean_line(line).text)}
    return [r.module for i, r in enumerate(READERS, 1) if i in found]


def test_a_pytest_log_loads_only_the_readers_its_lines_call_for(tmp_path):
    modules, ids = _read_in_a_fresh_process(tmp_path, PYTEST_LOG)
    assert ids == ["tests/test_cart.py::test_total"]
    loaded = [r.module for r in READERS if r.module in modules]
    assert loaded == _called_for(PYTEST_LOG)
    # pytest's, and the two whose hints its banners and `FAILED` lines match (go's `==`, jest's `FAIL`).
    assert loaded == ["gardener.ingest.pytest_text.reader", "gardener.ingest.runner_log.jest",
                      "gardener.ingest.runner_log.go"]
    assert "gardener.ingest.runner_log.rspec" not in modules


def test_an_rspec_log_loads_rspec_and_reads_it(tmp_path):
    modules, ids = _read_in_a_fresh_process(tmp_path, RSPEC_LOG)
    assert ids == ["spec/cart_spec.rb::Cart totals the lines"]
    assert "gardener.ingest.runner_log.rspec" in modules
    assert "gardener.ingest.runner_log.phpunit" not in modules and "gardener.ingest.runner_log.vitest" not in modules


@pytest.mark.parametrize("entry", READERS, ids=lambda r: r.name)
def test_each_entry_names_its_reader_with_the_readers_own_hints(entry):
    cls = entry.load()
    assert cls.__name__ == entry.name
    assert entry.hints == cls.HINTS  # type: ignore[attr-defined]
    fresh = cls("job.log", "log")
    # Made late, a reader must start idle: the lines before its first hint were never fed to it.
    assert fresh.idle()
    fresh.interrupt()
    assert fresh.idle() and fresh.finish() == ()


def test_a_line_for_every_consumer_makes_only_the_readers_its_hints_call_for(tmp_path):
    # Markup lines go to every consumer; a reader not made yet hears one only when its hints match.
    log = tmp_path / "job.log"
    log.write_text("##[group]Run make\n##[error]boom\n##[endgroup]\n::error file=a.py::x\n", encoding="utf-8")
    run = LogRun(str(log), "log")
    run.read(TextFile(log))
    assert run.readers == ()
    every = LogRun(str(log), "log")
    every.read_every_line(TextFile(log))
    assert [type(r).__name__ for r in every.readers] == [r.name for r in READERS]
    assert runner_log.parse(log) == runner_log.parse_every_line(log)


def test_run_on_the_bundled_example_loads_only_pytests_reader(tmp_path):
    # The `run` row of tests/benchmarks (issue 11 item 1): its three pytest logs call for no other reader.
    from gardener import cli
    from tests.test_cli_imports import loaded_by

    example = Path(cli.__file__).parent / "examples" / "seed-websocket"
    modules, out = loaded_by("run", "--config", str(example / "gardener.toml"), "--focus", "websocket",
                             "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert "3 finding(s)" in out
    assert [r.module for r in READERS if r.module in modules] == ["gardener.ingest.pytest_text.reader"]
