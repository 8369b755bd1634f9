"""`::add-mask::VALUE` in a log: the job said VALUE is secret, so no output of gardener shows it, wherever in
the log it appears (before the command too), read block by block or line by line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from gardener.ingest import runner_log

SECRET = "hunter2-opaque-7f3a9c"  # no shape a redaction rule knows: only the log's own word makes it secret
LOG = f"""\
2026-12-01T10:00:00.0000000Z ##[group]Run ./deploy.sh
2026-12-01T10:00:00.1000000Z ./deploy.sh
2026-12-01T10:00:00.2000000Z ##[endgroup]
2026-12-01T10:00:01.0000000Z connecting with {SECRET} to staging
2026-12-01T10:00:01.5000000Z ::add-mask::{SECRET}
2026-12-01T10:00:02.0000000Z Traceback (most recent call last):
2026-12-01T10:00:02.1000000Z   File "deploy.py", line 3, in <module>
2026-12-01T10:00:02.2000000Z ConnectionRefusedError: [Errno 111] Connection refused: staging:8443 (key {SECRET})
2026-12-01T10:00:03.0000000Z ##[error]Process completed with exit code 1.
"""


def test_a_value_the_log_masks_is_gone_from_results_and_steps(tmp_path: Path) -> None:
    path = tmp_path / "deploy.log"
    path.write_text(LOG)
    for parsed in (runner_log.parse(path), runner_log.parse(path, chunk_bytes=64), runner_log.parse_every_line(path)):
        failing = [r for r in parsed.results if r.is_failing]
        assert failing and any("Connection refused" in r.message for r in failing)
        assert SECRET not in repr(parsed.results) and SECRET not in repr(parsed.steps)


def test_no_output_shows_a_masked_value(tmp_path: Path) -> None:
    path = tmp_path / "deploy.log"
    path.write_text(LOG)
    out = tmp_path / "out"
    classify = subprocess.run([sys.executable, "-m", "gardener", "classify", "--json", str(path)],
                              capture_output=True, text=True, timeout=120)
    assert classify.returncode == 0, classify.stderr
    assert json.loads(classify.stdout)["findings"]
    run = subprocess.run([sys.executable, "-m", "gardener", "run", "--out", str(out), str(path)],
                         capture_output=True, text=True, timeout=120, env={"GARDENER_NO_HISTORY": "1", "PATH": ""})
    assert run.returncode in (0, 1), run.stderr
    written = "".join(p.read_text() for p in out.iterdir())
    for text in (classify.stdout, classify.stderr, run.stdout, run.stderr, written):
        assert SECRET not in text
