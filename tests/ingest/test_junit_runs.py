"""Runs of plain testcases read from the bytes (junit.runs) give exactly what the ordinary reader gives.

`junit.parse` reads a file with runs cut out before expat (read.read_runs) and falls back to the ordinary
reader (read.read_cases) on anything it cannot read exactly. Each report here is read both ways and the
results compared, whole (counts, declared counts, partial, warning, every Result with its line), under
small listing limits, windows and batches so that runs are made into elements, split across batches and
met by reruns: reports with comments, CDATA sections and processing instructions holding testcases,
entities and tabs and line breaks in attributes, CRLF and lone CR line ends, testcases nested in a
failure's text, testcases after the root closed, skipped children of every shape, other encodings,
truncations, and the shared corpus.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from gardener.errors import InputError
from gardener.ingest import junit
from gardener.ingest.junit import collect, read, runs, stream
from gardener.ingest.junit.text import BoundedText

CORPUS = Path(__file__).parent.parent / "data" / "junit" / "corpus"

_ODD = [
    '<!-- <testcase name="in-comment"/> -->', '<![CDATA[ <testcase name="in-cdata"/> ]]>',
    '<?pi <testcase name="in-pi"/> ?>', "\r\n", "\r", "\t", "&amp;", '<testcase name="a&amp;b" classname="C"/>',
    "<testcase name='single' classname='C'/>", '<testcase  name="spaced" />', '<testcase name="x"\n classname="y"/>',
    '<testcase name="t\tab" classname="C"/>', '<testcase name="\u00e9\u00a0" classname="C" file="u.py"/>',
    "<testcase/>", '<testcase classname="C"/>', '<testcase time="1"/>', '<ns:testcase name="n"/>',
    '<testcase name="s" classname="C" status="skipped"/>', '<testcase name="r" status="run"/>', "text",
    '<testcase name="x" file=""/>', '<testcase name="gt>" classname="C"/>', '<testcase\tname="tabbed"/>',
    '<testcase file="f.py" name="a"/>\n<testcase file="f.py" name="a"/>', "<!-- a - b -->", "<?pi?>",
    '<testcase name="t1"/>\r<testcase name="t2"/>\r\n\r<testcase name="t3"/>',
    '<testcase name="sk" classname="C">\r\n  <skipped message="m" type="t"/>\r\n</testcase>',
    '<testcase name="sk2" classname="C"><skipped/></testcase>',
    '<testcase name="sk3"><skipped message="a&lt;b"/></testcase>',
    '<testcase name="sk4" classname="C"><skipped type="t" message="m"/></testcase>',
    '<testcase name="ctl" classname="C"/>'.replace("ctl", "c\u0001tl"),
    '<testcase name="n1" classname="W"><failure message="m">x\r\n<testcase name="in1"/>\n  <testcase name="in2" '
    'file="z.py"/> y</failure></testcase>',
    '<testcase name="n2" classname="W"><system-out>\n<testcase name="so"/>\n</system-out></testcase>',
    '<testcase name="n3" classname="W">\n<testcase name="child1"/>\n<testcase name="child2"/>\n</testcase>',
    '<testcase name="n4" classname="W"><failure>t<testcase name="nsk" classname="Q">\n<skipped message="x"/>\n'
    "</testcase>u</failure></testcase>",
]


def _report(seed: int) -> str:
    rnd = random.Random(seed)
    root = ' name="pytest tests"' if rnd.random() < 0.2 else ""
    names = [f"t{i}" for i in range(rnd.randint(3, 60))]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f"<testsuites{root}>"]
    for s in range(rnd.randint(1, 3)):
        lines.append(f'<testsuite name="{"pytest" if root else f"S{s}"}" file="{rnd.choice(["", "s.py"])}">')
        for c in range(rnd.randint(0, 120)):
            attrs = f'classname="{rnd.choice(["", "A", "pkg.B"])}" name="{rnd.choice(names)}"'
            if rnd.random() < 0.5:
                attrs += f' file="{rnd.choice(["", "a.py", "x/b.go"])}" line="{c}"'
            attrs += f' time="{rnd.random():.3f}"'
            roll = rnd.random()
            if roll < 0.6:
                lines.append(f"  <testcase {attrs}/>")
            elif roll < 0.75:
                lines.append(f'  <testcase {attrs}>\n    <skipped message="m{rnd.randint(0, 2)}"/>\n  </testcase>')
            elif roll < 0.9:
                lines.append(f'  <testcase {attrs}><failure message="boom {c}">trace "{c}"</failure></testcase>')
            else:
                lines.append(f'  <testcase {attrs}><flakyFailure message="fl"/><system-out>o</system-out></testcase>')
        lines.append("</testsuite>")
    lines.append("</testsuites>")
    for _ in range(rnd.randint(0, 5)):
        lines.insert(rnd.randint(2, len(lines) - 2), rnd.choice(_ODD))
    if seed % 9 == 0:
        lines.insert(len(lines), '<testcase name="after-root"/>')
    text = ("\r\n" if seed % 7 == 0 else "\n").join(lines) + "\n"
    return text[: rnd.randint(len(text) // 2, len(text))] if seed % 13 == 12 else text


def _read(path: Path, details: bool) -> object:
    try:
        parsed = junit.parse(path) if details else junit.parse_brief(path)
    except InputError as exc:
        return exc.reason
    return parsed.counts, parsed.declared, parsed.partial, parsed.warning, parsed.results


def _both_ways(monkeypatch: pytest.MonkeyPatch, paths: list[Path]) -> tuple[list[object], list[object]]:
    fast = [_read(p, d) for p in paths for d in (True, False)]

    def ordinary_only(path: Path, batches: stream.BatchSink) -> tuple[stream.StreamState, None]:
        raise runs.Abandon("read the ordinary way")

    monkeypatch.setattr(read, "read_runs", ordinary_only)
    return fast, [_read(p, d) for p in paths for d in (True, False)]


@pytest.mark.parametrize(("listed", "window", "batch"), [(10_000, 10_000, 512), (3, 2, 5), (0, 1, 1), (20, 7, 64)])
def test_runs_read_as_the_ordinary_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, listed: int, window: int,
                                          batch: int) -> None:
    monkeypatch.setattr(collect, "QUIET_LISTED", listed)
    monkeypatch.setattr(collect, "QUIET_WINDOW", window)
    monkeypatch.setattr(stream, "BATCH_CASES", batch)
    paths = []
    for seed in range(80):
        path = tmp_path / f"r{seed}.xml"
        path.write_bytes(_report(seed).encode("utf-8"))
        paths.append(path)
    latin = tmp_path / "latin.xml"  # not UTF-8: never cut
    latin.write_bytes(_report(3).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').encode("latin-1", "replace"))
    paths.append(latin)
    fast, ordinary = _both_ways(monkeypatch, paths)
    assert fast == ordinary


def test_the_shared_corpus_reads_as_the_ordinary_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    paths = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix in (".xml", ".junit"))
    assert len(paths) > 40
    fast, ordinary = _both_ways(monkeypatch, paths)
    assert fast == ordinary


def test_a_big_report_across_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs cut at the reads' ends (64 KiB), a failure's text longer than a read, CRLF line ends."""
    cases = []
    trace = "trace line\r\n"
    for i in range(6000):
        head = f'<testcase classname="pkg.T{i // 40}" name="test_{i}[p{i % 7}]" file="pkg/t.py" line="{i}" time="0.1"'
        if i % 97 == 0:
            cases.append(f'{head}><failure message="m{i}">{trace * (1 + i * 7 % 9000)}</failure></testcase>')
        elif i % 31 == 0:
            cases.append(f'{head}>\r\n  <skipped message="later"/>\r\n</testcase>')
        else:
            cases.append(f"{head}/>")
    text = '<testsuites>\r\n<testsuite name="s">\r\n' + "\r\n".join(cases) + "\r\n</testsuite>\r\n</testsuites>\r\n"
    path = tmp_path / "big.xml"
    path.write_bytes(text.encode("utf-8"))
    monkeypatch.setattr(collect, "QUIET_LISTED", 100)
    fast, ordinary = _both_ways(monkeypatch, [path])
    assert fast == ordinary
    parsed = fast[0]
    assert isinstance(parsed, tuple)
    lines = {r.id.rpartition("::")[2]: r.source_line for r in parsed[4] if r.outcome == "failed"}
    assert len(lines) == len(range(0, 6000, 97))
    for i in range(0, 6000, 97):  # the line its start tag is on
        assert lines[f"test_{i}"] == text[: text.index(f'name="test_{i}[')].count("\r\n") + 1


def test_plain_cases_reach_no_python_per_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The point of runs: expat reports no element of a passed or skipped case; only the failing ones."""
    def end(i: int) -> str:
        if i % 100 == 0:
            return "><failure>f</failure></testcase>"
        return '><skipped message="s"/></testcase>' if i % 7 == 0 else "/>"

    body = "\n".join(f'<testcase classname="C" name="t{i}" file="c.py"{end(i)}' for i in range(5000))
    path = tmp_path / "r.xml"
    path.write_text(f'<testsuites>\n<testsuite name="s">\n{body}\n</testsuite>\n</testsuites>\n', encoding="utf-8")
    started: list[str] = []
    start = stream.CaseReader.start

    def counting(self: stream.CaseReader, name: str, attrs: dict[str, str]) -> None:
        started.append(name)
        start(self, name, attrs)

    monkeypatch.setattr(stream.CaseReader, "start", counting)
    parsed = junit.parse(path)
    assert (parsed.counts.cases, parsed.counts.failures, parsed.counts.skipped) == (5000, 50, 5000 // 7 - 7)
    assert started.count("testcase") == 50


def test_a_text_is_kept_the_same_however_the_reads_cut_it() -> None:
    """BoundedText keeps the first and last characters whatever the chunks (runs change where reads fall)."""
    text = "".join(f"{i:06d}\n" for i in range(20_000))
    pieces = []
    for cut in (1, 8192, 5000, 65_536, len(text)):
        kept = BoundedText()
        for at in range(0, len(text), cut):
            kept.add(text[at : at + cut])
        pieces.append(kept.text())
    assert len(set(pieces)) == 1
    assert pieces[0].startswith(text[:1000]) and pieces[0].endswith(text[-1000:])


@pytest.mark.parametrize(
    "body",
    [
        '<testcase classname="' + "x" * 2_000_000,  # a value that never ends
        '<testcase classname="a" name="' + '<testcase classname="b" name="' * 60_000,  # attempts inside values
        '<testcase classname="C" name="t" file="f"' + ' k="v"' * 200_000 + ">",  # a tag that never closes
        ('<testcase classname="C" name="t" file="f.py"/>' + " " * 50) * 20_000 + '<testcase classname="C" name="',
    ],
    ids=["endless-value", "cases-inside-values", "endless-tag", "cut-after-many"],
)
def test_hostile_bytes_are_cut_in_linear_time(tmp_path: Path, body: str) -> None:
    path = tmp_path / "h.xml"
    path.write_text(f'<testsuites>\n<testsuite name="s">\n{body}', encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(InputError):  # each file is cut short: refused or partial means read, not hung
        parsed = junit.parse(path)
        if parsed.partial:
            raise InputError(str(path), "partial")
    assert time.perf_counter() - started < 10
