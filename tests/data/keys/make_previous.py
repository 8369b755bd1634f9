"""How previous.json was made: run one gardener tree over the key-change inputs and print each set's findings.

    git archive <commit> | tar -x -C /tmp/old && python tests/data/keys/make_previous.py /tmp/old > out.json

(one run per earlier version; previous.json holds them under `versions`, with the commit each ran).
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DATA4 = "tests/scenarios/data4"
SETS = {
    "migration": [f"{DATA4}/actions-alembic-migration/pytest-integration.xml",
                  f"{DATA4}/actions-alembic-migration/test (integration).log"],
    "param": [f"{DATA4}/pytest-one-param/pytest-output.txt"],
    "ports": [f"{DATA4}/vitest-ephemeral-ports/junit.xml"],
    "dns": [f"{DATA4}/compose-dns-network/integration.log", f"{DATA4}/compose-dns-network/junit-integration.xml"],
    "x509": [f"{DATA4}/go-x509-expired-partner/test.log"],
    "flyway": [f"{DATA4}/gitlab-flyway-chain/e2e-job.log", f"{DATA4}/gitlab-flyway-chain/lint-job.log"],
    "cleanup": ["tests/data/keys/post-job-cleanup.log"],
}


def main(tree: str) -> None:
    out = {}
    for name, paths in SETS.items():
        with tempfile.TemporaryDirectory() as d:
            env = {**os.environ, "PYTHONPATH": tree, "GARDENER_NO_HISTORY": "1"}
            done = subprocess.run([sys.executable, "-m", "gardener", "run", "--json", "--no-history", "--out", d,
                                   *[str(ROOT / p) for p in paths]], capture_output=True, text=True, env=env, cwd=d)
            report = json.loads(done.stdout)
            out[name] = [{"digest": f["signature"]["digest"], "version": f["signature"]["version"],
                          "text": f["signature"]["text"], "rule_id": f["rule_id"], "title": f["title"],
                          "tests": sorted(f["tests"])[:3], "count": f["count"]} for f in report["findings"]]
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main(sys.argv[1])
