"""Accuracy on every labelled set of real CI failures in tests/data/classify (how each was built is in the README
there): one row of SETS per set, its tests parametrised by the set's name (`test_accuracy[corpus18]`).

Each set is checked three ways:

- its form (`test_well_formed`): unique ids, marked lines inside the excerpt, a known split and priority and a
  public source (check_well_formed, for a set that marks its failing lines), at least the size it was committed
  with, and the checks of its own shape in its row (breadth, lengths, id prefixes, owners);
- its freshness (`test_fresh`, a set whose row names how): no source an earlier set cites;
- its accuracy (`test_accuracy`): scored as tests/corpus_scoring.py describes (each excerpt's first finding, as
  `gardener classify` shows it, against its label: category, exact priority, evidence on a marked line) and held to
  the row's floors. Goal (issue 12 acceptance, measured on held-out material): 95% category, 80% exact priority,
  75% of first findings on a marked line; the floors guard against regressions, and the gap to the goal is rule
  work, never something to tune a held-out set to (labels change only when objectively wrong, item by item in the
  README).

`pytest -s tests/test_classify_sets.py -k corpus18` prints the tables and the misses of one set (for a held-out set:
the lead only); `CORPUS3_SPLIT=train` (any set: its name in capitals) scores one split only.

A new set is one row: its name, splits, floors (0.0 until the lead's first scoring), size and shape checks, with
what the set is and where its floors came from as a comment. A set that arrives with a module of its own in the old
shape (tests/test_classify_corpusN.py: a fixture, a well-formed test, a fresh test, an accuracy test) becomes a row
so: MIN_* constants to `floors` and `least`; check_well_formed is the test's own; check_excerpt_set's kinds /
ecosystems / ci_systems to `excerpts(...)`, check_breadth to `breadth(kinds)`, check_long_logs and a line bound to
`long_logs(most)` / `lines(...)`, its own asserts to the checks below (or a new one of a few lines); check_fresh
to `fresh=files()` (`files(owners)`), check_fresh_threads to `fresh=threads`; its docstring's facts to the row's
comment. Then the module goes (test_every_set_has_a_row holds a set to a row or a module of its own).
"""

from __future__ import annotations

import hashlib
import os
import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest

from tests.corpus_scoring import (
    check_accuracy,
    check_breadth,
    check_excerpt_shape,
    check_fresh,
    check_fresh_threads,
    check_long_logs,
    check_well_formed,
    load_items,
    report,
    score,
    sets_before,
    split_field,
)

DATA = Path(__file__).parent / "data" / "classify"

Item = dict[str, object]
Items = Sequence[Item]
Check = Callable[[Items], None]
Fresh = Callable[[Items, Sequence[Path]], None]  # the set's items, the earlier sets' files


@dataclass(frozen=True, slots=True)
class LabelledSet:
    name: str  # tests/data/classify/<name>.jsonl, and the test id
    splits: tuple[str, ...]
    floors: tuple[float, float, float | None]  # category, exact priority, evidence on a marked line (None: no marks)
    least: int  # items at least: the size it was committed with
    form: tuple[Check, ...] = ()  # the checks of its own shape
    fresh: Fresh | None = None
    earlier: tuple[str, ...] | None = None  # the sets `fresh` reads (None: every set built before it)
    split_of: Callable[[Item], str] = split_field

    @property
    def path(self) -> Path:
        return DATA / f"{self.name}.jsonl"

    def earlier_sets(self) -> tuple[Path, ...]:
        if self.earlier is not None:
            return tuple(DATA / f"{name}.jsonl" for name in self.earlier)
        return sets_before(int(self.name.removeprefix("corpus")), DATA)


# -- the checks of a set's shape -------------------------------------------------------------------------------

def _lines(item: Item) -> int:
    return str(item["excerpt"]).count("\n") + 1


def breadth(kinds: int = 25) -> Check:
    """At least `kinds` ecosystems and CI systems together, one item a source (corpus_scoring.check_breadth)."""
    return partial(check_breadth, kinds=kinds)


def excerpts(*, kinds: int, ecosystems: int, ci_systems: int = 0) -> Check:
    """Short excerpts from threads: breadth, 5-60 lines an item, one item a thread (check_excerpt_shape)."""
    return partial(check_excerpt_shape, kinds=kinds, ecosystems=ecosystems, ci_systems=ci_systems)


def long_logs(most: int | None = None) -> Check:
    """Long logs: every item at least 40 lines, nine in ten at least 60 (check_long_logs), and at most `most`."""

    def check(items: Items) -> None:
        check_long_logs(items)
        assert most is None or max(map(_lines, items)) <= most

    return check


def lines(least: int = 0, most: int | None = None, median: int = 0) -> Check:
    """Every item `least`-`most` lines long, the median at least `median`."""

    def check(items: Items) -> None:
        counts = [_lines(i) for i in items]
        assert min(counts) >= least and (most is None or max(counts) <= most)
        assert statistics.median(counts) >= median

    return check


def categories(least: int, *, exactly: bool = False, each: int = 1, unclassified: bool = False) -> Check:
    """At least (or `exactly`) `least` categories, `each` items of each at least, honest `unclassified` items."""

    def check(items: Items) -> None:
        per = Counter(str(i["category"]) for i in items)
        assert (len(per) == least if exactly else len(per) >= least), sorted(per)
        assert min(per.values()) >= each, per
        assert not unclassified or per["unclassified"] > 0

    return check


def systems(*, ci: int = 0, ecosystems: int = 0) -> Check:
    """At least `ci` CI systems and `ecosystems` ecosystems."""

    def check(items: Items) -> None:
        assert len({str(i["ci"]) for i in items}) >= ci
        assert len({str(i["ecosystem"]) for i in items}) >= ecosystems

    return check


def ids(prefix: str) -> Check:
    def check(items: Items) -> None:
        assert all(str(i["id"]).startswith(prefix) for i in items)

    return check


def on_github(owners: tuple[str, str] | None = None) -> Check:
    """Every source on GitHub (with `owners`, a pair of letters: its owner's name starting between them)."""

    def check(items: Items) -> None:
        sources = [str(i["source"]) for i in items]
        assert all(s.startswith("https://github.com/") for s in sources)
        names = [s.split("/")[3].lower() for s in sources]
        assert owners is None or all(owners[0] <= name[0] <= owners[1] for name in names), names

    return check


def share(split: str, least: float) -> Check:
    """At least `least` of the items in `split`."""

    def check(items: Items) -> None:
        assert sum(i["split"] == split for i in items) >= least * len(items)

    return check


def elsewhere(ci: str, tenths: int) -> Check:
    """At least `tenths` tenths of the items from CI systems other than `ci`."""

    def check(items: Items) -> None:
        assert sum(str(i["ci"]) != ci for i in items) * 10 >= tenths * len(items)

    return check


def few_from(ci: str, most: int) -> Check:
    """At most `most` items from the CI system `ci`."""

    def check(items: Items) -> None:
        assert sum(str(i["ci"]) == ci for i in items) <= most

    return check


def no_ci_over(tenths: int) -> Check:
    """No CI system holds more than `tenths` tenths of the items."""

    def check(items: Items) -> None:
        per = Counter(str(i["ci"]) for i in items)
        assert max(per.values()) * 10 <= tenths * len(items), per

    return check


def explained(items: Items) -> None:
    """Every item says what could mislead a reader (`trap`) and why it carries its label (`note`)."""
    assert all(str(i["trap"]) and str(i["note"]) for i in items)


def files(owners: str = "") -> Fresh:
    """GitHub files, one item a repository (owners' first letters among `owners`), none an earlier set cites."""
    return partial(check_fresh, owners=owners)


threads: Fresh = check_fresh_threads  # no thread, and no repository of a file, that an earlier set cites


def tenths_held_out(item: Item) -> str:
    """The first set records no split: three tenths of it by the sha1 of the id are held out."""
    return "held-out" if int(hashlib.sha1(str(item["id"]).encode()).hexdigest()[:8], 16) % 10 < 3 else "dev"


# -- the sets ----------------------------------------------------------------------------------------------------

A_TO_M, N_TO_Z = "abcdefghijklm", "nopqrstuvwxyz0123456789"

SETS = (
    # The first labelled corpus of excerpts (no marked lines, no split field: split by the id's sha1; rules were tuned
    # only on the dev split). Floors: the levels reached when the rule pack was last tuned, minus about two points.
    # Until session 10 its excerpts were saved under their ids, which name the category; now neutral names as for
    # every set.
    LabelledSet("corpus", ("dev", "held-out"), (0.96, 0.95, None), 150, (categories(18, exactly=True, each=3),),
                split_of=tenths_held_out),
    # The second evaluation set (no marked lines). The rules were tuned once on its misses (mechanisms, not strings),
    # so it is no longer held out: it guards shapes the corpus lacks. Floors: the levels after that tuning, minus
    # about two points.
    LabelledSet("holdout2", ("holdout2",), (0.96, 0.96, None), 60, (categories(18, exactly=True),),
                split_of=lambda item: "holdout2"),
    # Real CI failures from many languages and CI systems (issue 12 item 8). First scoring (75176ce, before any
    # compile-error / lint-failure rule): train 48.1 / 67.7 / 57.9, holdout3 44.6 / 69.1 / 52.9. Raised with issue
    # 12's locator (overall 82.8 / 87.6 / 79.2), with ci-log-rules (train 97.0 / 97.0 / 92.6, holdout3 91.7 / 94.1 /
    # 87.3, holdout3 having been looked at) and in session 6 once every split was open for rule work (overall 97.1 /
    # 96.7 / 93.0, holdout3 94.6 / 94.1 / 90.7): about two points under overall.
    LabelledSet("corpus3", ("train", "holdout3"), (0.95, 0.94, 0.91), 511, (share("holdout3", 0.3),)),
    # A fresh held-out set of excerpts, labelled and committed before anything ran on it. First scoring (b977b39,
    # main 6b48a2a's code): 70.2 / 80.3 / 83.7. Raised after session 5's rule work (main 75d675b: 89.9 / 90.4 /
    # 88.9), about one item under, and after session 6's convention rules (94.7 / 94.7 / 88.9), about three under.
    LabelledSet("corpus4", ("holdout4",), (0.93, 0.93, 0.86), 200, (breadth(),)),
    # LONG real CI logs (46-231 lines, set-up noise, passing steps, cleanup), committed at c27680e. First scoring
    # (main c4c07b0's code): 46.3 / 59.3 / 64.8. Raised after session 5 (main 75d675b: 87.0 / 85.2 / 94.4), about one
    # item under, and after session 6's convention rules (94.4 / 92.6 / 94.4).
    LabelledSet("corpus5", ("holdout5",), (0.92, 0.90, 0.94), 54, (breadth(), long_logs())),
    # A second set of long logs (49-210 lines; d77bb1e, 168028f), built once corpus5's misses steered rule work.
    # First scoring (main 05b792c's code): 50.0 / 66.7 / 61.1. Raised after session 5 (main 75d675b: 97.2 / 97.2 /
    # 94.4), about one item under.
    LabelledSet("corpus6", ("holdout6",), (0.94, 0.94, 0.91), 36, (breadth(), long_logs()),
                fresh=files(), earlier=("corpus5",)),
    # A third set of long logs (64-143 lines), owners a-m (corpus8 takes n-z). First scoring (main a2dbd78's code):
    # 77.3 / 77.3 / 68.2, floors one item (4.5 points) under; raised in session 6 once open for rule work (100 /
    # 95.5 / 86.4 by its end): one item under.
    LabelledSet("corpus7", ("holdout7",), (0.95, 0.90, 0.90), 22, (breadth(), long_logs()), fresh=files(A_TO_M)),
    # A TRAINING set of long logs (43-141 lines; 7e47ac2, 797fc0a), meant to be read and tuned on: owners n-z or a
    # digit, no repository of corpus3-6. First scoring (main a2dbd78's code; README "First scoring (eighth set)"):
    # 55.6 / 63.9 / 69.4, floors about three points under; raised after session 5 (main 75d675b: 94.4 / 91.7 /
    # 97.2), about one item under.
    LabelledSet("corpus8", ("train8",), (0.91, 0.88, 0.94), 36, (breadth(), lines(40, 150, median=60)),
                fresh=files(N_TO_Z), earlier=("corpus3", "corpus4", "corpus5", "corpus6")),
    # Long logs nobody tuned rules for (52-148 lines; 4de2cbc, cde5e4b, fbc2352). First scoring (main 3b6b02e's
    # code; README "First scoring (ninth set)"): 60.0 / 77.1 / 77.1, floors one item (2.9 points) under; raised in
    # session 6 once open for rule work (91.4 / 97.1 / 91.4 by its end): one item under.
    LabelledSet("corpus9", ("holdout9",), (0.88, 0.88, 0.88), 35, (breadth(), long_logs(most=150)), fresh=files()),
    # SHORT excerpts from issue and pull-request threads (aaa7757 ... cfe74c9). First scoring (test d039254, main
    # ad83241's code; README "Tenth set"): 74.4 / 80.0 / 82.6, floors about two points under.
    LabelledSet("corpus10", ("holdout10",), (0.72, 0.78, 0.80), 150, (excerpts(kinds=40, ecosystems=30),),
                fresh=threads),
    # Long logs (55-145 lines; c61e4c1 ... 5a20328) by a labeller who did not read the rules. First scoring (at
    # 9fce5c1, main ad83241's code): 73.3 / 76.7 / 76.7, floors one item (3.3 points) under.
    LabelledSet("corpus11", ("holdout11",), (0.70, 0.73, 0.73), 30, (breadth(), long_logs(most=150)), fresh=files()),
    # A TRAINING set of short excerpts leaning to the categories earlier training material holds fewest of. First
    # scoring (main ad83241's code): 67.6 / 75.9 / 83.3; raised after session 6's convention rules (90.7 / 92.6 /
    # 91.7) and rules-train12's family rules (99.1 / 99.1 / 96.3), about two points under.
    LabelledSet("corpus12", ("train12",), (0.97, 0.97, 0.94), 100, (breadth(30), lines(most=60)), fresh=files()),
    # SHORT excerpts from threads (f449e30 ... a6af113). First scoring (test 25feecf, main 2cfcbb0's code): 71.1 /
    # 75.9 / 83.4, floors about two points under.
    LabelledSet("corpus13", ("holdout13",), (0.69, 0.73, 0.81), 150,
                (excerpts(kinds=50, ecosystems=50, ci_systems=10),), fresh=threads),
    # Long logs (55-158 lines; 2be131f, 6f2c43a): Actions job logs, an `act` run, two local runs. First scoring (at
    # 2ba354f, main 5d33446's code): 65.4 / 61.5 / 76.9, floors one item (3.8 points) under.
    LabelledSet("corpus14", ("holdout14",), (0.61, 0.57, 0.96), 26, (breadth(), long_logs(most=200)), fresh=files()),
    # SHORT excerpts from threads, owners a-l or a digit. First scoring (by the lead, c0935a8 with key-v6, ec6a0f9):
    # 74.4 / 80.1 / 84.0; raised after session 9 opened it for rule work (at 64c941f: 94.2 / 95.5 / 89.1), a point or
    # an item under; raised again at session 10's end (96.8 / 96.8 / 91.7).
    LabelledSet("corpus15", ("holdout15",), (0.95, 0.95, 0.90), 130,
                (excerpts(kinds=50, ecosystems=40, ci_systems=8),), fresh=threads),
    # SHORT excerpts from threads, owners m-z; every category but flaky-test and websocket-handshake-error (none
    # found fresh). Committed with 71 items (below the 130 aimed at). First scoring (c0935a8 with key-v6, ec6a0f9):
    # 70.4 / 73.2 / 73.2; raised after session 9 (kept closed; at 64c941f: 76.1 / 78.9 / 77.5), a point or an item
    # under; opened for rule work in session 10 and raised again (at the session's end: 90.1 / 90.1 / 83.1).
    LabelledSet("corpus16", ("holdout16",), (0.88, 0.88, 0.81), 71,
                (excerpts(kinds=40, ecosystems=40, ci_systems=8), categories(18, unclassified=True), ids("c16-"),
                 on_github(("m", "z"))), fresh=threads),
    # LONG failed job logs (53-275 lines) that public repositories committed: Actions, Jenkins, Cloud Build, Travis,
    # PaaS builds. First scoring (by the lead, ec6a0f9's code): 65.0 / 60.0 / 70.0; raised after session 9 opened it
    # for rule work (at 64c941f: 70.0 / 65.0 / 90.0), a point or an item under; priority raised after session 11
    # (70.0 / 70.0 / 90.0).
    LabelledSet("corpus17", ("holdout17",), (0.65, 0.65, 0.85), 20,
                (ids("c17-"), breadth(), systems(ci=5, ecosystems=15), long_logs(most=300)), fresh=files()),
    # SHORT excerpts (5-60 lines) from threads, weighted to mainstream ecosystems; every category of the taxonomy.
    # First scoring (by the lead, on afbbdba): 84.4 / 86.7 / 89.8, floors about two points under; opened for rule work
    # in session 10 and raised (at the session's end: 93.0 / 93.0 / 92.2), about two points under; 93.8 / 93.8 / 92.2
    # after session 11.
    LabelledSet("corpus18", ("holdout18",), (0.91, 0.91, 0.90), 128,
                (excerpts(kinds=50, ecosystems=40, ci_systems=8), categories(20, unclassified=True), ids("c18-"),
                 on_github()), fresh=threads),
    # LONG logs (40-300 lines) from CI systems other than Actions (Jenkins, the 0-day robot, syzbot, osstest, Intel
    # GFX CI, Bluetooth CI, Netlify), most as mailed to public lists. First scoring (by the lead, on afbbdba): 72.7 /
    # 81.8 / 45.5 (8 / 9 / 5 of 11), floors about two points under; opened for rule work in session 10 and raised
    # (at the session's end: 90.9 / 90.9 / 81.8), one item under.
    LabelledSet("corpus19", ("holdout19",), (0.81, 0.81, 0.72), 11,
                (ids("c19-"), breadth(15), systems(ci=7, ecosystems=8), elsewhere("github-actions", 5),
                 long_logs(most=300)), fresh=files()),
    # SHORT excerpts (5-60 lines) from 116 threads, weighted to the failures a real team meets, across 91 ecosystems;
    # every category, four items each at least. First scoring (by the lead, on f763bdd): 89.7 / 90.5 / 91.4, floors
    # about two points under; opened for rule work in session 11 and raised (at the session's end: 94.0 / 95.7 / 92.2),
    # about two points under.
    LabelledSet("corpus20", ("holdout20",), (0.92, 0.93, 0.90), 116,
                (excerpts(kinds=90, ecosystems=80, ci_systems=8), categories(20, exactly=True, each=4), ids("c20-"),
                 on_github(), explained), fresh=threads),
    # LONG failed job logs (60-300 lines) that public repositories committed: Jenkins consoles, Argo and Cirrus CI,
    # Julia PkgEval, Bitrise, saved Actions logs (5 of 14). First scoring (by the lead, on f763bdd): 50.0 / 71.4 /
    # 71.4 (one item is 7 points), floors about two points under; opened for rule work in session 11 and raised (at
    # the session's end: 57.1 / 78.6 / 78.6), about two points under.
    LabelledSet("corpus21", ("holdout21",), (0.55, 0.76, 0.76), 14,
                (ids("c21-"), breadth(20), systems(ci=6, ecosystems=14), elsewhere("github-actions", 6),
                 long_logs(most=300), lines(least=60)), fresh=files()),
    # LONG failed job logs (60-300 lines) from CI systems the earlier long-log sets lacked: Azure Pipelines, App
    # Center, GitLab, Travis, LAVA, the 0-day robot (some read from mailing lists), at most three Actions logs. First
    # scoring (by the lead, on f763bdd): 60.0 / 50.0 / 90.0 (one item is 10 points), floors about two points under;
    # kept closed, raised at the session's end (70.0 / 60.0 / 90.0), about two points under; opened for rule work in
    # session 11 and raised (at its end: 100.0 / 90.0 / 100.0), one log under.
    LabelledSet("corpus22", ("holdout22",), (0.90, 0.80, 0.90), 10,
                (ids("c22-"), breadth(17), systems(ci=7, ecosystems=10), few_from("github-actions", 3),
                 long_logs(most=300)), fresh=files()),
    # SHORT excerpts (5-40 lines) from 110 threads not cited before, across 99 ecosystems and 16 CI systems besides
    # none; every category, four items each at least. First scoring (by the lead, on the session's starting code
    # 7763cbf): 80.9 / 81.8 / 90.0, floors about two points under; kept closed to rule work.
    LabelledSet("corpus23", ("holdout23",), (0.92, 0.92, 0.91), 110,
                (excerpts(kinds=100, ecosystems=90, ci_systems=12), categories(20, exactly=True, each=4), ids("c23-"),
                 on_github(), explained, lines(most=40)), fresh=threads),
    # LONG failed job logs (60-300 lines): kernel-bot reports (syzbot, the 0-day robot, LKFT, patchew, the DT binding
    # bot) as mailed to public lists, each read from a list's only archive, a CodeBuild log, at most a third Actions
    # logs (6 of 18). Labels only, committed before anything ran on it. First scoring (by the lead, on the session's
    # starting code 7763cbf): 50.0 / 61.1 / 61.1 (one log is 5.6 points), floors one log under; kept closed.
    LabelledSet("corpus24", ("holdout24",), (0.72, 0.83, 0.83), 18,
                (ids("c24-"), breadth(20), systems(ci=7, ecosystems=15), few_from("github-actions", 6),
                 long_logs(most=300), lines(least=60)), fresh=files()),
    # SHORT excerpts (5-40 lines) from public web pages, not GitHub threads: Q&A sites, forums, blog posts, vendor
    # knowledge bases, a mailing-list archive, a bug tracker; one item a page, none an earlier set cites. First scoring
    # (by the lead, on the session's starting code 7763cbf): 79.5 / 81.8 / 88.6 (one item is 2.3 points), floors about
    # two points under; kept closed.
    LabelledSet("corpus25", ("holdout25",), (0.84, 0.88, 0.86), 44,
                (excerpts(kinds=40, ecosystems=40, ci_systems=7), categories(20, exactly=True), ids("c25-"),
                 explained, lines(most=40)), fresh=threads),
    # LONG failed job logs (75-146 lines) that public repositories committed, aimed at what corpus24 lacked: Travis logs
    # kept in a README, a test file's comment and a saved log, a DataKit CI (MirageOS) archive, two saved Actions logs.
    # Labels only, committed before anything ran on it; short of the 15 aimed at (README "Twenty-sixth set"). First
    # scoring (by the lead, on the session's starting code 7763cbf): 50.0 / 50.0 / 83.3 (one log is 16.7 points),
    # floors one log under; kept closed.
    LabelledSet("corpus26", ("holdout26",), (0.50, 0.33, 0.83), 6,
                (ids("c26-"), breadth(9), systems(ci=3, ecosystems=6), few_from("github-actions", 2),
                 long_logs(most=300), lines(least=60)), fresh=files()),
    # SHORT excerpts (5-36 lines) from 101 GitHub threads and one GitLab issue page not cited before, across 102
    # ecosystems and 9 CI systems besides none; every category, four items each at least but flaky-test (one: no
    # fresh pass-after-failure excerpt found; README "Twenty-seventh set"). Labels only, committed before anything
    # ran on it. First scored at a6b5584 (session 12's start): 91.2 / 89.2 / 89.2; floors one item under the end score.
    LabelledSet("corpus27", ("holdout27",), (0.90, 0.89, 0.89), 102,
                (excerpts(kinds=100, ecosystems=100, ci_systems=9), categories(20, exactly=True), ids("c27-"),
                 explained, lines(most=40)), fresh=threads),
    # LONG failed job logs (78-273 lines): kernel-bot reports mailed to lists that no earlier set cites (syzbot, the
    # 0-day robot and its LKP test service, KernelCI), each read from a list's only archive, saved GitHub Actions logs
    # (3 of 11) and a Jenkins console in a homework answer; no CI system above four tenths. Labels only, committed
    # before anything ran on it; short of the 20 aimed at (README "Twenty-eighth set"). First scored at a6b5584:
    # 72.7 / 72.7 / 81.8; floors one item under the end score.
    LabelledSet("corpus28", ("holdout28",), (0.63, 0.72, 0.72), 11,
                (ids("c28-"), breadth(16), systems(ci=5, ecosystems=11), no_ci_over(4), long_logs(most=300),
                 lines(least=60)), fresh=files()),
    # LONG failed job logs (82-149 lines), one a repository: saved GitHub Actions job logs (6 of 8: Ruby, Go, Kotlin,
    # C++/CMake, Python, Dart), a Travis phpcs log and a Jenkins console pasted in a README. Labels only, committed
    # before anything ran on it; short of the 15 aimed at and above the brief's four-tenths cap for Actions (README
    # "Twenty-ninth set"). First scored at a6b5584: 50.0 / 62.5 / 87.5; floors one item under the end score.
    LabelledSet("corpus29", ("holdout29",), (0.37, 0.50, 0.75), 8,
                (ids("c29-"), breadth(11), systems(ci=3, ecosystems=8), few_from("github-actions", 6),
                 long_logs(most=300), lines(least=60)), fresh=files()),
    # TRAINING excerpts (5-24 lines) from 56 GitHub threads not cited before, chosen for families earlier sets name
    # rarely or never (Erlang/EUnit, cabal, opam/dune, Nim, Zig, D, Fortran, Lua/busted, Dart, Clojure, sbt, Perl,
    # composer, NuGet/Paket, Bazel, vcpkg, conda, Nix, ctest, Meson, Terraform/Atlantis, Helm, Cypress, Playwright,
    # Cucumber, Buildkite, Android/Gradle, Unity runners); every category. Labels committed before anything ran on it;
    # open for rule work (README "Thirtieth set"): first scored 71.4 / 78.6 / 89.3; floors one item under the end score.
    LabelledSet("corpus30", ("train30",), (0.83, 0.89, 0.85), 56,
                (excerpts(kinds=40, ecosystems=40, ci_systems=5), categories(20, exactly=True), ids("c30-"),
                 on_github(), explained, lines(most=40)), fresh=threads),
)


def over(sets: Sequence[LabelledSet]) -> pytest.MarkDecorator:
    return pytest.mark.parametrize("labelled", [pytest.param(s, id=s.name) for s in sets])


@over(SETS)
def test_well_formed(labelled: LabelledSet) -> None:
    items = load_items(labelled.path)
    if labelled.floors[2] is not None:
        check_well_formed(items, labelled.splits)
    assert len(items) >= labelled.least
    for check in labelled.form:
        check(items)


@over([s for s in SETS if s.fresh is not None])
def test_fresh(labelled: LabelledSet) -> None:
    assert labelled.fresh is not None
    labelled.fresh(load_items(labelled.path), labelled.earlier_sets())


@over(SETS)
def test_accuracy(labelled: LabelledSet, tmp_path: Path) -> None:
    only = os.environ.get(f"{labelled.name.upper()}_SPLIT", "")
    rows = score(load_items(labelled.path), tmp_path, only, labelled.split_of)
    if len(labelled.splits) > 1:
        for split in labelled.splits:
            if part := [s for s in rows if s.split == split]:
                print("\n" + report(split, part))
    check_accuracy(labelled.name if len(labelled.splits) > 1 else labelled.splits[0], rows, labelled.floors)


def test_every_set_has_a_row() -> None:
    """A set committed with a module of its own in the old shape (tests/test_classify_corpusN.py) is scored there
    until it becomes a row here."""
    rows = {s.name for s in SETS}
    own = {p.stem.removeprefix("test_classify_") for p in Path(__file__).parent.glob("test_classify_corpus*.py")}
    assert {p.stem for p in DATA.glob("*.jsonl")} - rows - own == set()
