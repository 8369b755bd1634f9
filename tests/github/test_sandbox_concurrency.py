"""Many clients at once: no lost updates, issue numbers and ids never handed out twice."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from gardener.sandbox import Sandbox
from tests.github.helpers import make_client

THREADS = 16
PER_THREAD = 12


def test_parallel_creates_comments_and_labels_lose_nothing(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with Sandbox(("octo/demo",), state=state) as sb:
        target = make_client(sb.url).get_repo("octo/demo").create_issue(title="shared")

        def worker(n: int) -> list[tuple[int, int]]:
            repo = make_client(sb.url).get_repo("octo/demo")  # one client (and connection) per thread
            issue = repo.get_issue(target.number)
            made = []
            for k in range(PER_THREAD):
                created = repo.create_issue(title=f"worker {n} issue {k}")
                made.append((created.number, created.id))
                issue.create_comment(f"worker {n} comment {k}")
            issue.add_to_labels(f"worker-{n}")
            return made

        with ThreadPoolExecutor(THREADS) as pool:
            made = [pair for chunk in pool.map(worker, range(THREADS)) for pair in chunk]

        total = THREADS * PER_THREAD
        assert sorted(number for number, _ in made) == list(range(2, total + 2))
        assert len({issue_id for _, issue_id in made}) == total
        repo = make_client(sb.url).get_repo("octo/demo")
        shared = repo.get_issue(target.number)
        assert shared.comments == total
        assert shared.get_comments().totalCount == total
        assert sorted(lb.name for lb in shared.labels) == sorted(f"worker-{n}" for n in range(THREADS))
        assert repo.get_issues(state="all").totalCount == total + 1

    on_disk = json.loads(state.read_text(encoding="utf-8"))
    assert len(on_disk["issues"]) == THREADS * PER_THREAD + 1
    assert len(on_disk["comments"]) == THREADS * PER_THREAD
