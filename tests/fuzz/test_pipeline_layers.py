"""The layers after the readers, fuzzed more briefly: the rule engine, redaction, the templates.

- Rules: any results classify without an exception; failing and flaky ones give findings, others none.
- Redaction: a secret or @mention planted anywhere in arbitrary text never survives `clean`, and
  cleaning is idempotent.
- Templates: a run over arbitrary results renders the worklog, the summary and the plan; a
  planted secret appears in none of them.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from gardener.classify import find
from gardener.config import Config
from gardener.model import FileReport, Result, Source
from gardener.pipeline import RunOptions, build_report, write_documents
from gardener.redact import clean
from gardener.view.common import Ctx

BODY36 = "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
GH_TOKEN = "gh" + "p_" + BODY36  # assembled so this file holds no literal a scanner flags
LIVE_MENTION = re.compile(r"(?<![A-Za-z0-9_])@[A-Za-z0-9]")

# Words the rules and masks look for, so that generated text reaches real rule branches.
WORDS = (
    "AssertionError", "assert", "==", "Traceback (most recent call last):", "ConnectionRefusedError",
    "Errno 111", "timeout", "Timed out", "ModuleNotFoundError: No module named 'x'", "ImportError",
    "OOMKilled", "exit code 137", "pull access denied", "E   ", "FAILED", "::", "/tmp/x.py:12",
    'File "a.py", line 3, in f', "0x7ffd", "2024-05-01T12:00:00Z", "\n", " ", "@", "#12", "`", "<!--",
    "::error::", "${{ secrets.X }}", "password=", "token: ", "std::vector<int>", "    at com.x.Y(Y.java:3)",
)
text = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=40)), max_size=25).map("".join)


@st.composite
def results(draw: st.DrawFn) -> tuple[Result, ...]:
    found = []
    for i in range(draw(st.integers(1, 8))):
        found.append(
            Result(
                id=f"tests/test_{i % 3}.py::test_{draw(st.text(max_size=12))}",
                outcome=draw(st.sampled_from(("failed", "error", "flaky", "passed", "skipped"))),
                source=Source("fuzz.xml", "junit"), source_line=i + 1,
                message=draw(text),
                error_type=draw(st.sampled_from(("", "AssertionError", "TimeoutError", "E", "x" * 50))),
                details=draw(text),
                file=draw(st.one_of(st.none(), st.sampled_from(("a.py", "src/b.go", "C:\\x\\y.cs")))),
                line=draw(st.one_of(st.none(), st.integers(0, 10**6))),
            )
        )
    return tuple(found)


@given(results())
@example((Result(id="t::x", outcome="failed", source=Source("f", "junit"), source_line=1, message="::" * 2000),))
@example((Result(id="t::x", outcome="flaky", source=Source("f", "junit"), source_line=1),))
def test_rule_engine_classifies_anything(found: tuple[Result, ...]) -> None:
    findings = find(found)
    failing = sum(1 for r in found if r.is_failing or r.outcome == "flaky")  # flaky tests get findings too
    assert (failing == 0) == (not findings)
    assert sum(len(f.results) for f in findings) >= min(failing, 1)


@given(text, text, st.sampled_from((GH_TOKEN, "@octocat", "@org/team")))
@example("token=", "", GH_TOKEN)
@example("@", "", "@octocat")
def test_redaction_never_lets_a_planted_secret_or_mention_through(before: str, after: str, planted: str) -> None:
    cleaned = clean(f"{before} {planted} {after}")
    assert BODY36 not in cleaned
    assert LIVE_MENTION.search(cleaned) is None  # no mention anywhere, planted or generated
    assert clean(cleaned) == cleaned


FAILED = Result(id="t.py::test_x", outcome="failed", source=Source("fuzz.xml", "junit"), source_line=1)


# Found by this suite: an escape sequence cut short before a token used to eat the token's first
# letter as its final byte (`\x9b ghp_...` -> `hp_...`), so the rest was no longer a token.
@pytest.mark.parametrize("prefix", ["\x9b ", "\x1b[ "])
def test_a_cut_escape_sequence_before_a_token_does_not_uncover_it(prefix: str) -> None:
    assert BODY36 not in clean(f"{prefix}{GH_TOKEN}")


@given(results())
@example((replace(FAILED, message="AssertionError" * 18 + "`::AssertionError\npull access denied OOMKilled"),))
@example((replace(FAILED, message="\x9b"), replace(FAILED, id="t.py::test_\x93\U0008e8ff")))
def test_templates_render_any_run_without_leaking_a_planted_secret(found: tuple[Result, ...]) -> None:
    # On a line of its own: the escape-sequence gap above is pinned separately.
    planted = tuple(replace(r, message=f"{r.message}\n{GH_TOKEN}\n") for r in found)
    files = (FileReport(path="fuzz.xml", kind="junit"),)
    with tempfile.TemporaryDirectory() as tmp:
        options = RunOptions(
            out_dir=Path(tmp), now=datetime(2024, 5, 1, tzinfo=UTC), session=(files, planted, ())
        )
        config = Config(base_dir=Path(tmp))
        out = write_documents(build_report(options, config), options, config, Ctx())
        for path in (out.worklog_path, out.summary_path, out.plan_path):
            assert BODY36 not in path.read_text(encoding="utf-8")


def _live_html(markdown: str) -> str:
    """The HTML a CommonMark renderer makes of `markdown`, raw HTML passed through (GitHub keeps `<img>`)."""
    from markdown_it import MarkdownIt

    return str(MarkdownIt("commonmark", {"html": True}).render(markdown))


# Round 6 (fuzz-6) defect 5, fixed: RSpec, PHPUnit and vitest test names are free text a spec author writes;
# one that held markdown (an image that loads a tracker, a link, raw HTML, a backtick that ends a code span)
# was rendered live in the worklog and the summary, in titles and in the tests' code spans. Every position
# that shows input text now goes through gardener/view/markdown_safe.py (tests/fuzz/test_markdown_safe.py).
def test_markdown_in_a_test_name_is_not_rendered_live() -> None:
    name = "Cart ` ![pix](http://evil.example/p.png) <img src=http://evil.example/i.png> [x](http://evil.example) `"
    found = (
        replace(FAILED, id=f"spec/cart_spec.rb::{name} totals", message=f"Failure/Error: {name}",
                details=f"  1) {name} totals\n     Failure/Error: expect(total).to eq(110)"),
    )
    files = (FileReport(path="rspec.log", kind="log"),)
    with tempfile.TemporaryDirectory() as tmp:
        options = RunOptions(out_dir=Path(tmp), now=datetime(2024, 5, 1, tzinfo=UTC), session=(files, found, ()))
        config = Config(base_dir=Path(tmp))
        out = write_documents(build_report(options, config), options, config, Ctx())
        for path in (out.worklog_path, out.summary_path):
            html = _live_html(path.read_text(encoding="utf-8"))
            assert "<img" not in html and 'href="http://evil.example' not in html, path.name
