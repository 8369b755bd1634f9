"""Issue text as people read it: gardener's own references stay live while untrusted fragments are
neutralised, "How to reproduce" names something real, counts read as words, the error that came back."""

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from gardener import render
from gardener.garden.drafts import Drafts
from gardener.garden.setup import issue_lines
from gardener.model import Attempt, Finding, IssueRef, RunReport
from gardener.pipeline import RunOutput
from gardener.plan.wording import fragment, listed, own_line
from gardener.tracker.markers import Marker
from gardener.view.common import Ctx
from gardener.view.issue import error_line
from tests.factories import finding, result

WHEN = datetime(2026, 3, 2, 9, 14, tzinfo=UTC)
STEP = "docker compose -f ci/compose.yml up -d --wait"


def report(*findings: Finding, attempts: tuple[Attempt, ...] = ()) -> RunReport:
    return RunReport(generated_at=WHEN, command_line="gardener run", focus=(), scope=None, files=(),
                     attempts=attempts, findings=findings, edges=(), phases=(),
                     resolution_order=tuple(f.id for f in findings), actions=())


def body(f: Finding, rep: RunReport | None = None, ctx: Ctx | None = None) -> str:
    drafts = Drafts(rep or report(f), ctx or Ctx(), render.environment())
    return drafts.visible(f, Marker(sig=f.signature.digest, count=len(f.results)), {})


def reproduce(text: str) -> str:
    return text.split("## How to reproduce\n", 1)[1].split("\n\n", 1)[0]


def test_fragments_are_neutralised_and_gardeners_sentences_keep_their_references():
    sentence = f"#8 was closed; labels {fragment('@acme/ui-kit')}, {fragment('see #12')}"
    assert own_line(sentence, 200) == "#8 was closed; labels @\u200bacme/ui-kit, see #\u200b12"
    assert own_line("token ghp_R7tQk2VbX9mL4sWc8NzJ1hYd6PfA3uE0oGiT\n<!-- x", 200) == (
        "token [REDACTED:github-token] <!\u200b-- x")
    assert listed(["a", "b", "c"], 2) == "`a`, `b` and 1 more"


def test_how_to_reproduce_names_the_command_the_tests_or_the_job_never_a_job_not_listed():
    python = finding("f-py", "import-collection-error", results=(result("tests/test_ws.py", outcome="error"),))
    assert reproduce(body(python)) == "```console\npytest tests/test_ws.py\n```"

    java = finding("f-java", "assertion-failure", results=(result("com.acme.CartTest.total"),
                                                          result("com.acme.CartTest.tax")))
    assert reproduce(body(java)) == "Re-run the affected tests: `com.acme.CartTest.total`, `com.acme.CartTest.tax`."
    ran = Ctx(run_url="https://github.com/acme/shop/actions/runs/7")
    assert reproduce(body(java, ctx=ran)) == "Re-run the CI job: https://github.com/acme/shop/actions/runs/7"

    incident = result("log:job:pull-denied", outcome="error", properties=(("step", f"Run {STEP}"),),
                      source_path="ci/job.log")
    pulls = finding("f-pull", "registry-access-failure", "infrastructure", results=(incident,))
    attempt = Attempt(STEP, STEP, None, "FAILED", 1, 1.0, "pull access denied", None, (), WHEN)
    assert reproduce(body(pulls, report(pulls, attempts=(attempt,)))) == f"```console\n{STEP}\n```"
    orphan = reproduce(body(pulls))
    assert "listed above" not in orphan and orphan.startswith("Re-run the job that wrote `ci/job.log")


def test_counts_read_as_words():
    one = body(finding("f-one", "assertion-failure"))
    assert "; 1 failing result in the latest run" in one and "(s)" not in one.split("## Where it was seen")[1]
    many = finding("f-many", "assertion-failure", results=(result("tests/a.py::t"), result("tests/b.py::t")))
    assert "; 2 failing results in the latest run" in body(many)


def test_the_error_line_prefers_a_typed_message_then_pytests_e_line():
    junit = result("tests/test_ws.py", outcome="error", message="collection failure",
                   details="tests/test_ws.py:6: in <module>\nE   ModuleNotFoundError: No module named 'shop.feed'")
    log = replace(junit, message="ModuleNotFoundError: No module named 'shop.feed' @dana-k", error_type="Module",
                  details="")
    assert error_line(finding("f-a", "x", results=(junit,)), Ctx()) == (
        "ModuleNotFoundError: No module named 'shop.feed'")
    assert error_line(finding("f-b", "x", results=(junit, log)), Ctx()) == (
        "ModuleNotFoundError: No module named 'shop.feed' @\u200bdana-k")


def test_comments_keep_gardeners_references_live():
    drafts = Drafts(report(), Ctx(secrets=("s3cr3t-value",)), render.environment())
    text = drafts.comment("Closing as a duplicate", ("Closing as a duplicate of #3: same signature s3cr3t-value.",
                                                     f"Error: {fragment('ping @dana-k about #12')}"), None, WHEN)
    assert "Closing as a duplicate of #3:" in text and "s3cr3t-value" not in text
    assert "@\u200bdana-k about #\u200b12" in text


def test_the_terminal_issue_list_cleans_titles_but_not_gardeners_numbers(tmp_path: Path):
    f = finding("f-1", "assertion-failure", title="Ping @dana-k: see #12")
    rep = replace(report(f), issues=(("f-1", IssueRef(4, 1004, f.title, "open", "u/4")),))
    out = RunOutput(rep, tmp_path / "w.md", tmp_path / "s.md", tmp_path / "p.json", ())
    assert issue_lines(out)[0] == "  #4 P2 Ping @\u200bdana-k: see #\u200b12"
