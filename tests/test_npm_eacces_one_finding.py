"""One EACCES is one finding: npm reports a refused `mkdir` on four lines (`code EACCES`, the `Error: EACCES: ...`
line, its `[Error: ...] {` object and that object's `code: 'EACCES'`), and the log reader reads them as separate
incidents. permission.denied keyed each by its own line, so one cause gave three findings; it is keyed by the path
refused (key-v7), and the keys before are aliases of the finding now.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import gardener

NPM_EACCES = """\
Run npm install -g typescript
npm ERR! code EACCES
npm ERR! syscall mkdir
npm ERR! path /usr/local/lib/node_modules/typescript
npm ERR! errno -13
npm ERR! Error: EACCES: permission denied, mkdir '/usr/local/lib/node_modules/typescript'
npm ERR!  [Error: EACCES: permission denied, mkdir '/usr/local/lib/node_modules/typescript'] {
npm ERR!   errno: -13,
npm ERR!   code: 'EACCES',
npm ERR!   syscall: 'mkdir',
npm ERR!   path: '/usr/local/lib/node_modules/typescript'
npm ERR! }
npm ERR!
npm ERR! The operation was rejected by your operating system.
npm ERR! It is likely you do not have the permissions to access this file as the current user

npm ERR! A complete log of this run can be found in:
npm ERR!     /home/runner/.npm/_logs/2024-01-01T00_00_00_000Z-debug-0.log
Error: Process completed with exit code 243.
"""

ENV = {**os.environ, "PYTHONPATH": str(Path(gardener.__file__).parent.parent)}


def _findings(tmp_path: Path, text: str) -> list[dict[str, object]]:
    log = tmp_path / "npm.log"
    log.write_text(text, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "gardener", "classify", "--json", str(log)], capture_output=True,
                          text=True, cwd=tmp_path, env=ENV, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    findings: list[dict[str, object]] = json.loads(proc.stdout)["findings"]
    return findings


def test_one_npm_eacces_is_one_finding(tmp_path: Path) -> None:
    findings = _findings(tmp_path, NPM_EACCES)
    assert [f["rule_id"] for f in findings] == ["permission.denied"]
    assert "/usr/local/lib/node_modules/typescript" in str(findings[0]["title"])


def test_two_paths_refused_are_two_findings(tmp_path: Path) -> None:
    other = NPM_EACCES.replace("typescript", "eslint").replace("Run npm install -g eslint\n", "")
    findings = _findings(tmp_path, NPM_EACCES + other)
    assert sorted(str(f["title"]) for f in findings if f["rule_id"] == "permission.denied") == [
        "Permission denied on /usr/local/lib/node_modules/eslint",
        "Permission denied on /usr/local/lib/node_modules/typescript"]


def test_the_three_keys_before_are_aliases_of_the_one_finding(tmp_path: Path) -> None:
    from gardener.config import Config
    from gardener.pipeline import RunOptions, build_report

    log = tmp_path / "npm.log"
    log.write_text(NPM_EACCES, encoding="utf-8")
    (finding,) = build_report(RunOptions(paths=(str(log),), out_dir=tmp_path / "out"), Config()).findings
    assert finding.signature.text == "permission denied: node_modules/typescript"
    # What d0205a6 (key-v7 opened, before this change) gave for the three findings.
    assert {"1a95e713c1ed", "3820f120fa05", "74d7ac2ca5c5"} <= set(finding.signature.aliases)
