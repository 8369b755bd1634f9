"""Scoring a labelled set of real CI failure excerpts (corpus3.jsonl, corpus4.jsonl, ...).

Each excerpt is written to a neutrally named file, ingested as `gardener classify` does, and its
first (most fundamental) finding is compared with the label; no finding counts as
`unclassified`/P2. Three measures, reported overall and per category, ecosystem and CI system:

- category: the first finding's category equals the label;
- exact priority: its priority equals the label;
- evidence on a marked line: a line the first finding gives as its evidence is one of the item's
  `failing_lines`. A finding's evidence lines are where its failing (or flaky) results were read
  (`Result.source_line`), and, for a result read without a line, the excerpt lines holding the first line of
  its message (the error line the worklog quotes).

Shared by the labelled-set table (tests/test_classify_sets.py), the long-log tests and the tests
that classify one written job log (`first_finding`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from gardener import linked
from gardener.config import Config
from gardener.model import Finding
from gardener.whole_excerpt import ingest_for_classify

NO_FINDING = ("unclassified", "P2")


@dataclass(frozen=True, slots=True)
class Scored:
    id: str
    split: str
    category: str
    ecosystem: str
    ci: str
    want: tuple[str, str]
    got: tuple[str, str]
    on_marked_line: bool

    @property
    def category_ok(self) -> bool:
        return self.got[0] == self.want[0]

    @property
    def priority_ok(self) -> bool:
        return self.got[1] == self.want[1]


def load_items(path: Path) -> list[dict[str, object]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def classified(path: Path, config: Config) -> tuple[Finding, ...]:
    """The findings `gardener classify` shows for one file, in its order (linked.py: the stage `run` shares)."""
    return linked.classified(ingest_for_classify([str(path)], config.rules), config)


def evidence_lines(finding: Finding, excerpt: str) -> frozenset[int]:
    """The 1-based excerpt lines a finding gives as its evidence (see the module docstring)."""
    lines = excerpt.split("\n")
    found: set[int] = set()
    for r in finding.results:
        if not r.is_failing and r.outcome != "flaky":  # a flaky finding's evidence is its flaky results
            continue
        if r.source_line is not None:
            found.add(r.source_line)
            continue
        first = r.message.strip().splitlines()[0].strip() if r.message.strip() else ""
        if first:
            found.update(n for n, text in enumerate(lines, 1) if first in text)
    return frozenset(found)


def split_field(item: dict[str, object]) -> str:
    """An item's split as the set records it (`train`, `holdout18`, ...)."""
    return str(item["split"])


def score(items: Sequence[dict[str, object]], root: Path, split: str = "",
          split_of: Callable[[dict[str, object]], str] = split_field) -> list[Scored]:
    """Classify every item (of `split` only, when given) from a file under `root`. A set that records no
    split, ecosystem, CI system or marked lines (the first two sets) gives its splits by `split_of`, `-` for the
    others, and no item of it is on a marked line."""
    config = Config()
    out = []
    for n, item in enumerate(items):
        if split and split_of(item) != split:
            continue
        excerpt = str(item["excerpt"])
        # Neutral file names: the label must not leak into the input through its name.
        path = root / f"excerpt-{n:03}.txt"
        path.write_text(excerpt, encoding="utf-8")
        findings = classified(path, config)
        got = (findings[0].category, findings[0].priority) if findings else NO_FINDING
        lines = item.get("failing_lines")
        marked = set(lines) if isinstance(lines, list) else set()
        on_line = bool(findings) and bool(evidence_lines(findings[0], excerpt) & marked)
        out.append(Scored(str(item["id"]), split_of(item), str(item["category"]), str(item.get("ecosystem", "-")),
                          str(item.get("ci", "-")), (str(item["category"]), str(item["priority"])), got, on_line))
    return out


def rates(rows: Sequence[Scored]) -> tuple[float, float, float]:
    n = len(rows) or 1
    return (sum(s.category_ok for s in rows) / n, sum(s.priority_ok for s in rows) / n,
            sum(s.on_marked_line for s in rows) / n)


def table(title: str, rows: Sequence[Scored], key: Callable[[Scored], str]) -> str:
    groups: dict[str, list[Scored]] = defaultdict(list)
    for s in rows:
        groups[key(s)].append(s)
    out = [f"{title:30} {'n':>4} {'category':>9} {'priority':>9} {'evidence':>9}"]
    for name, group in sorted(groups.items()):
        cat, pri, ev = rates(group)
        out.append(f"{name:30} {len(group):>4} {cat:>9.0%} {pri:>9.0%} {ev:>9.0%}")
    return "\n".join(out)


def summary(name: str, rows: Sequence[Scored]) -> str:
    cat, pri, ev = rates(rows)
    return (f"{name}: {len(rows)} items, category {cat:.1%}, exact priority {pri:.1%}, "
            f"evidence on a marked line {ev:.1%}")


def report(name: str, rows: Sequence[Scored]) -> str:
    """The summary line and the per category / ecosystem / CI system tables of `rows`."""
    return "\n".join((summary(name, rows), table("category", rows, lambda s: s.category),
                      table("ecosystem", rows, lambda s: s.ecosystem), table("ci", rows, lambda s: s.ci)))


def misses(rows: Sequence[Scored], evidence: bool = True) -> list[str]:
    """Each item whose first finding misses its label (or, with `evidence`, its marked lines)."""
    out = []
    for s in rows:
        off = evidence and not s.on_marked_line
        if s.got != s.want or off:
            out.append(f"{s.id}: want {s.want} got {s.got}{' (evidence off the marked lines)' if off else ''}")
    return out


def check_well_formed(items: Sequence[dict[str, object]], splits: Sequence[str]) -> None:
    """Unique ids; marked lines inside the excerpt; a known split and priority; a public source."""
    ids = [str(i["id"]) for i in items]
    assert len(ids) == len(set(ids))
    for item in items:
        excerpt = str(item["excerpt"])
        lines = item["failing_lines"]
        assert isinstance(lines, list) and lines, item["id"]
        assert all(isinstance(n, int) and 1 <= n <= excerpt.count("\n") + 1 for n in lines), item["id"]
        assert item["split"] in splits and item["priority"] in ("P0", "P1", "P2", "P3"), item["id"]
        assert str(item["source"]).startswith("https://"), item["id"]


def check_breadth(items: Sequence[dict[str, object]], kinds: int = 25) -> None:
    """Issue 12 item 8: at least `kinds` languages / tools and CI systems together, one item a source."""
    assert len({str(i["ecosystem"]) for i in items} | {str(i["ci"]) for i in items}) >= kinds
    assert len({str(i["source"]) for i in items}) == len(items)


def check_excerpt_set(items: Sequence[dict[str, object]], split: str, *, least: int, kinds: int, ecosystems: int,
                      ci_systems: int = 0) -> None:
    """A set of short excerpts from threads: well formed, at least `least` items, `kinds` languages / tools and CI
    systems together, `ecosystems` ecosystems and `ci_systems` CI systems besides `none`, 5-60 lines an item, and
    one item per source thread (fragments aside)."""
    check_well_formed(items, (split,))
    assert len(items) >= least
    check_excerpt_shape(items, kinds=kinds, ecosystems=ecosystems, ci_systems=ci_systems)


def check_excerpt_shape(items: Sequence[dict[str, object]], *, kinds: int, ecosystems: int,
                        ci_systems: int = 0) -> None:
    """`check_excerpt_set` but for well-formedness and size: breadth, 5-60 lines an item, one item per thread."""
    check_breadth(items, kinds=kinds)
    assert len({str(i["ecosystem"]) for i in items}) >= ecosystems
    assert len({str(i["ci"]) for i in items} - {"none"}) >= ci_systems
    lengths = [str(i["excerpt"]).count("\n") + 1 for i in items]
    assert min(lengths) >= 5 and max(lengths) <= 60
    assert len({thread_url(str(i["source"])) for i in items}) == len(items)


def check_long_logs(items: Sequence[dict[str, object]]) -> None:
    """Long logs, not excerpts: every item at least 40 lines, nine in ten at least 60."""
    lengths = [str(i["excerpt"]).count("\n") + 1 for i in items]
    assert min(lengths) >= 40
    assert sum(n >= 60 for n in lengths) >= 0.9 * len(items)


def repository(source: str) -> str:
    """`owner/name` of a GitHub file URL, lower case."""
    return "/".join(source.split("/")[3:5]).lower()


def sets_before(number: int, data: Path) -> tuple[Path, ...]:
    """The labelled sets built before corpus`number` (corpus, holdout2, corpus3 ... corpus`number - 1`), which its
    freshness check reads."""
    return tuple(data / f"{name}.jsonl" for name in ("corpus", "holdout2", *(f"corpus{n}" for n in range(3, number))))


def cited_sources(earlier: Sequence[Path]) -> list[str]:
    """Every source the earlier sets cite (a set's file that is not there is skipped)."""
    return [str(json.loads(line)["source"]) for path in earlier if path.exists()
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def check_fresh(items: Sequence[dict[str, object]], earlier: Sequence[Path], owners: str = "") -> None:
    """GitHub files only, one item per repository (its owner's first letter among `owners`, when given), and no
    file and no repository an earlier set cites (an earlier set's file that is not there is skipped)."""
    sources = [str(i["source"]) for i in items]
    assert all(s.startswith("https://github.com/") for s in sources)
    repositories = [repository(s) for s in sources]
    assert len(set(repositories)) == len(items)
    if owners:
        assert all(r[0] in owners for r in repositories), repositories
    cited = cited_sources(earlier)
    assert not set(sources) & set(cited)
    assert not set(repositories) & {repository(s) for s in cited if "github.com" in s}


def thread_url(source: str) -> str:
    """A source without its fragment or trailing slash, so `...#issuecomment-1` and `.../` match the thread."""
    return source.split("#", 1)[0].rstrip("/").lower()


def check_fresh_threads(items: Sequence[dict[str, object]], earlier: Sequence[Path]) -> None:
    """For a set of excerpts from threads: no thread an earlier set cites and, for committed files, no repository an
    earlier set cites (an earlier set's file that is not there is skipped)."""
    sources = [str(i["source"]) for i in items]
    cited = cited_sources(earlier)
    assert len(cited) > 1000
    assert not {thread_url(s) for s in sources} & {thread_url(s) for s in cited}
    files = {repository(s) for s in sources if s.startswith("https://github.com/") and "/blob/" in s}
    assert not files & {repository(s) for s in cited if s.startswith("https://github.com/")}


def check_accuracy(name: str, rows: Sequence[Scored], floors: tuple[float, float, float | None]) -> None:
    """Print the tables and the misses (`pytest -s`), then hold category / priority / evidence to `floors` (a set
    without marked lines has no evidence floor: None)."""
    print("\n" + report(name, rows))
    missed = misses(rows, evidence=floors[2] is not None)
    print("\nmisses:\n" + "\n".join(missed))
    cat, pri, ev = rates(rows)
    assert cat >= floors[0] and pri >= floors[1] and (floors[2] is None or ev >= floors[2]), missed


def first_finding(tmp_path: Path, lines: Sequence[str]) -> tuple[str, int | None]:
    """The category and evidence line of the first finding of `lines` saved as a job log and classified
    as `gardener classify` reads it."""
    path = tmp_path / "job.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = Config()
    first = classified(path, config)[0]
    return first.category, first.results[0].source_line
