"""The Ginkgo reader (round 10's Prow scenario): each failed spec's block is one test's result, a flaked spec a flaky
one, the closing summary and the suite's Go test no failures of their own.

Real text: plrl/deployment-operator (a v2 block with Gomega's `Expected` / `<int>: 1` / `to equal` and its
`Summarizing 1 Failure:`), kubernetes-sigs/kueue's Prow e2e and integration logs (`[BeforeEach]` failing with its
node-marked locations; `[FAILED] Timed out after 10.000s.` with a Timeline), a ginkgo-test-helper issue
(`[FAILED] Something is failing` / `In [It] at:`), ginkgo's own summary lines (onsi/ginkgo#973). The flaked spec's
header is ginkgo's reporter's `↺ [FLAKEY TEST - TOOK %d ATTEMPTS TO PASS]` (the rule flaky.suite-retry-passed reads
the same words).
"""

from __future__ import annotations

from pathlib import Path

from gardener.ingest import runner_log

PLRL = """\
••
------------------------------
• [FAILED] [0.000 seconds]
Tpl Test Should Fail for example output [It] Should always Pass
/Users/kjj/git/plrl/deployment-operator/pkg/manifests/template/tpl_test.go:17

  [FAILED] Expected
      <int>: 1
  to equal
      <int>: 2
  In [It] at: /Users/kjj/git/plrl/deployment-operator/pkg/manifests/template/tpl_test.go:18 @ 05/09/24 16:47:44.489
------------------------------

Summarizing 1 Failure:
  [FAIL] Tpl Test Should Fail for example output [It] Should always Pass
  /Users/kjj/git/plrl/deployment-operator/pkg/manifests/template/tpl_test.go:18

Ran 3 of 3 Specs in 0.004 seconds
FAIL! -- 2 Passed | 1 Failed | 0 Pending | 0 Skipped
--- FAIL: TestTemplate (0.01s)
FAIL
FAIL\tgithub.com/pluralsh/deployment-operator/pkg/manifests/template\t0.417s
"""
KUEUE = """\
  STEP: Waiting for leader election lease "kueue-system/c1f6bfd2.kueue.x-k8s.io" @ 02/01/26 14:02:16.59
• [FAILED] [54.942 seconds]
MultiKueue when Connection via ClusterProfile no plugins [BeforeEach] uses ClusterProfile as way to connect {WORKER}
  [BeforeEach] /home/prow/go/src/kubernetes-sigs/kueue/test/e2e/multikueue/e2e_test.go:1512
  [It] /home/prow/go/src/kubernetes-sigs/kueue/test/e2e/multikueue/e2e_test.go:1522

  [FAILED] Expected success, but got an error:
      <*errors.StatusError | 0xc0009855e0>:
      conversion webhook for kueue.x-k8s.io/v1beta1, Kind=MultiKueueCluster failed: connection refused
  In [BeforeEach] at: /home/prow/go/src/kubernetes-sigs/kueue/test/e2e/multikueue/e2e_test.go:1530 {AT}
------------------------------
↺ [FLAKEY TEST - TOOK 2 ATTEMPTS TO PASS] [49.027 seconds]
LeaderWorkerSet integration when LeaderWorkerSet created [It] should allow to scale up, scale down fast
/home/prow/go/src/sigs.k8s.io/kueue/test/e2e/singlecluster/leaderworkerset_test.go:500
------------------------------
""".replace("{WORKER}", "worker cluster").replace("{AT}", "@ 02/01/26 14:03:11.53")
PASSING = """\
Will run 5 of 5 specs
•••••

Ran 5 of 5 Specs in 0.012 seconds
SUCCESS! -- 5 Passed | 0 Failed | 0 Pending | 0 Skipped
PASS
"""


def results(tmp_path: Path, text: str) -> list[tuple[str, str, int | None]]:
    log = tmp_path / "job.log"
    log.write_text(text, encoding="utf-8")
    return [(r.id, r.outcome, r.source_line) for r in runner_log.parse(log).results if r.outcome != "passed"]


def test_a_failed_spec_is_its_test_and_the_suite_test_is_none(tmp_path: Path) -> None:
    found = results(tmp_path, PLRL)
    # Only framing lines: the evidence is the message's first line, `[FAILED] Expected`.
    assert found == [("Tpl Test Should Fail for example output Should always Pass", "failed", 7)], found


def test_node_marked_locations_and_a_flaked_spec(tmp_path: Path) -> None:
    found = results(tmp_path, KUEUE)
    assert found == [
        ("MultiKueue when Connection via ClusterProfile no plugins uses ClusterProfile as way to connect worker "
         "cluster", "failed", 7),  # `[FAILED] Expected success, but got an error:` says what failed
        ("LeaderWorkerSet integration when LeaderWorkerSet created should allow to scale up, scale down fast",
         "flaky", 12),
    ], found


def test_v1_s_bullet_on_a_flaked_spec_too(tmp_path: Path) -> None:
    text = KUEUE.replace("↺ [FLAKEY", "• [FLAKEY")
    assert [outcome for _, outcome, _ in results(tmp_path, text)] == ["failed", "flaky"]


def test_a_passing_suite_gives_no_failure(tmp_path: Path) -> None:
    assert results(tmp_path, PASSING) == []


def test_a_plain_go_test_failing_is_still_read(tmp_path: Path) -> None:
    """Near-miss: `--- FAIL: TestX` with no Ginkgo summary above it is a Go test's failure."""
    text = "=== RUN   TestParse\n    parse_test.go:12: want 2, got 3\n--- FAIL: TestParse (0.00s)\nFAIL\n"
    assert [outcome for _, outcome, _ in results(tmp_path, text)] == ["failed"]


def test_a_spec_whose_location_never_comes_keeps_a_bounded_title(tmp_path: Path) -> None:
    """Hostile or cut log: a block header, then hundreds of lines and no `file.go:N` location. The spec's text is read
    up to MAX_TITLE_LINES lines, not every line of the block (up to listing's 400) joined into one id."""
    text = "• [FAILED] [1.000 seconds]\n" + "".join(f"container words line {i}\n" for i in range(300))
    found = results(tmp_path, text)
    assert len(found) == 1
    assert found[0][0].split() == " ".join(f"container words line {i}" for i in range(6)).split()


def test_only_one_go_test_after_the_summary_is_the_suite_s(tmp_path: Path) -> None:
    """Near-miss: the package's other Go test failing with no output of its own (`t.Fail()` prints only its
    `--- FAIL:` line) right after the suite's test is a failure of its own, not the suite's second Go test."""
    suite = "--- FAIL: TestTemplate (0.01s)\n"
    text = PLRL.replace(suite, suite + "--- FAIL: TestParse (0.00s)\n")
    assert [outcome for _, outcome, _ in results(tmp_path, text)] == ["failed", "failed"]
