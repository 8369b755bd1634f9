"""The JUnit collector's batch path gives what taking every case one by one gives.

The reader hands cases on in batches (stream.CaseBatch); the collector takes a batch's passed cases
into the rerun window at once when no key repeats (collect.CaseCollector.take_batch) and keys them by
map/zip (case.case_keys). Both are checked here against the case-by-case path they stand in front of,
on reports with reruns at every distance, skips, failures, interim runs, status attributes, cases
without a file or a class, nested suites and truncated files, under small listing limits and windows
(so that the window turns many times) and several batch sizes.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gardener.errors import InputError
from gardener.ingest import junit
from gardener.ingest.junit import collect, stream
from gardener.ingest.junit.case import CaseContext, case_key, case_keys


def _report(seed: int) -> str:
    rnd = random.Random(seed)
    pytest_root = rnd.random() < 0.3
    names = [f"t{i}" for i in range(rnd.randint(3, 40))]
    classes = ["", "A", "B", "pkg.C"]
    files = ["", "a.py", "x/b_test.go", "s.js"]
    parts = ['<?xml version="1.0"?>\n<testsuites%s>\n' % (' name="pytest tests"' if pytest_root else "")]
    for _ in range(rnd.randint(1, 4)):
        suite = f' name="{"pytest" if pytest_root else rnd.choice(["S", "a.py", "dir/s.js", ""])}"'
        if rnd.random() < 0.3:
            suite += f' file="{rnd.choice(files)}"'
        parts.append(f"<testsuite{suite}>\n")
        nested = rnd.random() < 0.3
        if nested:
            parts.append('<testsuite name="inner">\n')
        for c in range(rnd.randint(0, 150)):
            attrs = f'name="{rnd.choice(names)}"'
            if rnd.random() < 0.8:
                attrs += f' classname="{rnd.choice(classes)}"'
            if rnd.random() < 0.4:
                attrs += f' file="{rnd.choice(files)}"'
            if rnd.random() < 0.03:
                attrs += f' status="{rnd.choice(["skipped", "run", "disabled"])}"'
            roll = rnd.random()
            if roll < 0.6:
                parts.append(f"<testcase {attrs}/>\n")
            elif roll < 0.68:
                parts.append(f"<testcase {attrs}><system-out>out</system-out></testcase>\n")
            elif roll < 0.8:
                parts.append(f'<testcase {attrs}><skipped message="m{rnd.randint(0, 3)}"/></testcase>\n')
            elif roll < 0.9:
                parts.append(f'<testcase {attrs}><failure message="boom {c}" type="E">trace {c}</failure></testcase>\n')
            elif roll < 0.95:
                parts.append(f'<testcase {attrs}><error message="err {c}">e</error></testcase>\n')
            else:
                parts.append(f'<testcase {attrs}><flakyFailure message="fl"><stackTrace>st</stackTrace>'
                             "</flakyFailure></testcase>\n")
        parts.append("</testsuite>\n</testsuite>\n" if nested else "</testsuite>\n")
    text = "".join(parts) + "</testsuites>\n"
    return text[: rnd.randint(len(text) // 2, len(text) - 5)] if seed % 10 == 9 else text


def _read(path: Path) -> object:
    try:
        parsed = junit.parse(path)
    except InputError as exc:
        return exc.reason
    return parsed.counts, parsed.declared, parsed.partial, parsed.warning, parsed.results


@pytest.mark.parametrize(("listed", "window", "batch"), [(10_000, 10_000, 512), (5, 3, 512), (0, 2, 7), (1, 1, 1),
                                                         (20, 7, 3), (0, 50, 512)])
def test_batches_read_as_one_by_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, listed: int, window: int,
                                    batch: int) -> None:
    monkeypatch.setattr(collect, "QUIET_LISTED", listed)
    monkeypatch.setattr(collect, "QUIET_WINDOW", window)
    monkeypatch.setattr(stream, "BATCH_CASES", batch)
    paths = []
    for seed in range(60):
        path = tmp_path / f"r{seed}.xml"
        path.write_text(_report(seed), encoding="utf-8")
        paths.append(path)
    batched = [_read(p) for p in paths]

    def one_by_one(self: collect.CaseCollector, batch: stream.CaseBatch) -> None:
        self._take_each(batch, 0, len(batch.attrs))

    monkeypatch.setattr(collect.CaseCollector, "take_batch", one_by_one)
    assert [_read(p) for p in paths] == batched


def test_the_batch_path_is_taken_on_a_big_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not only the fallback: past the listing limit, batches without repeats enter the window at once."""
    monkeypatch.setattr(collect, "QUIET_LISTED", 10)
    cases = "".join(f'<testcase classname="C" name="t{i}"/>' for i in range(3000))
    (tmp_path / "big.xml").write_text(f'<testsuite name="s">{cases}</testsuite>', encoding="utf-8")
    each_calls: list[int] = []
    take_each = collect.CaseCollector._take_each

    def counting(self: collect.CaseCollector, batch: stream.CaseBatch, lo: int, hi: int) -> None:
        each_calls.append(hi - lo)
        take_each(self, batch, lo, hi)

    monkeypatch.setattr(collect.CaseCollector, "_take_each", counting)
    assert junit.parse(tmp_path / "big.xml").counts.cases == 3000
    assert sum(each_calls) <= stream.BATCH_CASES  # only the batch that was listing


_VALUES = st.sampled_from(["", "a", "a.py", "pkg.C", "t[1]", "x\u00e9"])
_ATTRIBS = st.dictionaries(st.sampled_from(["file", "classname", "name", "time"]), _VALUES, max_size=4)


@given(st.lists(_ATTRIBS, max_size=12), _VALUES, _VALUES)
def test_case_keys_are_case_key(attribs: list[dict[str, str]], suite_file: str, suite_name: str) -> None:
    ctx = CaseContext(suite="s", suite_name=suite_name, suite_file=suite_file, timestamp=None, pytest=False)
    assert case_keys(attribs, ctx) == [case_key(a, ctx) for a in attribs]


def test_a_status_attribute_after_many_batches_without_one_still_counts(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches before the first `status` attribute skip the per-case look for one (the parser's interned
    names say none was seen); the batch holding it, and every later one, look."""
    monkeypatch.setattr(collect, "QUIET_LISTED", 10)
    cases = "".join(f'<testcase classname="C" name="t{i}"/>' for i in range(2000))
    late = '<testcase classname="C" name="late" status="disabled"/><testcase classname="C" name="after"/>'
    (tmp_path / "r.xml").write_text(f'<testsuite name="s">{cases}{late}</testsuite>', encoding="utf-8")
    seen: list[bool] = []
    take_batch = collect.CaseCollector.take_batch

    def recording(self: collect.CaseCollector, batch: stream.CaseBatch) -> None:
        seen.append(batch.may_have_status)
        take_batch(self, batch)

    monkeypatch.setattr(collect.CaseCollector, "take_batch", recording)
    counts = junit.parse(tmp_path / "r.xml").counts
    assert (counts.cases, counts.skipped) == (2002, 1)
    assert seen[0] is False and seen[-1] is True


def _identity(attrib: dict[str, str], ctx: CaseContext) -> tuple[str, str, str, str]:
    file = attrib.get("file") or ctx.suite_file
    classname = attrib.get("classname", "")
    return file, classname, attrib.get("name", ""), "" if file or classname else ctx.suite_name


@given(_ATTRIBS, _ATTRIBS, _VALUES, _VALUES, _VALUES, _VALUES)
def test_case_keys_are_equal_exactly_when_identities_are(a: dict[str, str], b: dict[str, str], file_a: str,
                                                          file_b: str, name_a: str, name_b: str) -> None:
    """The two key shapes (`file\\0class\\0name`, `\\0\\0name\\0suite`) never meet: equal keys, same test."""
    ctx_a = CaseContext(suite="s", suite_name=name_a, suite_file=file_a, timestamp=None, pytest=False)
    ctx_b = CaseContext(suite="s", suite_name=name_b, suite_file=file_b, timestamp=None, pytest=False)
    same = _identity(a, ctx_a) == _identity(b, ctx_b)
    assert (case_key(a, ctx_a) == case_key(b, ctx_b)) == same
